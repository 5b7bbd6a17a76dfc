import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { KeptMethods } from '../reserves/index.ts';
import type { IbnrMethod } from '../rules/model.ts';
import type { AccountType } from '../ledger/model.ts';
import { chart } from '../ledger/chart.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { type Amount, fromNumeric } from '../money/index.ts';
import type { ReportRow, ReportScope, ReportTable } from '../shared/table.ts';
import type { ReportRun, StoredReportKind } from './model.ts';

// All the SQL of the reports: each report reads here what it lays out.

type Runner = Db | Knex.Transaction;

// ---------------------------------------------------------------- from the ledger

// What the reports read of the fund's books; the ledger itself never needs it.

// Each chart code's postings (sub-accounts rolled up), debits minus credits:
// all dated up to the end of `to`, and those dated from `from` on. What the
// finance reports read: a balance sheet and a period's movements in one pass.
// The fund's books only: the LPAs' savings-and-loans pools are not its money.
export interface CodeTotals {
  readonly code: string;
  readonly name: string;
  readonly type: AccountType;
  readonly balance: Amount;
  readonly period: Amount;
}

export async function totalsByCode(db: Runner, from: string, to: string): Promise<Map<string, CodeTotals>> {
  const result = await db.raw<{ rows: { code: string; name: string; type: AccountType; balance: string; period: string }[] }>(
    `select c.code, c.name, c.type, coalesce(sum(p.amount), 0) as balance,
       coalesce(sum(p.amount) filter (where p.entry_date >= ?::date), 0) as period
     from ledger_chart c
     left join ledger_accounts a on a.code = c.code
     left join journal_postings p on p.account_id = a.id and p.entry_date <= ?::date
     where c.books = 'fund'
     group by c.code, c.name, c.type order by c.code`,
    [from, to],
  );
  return new Map(
    result.rows.map((row) => [row.code, { ...row, balance: fromNumeric(row.balance), period: fromNumeric(row.period) }]),
  );
}

// What the entries of each reference of a kind left on accounts with a code
// by a day (debits minus credits), as a query to join on: columns
// reference_id, balance. Claim by claim, what is still payable.
export function referenceBalances(db: Runner, request: { code: string; referenceType: string; asOf: string }): Knex.QueryBuilder {
  return db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('ledger_accounts as a', 'a.id', 'p.account_id')
    .where({ 'a.code': request.code, 'e.reference_type': request.referenceType })
    .where('p.entry_date', '<=', request.asOf)
    .groupBy('e.reference_id')
    .select('e.reference_id', db.raw('sum(p.amount) as balance'));
}

// The debits (or credits, as a positive amount) entries of a kind posted to
// accounts with a code between two days: claims paid out of claims payable.
export async function postedTotal(
  db: Runner,
  request: { code: string; referenceType: string; side: 'debit' | 'credit'; from: string; to: string },
): Promise<Amount> {
  const row = await db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('ledger_accounts as a', 'a.id', 'p.account_id')
    .where({ 'a.code': request.code, 'e.reference_type': request.referenceType })
    .whereBetween('p.entry_date', [request.from, request.to])
    .where('p.amount', request.side === 'debit' ? '>' : '<', 0)
    .first<{ total: string | null } | undefined>(db.raw('abs(sum(p.amount)) as total'));
  return fromNumeric(row?.total ?? '0');
}

// Each LPA's account with a code: what entries of a kind moved on it between
// two days, and its balance at the end of the last (debits minus credits),
// as a query to join on: columns lpa_id, moved, balance.
export function lpaAccountTotals(
  db: Runner,
  request: { code: string; movedBy: string; from: string; to: string },
): Knex.QueryBuilder {
  return db('ledger_accounts as a')
    .join('journal_postings as p', 'p.account_id', 'a.id')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .where({ 'a.code': request.code, 'a.owner_kind': 'lpa' })
    .where('p.entry_date', '<=', request.to)
    .groupBy('a.lpa_id')
    .select(
      'a.lpa_id',
      db.raw('coalesce(sum(p.amount) filter (where e.reference_type = ? and p.entry_date >= ?::date), 0) as moved', [
        request.movedBy,
        request.from,
      ]),
      db.raw('sum(p.amount) as balance'),
    );
}

