import type { Db } from '../db/knex.ts';
import { addDays, addMonths } from '../dates.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fromNumeric, ratioOf } from '../money/index.ts';
import type { lpaAccreditations } from '../rules/catalogue.ts';
import { listLpaFactRows } from './store.ts';

// What the lpa rules know of an LPA on a decision date, besides the coverage
// year of the members a decision is about: one query per fact for every LPA,
// so a month's decisions cost the same for 10 LPAs or 1,000.
export interface LpaFacts {
  readonly accreditation: (typeof lpaAccreditations)[number];
  readonly cardDeliveryRate: string | null;
  readonly claimsPaidLate: number;
  readonly progressReportDelayDays: number;
  readonly savingsParticipationRate: string | null;
}

export async function lpaFactsOn(db: Db, date: string): Promise<Map<string, LpaFacts>> {
  const dayBefore = addDays(date, -1);
  const reportMonth = addMonths(date, -2);
  const reportMonthEnd = lastDayOfMonth(reportMonth);
  const rows = await listLpaFactRows(db, { date, dayBefore, reportMonthStart: `${reportMonth}-01`, reportMonthEnd });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        accreditation: row.accreditation,
        cardDeliveryRate: ratioOf(fromNumeric(row.delivered ?? '0'), fromNumeric(row.members ?? '0')),
        claimsPaidLate: Number(row.late ?? 0),
        progressReportDelayDays: Number(row.delay),
        savingsParticipationRate: ratioOf(fromNumeric(row.saving_up_to_date ?? '0'), fromNumeric(row.owing_savings ?? '0')),
      },
    ]),
  );
}

export function factsOf(facts: ReadonlyMap<string, LpaFacts>, lpaId: string): LpaFacts {
  const found = facts.get(lpaId);
  if (found === undefined) throw new Error(`no facts gathered for LPA ${lpaId}`);
  return found;
}
