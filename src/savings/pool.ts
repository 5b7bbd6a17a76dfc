import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { IdempotencyKeyReusedError, UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { openAccount } from '../ledger/accounts.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { type Posted } from '../ledger/model.ts';
import { postEntry } from '../ledger/post.ts';
import { findEntryByKey, lockLedgerAccounts } from '../ledger/store.ts';
import { amount, formatRupiah, fromNumeric, toAmountString } from '../money/index.ts';
import { refuseFutureDates } from '../dates.ts';
import { balanceOf } from './transactions.ts';
import { poolCashAccountId } from './accounts.ts';
import type { ClaimReserveInput, Pool } from './model.ts';
import { poolBalances } from './store.ts';

// The LPA's savings-and-loans pool from its books: cash, members' savings,
// loans out, claim reserve, strengthening capital, and what loans earned
// or lost, every line of the chart kept in the LPA's books.
export async function poolOf(db: Db, lpaId: string): Promise<Pool> {
  const lines = (await poolBalances(db, lpaId)).map((row) => {
    const debit = fromNumeric(row.balance);
    return {
      code: row.code,
      name: row.name,
      balance: toAmountString(row.type === 'asset' || row.type === 'expense' ? debit : debit.negated()),
    };
  });
  return { lpaId, lines, available: lines.find((line) => line.code === chart.lpaCash.code)?.balance ?? '0.00' };
}

// The LPA grows its claim reserve (cadangan klaim LPA, 3200), as the 2003
// pattern let it: out of what its loans earned, interest first, then
// penalties, never more than they earned; or with cash it brings in.
export async function growClaimReserve(
  db: Db,
  request: { lpaId: string; input: ClaimReserveInput; idempotencyKey: string; today: string; fieldPrefix: string },
  actor: Actor,
): Promise<Posted> {
  const { lpaId, input, fieldPrefix } = request;
  refuseFutureDates(request.today, { [`${fieldPrefix}date`]: input.date });
  return withTransaction(db, async (trx) => {
    const account = async (code: string) => (await openAccount(trx, { code, lpaId }, actor)).account;
    const reserve = await account(chart.lpaClaimReserve.code);
    // Which income accounts a move draws on depends on the balances when it
    // was made, so a retry is recognised by what was asked, not re-drafted.
    const earlier = await findEntryByKey(trx, request.idempotencyKey);
    if (earlier !== null) {
      const same =
        earlier.entry.reference.type === 'lpa-claim-reserve' &&
        earlier.entry.reference.id === input.reference &&
        earlier.entry.entryDate === input.date &&
        earlier.entry.postings.some(
          (line) => line.accountId === reserve.id && fromNumeric(line.amount).negated().equals(input.amount),
        );
      if (!same) throw new IdempotencyKeyReusedError(request.idempotencyKey, `entry ${earlier.entry.id}, with other content`);
      return { entry: earlier.entry, replayed: true };
    }
    let debits: EntryDraft['postings'];
    if (input.from === 'cash') debits = [{ accountId: await poolCashAccountId(trx, lpaId, actor), amount: input.amount }];
    else {
      const income = [await account(chart.loanInterestIncome.code), await account(chart.loanPenaltyIncome.code)];
      await lockLedgerAccounts(
        trx,
        income.map((line) => line.id),
      );
      const earned = await Promise.all(income.map(async (line) => ({ id: line.id, left: await balanceOf(trx, line.id) })));
      const total = earned.reduce((sum, line) => sum.plus(line.left), amount('0'));
      if (input.amount.greaterThan(total))
        throw new UnprocessableError(
          'reserve-exceeds-loan-income',
          `The pool's loans have earned ${formatRupiah(total)} not yet set aside; ${formatRupiah(input.amount)} is more than that.`,
        );
      let left = input.amount;
      debits = earned.flatMap((line) => {
        const part = left.lessThan(line.left) ? left : line.left;
        left = left.minus(part);
        return part.greaterThan(0) ? [{ accountId: line.id, amount: part }] : [];
      });
    }
    await recordAudit(trx, actor, {
      action: 'lpa.claim-reserve.grow',
      entityType: 'lpa',
      entityId: lpaId,
      detail: { amount: toAmountString(input.amount), from: input.from, reference: input.reference },
    });
    return postEntry(
      trx,
      {
        entryDate: input.date,
        description: `LPA claim reserve grown from ${input.from === 'cash' ? 'cash brought in' : 'loan income'}, ${input.reference}`,
        reference: { type: 'lpa-claim-reserve', id: input.reference },
        rule: null,
        idempotencyKey: request.idempotencyKey,
        postings: [...debits, { accountId: reserve.id, amount: input.amount.negated() }],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      fieldPrefix,
    );
  });
}
