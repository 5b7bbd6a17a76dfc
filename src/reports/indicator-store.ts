import { addDays } from '../dates.ts';
import { monthOfCoverOnSql } from '../registry/index.ts';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { type Amount, amount, fromNumeric, sumAmounts } from '../money/index.ts';
import type { ReportScope } from '../shared/table.ts';
import {
  cellKey,
  cellOfKey,
  type CellSettlement,
  type FundBooks,
  type IndicatorCell,
  type LpaPlace,
  shareEarnedPremium,
} from './indicator-groups.ts';
import { postedTotal, totalsByCode } from './store.ts';
import { earnedPremiumByWindow } from '../reserves/index.ts';

// What the indicators are worked out from over the days from..to: the
// books for money, the claims and the enrolments for counts and days, each
// summed by LPA and scheme in one query over the whole fund (a cell per LPA
// and scheme), whatever grouping is asked for.
export interface IndicatorSources {
  readonly cells: IndicatorCell[];
  readonly settlements: CellSettlement[];
  // The LPAs the reader may see, with where they are.
  readonly places: Map<string, LpaPlace>;
  // Each regency's target population as declared by the period's end, within the reader's scope.
  readonly targets: Map<string, number>;
  // The whole fund's books: for the national roles only.
  readonly fund: FundBooks | null;
}

// Each period's sources, in the order given. The dues are read once for all
// the periods (a month and its year to date share nearly all their months).
export async function indicatorSources<P extends { readonly from: string; readonly to: string }>(
  db: Db,
  periods: readonly P[],
  scope: ReportScope,
): Promise<(IndicatorSources & { readonly period: P })[]> {
  const national = scope.regencyCode === undefined && scope.lpaId === undefined;
  const places = await lpaPlaces(db, scope);
  const earnedByPeriod = await earnedByCell(db, periods);
  const sources = [];
  for (const [index, period] of periods.entries()) {
    const { from, to } = period;
    const opening = addDays(from, -1);
    const books = await fundBooks(db, from, to);
    const earned = shareEarnedPremium(books.earnedPremium, earnedByPeriod[index] ?? []);
    const claimsMoney = await claimMoneyByCell(db, from, to, opening);
    const ibnr = await ibnrByCell(db, opening, to);
    const expenses = await lpaExpensesByCell(db, from, to);
    const decided = await claimsDecidedByCell(db, from, to);
    const members = await membersByCell(db, opening, to);
    const renewals = await renewalsByCell(db, from, to);
    const graduation = await graduationByCell(db, from, to);
    const keys = new Set([
      ...earned.keys(),
      ...claimsMoney.keys(),
      ...ibnr.keys(),
      ...expenses.keys(),
      ...decided.keys(),
      ...members.keys(),
      ...renewals.keys(),
      ...graduation.keys(),
    ]);
    const zero = amount('0');
    const cells = [...keys].map((key): IndicatorCell => {
      const { lpaId, scheme } = cellOfKey(key);
      const money = claimsMoney.get(key);
      const spent = expenses.get(key);
      const judged = decided.get(key);
      return {
        lpaId,
        scheme,
        earnedPremium: earned.get(key) ?? zero,
        claimsPaid: money?.paid ?? zero,
        caseReserves: money?.caseReserves ?? { opening: zero, closing: zero },
        ibnr: ibnr.get(key) ?? { opening: zero, closing: zero },
        honoraria: spent?.honoraria ?? zero,
        strengthening: spent?.strengthening ?? zero,
        claimsDecided: judged?.decided ?? 0,
        rejectionsByReason: judged?.rejections ?? new Map(),
        renewal: renewals.get(key) ?? { due: 0, renewed: 0 },
        members: members.get(key) ?? { opening: 0, closing: 0 },
        graduation: graduation.get(key) ?? { pastAssistance: 0, selfPaying: 0 },
      };
    });
    sources.push({
      period,
      cells,
      settlements: await settlements(db, from, to),
      places,
      targets: scope.lpaId === undefined ? await targetPopulations(db, to, scope) : new Map(),
      fund: national ? books : null,
    });
  }
  return sources;
}

