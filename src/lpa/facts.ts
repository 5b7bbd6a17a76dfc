import type { Db } from '../db/knex.ts';
import { addDays, addMonths } from '../dates.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fromNumeric, ratioOf } from '../money/index.ts';
import type { lpaAccreditations } from '../rules/catalogue.ts';

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
  const rows = await db.raw<{
    rows: {
      id: string;
      accreditation: LpaFacts['accreditation'];
      members: string | null;
      delivered: string | null;
      owing_savings: string | null;
      saving_up_to_date: string | null;
      late: string | null;
      delay: number;
    }[];
  }>(
    `with members as (
       select e.lpa_id, count(distinct e.participant_id) as members,
         count(distinct e.participant_id) filter (where p.card_delivered_on <= ?::date) as delivered,
         count(distinct e.participant_id) filter (where s.id is not null) as owing_savings,
         count(distinct e.participant_id) filter (where s.months_behind = 0) as saving_up_to_date
       from enrolments e join participants p on p.id = e.participant_id
       left join savings_accounts s on s.participant_id = e.participant_id and s.kind = 'mandatory'
       where e.status in ('active', 'lapsed') and e.enrolled_on <= ?::date and (e.lapsed_on is null or e.lapsed_on > ?::date)
       group by e.lpa_id
     ), late as (
       select lpa_id, count(*) as late from claims
       where status <> 'rejected' and payment_due_on >= (?::date - interval '1 year')::date and payment_due_on < ?::date
         and (paid_on is null or paid_on > payment_due_on)
       group by lpa_id
     )
     select l.id, case when l.accredited_on <= ?::date then l.accreditation else 'none' end as accreditation,
       m.members, m.delivered, m.owing_savings, m.saving_up_to_date, late.late,
       least(coalesce(r.submitted_on, ?::date), ?::date) - ?::date as delay
     from lpas l
     left join members m on m.lpa_id = l.id
     left join late on late.lpa_id = l.id
     left join lpa_progress_reports r on r.lpa_id = l.id and r.period = ?::date`,
    [dayBefore, dayBefore, dayBefore, date, date, date, date, date, reportMonthEnd, `${reportMonth}-01`],
  );
  return new Map(
    rows.rows.map((row) => [
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
