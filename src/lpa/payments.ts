import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor } from '../auth/model.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import type { Posted } from '../ledger/post.ts';
import { postEntry } from '../ledger/post.ts';
import { findAccountByOwner, findEntryByKey, fundAccountId } from '../ledger/store.ts';
import { amount, amountSchema, formatRupiah } from '../money/index.ts';
import { isoDateSchema } from '../rules/model.ts';

export const honorariumPaymentSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  paidOn: isoDateSchema.meta({ description: 'The day the transfer left the fund.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The transfer’s reference.' }),
});
export type HonorariumPayment = z.output<typeof honorariumPaymentSchema>;

// Finance pays an LPA what its honorarium payable holds, no more: the
// payable is locked while the payment is checked and booked, so two
// payments at once cannot together pay more than is owed.
export async function payHonorarium(
  db: Db,
  request: { lpaId: string; payment: HonorariumPayment; idempotencyKey: string; today: string; fieldPrefix: string },
  actor: Actor,
): Promise<Posted> {
  const { lpaId, payment, fieldPrefix } = request;
  if (payment.paidOn > request.today)
    throw new InputError([{ field: `${fieldPrefix}paidOn`, message: `must not be after today (${request.today})` }]);
  return withTransaction(db, async (trx) => {
    if ((await trx('lpas').where({ id: lpaId }).first('id')) === undefined) throw new NotFoundError('lpa', lpaId);
    const payable = await lockedPayable(trx, lpaId);
    if (payable === null)
      throw new UnprocessableError(
        'payment-exceeds-honorarium',
        'No honorarium has been booked for this LPA; there is nothing to pay.',
      );
    const replay = (await findEntryByKey(trx, request.idempotencyKey)) !== null;
    const owed = amount(payable.normalBalance);
    if (!replay && payment.amount.greaterThan(owed))
      throw new UnprocessableError(
        'payment-exceeds-honorarium',
        `The LPA is owed ${formatRupiah(owed)} of honorarium; a payment of ${formatRupiah(payment.amount)} is more than that.`,
      );
    return postEntry(
      trx,
      {
        entryDate: payment.paidOn,
        description: `LPA honorarium paid, ${payment.reference}`,
        reference: { type: 'lpa-honorarium-payment', id: payment.reference },
        rule: null,
        idempotencyKey: request.idempotencyKey,
        postings: [
          { accountId: payable.id, amount: payment.amount },
          { accountId: await fundAccountId(trx, '1100'), amount: payment.amount.negated() },
        ],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      fieldPrefix,
    );
  });
}

async function lockedPayable(trx: Knex.Transaction, lpaId: string) {
  const owner = { kind: 'lpa' as const, lpaId, participantId: null };
  const account = await findAccountByOwner(trx, '2400', owner);
  if (account === null) return null;
  await trx('ledger_accounts').where({ id: account.id }).forUpdate().first('id');
  return findAccountByOwner(trx, '2400', owner);
}
