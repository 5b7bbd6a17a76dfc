import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { jobRunSchema } from './model.ts';
import { listRuns } from './store.ts';

const runsPerPageMax = 500;

export function jobRoutes({ db }: { readonly db: Db }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/jobs/runs',
      tag: 'jobs',
      summary: 'Scheduled job runs, newest first: status, progress of a run in flight, its summary or why it failed.',
      roles: ['directorate', 'finance', 'auditor'],
      query: z.strictObject({
        job: z.string().min(1).max(100).optional().meta({ description: 'Only this job’s runs, e.g. premium-cycle.' }),
        limit: pageLimit(runsPerPageMax, 50),
      }),
      responses: { 200: { description: 'Runs.', schema: z.object({ runs: z.array(jobRunSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { runs: await listRuns(db, query) } }),
    }),
  ];
}
