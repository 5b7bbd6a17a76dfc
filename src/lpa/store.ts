import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import type { lpaAccreditations } from '../rules/catalogue.ts';
import type { StrengtheningReason } from './model.ts';

// The lpa tables (lpa_honoraria, lpa_strengthening, lpa_progress_reports),
// and what the lpa decisions read of members, dues, claims and the LPAs'
// payable accounts.

type Runner = Db | Knex.Transaction;

// ---------------------------------------------------------------- monthly runs

// One run of a month's booking at a time (honorarium, strengthening): the
// lock holds until the transaction ends.
export async function lockMonthlyRun(trx: Knex.Transaction, run: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [run]);
}

// ---------------------------------------------------------------- facts

export interface LpaFactRow {
  readonly id: string;
  readonly accreditation: (typeof lpaAccreditations)[number];
  readonly members: string | null;
  readonly delivered: string | null;
  readonly owing_savings: string | null;
  readonly saving_up_to_date: string | null;
  readonly late: string | null;
  readonly delay: number;
}

// What the lpa rules know of every LPA on a decision date, in one query:
// members in cover the day before and how many have their cards and are up
// to date with their mandatory savings, claims paid late in the year before,
// and how late the progress report of the month two back was filed.
export async function listLpaFactRows(
  db: Runner,
  on: { date: string; dayBefore: string; reportMonthStart: string; reportMonthEnd: string },
): Promise<LpaFactRow[]> {
  const { date, dayBefore } = on;
  const rows = await db.raw<{ rows: LpaFactRow[] }>(
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
    [dayBefore, dayBefore, dayBefore, date, date, date, date, date, on.reportMonthEnd, on.reportMonthStart],
  );
  return rows.rows;
}

// ---------------------------------------------------------------- payables

export async function lpaExists(trx: Knex.Transaction, lpaId: string): Promise<boolean> {
  return (await trx('lpas').where({ id: lpaId }).first('id')) !== undefined;
}

// The payable account (2400) of each of the LPAs that has one, by LPA.
export async function findLpaPayableAccountIds(db: Runner, lpaIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db('ledger_accounts')
    .where({ code: chart.lpaHonorariumPayable.code, owner_kind: 'lpa' })
    .whereIn('lpa_id', [...lpaIds])
    .select<{ id: string; lpa_id: string }[]>('id', 'lpa_id');
  return new Map(rows.map((row) => [row.lpa_id, row.id]));
}

// ---------------------------------------------------------------- honorarium

export async function honorariaBooked(trx: Knex.Transaction, periodStart: string): Promise<boolean> {
  return (await trx('lpa_honoraria').where({ period: periodStart }).first('period')) !== undefined;
}

export interface ChannelledRow {
  readonly lpa_id: string;
  readonly rule_scheme: string;
  readonly coverage_year: number;
  readonly participants: string;
  readonly subsidy: string;
}

// The premium assistance each LPA channelled in the month, by scheme and
// coverage year.
export async function listChannelledSubsidy(trx: Knex.Transaction, periodStart: string): Promise<ChannelledRow[]> {
  const rows = await trx.raw<{ rows: ChannelledRow[] }>(
    `select lpa_id, rule_scheme, coverage_year, count(*) as participants, sum(subsidy_share) as subsidy
       from premium_dues where period = ?::date and subsidy_share > 0
       group by 1, 2, 3 order by 2, 3, 1`,
    [periodStart],
  );
  return rows.rows;
}

const honorariumRowsPerInsert = 2_000;

export interface HonorariumRecord {
  readonly period: string;
  readonly rule_scheme: string;
  readonly coverage_year: number;
  readonly lpa_id: string;
  readonly participants: number;
  readonly subsidy: string;
  readonly rate: string;
  readonly honorarium: string;
  readonly rule_version: string;
  readonly rule_hash: string;
  readonly entry_id: string | undefined;
}

export async function insertHonoraria(trx: Knex.Transaction, rows: readonly HonorariumRecord[]): Promise<void> {
  await trx.batchInsert('lpa_honoraria', [...rows], honorariumRowsPerInsert);
}

// A month's honoraria by scheme, version, coverage year and rate.
export async function listHonorariumTotals(
  db: Runner,
  periodStart: string,
): Promise<
  { rule_scheme: string; rule_version: string; coverage_year: number; rate: string; honorarium: string; subsidy: string }[]
> {
  return db('lpa_honoraria')
    .where({ period: periodStart })
    .groupBy('rule_scheme', 'rule_version', 'coverage_year', 'rate')
    .orderBy(['rule_scheme', 'rule_version', 'coverage_year'])
    .select<
      { rule_scheme: string; rule_version: string; coverage_year: number; rate: string; honorarium: string; subsidy: string }[]
    >(
      'rule_scheme',
      'rule_version',
      'coverage_year',
      'rate',
      db.raw('sum(honorarium) as honorarium'),
      db.raw('sum(subsidy) as subsidy'),
    );
}

