import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { listAudit } from './store.ts';

const auditRowsPerPageMax = 500;

const auditRowSchema = z.object({
  id: z.string(),
  occurredAt: z.iso.datetime(),
  actor: z.string(),
  actorRole: z.string(),
  actorKeyId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export function auditRoutes(db: Db) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/audit-log',
      tag: 'audit',
      summary: 'Who wrote what, newest first. Page with beforeId.',
      roles: ['directorate', 'auditor'],
      query: z.strictObject({
        limit: pageLimit(auditRowsPerPageMax, 100),
        beforeId: z
          .string()
          .regex(/^\d{1,18}$/, 'must be an audit row id')
          .optional(),
        entityType: z.string().max(64).optional(),
        entityId: z.string().max(128).optional(),
      }),
      responses: { 200: { description: 'Audit rows.', schema: z.object({ rows: z.array(auditRowSchema) }) } },
      handle: async ({ query }) => {
        const rows = await listAudit(db, query);
        return { status: 200, body: { rows: rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() })) } };
      },
    }),
  ];
}
