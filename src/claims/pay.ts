import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { postEntry } from '../ledger/post.ts';
import { fundAccountId } from '../ledger/store.ts';
import { fromNumeric } from '../money/index.ts';
import { paymentNotice } from './notices.ts';
import { insertNotices } from '../notices/index.ts';
import type { Claim } from './model.ts';
import { lockClaim, markPaid } from './store.ts';

export interface PaymentRequest {
  readonly claimId: string;
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly today: string;
}

// Finance pays an approved claim: claims payable against the fund's cash,
// with the payout reference. A claim is paid once: a retry under the same
// key answers the payment, another key is told it was paid. Cash that would
// go below zero refuses the payment, and nothing is written.
export async function payClaim(db: Db, request: PaymentRequest, actor: Actor): Promise<{ claim: Claim; replayed: boolean }> {
  return withTransaction(db, async (trx) => {
    const { claim, keys } = await lockClaim(trx, request.claimId);
    if (claim.status === 'paid') {
      if (keys.payment === request.idempotencyKey) return { claim, replayed: true };
      throw new ConflictError(
        'already-paid',
        `Claim ${claim.id} was paid on ${claim.paidOn ?? ''} (reference ${claim.payoutReference ?? ''}).`,
      );
    }
    if (claim.status !== 'approved' || claim.amount === null)
      throw new ConflictError('claim-not-payable', `Claim ${claim.id} is ${claim.status}; only an approved claim is paid.`);
    const payable = await fundAccountId(trx, chart.claimsPayable.code);
    const cash = await fundAccountId(trx, chart.cashAtBank.code);
    const paid = fromNumeric(claim.amount);
    const entryId = randomUUID();
    const updated = await markPaid(trx, claim.id, {
      paidOn: request.today,
      reference: request.reference,
      entryId,
      idempotencyKey: request.idempotencyKey,
      paidBy: actor.actor,
    });
    await insertNotices(trx, [paymentNotice(updated)]);
    await recordAudit(trx, actor, {
      action: 'claim.pay',
      entityType: 'claim',
      entityId: claim.id,
      detail: { amount: claim.amount, reference: request.reference, entryId },
    });
    // Last before the commit, as for the reserve: the fund's cash row is shared by every payment.
    await postEntry(
      trx,
      {
        entryId,
        entryDate: request.today,
        description: `Payment of claim ${claim.id}, reference ${request.reference}`,
        reference: { type: 'claim', id: claim.id },
        rule: claim.rule,
        idempotencyKey: `claim:${claim.id}:payment`,
        postings: [
          { accountId: payable, amount: paid },
          { accountId: cash, amount: paid.negated() },
        ],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
    );
    return { claim: updated, replayed: false };
  });
}
