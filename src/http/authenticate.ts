import type { Principal, Role } from '../auth/model.ts';
import { mayWrite } from '../auth/scope.ts';
import { hashSecret } from '../auth/secret.ts';
import { findPrincipalsBySecretHash, type KeyHolder, touchApiKey } from '../auth/store.ts';
import type { Db } from '../db/knex.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { HttpMethod } from './route.ts';

const bearerPattern = /^Bearer (ask_[A-Za-z0-9_-]{43})$/;

export type Authenticate = (authorization: string | undefined, log: Logger) => Promise<Principal>;

// Every request looks its key up again, so a revoked key stops at once. The
// look-ups of requests arriving while one is in flight go together in the
// next query: a busy service pays one round trip for many requests.
export function createAuthenticator(db: Db): Authenticate {
  const waiting = new Map<string, Caller[]>();
  let inFlight = 0;

  async function lookUp(batch: [string, Caller[]][]): Promise<void> {
    try {
      const holders = await findPrincipalsBySecretHash(
        db,
        batch.map(([hash]) => hash),
      );
      for (const [hash, callers] of batch) for (const caller of callers) caller.resolve(holders.get(hash) ?? null);
    } catch (error) {
      for (const [, callers] of batch) for (const caller of callers) caller.reject(error);
    }
  }

  function pump(): void {
    while (inFlight < lookUpsInFlightMax && waiting.size > 0) {
      const batch = [...waiting.entries()].slice(0, keysPerLookupMax);
      for (const [hash] of batch) waiting.delete(hash);
      inFlight += 1;
      void lookUp(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  function holderOf(hash: string): Promise<KeyHolder | null> {
    return new Promise((resolve, reject) => {
      const callers = waiting.get(hash) ?? [];
      callers.push({ resolve, reject });
      waiting.set(hash, callers);
      pump();
    });
  }

  return async (authorization, log) => {
    if (authorization === undefined || authorization === '') throw new UnauthorizedError();
    const match = bearerPattern.exec(authorization.trim());
    if (match === null) {
      throw new UnauthorizedError(
        'The Authorization header must be "Bearer <api key>" with a key made by "askesos keys create".',
      );
    }
    const found = await holderOf(hashSecret(match[1] ?? ''));
    if (found === null) throw new UnauthorizedError('This API key is unknown or has been revoked.');
    // Recording last use must never fail the request it describes, and a busy
    // key must not write a row on every request.
    if (found.lastUseStale)
      await touchApiKey(db, found.principal.keyId).catch((error: unknown) =>
        log.warn({ err: error }, 'could not record API key use'),
      );
    return found.principal;
  };
}

const keysPerLookupMax = 500;
const lookUpsInFlightMax = 2;

interface Caller {
  resolve(holder: KeyHolder | null): void;
  reject(error: unknown): void;
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
