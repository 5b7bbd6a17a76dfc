import type { Principal, Role } from '../access/principal.ts';
import { mayWrite } from '../access/scope.ts';
import { hashSecret } from './secret.ts';
import { findPrincipalBySecretHash, touchApiKey } from './store.ts';
import type { Db } from '../db/knex.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpMethod } from '../shared/http/route.ts';
import { type Accounts, csrfTokenMatches, isSessionToken, sessionCookieName, sessionPrincipal } from './sessions.ts';

const bearerPattern = /^Bearer (ask_[A-Za-z0-9_-]{43})$/;

// What a request offers to say who sent it.
export interface Credentials {
  readonly method: HttpMethod;
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
  // From the X-CSRF-Token header or the _csrf form field.
  readonly csrfToken: string | undefined;
}

// An API key when one is sent, else a person's session cookie. Every
// request looks its key or session up again, so a revoked key, a disabled
// person or a signed-out session stops at once.
export async function authenticate(db: Db, credentials: Credentials, accounts: Accounts, log: Logger): Promise<Principal> {
  const { authorization } = credentials;
  if (authorization !== undefined && authorization !== '') return authenticateKey(db, authorization, log);
  const token = sessionTokenOf(credentials.cookie);
  if (token === null) throw new UnauthorizedError();
  const principal = await sessionPrincipal(db, token, accounts);
  if (principal === null)
    throw new UnauthorizedError('The session has ended or was never valid; sign in again (POST /v1/session).');
  // The browser sends the cookie with a request another site made it send;
  // only our own pages know the CSRF token to send beside it.
  if (credentials.method !== 'get' && !csrfTokenMatches(principal.csrfToken, credentials.csrfToken))
    throw new ForbiddenError(
      'A change made with a session cookie must carry its CSRF token (the X-CSRF-Token header or the _csrf form field), as GET /v1/session gives it.',
    );
  return principal;
}

async function authenticateKey(db: Db, authorization: string, log: Logger): Promise<Principal> {
  const match = bearerPattern.exec(authorization.trim());
  if (match === null) {
    throw new UnauthorizedError('The Authorization header must be "Bearer <api key>" with a key made by "askesos keys create".');
  }
  const found = await findPrincipalBySecretHash(db, hashSecret(match[1] ?? ''));
  if (found === null) throw new UnauthorizedError('This API key is unknown or has been revoked.');
  // Recording last use must never fail the request it describes, and a busy
  // key must not write a row on every request.
  if (found.lastUseStale && found.principal.via === 'api-key')
    await touchApiKey(db, found.principal.keyId).catch((error: unknown) =>
      log.warn({ err: error }, 'could not record API key use'),
    );
  return found.principal;
}

// The session token in a Cookie header, if one well-formed is there.
function sessionTokenOf(cookie: string | undefined): string | null {
  if (cookie === undefined) return null;
  for (const pair of cookie.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== sessionCookieName) continue;
    const value = pair.slice(separator + 1).trim();
    return isSessionToken(value) ? value : null;
  }
  return null;
}

// The one guard every protected route passes through.
export function authorize(
  principal: Principal,
  method: HttpMethod,
  roles: readonly Role[],
  route: { readonly writesNothing: boolean; readonly sessionOnly: boolean },
): void {
  if (route.sessionOnly && principal.via !== 'session')
    throw new ForbiddenError('An API key has no session: this is for a person signed in with POST /v1/session.');
  const holder = principal.via === 'api-key' ? 'key' : 'user';
  if (!roles.includes(principal.role)) {
    throw new ForbiddenError(`A ${principal.role} ${holder} may not do this; it needs one of: ${roles.join(', ')}.`);
  }
  if (method !== 'get' && !route.writesNothing && !mayWrite(principal.role)) {
    throw new ForbiddenError(`A ${principal.role} ${holder} is read-only.`);
  }
}
