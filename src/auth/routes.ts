import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { booleanFlag, pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { createApiKey, revokeApiKey } from './keys.ts';
import { apiKeySchema, createdApiKeySchema, newApiKeySchema } from './model.ts';
import { roleSchema } from '../access/principal.ts';
import { uuidSchema } from '../ids.ts';
import { findApiKey, listApiKeys } from './store.ts';

const keysPerPageMax = 500;
const keyParams = z.strictObject({ id: uuidSchema });

const whoamiSchema = z.object({
  keyId: z.uuid().nullable().meta({ description: 'The API key calling, or null for a person signed in.' }),
  userId: z.uuid().nullable().meta({ description: 'The person signed in, or null for an API key.' }),
  name: z.string(),
  role: roleSchema,
  regencyCode: z.string().nullable(),
  lpaId: z.string().nullable(),
});

export function apiKeyRoutes(db: Db) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/whoami',
      tag: 'keys',
      summary: 'The key or person making this call: its role and scope.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      responses: { 200: { description: 'The caller.', schema: whoamiSchema } },
      handle: async ({ request: { principal } }) => ({
        status: 200,
        body: {
          keyId: principal.via === 'api-key' ? principal.keyId : null,
          userId: principal.via === 'session' ? principal.userId : null,
          name: principal.name,
          role: principal.role,
          regencyCode: principal.role === 'dinsos' ? principal.regencyCode : null,
          lpaId: principal.role === 'lpa' ? principal.lpaId : null,
        },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/keys',
      tag: 'keys',
      summary: 'List API keys (never their secrets).',
      roles: ['directorate', 'auditor'],
      query: z.strictObject({ includeRevoked: booleanFlag.default(false), limit: pageLimit(keysPerPageMax, 100) }),
      responses: { 200: { description: 'The keys, oldest first.', schema: z.object({ keys: z.array(apiKeySchema) }) } },
      handle: async ({ query }) => ({
        status: 200,
        body: { keys: await listApiKeys(db, { includeRevoked: query.includeRevoked, limit: query.limit }) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/keys',
      tag: 'keys',
      summary: 'Create an API key. The secret is in this response only.',
      description: 'A dinsos key needs regencyCode; an lpa key needs lpaId; other roles take neither.',
      roles: ['directorate'],
      body: newApiKeySchema,
      responses: { 201: { description: 'Created; store the secret now.', schema: createdApiKeySchema } },
      handle: async ({ body, request }) => {
        const created = await createApiKey(db, body, request.actor);
        return { status: 201, body: created, headers: { Location: `/v1/keys/${created.key.id}`, 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/keys/:id',
      tag: 'keys',
      summary: 'One API key. Any key may read itself; directorate and auditor may read all.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      params: keyParams,
      responses: { 200: { description: 'The key.', schema: apiKeySchema } },
      handle: async ({ params, request: { principal } }) => {
        const mayReadAll = principal.role === 'directorate' || principal.role === 'auditor';
        const key =
          mayReadAll || (principal.via === 'api-key' && params.id === principal.keyId) ? await findApiKey(db, params.id) : null;
        if (key === null) throw new NotFoundError('API key', params.id);
        return { status: 200, body: key };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/keys/:id/revoke',
      tag: 'keys',
      summary: 'Revoke an API key; it stops working at once.',
      roles: ['directorate'],
      params: keyParams,
      responses: { 200: { description: 'Revoked.', schema: apiKeySchema } },
      handle: async ({ params, request }) => ({ status: 200, body: await revokeApiKey(db, params.id, request.actor) }),
    }),
  ];
}