// The first and last sequence of the entries a report rests on: those of
// some reference kinds (and one reference), or all dated on or before a day.
export async function entrySequenceRange(
  db: Runner,
  filter: { referenceTypes?: readonly string[]; referenceId?: string; dateTo?: string },
): Promise<{ first: string; last: string } | null> {
  const row = await db('journal_entries')
    .modify((query) => {
      if (filter.referenceTypes !== undefined) query.whereIn('reference_type', [...filter.referenceTypes]);
      if (filter.referenceId !== undefined) query.where('reference_id', filter.referenceId);
      if (filter.dateTo !== undefined) query.where('entry_date', '<=', filter.dateTo);
    })
    .first<{ first: string | null; last: string | null } | undefined>(
      db.raw('min(sequence) as first'),
      db.raw('max(sequence) as last'),
    );
  return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
}

// ---------------------------------------------------------------- kept runs

export async function listReportRuns(db: Db, filter: { kind?: StoredReportKind; limit: number }): Promise<ReportRun[]> {
  const rows = await db('report_runs')
    .modify((query) => {
      if (filter.kind !== undefined) query.where({ kind: filter.kind });
    })
    .orderBy([
      { column: 'produced_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(filter.limit)
    .select<RunRow[]>(runColumns);
  return rows.map(toRun);
}

export async function storedReport(db: Db, id: string): Promise<{ run: ReportRun; table: ReportTable } | null> {
  const row = await db('report_runs')
    .where({ id })
    .first<(RunRow & { report: ReportTable }) | undefined>(...runColumns, 'report');
  return row === undefined ? null : { run: toRun(row), table: row.report };
}

interface RunRow {
  id: string;
  kind: StoredReportKind;
  parameters: Record<string, string>;
  title: string;
  produced_by: string;
  produced_at: Date;
}

const runColumns = ['id', 'kind', 'parameters', 'title', 'produced_by', 'produced_at'] as const;

function toRun(row: RunRow): ReportRun {
  return {
    id: row.id,
    kind: row.kind,
    parameters: row.parameters,
    title: row.title,
    producedBy: row.produced_by,
    producedAt: row.produced_at.toISOString(),
  };
}

// The run of a report already kept for these parameters.
export async function findReportRun(
  db: Db,
  kind: StoredReportKind,
  parameters: Record<string, string>,
): Promise<ReportRun | null> {
  const row = await db('report_runs')
    .where({ kind })
    .whereRaw('parameters = ?::jsonb', [JSON.stringify(parameters)])
    .first<RunRow | undefined>(runColumns);
  return row === undefined ? null : toRun(row);
}

// The rows of a kept run whose code is the one given, picked out by the
// database: a run by LPA holds a row for every LPA, and a page wants one.
export async function findReportRunRows(
  db: Db,
  kind: StoredReportKind,
  parameters: Record<string, string>,
  code: string,
): Promise<{ run: ReportRun; rows: ReportRow[] } | null> {
  const row = await db('report_runs')
    .where({ kind })
    .whereRaw('parameters = ?::jsonb', [JSON.stringify(parameters)])
    .first<(RunRow & { rows: ReportRow[] }) | undefined>(
      ...runColumns,
      db.raw(
        `(select coalesce(jsonb_agg(kept.item order by kept.position), '[]'::jsonb)
            from jsonb_array_elements(report -> 'rows') with ordinality as kept(item, position)
           where kept.item ->> 'code' = ?) as rows`,
        [code],
      ),
    );
  return row === undefined ? null : { run: toRun(row), rows: row.rows };
}

// Keeps a report produced; null when another process kept the same run
// first (the unique kind and parameters say so).
export async function insertReportRun(
  db: Db,
  run: { kind: StoredReportKind; parameters: Record<string, string>; table: ReportTable; producedBy: string },
): Promise<ReportRun | null> {
  const [row] = await db('report_runs')
    .insert({
      kind: run.kind,
      parameters: JSON.stringify(run.parameters),
      title: run.table.title,
      report: JSON.stringify(run.table),
      produced_by: run.producedBy,
    })
    .onConflict(['kind', 'parameters'])
    .ignore()
    .returning<RunRow[]>(runColumns);
  return row === undefined ? null : toRun(row);
}

// ---------------------------------------------------------------- own share in arrears

export interface ArrearsRow {
  readonly lpa: string;
  readonly participant_id: string;
  readonly name: string;
  readonly card_number: string | null;
  readonly phone: string | null;
  readonly scheme: string;
  readonly status: string;
  readonly arrears_since: string;
  readonly months_unpaid: string;
  readonly arrears: string;
  readonly reminded_on: string | null;
}

// Every enrolment with at least monthsAtLeast months of own share booked
// and unpaid, with its participant, cover and last reminder.
export async function ownShareArrears(db: Db, monthsAtLeast: number, scope: ReportScope): Promise<ArrearsRow[]> {
  const rows = await db.raw<{
    rows: ArrearsRow[];
  }>(
    `with behind as (
       select d.enrolment_id, min(d.period) as arrears_since, count(*) as months_unpaid, sum(d.own_share - d.own_paid) as arrears
       from premium_dues d
       where d.own_paid < d.own_share and (?::uuid is null or d.lpa_id = ?::uuid)
       group by d.enrolment_id having count(*) >= ?
     )
     select l.name as lpa, p.id as participant_id, p.name, p.card_number, p.phone, e.rule_scheme as scheme,
       case when exists (select 1 from claims c where c.participant_id = p.id and c.claim_type = 'death'
                          and c.status in ('approved', 'paid')) then 'died'
         when e.status = 'active' then 'in cover' else 'cover ended' end as status,
       to_char(b.arrears_since, 'YYYY-MM') as arrears_since, b.months_unpaid, b.arrears::text as arrears,
       (select to_char(max(n.decided_on), 'YYYY-MM-DD') from notices n
         where n.participant_id = p.id and n.kind = 'arrears-reminder') as reminded_on
     from behind b
     join enrolments e on e.id = b.enrolment_id
     join participants p on p.id = e.participant_id
     join lpas l on l.id = e.lpa_id
     where (?::text is null or l.regency_code = ?::text)
     order by l.name, b.months_unpaid desc, b.arrears_since, p.name, p.id`,
    [scope.lpaId ?? null, scope.lpaId ?? null, monthsAtLeast, scope.regencyCode ?? null, scope.regencyCode ?? null],
  );
  return rows.rows;
}

// ---------------------------------------------------------------- honorarium

export interface HonorariumRow {
  readonly lpa_id: string;
  readonly lpa: string;
  readonly regency_code: string;
  readonly rates: string;
  readonly participants: string;
  readonly subsidy: string;
  readonly honorarium: string;
  readonly paid: string | null;
  readonly outstanding: string | null;
  readonly grants: string | null;
}

// Each LPA's honoraria of the month, the strengthening grants booked for
// it, and from the ledger what finance paid it in the month and what it was
// still owed at the month's end.
export async function honorariaOfLpas(db: Db, period: string, scope: ReportScope): Promise<HonorariumRow[]> {
  const periodStart = `${period}-01`;
  const periodEnd = lastDayOfMonth(period);
  const rows = await db.raw<{
    rows: HonorariumRow[];
  }>(
    `with payable as (?)
     select l.id as lpa_id, l.name as lpa, l.regency_code, string_agg(distinct trim_scale(h.rate)::text, '; ') as rates,
       sum(h.participants) as participants, sum(h.subsidy) as subsidy, sum(h.honorarium) as honorarium,
       max(payable.moved) as paid, -max(payable.balance) as outstanding,
       (select sum(s.amount) from lpa_strengthening s where s.lpa_id = l.id and s.period = ?::date) as grants
     from lpa_honoraria h
     join lpas l on l.id = h.lpa_id
     left join payable on payable.lpa_id = l.id
     where h.period = ?::date and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     group by l.id, l.name, l.regency_code
     order by l.regency_code, l.name, l.id`,
    [
      lpaAccountTotals(db, {
        code: chart.lpaHonorariumPayable.code,
        movedBy: 'lpa-honorarium-payment',
        from: periodStart,
        to: periodEnd,
      }),
      periodStart,
      periodStart,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return rows.rows;
}

// The rule versions that decided the month's honoraria and grants, or null
// when none did.
export async function honorariumRuleVersions(db: Db, period: string): Promise<string | null> {
  const periodStart = `${period}-01`;
  const versions = await db.raw<{ rows: { versions: string | null }[] }>(
    `select string_agg(distinct rule_scheme || '@' || rule_version, ', ') as versions
     from (select rule_scheme, rule_version from lpa_honoraria where period = ?::date
           union select rule_scheme, rule_version from lpa_strengthening where period = ?::date) decided`,
    [periodStart, periodStart],
  );
  return versions.rows[0]?.versions ?? null;
}

// ---------------------------------------------------------------- cohorts

// The grouping a subsidy cost is summed by: its code and name columns.
const groupings = {
  province: { code: 'r.province_code', name: 'p.name' },
  regency: { code: 'l.regency_code', name: 'r.name' },
  lpa: { code: 'l.id::text', name: 'l.name' },
} as const;

export interface SubsidyCostRecord {
  readonly period: string;
  readonly code: string;
  readonly name: string;
  readonly dues: string;
  readonly premium: string;
  readonly subsidy: string;
  readonly own: string;
  readonly own_paid: string;
}

// The dues the premium cycles booked, by month and grouping.
export async function subsidyCostByMonth(
  db: Db,
  query: { from: string; to: string; by: keyof typeof groupings },
  scope: ReportScope,
): Promise<SubsidyCostRecord[]> {
  const group = groupings[query.by];
  const rows = await db.raw<{ rows: SubsidyCostRecord[] }>(
    // Summed by month and LPA first (one pass over the dues), named after.
    `with sums as (
       select d.period, d.lpa_id, count(*) as dues, sum(d.premium) as premium, sum(d.subsidy_share) as subsidy,
         sum(d.own_share) as own, sum(d.own_paid) as own_paid
       from premium_dues d
       where d.period between ?::date and ?::date and (?::uuid is null or d.lpa_id = ?::uuid)
       group by d.period, d.lpa_id
     )
     select to_char(d.period, 'YYYY-MM') as period, ${group.code} as code, ${group.name} as name, sum(d.dues) as dues,
       sum(d.premium) as premium, sum(d.subsidy) as subsidy, sum(d.own) as own, sum(d.own_paid) as own_paid
     from sums d
     join lpas l on l.id = d.lpa_id
     join regencies r on r.code = l.regency_code
     join provinces p on p.code = r.province_code
     where (?::text is null or l.regency_code = ?::text)
     group by 1, 2, 3
     order by 1, 2`,
    [
      `${query.from}-01`,
      `${query.to}-01`,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
    ],
  );
  return rows.rows;
}

export interface RetentionRecord {
  readonly cohort: string;
  readonly coverage_year: number;
  readonly enrolled: string;
  readonly retained: string;
  readonly subsidised: string;
  readonly self_paying: string;
  readonly self_paying_paid_up: string;
}

// Of each year's enrolments, those with cover booked in each coverage year,
// subsidised or paying their own way, and paid up.
export async function cohortRetention(db: Db, scheme: string | undefined, scope: ReportScope): Promise<RetentionRecord[]> {
  const rows = await db.raw<{ rows: RetentionRecord[] }>(
    `with cohort_enrolments as (
       select e.id, to_char(e.enrolled_on, 'YYYY') as cohort
       from enrolments e join lpas l on l.id = e.lpa_id
       where e.status in ('active', 'lapsed') and (?::text is null or e.rule_scheme = ?::text)
         and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     ), cohort_sizes as (
       select cohort, count(*) as enrolled from cohort_enrolments group by cohort
     ), unpaid as (
       -- Few dues are unpaid: one filtered pass finds them.
       select distinct enrolment_id, coverage_year from premium_dues where own_paid < own_share
     )
     select c.cohort, y.coverage_year, s.enrolled, count(*) as retained,
       count(*) filter (where y.subsidised) as subsidised,
       count(*) filter (where not y.subsidised) as self_paying,
       count(*) filter (where not y.subsidised and u.enrolment_id is null) as self_paying_paid_up
     from enrolment_years y join cohort_enrolments c on c.id = y.enrolment_id join cohort_sizes s on s.cohort = c.cohort
     left join unpaid u on u.enrolment_id = y.enrolment_id and u.coverage_year = y.coverage_year
     group by c.cohort, y.coverage_year, s.enrolled
     order by c.cohort, y.coverage_year`,
    [
      scheme ?? null,
      scheme ?? null,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return rows.rows;
}

// ---------------------------------------------------------------- LPA progress

export interface LpaProgressRecord {
  readonly lpa_id: string;
  readonly lpa: string;
  readonly regency_code: string;
  readonly members: string;
  readonly lapsed: string;
  readonly cards_issued: string;
  readonly cards_delivered: string;
  readonly claims_filed: string;
  readonly claims_accepted: string;
  readonly claims_paid: string;
  readonly paid_on_time: string;
  readonly amount_paid: string;
  readonly savers: string;
  readonly savings: string;
  readonly loans_disbursed: string;
  readonly amount_disbursed: string;
  readonly loans_outstanding: string;
  readonly willing_to_save: string;
  readonly saving_undeclared: string;
  readonly attends_meeting: string;
  readonly meeting_undeclared: string;
}

// Each approved LPA's members, cards and claims, its members' savings and
// its loans, over the period and as of its end.
export async function lpaProgressOf(db: Db, from: string, to: string, scope: ReportScope): Promise<LpaProgressRecord[]> {
  const rows = await db.raw<{ rows: LpaProgressRecord[] }>(
    `with enrolled as (
       select e.lpa_id, e.lapsed_on, p.willing_to_save, p.attends_monthly_meeting,
         e.enrolled_on <= ?::date and (e.lapsed_on is null or e.lapsed_on > ?::date) as in_cover
       from enrolments e join participants p on p.id = e.participant_id
       where e.status in ('active', 'lapsed')
     ), members as (
       select lpa_id,
         count(*) filter (where in_cover) as members,
         count(*) filter (where lapsed_on <= ?::date) as lapsed,
         count(*) filter (where in_cover and willing_to_save) as willing_to_save,
         count(*) filter (where in_cover and willing_to_save is null) as saving_undeclared,
         count(*) filter (where in_cover and attends_monthly_meeting) as attends_meeting,
         count(*) filter (where in_cover and attends_monthly_meeting is null) as meeting_undeclared
       from enrolled group by lpa_id
     ), cards as (
       select lpa_id, count(*) filter (where card_issued_on <= ?::date) as cards_issued,
         count(*) filter (where card_delivered_on <= ?::date) as cards_delivered
       from participants group by lpa_id
     ), filed as (
       select lpa_id, count(*) as claims_filed,
         count(*) filter (where accepted_on is not null) as claims_accepted,
         count(*) filter (where paid_on <= ?::date) as claims_paid,
         count(*) filter (where paid_on <= ?::date and (payment_due_on is null or paid_on <= payment_due_on)) as paid_on_time,
         coalesce(sum(amount) filter (where paid_on <= ?::date), 0) as amount_paid
       from claims where submitted_at::date between ?::date and ?::date group by lpa_id
     ), saved as (
       select a.lpa_id, a.participant_id, -sum(p.amount) as saved
       from ledger_accounts a join journal_postings p on p.account_id = a.id and p.entry_date <= ?::date
       where a.code in (?, ?) and a.owner_kind = 'participant'
       group by a.lpa_id, a.participant_id
     ), savings as (
       select lpa_id, count(*) filter (where saved > 0) as savers, sum(saved) as savings from saved group by lpa_id
     ), lent as (
       select lpa_id, count(*) as loans_disbursed, sum(amount) as amount_disbursed
       from loans where disbursed_on between ?::date and ?::date group by lpa_id
     ), owed as (
       select a.lpa_id, sum(p.amount) as loans_outstanding
       from ledger_accounts a join journal_postings p on p.account_id = a.id and p.entry_date <= ?::date
       where a.code = ? group by a.lpa_id
     )
     select l.id as lpa_id, l.name as lpa, l.regency_code,
       coalesce(m.members, 0) as members, coalesce(m.lapsed, 0) as lapsed,
       coalesce(c.cards_issued, 0) as cards_issued, coalesce(c.cards_delivered, 0) as cards_delivered,
       coalesce(f.claims_filed, 0) as claims_filed, coalesce(f.claims_accepted, 0) as claims_accepted,
       coalesce(f.claims_paid, 0) as claims_paid, coalesce(f.paid_on_time, 0) as paid_on_time,
       coalesce(f.amount_paid, 0) as amount_paid,
       coalesce(s.savers, 0) as savers, coalesce(s.savings, 0) as savings,
       coalesce(lent.loans_disbursed, 0) as loans_disbursed, coalesce(lent.amount_disbursed, 0) as amount_disbursed,
       coalesce(owed.loans_outstanding, 0) as loans_outstanding,
       coalesce(m.willing_to_save, 0) as willing_to_save, coalesce(m.saving_undeclared, 0) as saving_undeclared,
       coalesce(m.attends_meeting, 0) as attends_meeting, coalesce(m.meeting_undeclared, 0) as meeting_undeclared
     from lpas l
     left join members m on m.lpa_id = l.id
     left join cards c on c.lpa_id = l.id
     left join filed f on f.lpa_id = l.id
     left join savings s on s.lpa_id = l.id
     left join lent on lent.lpa_id = l.id
     left join owed on owed.lpa_id = l.id
     where l.status = 'approved' and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     order by l.regency_code, l.name, l.id`,
    [
      to,
      to,
      to,
      to,
      to,
      to,
      to,
      to,
      from,
      to,
      to,
      chart.mandatorySavings.code,
      chart.voluntarySavings.code,
      from,
      to,
      to,
      chart.loansReceivable.code,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return rows.rows;
}

// ---------------------------------------------------------------- reserves

export type ReserveSection = 'scheme' | 'province' | 'regency' | 'lpa';

export interface AreaIbnr {
  readonly section: ReserveSection;
  readonly key: string;
  readonly name: string;
  readonly ibnr: Amount;
}

export interface CaseReserves {
  readonly section: ReserveSection;
  readonly key: string;
  readonly name: string;
  readonly claims: number;
  readonly reserve: Amount;
  readonly referred: Amount;
}

// Each area's share of the latest IBNR estimate of every scheme made by the day.
export async function ibnrByArea(db: Db, asOf: string, scope: ReportScope): Promise<AreaIbnr[]> {
  const result = await db.raw<{ rows: { section: ReserveSection; key: string; name: string; ibnr: string }[] }>(
    `with latest as (
       select distinct on (rule_scheme) rule_scheme, period from ibnr_estimates
       where (period + interval '1 month' - interval '1 day')::date <= ?::date
       order by rule_scheme, period desc
     ), parts as (
       select a.lpa_id, sum(a.ibnr) as ibnr from ibnr_allocations a join latest using (rule_scheme, period) group by a.lpa_id
     ), placed as (
       select p.lpa_id, p.ibnr, l.name as lpa, l.regency_code, g.name as regency, g.province_code, v.name as province
       from parts p join lpas l on l.id = p.lpa_id join regencies g on g.code = l.regency_code
       join provinces v on v.code = g.province_code
       where (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     )
     select 'province' as section, province_code as key, province as name, sum(ibnr) as ibnr from placed group by 2, 3
     union all
     select 'regency', regency_code, regency, sum(ibnr) from placed group by 2, 3
     union all
     select 'lpa', lpa_id::text, lpa, sum(ibnr) from placed group by 2, 3`,
    [asOf, scope.regencyCode ?? null, scope.regencyCode ?? null, scope.lpaId ?? null, scope.lpaId ?? null],
  );
  return result.rows.map((row) => ({ ...row, ibnr: fromNumeric(row.ibnr) }));
}

export interface IbnrEstimateRecord {
  readonly rule_scheme: string;
  readonly rule_version: string;
  readonly period: string;
  readonly method: string;
  readonly declared_method: IbnrMethod['method'] | null;
  readonly fallback_reason: string | null;
  readonly methods: KeptMethods | null;
  readonly rate: string | null;
  readonly months: number | null;
  readonly earned: string;
  readonly ibnr: string;
}

// Each scheme's latest month-end IBNR estimate made by the day: how the IBNR
// held on it was set.
export async function latestIbnrEstimates(db: Db, asOf: string): Promise<IbnrEstimateRecord[]> {
  const estimates = await db.raw<{ rows: IbnrEstimateRecord[] }>(
    `select distinct on (rule_scheme) rule_scheme, rule_version, period, method, declared_method, fallback_reason, methods,
       rate, months, earned, ibnr
     from ibnr_estimates where (period + interval '1 month' - interval '1 day')::date <= ?::date
     order by rule_scheme, period desc`,
    [asOf],
  );
  return estimates.rows;
}

// Each claim's own reserve is what its entries left in claims payable by the
// day; a referred claim has none yet, only its amount.
export async function caseReservesBy(db: Db, asOf: string, scope: ReportScope): Promise<CaseReserves[]> {
  const result = await db.raw<{
    rows: { section: ReserveSection; key: string; name: string; claims: string; reserve: string; referred: string }[];
  }>(
    `with reserve_by_claim as (?), reserve as (
       select c.id, c.lpa_id, c.rule_scheme, coalesce(-r.balance, 0) as reserve,
         case when c.status = 'referred' and c.submitted_at::date <= ?::date then c.amount else 0 end as referred
       from claims c left join reserve_by_claim r on r.reference_id = c.id::text
       where c.status in ('approved', 'paid', 'reversed', 'referred')
     ), open as (
       select r.*, l.regency_code, l.name as lpa, g.province_code, g.name as regency, v.name as province
       from reserve r join lpas l on l.id = r.lpa_id join regencies g on g.code = l.regency_code
       join provinces v on v.code = g.province_code
       where (r.reserve <> 0 or r.referred <> 0)
         and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     )
     select 'scheme' as section, rule_scheme as key, rule_scheme as name, count(*) as claims, sum(reserve) as reserve,
       sum(referred) as referred from open group by rule_scheme
     union all
     select 'province', province_code, province, count(*), sum(reserve), sum(referred) from open group by province_code, province
     union all
     select 'regency', regency_code, regency, count(*), sum(reserve), sum(referred) from open group by regency_code, regency
     union all
     select 'lpa', lpa_id::text, lpa, count(*), sum(reserve), sum(referred) from open group by lpa_id, lpa
     order by 1, 2`,
    [
      referenceBalances(db, { code: chart.claimsPayable.code, referenceType: 'claim', asOf }),
      asOf,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return result.rows.map((row) => ({
    section: row.section,
    key: row.key,
    name: row.name,
    claims: Number(row.claims),
    reserve: fromNumeric(row.reserve),
    referred: fromNumeric(row.referred),
  }));
}
