import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { refuseFutureDates } from '../dates.ts';
import { ConflictError, InputError } from '../errors.ts';
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
  // The day the money left the fund, when finance records a payment made earlier; today otherwise.
  readonly paidOn?: string;
  readonly idempotencyKey: string;
  readonly today: string;
  // Where paidOn came from, for naming it in a refusal: 'body.paidOn' over HTTP, '--paid-on' on the command line.
  readonly paidOnField?: string;
}

// Finance pays an approved claim: claims payable against the fund's cash,
// with the payout reference. A claim is paid once: a retry under the same
// key answers the payment, another key is told it was paid. Cash that would
// go below zero refuses the payment, and nothing is written. The payment is
// recorded on the day it was made, so a transfer entered late still counts
// as paid on time where it was; a day in a closed month is refused by the
// ledger, as any entry dated there is.
export async function payClaim(db: Db, request: PaymentRequest, actor: Actor): Promise<{ claim: Claim; replayed: boolean }> {
  const paidOn = request.paidOn ?? request.today;
  const field = request.paidOnField ?? 'paidOn';
  refuseFutureDates(request.today, { [field]: paidOn });
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
    // Money cannot leave for a claim before the fund accepted it.
    if (claim.acceptedOn !== null && paidOn < claim.acceptedOn)
      throw new InputError([{ field, message: `must not be before the day the claim was accepted (${claim.acceptedOn})` }]);
    const payable = await fundAccountId(trx, chart.claimsPayable.code);
    const cash = await fundAccountId(trx, chart.cashAtBank.code);
    const paid = fromNumeric(claim.amount);
    const entryId = randomUUID();
    const updated = await markPaid(trx, claim.id, {
      paidOn,
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
      detail: { amount: claim.amount, reference: request.reference, paidOn, entryId },
    });
    // Last before the commit, as for the reserve: the fund's cash row is shared by every payment.
    await postEntry(
      trx,
      {
        entryId,
        entryDate: paidOn,
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
