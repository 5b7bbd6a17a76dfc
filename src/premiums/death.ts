import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import { addMonths } from '../dates.ts';
import { chart } from '../ledger/chart.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { findFundAccount, firstOpenDay, fundAccountId, lockLedgerAccounts } from '../ledger/store.ts';
import { allocate, amount, type Amount, fromNumeric, toAmountString } from '../money/index.ts';
import { versionNamed } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { recordAudit } from '../audit/store.ts';
import { deleteUnpaidDuesFrom, monthsEarnedFrom } from './store.ts';

// A death ends cover from the day of death, so the months after the month
// of death owe nothing. A death learnt late finds those months already
// booked: when its benefit is granted, their dues are cancelled and the
// entry that booked them is undone: receivables credited (premium
// assistance the state has already paid becomes premium assistance to
// return, 2600), premium taken back from income for the parts already
// earned and from unearned premium for the rest. A due of which the
// participant has paid anything is kept: what was collected is for the LPA
// and the heirs to settle, and the report shows it.
export async function cancelDuesAfterDeath(
  trx: Knex.Transaction,
  book: RuleBook,
  death: { participantId: string; diedOn: string; claimId: string; today: string },
  actor: Actor,
): Promise<EntryDraft | null> {
  const firstMonthAfter = `${addMonths(death.diedOn, 1)}-01`;
  const cancelled = await deleteUnpaidDuesFrom(trx, death.participantId, firstMonthAfter);
  if (cancelled.length === 0) return null;
  const earnedMonths = await monthsEarnedFrom(trx, firstMonthAfter.slice(0, 7));
  let subsidy = amount('0');
  let own = amount('0');
  let earned = amount('0');
  for (const due of cancelled) {
    subsidy = subsidy.plus(fromNumeric(due.subsidy_share));
    own = own.plus(fromNumeric(due.own_share));
    const { decimalPlaces } = versionNamed(book, due.rule_scheme, due.rule_version).manifest.rounding;
    const parts = allocate(
      fromNumeric(due.premium),
      Array.from({ length: due.earn_months }, () => amount('1')),
      decimalPlaces,
    );
    parts.forEach((part, index) => {
      if (earnedMonths.has(addMonths(due.period, index))) earned = earned.plus(part);
    });
  }
  const premium = subsidy.plus(own);
  // Locked as a subsidy receipt locks it: what it holds is read once, then credited.
  const receivable = await findFundAccount(trx, chart.subsidyReceivable.code);
  await lockLedgerAccounts(trx, [receivable.id]);
  const owed = fromNumeric((await findFundAccount(trx, chart.subsidyReceivable.code)).normalBalance);
  const fromReceivable: Amount = subsidy.lessThan(owed) ? subsidy : owed;
  await recordAudit(trx, actor, {
    action: 'premium.dues.cancel-after-death',
    entityType: 'participant',
    entityId: death.participantId,
    detail: {
      claimId: death.claimId,
      diedOn: death.diedOn,
      months: cancelled.map((due) => due.period.slice(0, 7)),
      premium: toAmountString(premium),
    },
  });
  return {
    entryDate: await firstOpenDay(trx, death.today),
    description: `Premium dues after the death on ${death.diedOn} cancelled (${cancelled.length} month(s)), claim ${death.claimId}`,
    reference: { type: 'premium-dues-cancelled', id: death.claimId },
    rule: null,
    idempotencyKey: `claim:${death.claimId}:dues-cancelled`,
    postings: [
      { accountId: await fundAccountId(trx, chart.premiumIncome.code), amount: earned },
      { accountId: await fundAccountId(trx, chart.unearnedPremiumReserve.code), amount: premium.minus(earned) },
      { accountId: receivable.id, amount: fromReceivable.negated() },
      {
        accountId: await fundAccountId(trx, chart.premiumAssistanceToReturn.code),
        amount: subsidy.minus(fromReceivable).negated(),
      },
      { accountId: await fundAccountId(trx, chart.contributionsReceivable.code), amount: own.negated() },
    ].filter((posting) => !posting.amount.isZero()),
  };
}