export async function countHonorariumLpas(db: Runner, periodStart: string): Promise<number> {
  const lpas = await db('lpa_honoraria').where({ period: periodStart }).countDistinct<{ count: string }[]>({ count: 'lpa_id' });
  return Number(lpas[0]?.count ?? 0);
}

// ---------------------------------------------------------------- strengthening

export async function strengtheningDecided(trx: Knex.Transaction, periodStart: string): Promise<boolean> {
  return (await trx('lpa_strengthening').where({ period: periodStart }).first('period')) !== undefined;
}

export interface CohortRow {
  readonly lpa_id: string;
  readonly rule_scheme: string;
  readonly coverage_year: number;
  readonly participants: string;
}

// The members of each LPA whose coverage year begins in the month, by their
// premium dues, by scheme and coverage year.
export async function listCohortsEnteringYear(trx: Knex.Transaction, periodStart: string): Promise<CohortRow[]> {
  const cohorts = await trx.raw<{ rows: CohortRow[] }>(
    `select lpa_id, rule_scheme, coverage_year, count(*) as participants
       from premium_dues where period = ?::date and (month_of_cover - 1) % 12 = 0
       group by 1, 2, 3 order by 2, 3, 1`,
    [periodStart],
  );
  return cohorts.rows;
}

const decisionRowsPerInsert = 2_000;

export interface StrengtheningRecord {
  readonly period: string;
  readonly lpa_id: string;
  readonly rule_scheme: string;
  readonly coverage_year: number;
  readonly participants: number;
  readonly facts: string;
  readonly granted: boolean;
  readonly amount: string;
  readonly reasons: string;
  readonly rule_version: string;
  readonly rule_hash: string;
  readonly entry_id: string | null;
}

export async function insertStrengtheningDecisions(trx: Knex.Transaction, rows: readonly StrengtheningRecord[]): Promise<void> {
  await trx.batchInsert('lpa_strengthening', [...rows], decisionRowsPerInsert);
}

export async function strengtheningTotals(
  db: Runner,
  periodStart: string,
): Promise<{ decisions: string; granted: string; amount: string | null } | undefined> {
  const [row] = await db('lpa_strengthening')
    .where({ period: periodStart })
    .select<{ decisions: string; granted: string; amount: string | null }[]>(
      db.raw('count(*) as decisions'),
      db.raw('count(*) filter (where granted) as granted'),
      db.raw('sum(amount) as amount'),
    );
  return row;
}

// The strengthening granted an LPA, all months together.
export async function grantedStrengtheningTotal(trx: Knex.Transaction, lpaId: string): Promise<string | null> {
  const granted = await trx('lpa_strengthening')
    .where({ lpa_id: lpaId, granted: true })
    .first<{ total: string | null }>(trx.raw('sum(amount) as total'));
  return granted?.total ?? null;
}

export interface StrengtheningRow {
  readonly period: string;
  readonly rule_scheme: string;
  readonly coverage_year: number;
  readonly participants: number;
  readonly granted: boolean;
  readonly amount: string;
  readonly reasons: StrengtheningReason[];
  readonly facts: Record<string, unknown>;
  readonly rule_version: string;
  readonly rule_hash: string;
  readonly entry_id: string | null;
}

// An LPA's strengthening decisions, newest month first.
export async function listStrengtheningRows(db: Db, lpaId: string): Promise<StrengtheningRow[]> {
  return db('lpa_strengthening')
    .where({ lpa_id: lpaId })
    .orderBy([{ column: 'period', order: 'desc' }, 'rule_scheme', 'coverage_year'])
    .select<StrengtheningRow[]>('*');
}

// ---------------------------------------------------------------- progress reports

export interface ProgressReportRow {
  lpa_id: string;
  period: string;
  submitted_on: string;
  notes: string;
  submitted_by: string;
}

// The report filed, or undefined when the month's report is filed already.
export async function insertProgressReport(
  trx: Knex.Transaction,
  report: { lpaId: string; periodStart: string; submittedOn: string; notes: string; submittedBy: string },
): Promise<ProgressReportRow | undefined> {
  const [row] = await trx('lpa_progress_reports')
    .insert({
      lpa_id: report.lpaId,
      period: report.periodStart,
      submitted_on: report.submittedOn,
      notes: report.notes,
      submitted_by: report.submittedBy,
    })
    .onConflict(['lpa_id', 'period'])
    .ignore()
    .returning<ProgressReportRow[]>(['lpa_id', 'period', 'submitted_on', 'notes', 'submitted_by']);
  return row;
}

// An LPA's progress reports, newest month first.
export async function listProgressReportRows(db: Db, lpaId: string): Promise<ProgressReportRow[]> {
  return db('lpa_progress_reports')
    .where({ lpa_id: lpaId })
    .orderBy('period', 'desc')
    .select<ProgressReportRow[]>('lpa_id', 'period', 'submitted_on', 'notes', 'submitted_by');
}
