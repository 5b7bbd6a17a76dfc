import { addDays } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { amount, sumAmounts } from '../money/index.ts';
import type { IndicatorFigures, Settlement } from './indicators.ts';
import { postedTotal, totalsByCode } from './store.ts';

// The figures the indicators are worked out from, for the whole fund over
// the days from..to: the books for money, the claims and the enrolments for
// counts and days.
export async function fundIndicatorFigures(db: Db, from: string, to: string): Promise<IndicatorFigures> {
  const opening = addDays(from, -1);
  const [atEnd, atOpening] = [await totalsByCode(db, from, to), await totalsByCode(db, opening, opening)];
  const balance = (totals: typeof atEnd, code: string) => totals.get(code)?.balance ?? amount('0');
  const moved = (code: string) => atEnd.get(code)?.period ?? amount('0');
  // Liabilities and income carry credit balances: read as positive amounts.
  const credit = (totals: typeof atEnd, code: string) => balance(totals, code).negated();
  const ofType = (type: 'asset' | 'liability') =>
    sumAmounts([...atEnd.values()].filter((line) => line.type === type).map((line) => line.balance));

  const claims = await claimCounts(db, from, to);
  return {
    earnedPremium: moved(chart.premiumIncome.code).negated(),
    claimsPaid: await postedTotal(db, { code: chart.claimsPayable.code, referenceType: 'claim', side: 'debit', from, to }),
    caseReserves: { opening: credit(atOpening, chart.claimsPayable.code), closing: credit(atEnd, chart.claimsPayable.code) },
    ibnr: { opening: credit(atOpening, chart.ibnrReserve.code), closing: credit(atEnd, chart.ibnrReserve.code) },
    honoraria: moved(chart.honorariumExpense.code),
    strengthening: moved(chart.strengtheningGrants.code),
    // The fund books no other operating cost yet; an account for them belongs here when it has one.
    otherOperatingCosts: amount('0'),
    claimsDecided: claims.decided,
    rejectionsByReason: claims.rejectionsByReason,
    settlements: await settlements(db, from, to),
    renewal: await renewals(db, from, to),
    members: { opening: await membersInCover(db, opening), closing: await membersInCover(db, to) },
    // Regencies do not declare a target population yet.
    targetPopulation: null,
    graduation: await graduation(db, from, to),
    balance: {
      assets: ofType('asset'),
      liabilities: ofType('liability').negated(),
      cash: balance(atEnd, chart.cashAtBank.code),
      dueWithinMonth: credit(atEnd, chart.claimsPayable.code).plus(credit(atEnd, chart.lpaHonorariumPayable.code)),
    },
  };
}

// A claim is decided when it is filed, or when its review ends for one referred.
const decidedOn = `coalesce(c.reviewed_at, c.submitted_at)::date`;

async function claimCounts(
  db: Db,
  from: string,
  to: string,
): Promise<{ decided: number; rejectionsByReason: Map<string, number> }> {
  const decided = await db.raw<{ rows: { decided: string }[] }>(
    `select count(*) as decided from claims c where c.status <> 'referred' and ${decidedOn} between ?::date and ?::date`,
    [from, to],
  );
  const reasons = await db.raw<{ rows: { reason: string; claims: string }[] }>(
    `select reason.value ->> 'reason' as reason, count(*) as claims
     from claims c cross join lateral jsonb_array_elements(c.reasons) reason
     where c.status = 'rejected' and ${decidedOn} between ?::date and ?::date
     group by 1 order by 2 desc, 1`,
    [from, to],
  );
  return {
    decided: Number(decided.rows[0]?.decided ?? '0'),
    rejectionsByReason: new Map(reasons.rows.map((row) => [row.reason, Number(row.claims)])),
  };
}

// The claims paid in the period, in days. A claim's documents are complete on
// the latest date among them, or on its report when it needs none.
async function settlements(db: Db, from: string, to: string): Promise<Settlement[]> {
  const result = await db.raw<{
    rows: { to_decision: number; to_payment: number; documents_to_payment: number; death_on_time: boolean | null }[];
  }>(
    `select ${decidedOn} - c.incident_date as to_decision,
       c.paid_on - c.incident_date as to_payment,
       c.paid_on - greatest(c.report_date, coalesce(
         (select max((document ->> 'date')::date) from jsonb_array_elements(c.details -> 'documents') document), c.report_date))
         as documents_to_payment,
       case when c.claim_type = 'death' and c.payment_due_on is not null then c.paid_on <= c.payment_due_on end as death_on_time
     from claims c
     where c.paid_on between ?::date and ?::date`,
    [from, to],
  );
  return result.rows.map((row) => ({
    incidentToDecision: Number(row.to_decision),
    incidentToPayment: Number(row.to_payment),
    documentsToPayment: Number(row.documents_to_payment),
    deathBenefitOnTime: row.death_on_time,
  }));
}

async function membersInCover(db: Db, day: string): Promise<number> {
  const result = await db.raw<{ rows: { members: string }[] }>(
    `select count(*) as members from enrolments e where e.enrolled_on <= ?::date
       and (e.status = 'active' or (e.status = 'lapsed' and e.lapsed_on > ?::date))`,
    [day, day],
  );
  return Number(result.rows[0]?.members ?? '0');
}

// Each coverage year that ended in the period, of a member in cover on its
// last day, and whether the member was still in cover the day after.
async function renewals(db: Db, from: string, to: string): Promise<{ due: number; renewed: number }> {
  const result = await db.raw<{ rows: { due: string; renewed: string }[] }>(
    `select count(*) as due,
       count(*) filter (where e.status = 'active' or e.lapsed_on > y.anniversary) as renewed
     from enrolments e
     cross join lateral (
       select (e.enrolled_on + make_interval(years => n))::date as anniversary
       from generate_series(1, greatest(0, extract(year from age(?::date + 1, e.enrolled_on))::int)) n
     ) y
     where y.anniversary between ?::date + 1 and ?::date + 1
       and e.status in ('active', 'lapsed')
       and (e.status = 'active' or e.lapsed_on >= y.anniversary)`,
    [to, from, to],
  );
  return { due: Number(result.rows[0]?.due ?? '0'), renewed: Number(result.rows[0]?.renewed ?? '0') };
}

// Members with a month in the period that premium assistance no longer
// carries, and of them those who paid every such month's own share.
async function graduation(db: Db, from: string, to: string): Promise<{ pastAssistance: number; selfPaying: number }> {
  const result = await db.raw<{ rows: { past: string; paying: string }[] }>(
    `select count(*) as past, count(*) filter (where paid) as paying
     from (
       select d.enrolment_id, bool_and(d.own_paid = d.own_share) as paid
       from premium_dues d
       where d.subsidy_share = 0 and d.period between date_trunc('month', ?::date) and ?::date
       group by d.enrolment_id
     ) members`,
    [from, to],
  );
  return { pastAssistance: Number(result.rows[0]?.past ?? '0'), selfPaying: Number(result.rows[0]?.paying ?? '0') };
}
