import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { uuidSchema } from '../ids.ts';
import { booleanFlag, pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { createdUserSchema, newUserSchema, passwordSchema, userSchema } from './model.ts';
import type { Accounts } from './sessions.ts';
import { findUser, listUsers } from './user-store.ts';
import { createUser, disableUser, enableUser, resetPassword } from './users.ts';

const usersPerPageMax = 500;
const userParams = z.strictObject({ id: uuidSchema });

// People's accounts are the directorate's to manage; the auditor reads them,
// as it reads API keys.
export function userRoutes(db: Db, accounts: Accounts) {
  const { settings, now } = accounts;
  return [
    defineRoute({
      method: 'post',
      path: '/v1/users',
      tag: 'users',
      summary: 'Create a person’s account. A generated first password is in this response only.',
      description: `A dinsos user needs regencyCode; an lpa user needs lpaId; other roles take neither. A password given must have at least ${settings.passwordLengthMin} characters.`,
      roles: ['directorate'],
      body: newUserSchema(settings.passwordLengthMin),
      responses: {
        201: { description: 'Created; pass a generated password on now.', schema: createdUserSchema },
        409: { description: 'The username is taken.' },
      },
      handle: async ({ body, request }) => {
        const created = await createUser(db, body, request.actor, now);
        return { status: 201, body: created, headers: { Location: `/v1/users/${created.user.id}`, 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users',
      tag: 'users',
      summary: 'List people’s accounts (never their passwords), by username.',
      roles: ['directorate', 'auditor'],
      query: z.strictObject({ includeDisabled: booleanFlag.default(false), limit: pageLimit(usersPerPageMax, 100) }),
      responses: { 200: { description: 'The accounts.', schema: z.object({ users: z.array(userSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { users: await listUsers(db, query) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/users/:id',
      tag: 'users',
      summary: 'One person’s account.',
      roles: ['directorate', 'auditor'],
      params: userParams,
      responses: { 200: { description: 'The account.', schema: userSchema } },
      handle: async ({ params }) => {
        const user = await findUser(db, params.id);
        if (user === null) throw new NotFoundError('user', params.id);
        return { status: 200, body: user };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users/:id/disable',
      tag: 'users',
      summary: 'Disable an account: it cannot sign in, and its sessions end at once.',
      roles: ['directorate'],
      params: userParams,
      responses: { 200: { description: 'Disabled.', schema: userSchema }, 409: { description: 'Already disabled.' } },
      handle: async ({ params, request }) => ({ status: 200, body: await disableUser(db, params.id, request.actor, now) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users/:id/enable',
      tag: 'users',
      summary: 'Enable a disabled account again.',
      roles: ['directorate'],
      params: userParams,
      responses: { 200: { description: 'Enabled.', schema: userSchema }, 409: { description: 'Already active.' } },
      handle: async ({ params, request }) => ({ status: 200, body: await enableUser(db, params.id, request.actor) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/users/:id/password',
      tag: 'users',
      summary: 'Reset a person’s password: given, or generated and answered once. The lock lifts; their sessions end.',
      roles: ['directorate'],
      params: userParams,
      body: z.strictObject({ password: passwordSchema(settings.passwordLengthMin).optional() }).optional(),
      responses: { 200: { description: 'Reset; pass a generated password on now.', schema: createdUserSchema } },
      handle: async ({ params, body, request }) => ({
        status: 200,
        body: await resetPassword(db, params.id, body?.password, request.actor, now),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
  ];
}
