import { z } from 'zod';
import { roles, type Principal, type SessionPrincipal } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { UnauthorizedError } from '../errors.ts';
import { definePublicRoute, defineRoute } from '../shared/http/route.ts';
import { passwordSchema, userSchema } from './model.ts';
import { passwordLengthMax } from './password.ts';
import { type Accounts, changeOwnPassword, sessionCookieName, signIn, signOut } from './sessions.ts';
import { findUser } from './user-store.ts';

const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z.string().meta({
    description:
      'Send it back with every POST, PUT, PATCH or DELETE made with the session cookie: the X-CSRF-Token header, or the _csrf form field.',
  }),
});

const signInSchema = z.strictObject({
  // Checked only for size here: a name that could never exist is refused as a wrong one is.
  username: z.string().trim().toLowerCase().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  password: z.string().min(1, 'must not be empty').max(passwordLengthMax, `must be at most ${passwordLengthMax} characters`),
});

const refusedMessage =
  'The username or password is wrong, or the account is locked after too many wrong passwords or disabled. A locked account opens again after a while.';

// The cookie holds the only copy of the session token. HttpOnly keeps it
// from scripts; SameSite=Strict keeps other sites' pages from sending it;
// Secure, when the request came over TLS, keeps it off plain HTTP.
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${sessionCookieName}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

// Every route that asks is sessionOnly: the guard has refused an API key.
function sessionOf(principal: Principal): SessionPrincipal {
  if (principal.via !== 'session') throw new Error('a sessionOnly route was reached without a session');
  return principal;
}

export function sessionRoutes(db: Db, accounts: Accounts) {
  const { settings } = accounts;
  return [
    definePublicRoute({
      method: 'post',
      path: '/v1/session',
      tag: 'session',
      summary: 'Sign in with a username and password; the session cookie is set.',
      description: `Answers the person and the session's CSRF token. After ${settings.signInFailuresMax} wrong passwords in a row the account is locked for ${settings.lockoutSeconds / 60} minutes; every refusal is the same 401, whatever its reason.`,
      body: signInSchema,
      responses: {
        200: { description: 'Signed in; the askesos_session cookie holds the session.', schema: sessionSchema },
        401: { description: 'Refused: wrong username or password, locked or disabled (one answer for all).' },
      },
      handle: async ({ body, request }) => {
        const result = await signIn(db, body, accounts, request.requestId);
        if (result.kind === 'refused') throw new UnauthorizedError(refusedMessage);
        return {
          status: 200,
          body: { user: result.user, csrfToken: result.csrfToken },
          headers: {
            'Set-Cookie': sessionCookie(result.token, settings.sessionLifetimeSeconds, request.secure),
            'Cache-Control': 'no-store',
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/session',
      tag: 'session',
      summary: 'The person signed in, and the session’s CSRF token.',
      roles,
      sessionOnly: true,
      responses: { 200: { description: 'The session.', schema: sessionSchema } },
      handle: async ({ request: { principal } }) => {
        const session = sessionOf(principal);
        const user = await findUser(db, session.userId);
        if (user === null) throw new Error('a live session belongs to no user');
        return { status: 200, body: { user, csrfToken: session.csrfToken }, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/session',
      tag: 'session',
      summary: 'Sign out: the session ends and its cookie is cleared.',
      roles,
      sessionOnly: true,
      // Signing out writes nothing of the fund's: the read-only auditor may too.
      writesNothing: true,
      responses: { 204: { description: 'Signed out.' } },
      handle: async ({ request }) => {
        await signOut(db, sessionOf(request.principal), request.requestId);
        return { status: 204, headers: { 'Set-Cookie': sessionCookie('', 0, request.secure) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/session/password',
      tag: 'session',
      summary: 'Change one’s own password; the current one is required. Other sessions end.',
      roles,
      sessionOnly: true,
      // A person's own password is not the fund's data: the auditor changes theirs too.
      writesNothing: true,
      body: z.strictObject({
        currentPassword: z.string().min(1, 'must not be empty').max(passwordLengthMax),
        newPassword: passwordSchema(settings.passwordLengthMin),
      }),
      responses: { 204: { description: 'Changed.' } },
      handle: async ({ body, request }) => {
        await changeOwnPassword(db, sessionOf(request.principal), body, accounts, request.requestId);
        return { status: 204 };
      },
    }),
  ];
}
