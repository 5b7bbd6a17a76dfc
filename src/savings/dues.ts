import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { toAmountString } from '../money/index.ts';
import type { Bounds } from '../premiums/index.ts';
import type { RuleBook } from '../rules/load.ts';
import { mandatorySavings } from './mandatory.ts';
import type { SavingsDuesSummary } from './model.ts';
import {
  bookOwed,
  collectOwed,
  countMembersBehind,
  countMembersInCover,
  listOwedCombinations,
  markBehind,
  openMandatoryAccounts,
  type SavingsTariff,
  settleUnsettled,
  turnJitOff,
} from './store.ts';

// The mandatory savings (simpanan wajib) owed up to a month (YYYY-MM), run as
// often as wanted: every member owes a due for each month their cover was in
// force on at least one day, under the savings rules in force on the month's
// first day, whatever day the enrolment was entered or dated; each month not
// yet booked is booked now, dated to its own month, oldest first, in an
// account opened with the first due. Then every mandatory account is marked
// with how far behind it is: the months before this one whose dues, oldest
// first, its deposits do not cover. Dues are obligations, not money: only a
// deposit moves the ledger.
export async function bookSavingsDues(db: Db, book: RuleBook, period: string, actor: Actor): Promise<SavingsDuesSummary> {
  const month: Bounds = { periodStart: `${period}-01`, periodEnd: lastDayOfMonth(period) };
  return withTransaction(db, async (trx) => {
    await turnJitOff(trx);
    const membersInCover = await countMembersInCover(trx, month);
    await collectOwed(trx, month);
    const accountsOpened = await openMandatoryAccounts(trx, await tariffsOwed(trx, book), actor);
    const booked = await bookOwed(trx, month);
    await settleUnsettled(trx, month);
    await markBehind(trx, month);
    const result: SavingsDuesSummary = {
      period,
      membersInCover,
      ...booked,
      accountsOpened,
      membersBehind: await countMembersBehind(trx),
    };
    await recordAudit(trx, actor, {
      action: 'savings.dues.book',
      entityType: 'job',
      entityId: `savings-dues:${period}`,
      detail: { ...result },
    });
    return result;
  });
}

// One tariff per scheme, month owed and coverage year; the months whose
// rules ask for nothing (or have none in force) are settled as not owed.
async function tariffsOwed(trx: Knex.Transaction, book: RuleBook): Promise<SavingsTariff[]> {
  const combinations = await listOwedCombinations(trx);
  return combinations.flatMap((row) => {
    const due = mandatorySavings(book, { scheme: row.rule_scheme, date: row.period, coverageYear: row.coverage_year });
    return due === null
      ? []
      : [
          {
            scheme: row.rule_scheme,
            period: row.period,
            coverage_year: row.coverage_year,
            amount: toAmountString(due.monthlyAmount),
            version: due.version,
            hash: due.hash,
          },
        ];
  });
}