// The whole fund's money from its books: premium income earned in the
// period, debits to claims payable from claim payments, claims payable and
// IBNR the day before the period and on its last day, honorarium and
// strengthening expense, and the balance sheet at the end.
async function fundBooks(db: Db, from: string, to: string): Promise<FundBooks> {
  const opening = addDays(from, -1);
  const [atEnd, atOpening] = [await totalsByCode(db, from, to), await totalsByCode(db, opening, opening)];
  const balance = (totals: typeof atEnd, code: string) => totals.get(code)?.balance ?? amount('0');
  const moved = (code: string) => atEnd.get(code)?.period ?? amount('0');
  // Liabilities and income carry credit balances: read as positive amounts.
  const credit = (totals: typeof atEnd, code: string) => balance(totals, code).negated();
  const ofType = (type: 'asset' | 'liability') =>
    sumAmounts([...atEnd.values()].filter((line) => line.type === type).map((line) => line.balance));
  return {
    earnedPremium: moved(chart.premiumIncome.code).negated(),
    claimsPaid: await postedTotal(db, { code: chart.claimsPayable.code, referenceType: 'claim', side: 'debit', from, to }),
    caseReserves: { opening: credit(atOpening, chart.claimsPayable.code), closing: credit(atEnd, chart.claimsPayable.code) },
    ibnr: { opening: credit(atOpening, chart.ibnrReserve.code), closing: credit(atEnd, chart.ibnrReserve.code) },
    honoraria: moved(chart.honorariumExpense.code),
    strengthening: moved(chart.strengtheningGrants.code),
    // The fund books no other operating cost yet; an account for them belongs here when it has one.
    otherOperatingCosts: amount('0'),
    balance: {
      assets: ofType('asset'),
      liabilities: ofType('liability').negated(),
      cash: balance(atEnd, chart.cashAtBank.code),
      dueWithinMonth: credit(atEnd, chart.claimsPayable.code).plus(credit(atEnd, chart.lpaHonorariumPayable.code)),
    },
  };
}

type ByCell<T> = Map<string, T>;

function byCell<R extends { lpa_id: string; scheme: string }, T>(rows: readonly R[], value: (row: R) => T): ByCell<T> {
  return new Map(rows.map((row) => [cellKey(row.lpa_id, row.scheme), value(row)]));
}

// What each LPA's dues of each scheme earned over each period's months: the
// weights the fund's premium income is shared by.
async function earnedByCell(
  db: Db,
  periods: readonly { readonly from: string; readonly to: string }[],
): Promise<{ lpaId: string; scheme: string; earned: Amount }[][]> {
  const windows = periods.map((period) => ({ from: period.from.slice(0, 7), to: period.to.slice(0, 7) }));
  return (await earnedPremiumByWindow(db, windows)).map((bySchemes) =>
    [...bySchemes].flatMap(([scheme, byLpa]) => [...byLpa].map(([lpaId, earned]) => ({ lpaId, scheme, earned }))),
  );
}

// From the claims' own entries in claims payable: what was paid out of it
// in the period, and what each LPA's claims of each scheme left payable
// the day before the period and on its last day (the case reserves).
async function claimMoneyByCell(
  db: Db,
  from: string,
  to: string,
  opening: string,
): Promise<ByCell<{ paid: Amount; caseReserves: { opening: Amount; closing: Amount } }>> {
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; paid: string; opening: string; closing: string }[] }>(
    `select c.lpa_id, c.rule_scheme as scheme,
       coalesce(sum(p.amount) filter (where p.entry_date >= ?::date and p.amount > 0), 0) as paid,
       coalesce(-sum(p.amount) filter (where p.entry_date <= ?::date), 0) as opening,
       -sum(p.amount) as closing
     from journal_postings p
     join ledger_accounts a on a.id = p.account_id and a.code = ? and a.owner_kind = 'fund'
     join journal_entries e on e.id = p.entry_id and e.reference_type = 'claim'
     join claims c on c.id::text = e.reference_id
     where p.entry_date <= ?::date
     group by 1, 2`,
    [from, opening, chart.claimsPayable.code, to],
  );
  return byCell(result.rows, (row) => ({
    paid: fromNumeric(row.paid),
    caseReserves: { opening: fromNumeric(row.opening), closing: fromNumeric(row.closing) },
  }));
}

// Each LPA's part of its schemes' IBNR held on a day: the latest month-end
// estimate made by then, shared across LPAs by the premium they earned.
async function ibnrByCell(db: Db, opening: string, closing: string): Promise<ByCell<{ opening: Amount; closing: Amount }>> {
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; opening: string; closing: string }[] }>(
    `select a.lpa_id, a.rule_scheme as scheme,
       coalesce(sum(a.ibnr) filter (where k.side = 'opening'), 0) as opening,
       coalesce(sum(a.ibnr) filter (where k.side = 'closing'), 0) as closing
     from (values ('opening', ?::date), ('closing', ?::date)) k (side, day)
     cross join lateral (
       select distinct on (rule_scheme) rule_scheme, period from ibnr_estimates
       where (period + interval '1 month' - interval '1 day')::date <= k.day
       order by rule_scheme, period desc
     ) latest
     join ibnr_allocations a on a.rule_scheme = latest.rule_scheme and a.period = latest.period
     group by 1, 2`,
    [opening, closing],
  );
  return byCell(result.rows, (row) => ({ opening: fromNumeric(row.opening), closing: fromNumeric(row.closing) }));
}

