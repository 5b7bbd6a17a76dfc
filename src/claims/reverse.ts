import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError } from '../errors.ts';
import { reverseEntry } from '../ledger/post.ts';
import { lockAccountsOf } from '../ledger/store.ts';
import type { Claim } from './model.ts';
import { lockClaim, markReversed } from './store.ts';

export interface ClaimReversalRequest {
  readonly claimId: string;
  readonly reason: string;
  readonly idempotencyKey: string;
  readonly today: string;
}

// A claim found wrong after the fact (filed twice, fraud) is reversed, never
// deleted: it keeps its decision, is marked reversed with the reason, no
// longer counts against the participant's limit, and the ledger gets the
// mirror of its entries in the open month: the payment first when it was
// paid (the money recovered), then the case reserve.
export async function reverseClaim(
  db: Db,
  request: ClaimReversalRequest,
  actor: Actor,
): Promise<{ claim: Claim; replayed: boolean }> {
  return withTransaction(db, async (trx) => {
    const { claim, keys } = await lockClaim(trx, request.claimId);
    if (claim.status === 'reversed') {
      if (keys.reversal === request.idempotencyKey) return { claim, replayed: true };
      throw new ConflictError('already-reversed', `Claim ${claim.id} was reversed on ${claim.reversedOn ?? ''}.`);
    }
    if (claim.status !== 'approved' && claim.status !== 'paid')
      throw new ConflictError(
        'claim-not-reversible',
        `Claim ${claim.id} is ${claim.status}; only an approved or paid claim is reversed.`,
      );
    const updated = await markReversed(trx, claim.id, {
      reversedOn: request.today,
      reason: request.reason,
      idempotencyKey: request.idempotencyKey,
      reversedBy: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'claim.reverse',
      entityType: 'claim',
      entityId: claim.id,
      detail: { from: claim.status, reason: request.reason, amount: claim.amount },
    });
    const poster = { postedBy: actor.actor, requestId: actor.requestId };
    const description = `Reversal of claim ${claim.id}: ${request.reason}`;
    const entries = [
      { entryId: claim.paymentEntryId, key: `claim:${claim.id}:payment-reversal` },
      { entryId: claim.reserveEntryId, key: `claim:${claim.id}:reserve-reversal` },
    ];
    // Two entries, three shared fund accounts: lock them all first, in order.
    await lockAccountsOf(
      trx,
      entries.flatMap(({ entryId }) => (entryId === null ? [] : [entryId])),
    );
    for (const { entryId, key } of entries)
      if (entryId !== null)
        await reverseEntry(trx, { entryId, entryDate: request.today, description, idempotencyKey: key }, poster);
    return { claim: updated, replayed: false };
  });
}
