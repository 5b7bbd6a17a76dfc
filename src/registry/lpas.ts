import { recordAudit } from '../audit/store.ts';
import type { Actor, Principal } from '../access/principal.ts';
import { isInScope } from '../access/scope.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../errors.ts';
import type { Lpa, NewLpa } from './model.ts';
import { findLpa, insertLpa, regencyExists, setLpaStatus } from './store.ts';

export const lpaActions = ['approve', 'suspend', 'close'] as const;
export type LpaAction = (typeof lpaActions)[number];

// The life of an LPA: proposed by dinsos, approved by the directorate, which
// may suspend it (and approve it again) or close it for good.
export function nextLpaStatus(current: Lpa['status'], action: LpaAction): Lpa['status'] | null {
  switch (action) {
    case 'approve':
      return current === 'proposed' || current === 'suspended' ? 'approved' : null;
    case 'suspend':
      return current === 'approved' ? 'suspended' : null;
    case 'close':
      return current === 'closed' ? null : 'closed';
    default: {
      const unreachable: never = action;
      throw new Error(`unknown LPA action ${String(unreachable)}`);
    }
  }
}

export async function proposeLpa(db: Db, principal: Principal, input: NewLpa, actor: Actor): Promise<Lpa> {
  if (principal.role === 'dinsos' && principal.regencyCode !== input.regencyCode) {
    throw new ForbiddenError(`A dinsos key proposes LPAs in its own regency (${principal.regencyCode}) only.`);
  }
  return withTransaction(db, async (trx) => {
    if (!(await regencyExists(trx, input.regencyCode))) {
      throw new InputError([{ field: 'body.regencyCode', message: `is not a known regency code` }]);
    }
    const lpa = await insertLpa(trx, input, actor.actor);
    await recordAudit(trx, actor, {
      action: 'lpa.propose',
      entityType: 'lpa',
      entityId: lpa.id,
      detail: { name: lpa.name, regencyCode: lpa.regencyCode },
    });
    return lpa;
  });
}

export async function changeLpaStatus(db: Db, id: string, action: LpaAction, reason: string, actor: Actor): Promise<Lpa> {
  return withTransaction(db, async (trx) => {
    const lpa = await findLpa(trx, id, { lock: 'update' });
    if (lpa === null) throw new NotFoundError('LPA', id);
    const next = nextLpaStatus(lpa.status, action);
    if (next === null)
      throw new ConflictError(
        'invalid-lpa-transition',
        `An LPA that is ${lpa.status} cannot be ${action === 'close' ? 'closed' : `${action}d`}.`,
      );
    const changed = await setLpaStatus(trx, id, next, reason);
    await recordAudit(trx, actor, {
      action: `lpa.${action}`,
      entityType: 'lpa',
      entityId: id,
      detail: { from: lpa.status, to: next, reason },
    });
    return changed;
  });
}

export async function visibleLpa(db: Db, principal: Principal, id: string): Promise<Lpa> {
  const lpa = await findLpa(db, id);
  if (lpa === null || !isInScope(principal, { regencyCode: lpa.regencyCode, lpaId: lpa.id })) throw new NotFoundError('LPA', id);
  return lpa;
}