// The honoraria and strengthening grants booked in the period, from what
// their entries owe each LPA in its payable account, by the scheme whose
// rules set them.
async function lpaExpensesByCell(
  db: Db,
  from: string,
  to: string,
): Promise<ByCell<{ honoraria: Amount; strengthening: Amount }>> {
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; honoraria: string; strengthening: string }[] }>(
    `select a.lpa_id, coalesce(e.rule_scheme, '') as scheme,
       coalesce(-sum(p.amount) filter (where e.reference_type = 'lpa-honorarium'), 0) as honoraria,
       coalesce(-sum(p.amount) filter (where e.reference_type = 'lpa-strengthening'), 0) as strengthening
     from journal_postings p
     join ledger_accounts a on a.id = p.account_id and a.code = ? and a.owner_kind = 'lpa'
     join journal_entries e on e.id = p.entry_id and e.reference_type in ('lpa-honorarium', 'lpa-strengthening')
     where p.entry_date between ?::date and ?::date
     group by 1, 2`,
    [chart.lpaHonorariumPayable.code, from, to],
  );
  return byCell(result.rows, (row) => ({ honoraria: fromNumeric(row.honoraria), strengthening: fromNumeric(row.strengthening) }));
}

// A claim is decided when it is filed, or when its review ends for one referred.
const decidedOn = `coalesce(c.reviewed_at, c.submitted_at)::date`;

async function claimsDecidedByCell(
  db: Db,
  from: string,
  to: string,
): Promise<ByCell<{ decided: number; rejections: Map<string, number> }>> {
  const decided = await db.raw<{ rows: { lpa_id: string; scheme: string; decided: string }[] }>(
    `select c.lpa_id, c.rule_scheme as scheme, count(*) as decided from claims c
     where c.status <> 'referred' and ${decidedOn} between ?::date and ?::date
     group by 1, 2`,
    [from, to],
  );
  const reasons = await db.raw<{ rows: { lpa_id: string; scheme: string; reason: string; claims: string }[] }>(
    `select c.lpa_id, c.rule_scheme as scheme, reason.value ->> 'reason' as reason, count(*) as claims
     from claims c cross join lateral jsonb_array_elements(c.reasons) reason
     where c.status = 'rejected' and ${decidedOn} between ?::date and ?::date
     group by 1, 2, 3`,
    [from, to],
  );
  const cells = byCell(decided.rows, (row) => ({ decided: Number(row.decided), rejections: new Map<string, number>() }));
  for (const row of reasons.rows) cells.get(cellKey(row.lpa_id, row.scheme))?.rejections.set(row.reason, Number(row.claims));
  return cells;
}

