import { z } from 'zod';
import { type Db, pingDatabase } from '../db/knex.ts';
import { isDatabaseUnavailable } from '../db/availability.ts';
import { definePublicRoute } from '../shared/http/route.ts';

const healthSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({ status: z.enum(['ready', 'unavailable']), database: z.enum(['up', 'down']) });

export function systemRoutes(db: Db) {
  return [
    definePublicRoute({
      method: 'get',
      path: '/healthz',
      tag: 'system',
      summary: 'Liveness: the process answers.',
      responses: { 200: { description: 'Alive.', schema: healthSchema } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    definePublicRoute({
      method: 'get',
      path: '/readyz',
      tag: 'system',
      summary: 'Readiness: the database answers a query.',
      responses: {
        200: { description: 'Ready to serve.', schema: readySchema },
        503: { description: 'The database does not answer.', schema: readySchema },
      },
      handle: async ({ request }) => {
        try {
          await pingDatabase(db);
          return { status: 200, body: { status: 'ready', database: 'up' } };
        } catch (error) {
          // An outage is logged once, by the requests it fails, not at every probe.
          if (!isDatabaseUnavailable(error)) request.log.warn({ err: error }, 'readiness check failed');
          return { status: 503, body: { status: 'unavailable', database: 'down' } };
        }
      },
    }),
  ];
}
