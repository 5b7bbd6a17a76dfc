import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { NotFoundError, UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import type { Posted } from '../ledger/model.ts';
import { postEntry } from '../ledger/post.ts';
import { findAccountByOwner, findEntryByKey, fundAccountId, lockLedgerAccounts } from '../ledger/store.ts';
import { type Amount, formatRupiah, fromNumeric, toAmountString } from '../money/index.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { refuseFutureDates } from '../dates.ts';
import { openAccount } from '../ledger/accounts.ts';
import { poolCashAccountId } from '../savings/index.ts';
import type { HonorariumPayment } from './model.ts';
import { grantedStrengtheningTotal, lpaExists } from './store.ts';

export interface PayableRequest {
  readonly lpaId: string;
  readonly payment: HonorariumPayment;
  readonly idempotencyKey: string;
  readonly today: string;
  readonly fieldPrefix: string;
}

// Finance pays an LPA what its honorarium payable holds, no more: the
// payable is locked while the payment is checked and booked, so two
// payments at once cannot together pay more than is owed.
export function payHonorarium(db: Db, request: PayableRequest, actor: Actor): Promise<Posted> {
  const { payment } = request;
  return payFromPayable(db, request, actor, {
    code: 'payment-exceeds-honorarium',
    what: 'honorarium',
    limit: async (_trx, payable) => fromNumeric(payable.normalBalance),
    entry: async (trx, payable) => ({
      description: `LPA honorarium paid, ${payment.reference}`,
      referenceType: 'lpa-honorarium-payment',
      postings: [
        { accountId: payable.id, amount: payment.amount },
        { accountId: await fundAccountId(trx, chart.cashAtBank.code), amount: payment.amount.negated() },
      ],
    }),
  });
}

// Finance pays an LPA's strengthening grants into its savings-and-loans
// pool, as capital it lends from (3300), not to its bank: the LPA's payable
// against the fund's cash, and the pool's cash against its capital, in one
// entry whose two halves each balance. Never more than the grants decided
// and not yet paid in, nor than the payable holds.
export function payStrengtheningIntoPool(db: Db, request: PayableRequest, actor: Actor): Promise<Posted> {
  const { lpaId, payment } = request;
  const capital = (trx: Knex.Transaction) => openAccount(trx, { code: chart.lpaStrengtheningCapital.code, lpaId }, actor);
  return payFromPayable(db, request, actor, {
    code: 'payment-exceeds-strengthening',
    what: 'strengthening grants not yet paid into its pool',
    limit: async (trx, payable) => {
      const owed = fromNumeric((await grantedStrengtheningTotal(trx, lpaId)) ?? '0').minus(
        (await capital(trx)).account.normalBalance,
      );
      const payableLeft = fromNumeric(payable.normalBalance);
      return owed.lessThan(payableLeft) ? owed : payableLeft;
    },
    entry: async (trx, payable) => ({
      description: `LPA strengthening grants paid into its savings-and-loans pool, ${payment.reference}`,
      referenceType: 'lpa-strengthening-payment',
      postings: [
        { accountId: payable.id, amount: payment.amount },
        { accountId: await fundAccountId(trx, chart.cashAtBank.code), amount: payment.amount.negated() },
        { accountId: await poolCashAccountId(trx, lpaId, actor), amount: payment.amount },
        { accountId: (await capital(trx)).account.id, amount: payment.amount.negated() },
      ],
    }),
  });
}

type Payable = NonNullable<Awaited<ReturnType<typeof lockedPayable>>>;

// A payment out of an LPA's payable (2400), locked while it is checked
// against what the LPA is owed and booked; a retry under its key answers
// the first entry.
async function payFromPayable(
  db: Db,
  request: PayableRequest,
  actor: Actor,
  payment: {
    code: string;
    what: string;
    limit: (trx: Knex.Transaction, payable: Payable) => Promise<Amount>;
    entry: (
      trx: Knex.Transaction,
      payable: Payable,
    ) => Promise<{ description: string; referenceType: string; postings: EntryDraft['postings'] }>;
  },
): Promise<Posted> {
  const { lpaId, fieldPrefix } = request;
  const paid = request.payment;
  refuseFutureDates(request.today, { [`${fieldPrefix}paidOn`]: paid.paidOn });
  return withTransaction(db, async (trx) => {
    if (!(await lpaExists(trx, lpaId))) throw new NotFoundError('lpa', lpaId);
    const payable = await lockedPayable(trx, lpaId);
    if (payable === null)
      throw new UnprocessableError(payment.code, `Nothing has been booked as owed to this LPA; there is nothing to pay.`);
    const replay = (await findEntryByKey(trx, request.idempotencyKey)) !== null;
    const owed = await payment.limit(trx, payable);
    if (!replay && paid.amount.greaterThan(owed))
      throw new UnprocessableError(
        payment.code,
        `The LPA is owed ${formatRupiah(owed)} of ${payment.what}; a payment of ${formatRupiah(paid.amount)} is more than that.`,
      );
    const entry = await payment.entry(trx, payable);
    if (!replay)
      await recordAudit(trx, actor, {
        action: `lpa.${entry.referenceType}`,
        entityType: 'lpa',
        entityId: lpaId,
        detail: { amount: toAmountString(paid.amount), reference: paid.reference },
      });
    return postEntry(
      trx,
      {
        entryDate: paid.paidOn,
        description: entry.description,
        reference: { type: entry.referenceType, id: paid.reference },
        rule: null,
        idempotencyKey: request.idempotencyKey,
        postings: entry.postings,
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      fieldPrefix,
    );
  });
}

async function lockedPayable(trx: Knex.Transaction, lpaId: string) {
  const owner = { kind: 'lpa' as const, lpaId, participantId: null };
  const account = await findAccountByOwner(trx, chart.lpaHonorariumPayable.code, owner);
  if (account === null) return null;
  await lockLedgerAccounts(trx, [account.id]);
  return findAccountByOwner(trx, chart.lpaHonorariumPayable.code, owner);
}