// The claims paid in the period, in days. A claim's documents are complete on
// the latest date among them, or on its report when it needs none.
async function settlements(db: Db, from: string, to: string): Promise<CellSettlement[]> {
  const result = await db.raw<{
    rows: {
      lpa_id: string;
      scheme: string;
      to_decision: number;
      to_payment: number;
      documents_to_payment: number;
      death_on_time: boolean | null;
    }[];
  }>(
    `select c.lpa_id, c.rule_scheme as scheme, ${decidedOn} - c.incident_date as to_decision,
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
    lpaId: row.lpa_id,
    scheme: row.scheme,
    incidentToDecision: Number(row.to_decision),
    incidentToPayment: Number(row.to_payment),
    documentsToPayment: Number(row.documents_to_payment),
    deathBenefitOnTime: row.death_on_time,
  }));
}

// A member is in cover on a day when enrolled by it and active, or lapsed after it.
async function membersByCell(db: Db, opening: string, closing: string): Promise<ByCell<{ opening: number; closing: number }>> {
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; opening: string; closing: string }[] }>(
    `select e.lpa_id, e.rule_scheme as scheme,
       count(*) filter (where e.enrolled_on <= ?::date and (e.status = 'active' or e.lapsed_on > ?::date)) as opening,
       count(*) filter (where e.enrolled_on <= ?::date and (e.status = 'active' or e.lapsed_on > ?::date)) as closing
     from enrolments e
     where e.status in ('active', 'lapsed') and e.enrolled_on <= ?::date
     group by 1, 2`,
    [opening, opening, closing, closing, closing],
  );
  return byCell(result.rows, (row) => ({ opening: Number(row.opening), closing: Number(row.closing) }));
}

// Each coverage year that ended in the period, of a member in cover on its
// last day, and whether the member was still in cover the day after.
// Counted, not listed: the years an enrolment has completed by a day are
// its month of cover then, in twelves, so the years ending in the period
// are those completed by the day after it and not by its first day; a
// lapsed member's count only those completed by the lapse (due) and before
// it (renewed).
async function renewalsByCell(db: Db, from: string, to: string): Promise<ByCell<{ due: number; renewed: number }>> {
  const completedBy = (enrolledOn: string, day: string) => `((${monthOfCoverOnSql(enrolledOn, day)} - 1) / 12)`;
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; due: string; renewed: string }[] }>(
    // The years that end in the period are worked out once for each day
    // members enrolled on, not once for each member; only a lapse is the
    // member's own.
    `with d as (select ?::date as first_day, ?::date + 1 as after_last),
     starts as materialized (
       select s.enrolled_on, greatest(1, ${completedBy('s.enrolled_on', 'd.first_day')} + 1) as first,
         ${completedBy('s.enrolled_on', 'd.after_last')} as last
       from (select distinct e.enrolled_on from enrolments e cross join d
             where e.status in ('active', 'lapsed') and e.enrolled_on < d.after_last) s cross join d
     )
     select lpa_id, scheme, sum(greatest(0, least(last, lapse_last) - first + 1)) as due,
       sum(greatest(0, least(last, renew_last) - first + 1)) as renewed
     from (
       select e.lpa_id, e.rule_scheme as scheme, s.first, s.last,
         case when e.status = 'active' then s.last else ${completedBy('e.enrolled_on', 'e.lapsed_on')} end as lapse_last,
         case when e.status = 'active' then s.last else ${completedBy('e.enrolled_on', '(e.lapsed_on - 1)')} end as renew_last
       from enrolments e join starts s on s.enrolled_on = e.enrolled_on
       where e.status in ('active', 'lapsed') and s.first <= s.last
     ) years
     group by 1, 2
     having sum(greatest(0, least(last, lapse_last) - first + 1)) > 0`,
    [from, to],
  );
  return byCell(result.rows, (row) => ({ due: Number(row.due), renewed: Number(row.renewed) }));
}

// Members with a month in the period that premium assistance no longer
// carries, and of them those who paid every such month's own share.
async function graduationByCell(
  db: Db,
  from: string,
  to: string,
): Promise<ByCell<{ pastAssistance: number; selfPaying: number }>> {
  const result = await db.raw<{ rows: { lpa_id: string; scheme: string; past: string; paying: string }[] }>(
    `select lpa_id, scheme, count(*) as past, count(*) filter (where paid) as paying
     from (
       select d.enrolment_id, d.lpa_id, d.rule_scheme as scheme, bool_and(d.own_paid = d.own_share) as paid
       from premium_dues d
       where d.subsidy_share = 0 and d.period between date_trunc('month', ?::date) and ?::date
       group by d.enrolment_id, d.lpa_id, d.rule_scheme
     ) members
     group by 1, 2`,
    [from, to],
  );
  return byCell(result.rows, (row) => ({ pastAssistance: Number(row.past), selfPaying: Number(row.paying) }));
}

// The LPAs ever approved that the reader may see, with their regency and province.
async function lpaPlaces(db: Db, scope: ReportScope): Promise<Map<string, LpaPlace>> {
  const result = await db.raw<{
    rows: { id: string; name: string; regency_code: string; regency: string; province_code: string; province: string }[];
  }>(
    `select l.id, l.name, l.regency_code, g.name as regency, g.province_code, v.name as province
     from lpas l join regencies g on g.code = l.regency_code join provinces v on v.code = g.province_code
     where l.status <> 'proposed' and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)`,
    [scope.regencyCode ?? null, scope.regencyCode ?? null, scope.lpaId ?? null, scope.lpaId ?? null],
  );
  return new Map(
    result.rows.map((row) => [
      row.id,
      {
        lpaName: row.name,
        regencyCode: row.regency_code,
        regencyName: row.regency,
        provinceCode: row.province_code,
        provinceName: row.province,
      },
    ]),
  );
}

// Each regency's latest target population declared as of a day.
async function targetPopulations(db: Db, asOf: string, scope: ReportScope): Promise<Map<string, number>> {
  const result = await db.raw<{ rows: { regency_code: string; target_population: number }[] }>(
    `select distinct on (regency_code) regency_code, target_population from regency_target_populations
     where as_of <= ?::date and (?::text is null or regency_code = ?::text)
     order by regency_code, as_of desc`,
    [asOf, scope.regencyCode ?? null, scope.regencyCode ?? null],
  );
  return new Map(result.rows.map((row) => [row.regency_code, Number(row.target_population)]));
}
