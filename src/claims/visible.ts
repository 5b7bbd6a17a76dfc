import type { Principal } from '../access/principal.ts';
import { isInScope } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import type { Claim } from './model.ts';
import { findClaim } from './store.ts';

// A claim as the caller may see it: another LPA's, or another regency's, is
// as absent as one that does not exist.
export async function visibleClaim(db: Db, principal: Principal, id: string): Promise<Claim> {
  const found = await findClaim(db, id);
  if (found === null || !isInScope(principal, { regencyCode: found.regencyCode, lpaId: found.lpaId }))
    throw new NotFoundError('claim', id);
  const { regencyCode: _scope, ...claim } = found;
  return claim;
}
