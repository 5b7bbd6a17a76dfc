import type { Principal, Role } from '../access/principal.ts';
import { mayWrite } from '../access/scope.ts';
import { hashSecret } from './secret.ts';
import { findPrincipalBySecretHash, touchApiKey } from './store.ts';
import type { Db } from '../db/knex.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpMethod } from '../shared/http/route.ts';

const bearerPattern = /^Bearer (ask_[A-Za-z0-9_-]{43})$/;

// Every request looks its key up again, so a revoked key stops at once.
export async function authenticate(db: Db, authorization: string | undefined, log: Logger): Promise<Principal> {
  if (authorization === undefined || authorization === '') throw new UnauthorizedError();
  const match = bearerPattern.exec(authorization.trim());
  if (match === null) {
    throw new UnauthorizedError('The Authorization header must be "Bearer <api key>" with a key made by "askesos keys create".');
  }
  const found = await findPrincipalBySecretHash(db, hashSecret(match[1] ?? ''));
  if (found === null) throw new UnauthorizedError('This API key is unknown or has been revoked.');
  // Recording last use must never fail the request it describes, and a busy
  // key must not write a row on every request.
  if (found.lastUseStale)
    await touchApiKey(db, found.principal.keyId).catch((error: unknown) =>
      log.warn({ err: error }, 'could not record API key use'),
    );
  return found.principal;
}

// The one guard every protected route passes through.
export function authorize(principal: Principal, method: HttpMethod, roles: readonly Role[], writesNothing: boolean): void {
  if (!roles.includes(principal.role)) {
    throw new ForbiddenError(`A ${principal.role} key may not do this; it needs one of: ${roles.join(', ')}.`);
  }
  if (method !== 'get' && !writesNothing && !mayWrite(principal.role)) {
    throw new ForbiddenError(`A ${principal.role} key is read-only.`);
  }
}
