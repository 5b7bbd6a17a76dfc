import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { type Posted } from '../ledger/model.ts';
import { postEntry } from '../ledger/post.ts';
import { entryKeyTaken, findFundAccount, lockLedgerAccounts } from '../ledger/store.ts';
import { formatRupiah, fromNumeric } from '../money/index.ts';
import type { SubsidyReceipt } from './model.ts';

// Premium assistance received from the state budget: cash (1100) against
// subsidy receivable (1200). What is received never exceeds what the dues
// booked so far are owed: a larger transfer is refused naming what is owed
// (the ledger refuses it too: 1200 must not go negative), so a receipt with
// nothing owed behind it cannot leave a negative receivable. A retried key
// answers its first entry, whatever is owed now.
export async function recordSubsidyReceipt(
  db: Db,
  receipt: SubsidyReceipt,
  request: { idempotencyKey: string; fieldPrefix: string },
  actor: Actor,
): Promise<Posted> {
  return withTransaction(db, async (trx) => {
    const receivable = await findFundAccount(trx, chart.subsidyReceivable.code);
    if (!(await entryKeyTaken(trx, request.idempotencyKey))) {
      await lockLedgerAccounts(trx, [receivable.id]);
      const owed = fromNumeric((await findFundAccount(trx, chart.subsidyReceivable.code)).normalBalance);
      if (receipt.amount.greaterThan(owed))
        throw new UnprocessableError(
          'receipt-exceeds-receivable',
          `Premium assistance owed to the fund is ${formatRupiah(owed)}; a receipt of ${formatRupiah(receipt.amount)} is more than that.`,
        );
    }
    const forMonth = receipt.period === undefined ? '' : ` for ${receipt.period}`;
    return postEntry(
      trx,
      {
        entryDate: receipt.receivedOn,
        description: `Premium assistance received from the state budget${forMonth}, ${receipt.reference}`,
        reference: { type: 'subsidy-receipt', id: receipt.reference },
        rule: null,
        idempotencyKey: request.idempotencyKey,
        postings: [
          { accountId: (await findFundAccount(trx, chart.cashAtBank.code)).id, amount: receipt.amount },
          { accountId: receivable.id, amount: receipt.amount.negated() },
        ],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      request.fieldPrefix,
    );
  });
}
