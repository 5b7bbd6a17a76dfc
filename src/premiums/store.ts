import type { Knex } from 'knex';
import { addMonths } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { monthOfCoverStartingInSql } from '../registry/index.ts';
import { type Bounds, boundsSql, inCoverSql, monthOfCoverSql } from './cover.ts';
import { type Amount, fromNumeric, toAmountString } from '../money/index.ts';
import type { CoverLapse, Due, OpenDue, Reinstated } from './model.ts';

// The premiums' SQL: the dues of each month (premium_dues), the
// contributions paid against them, and the few reads of the books the
// premium jobs make before they post.

// ---------------------------------------------------------------- the books

// The months whose premium was already earned, from the month given on
// (`YYYY-MM`).
export async function monthsEarnedFrom(trx: Knex.Transaction, month: string): Promise<Set<string>> {
  return new Set(
    (
      await trx('journal_entries')
        .whereLike('idempotency_key', 'premium-earned:____-__')
        .where('idempotency_key', '>=', `premium-earned:${month}`)
        .pluck('idempotency_key')
    ).map((key: string) => key.slice('premium-earned:'.length)),
  );
}

// ---------------------------------------------------------------- dues

export interface CancelledDue {
  period: string;
  premium: string;
  subsidy_share: string;
  own_share: string;
  earn_months: number;
  rule_scheme: string;
  rule_version: string;
}

// Deletes a participant's dues from the month given on, of which nothing
// was paid, and answers them.
export async function deleteUnpaidDuesFrom(
  trx: Knex.Transaction,
  participantId: string,
  firstMonth: string,
): Promise<CancelledDue[]> {
  const cancelled = await trx.raw<{ rows: CancelledDue[] }>(
    `delete from premium_dues d using enrolments e
     where e.id = d.enrolment_id and e.participant_id = ? and d.period >= ?::date and d.own_paid = 0
     returning to_char(d.period, 'YYYY-MM-DD') as period, d.premium, d.subsidy_share, d.own_share, d.earn_months,
       d.rule_scheme, d.rule_version`,
    [participantId, firstMonth],
  );
  return cancelled.rows;
}

// ---------------------------------------------------------------- arrears

// The enrolments in cover whose oldest unpaid own share is older than the
// grace their rules give for the month: their month of cover, under the rule
// version in force, says how long. A due booked late (its enrolment entered
// after its month) is owed from the month it became known, not before.
const overdueSql = `select e.id as enrolment_id, e.participant_id, overdue.arrears_since, overdue.arrears,
    grace.scheme, grace.version, grace.hash
  from (select enrolment_id, min(period) as arrears_since, min(booked_in) as owed_since, sum(own_share - own_paid) as arrears
        from premium_dues
        where own_paid < own_share and booked_in < ?::date group by enrolment_id having min(booked_in) <= ?::date) as overdue
  join enrolments e on e.id = overdue.enrolment_id
  cross join ${boundsSql}
  join jsonb_to_recordset(?::jsonb) as grace (scheme text, month_of_cover integer, grace_months integer, version text, hash text)
    on grace.scheme = e.rule_scheme and grace.month_of_cover = ${monthOfCoverSql}
  where e.status = 'active' and ${inCoverSql}
    and overdue.owed_since <= (bounds.period_start - make_interval(months => grace.grace_months))::date`;

// What the overdue query reads of a tariff: how many months its own share
// may stay unpaid.
export interface OverdueTerm {
  scheme: string;
  month_of_cover: number;
  grace_months: number;
  version: string;
  hash: string;
}

// The overdue query's arguments for a month and its terms.
function overdueArgs(month: Bounds, graces: readonly OverdueTerm[]): string[] {
  const graceMonthsMin = Math.min(...graces.map((grace) => grace.grace_months));
  const oldestOverdue = `${addMonths(month.periodStart, -graceMonthsMin)}-01`;
  return [month.periodStart, oldestOverdue, month.periodStart, month.periodEnd, JSON.stringify(graces)];
}

// Locks, in id order, every participant with an enrolment overdue in the month.
export async function lockOverdueParticipants(
  trx: Knex.Transaction,
  month: Bounds,
  graces: readonly OverdueTerm[],
): Promise<void> {
  await trx.raw(
    `select id from participants where id in (select participant_id from (${overdueSql}) as candidates) order by id for update`,
    overdueArgs(month, graces),
  );
}

// Lapses every enrolment overdue in the month from its first day and
// records each lapse; answers the enrolments lapsed.
export async function lapseOverdue(trx: Knex.Transaction, month: Bounds, graces: readonly OverdueTerm[]): Promise<string[]> {
  // The update hands on what the insert needs: no join between the two
  // (row estimates for them are guesses, and a nested loop there is quadratic).
  const lapsed = await trx.raw<{ rows: { enrolment_id: string }[] }>(
    `with lapsed as (
       update enrolments set status = 'lapsed', lapsed_on = ?::date
       from (${overdueSql}) as lapsing where enrolments.id = lapsing.enrolment_id
       returning enrolments.id, lapsing.arrears, lapsing.arrears_since, lapsing.scheme, lapsing.version, lapsing.hash
     )
     insert into cover_lapses (enrolment_id, reason, lapsed_on, arrears, arrears_since, rule_scheme, rule_version, rule_hash)
     select id, 'arrears', ?::date, arrears, arrears_since, scheme, version, hash from lapsed
     returning enrolment_id`,
    [month.periodStart, ...overdueArgs(month, graces), month.periodStart],
  );
  return lapsed.rows.map((row) => row.enrolment_id);
}

// Writes an arrears reminder to every participant overdue in the month,
// once per oldest month unpaid; answers how many were written.
export async function insertArrearsReminders(
  trx: Knex.Transaction,
  month: Bounds,
  graces: readonly OverdueTerm[],
): Promise<number> {
  const written = await trx.raw<{ rows: { id: string }[] }>(
    `insert into notices (lpa_id, participant_id, kind, decision_key, decided_on, payload, rule_scheme, rule_version, rule_hash)
     select e.lpa_id, overdue.participant_id, 'arrears-reminder',
       'arrears-reminder:' || overdue.enrolment_id || ':' || to_char(overdue.arrears_since, 'YYYY-MM'), ?::date,
       jsonb_build_object('arrears', overdue.arrears::text, 'arrearsSince', to_char(overdue.arrears_since, 'YYYY-MM')),
       overdue.scheme, overdue.version, overdue.hash
     from (${overdueSql}) as overdue join enrolments e on e.id = overdue.enrolment_id
     on conflict (decision_key) do nothing
     returning id`,
    [month.periodStart, ...overdueArgs(month, graces)],
  );
  return written.rows.length;
}

export interface PaidUpLapse {
  id: string;
  enrolment_id: string;
  lapsed_on: string;
  rule_scheme: string;
  enrolled_on: string;
}

// The participant's covers lapsed for arrears, not yet reinstated, that owe
// nothing now, unless the fund has granted the participant's death benefit.
export async function paidUpLapses(trx: Knex.Transaction, participantId: string): Promise<PaidUpLapse[]> {
  const paidUp = await trx.raw<{ rows: PaidUpLapse[] }>(
    `select l.id, l.enrolment_id, l.lapsed_on, e.rule_scheme, e.enrolled_on
     from cover_lapses l join enrolments e on e.id = l.enrolment_id
     where e.participant_id = ? and l.reason = 'arrears' and l.reinstated_on is null
       and not exists (select 1 from premium_dues d where d.enrolment_id = l.enrolment_id and d.own_paid < d.own_share)
       and not exists (select 1 from claims c where c.participant_id = e.participant_id and c.claim_type = 'death'
                         and c.status in ('approved', 'paid'))`,
    [participantId],
  );
  return paidUp.rows;
}

export async function reinstateLapse(
  trx: Knex.Transaction,
  lapseId: string,
  reinstatement: { reinstatedOn: string; contributionId: string; tariff: { version: string; hash: string } },
): Promise<void> {
  await trx('cover_lapses').where({ id: lapseId }).update({
    reinstated_on: reinstatement.reinstatedOn,
    reinstated_by: reinstatement.contributionId,
    reinstate_rule_version: reinstatement.tariff.version,
    reinstate_rule_hash: reinstatement.tariff.hash,
  });
}

// Puts a lapsed enrolment back in cover with its dues owed from the month
// given (its first day) on.
export async function reactivateLapsedEnrolment(trx: Knex.Transaction, enrolmentId: string, resumeMonth: string): Promise<void> {
  await trx('enrolments')
    .where({ id: enrolmentId, status: 'lapsed' })
    .update({
      status: 'active',
      lapsed_on: null,
      dues_through: trx.raw(`?::date - interval '1 month'`, [resumeMonth]),
    });
}

// A participant's lapses, oldest first.
export async function lapsesOf(db: Db, participantId: string): Promise<CoverLapse[]> {
  const rows = await db('cover_lapses as l')
    .join('enrolments as e', 'e.id', 'l.enrolment_id')
    .where('e.participant_id', participantId)
    .orderBy([{ column: 'l.lapsed_on' }, { column: 'l.enrolment_id' }])
    .select<
      {
        enrolment_id: string;
        reason: CoverLapse['reason'];
        lapsed_on: string;
        arrears: string | null;
        arrears_since: string | null;
        rule_scheme: string;
        rule_version: string;
        rule_hash: string;
        reinstated_on: string | null;
        reinstated_by: string | null;
        reinstate_rule_version: string | null;
        reinstate_rule_hash: string | null;
      }[]
    >('l.*');
  return rows.map((row) => ({
    enrolmentId: row.enrolment_id,
    reason: row.reason,
    lapsedOn: row.lapsed_on,
    arrears: row.arrears,
    arrearsSince: row.arrears_since?.slice(0, 7) ?? null,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    reinstatedOn: row.reinstated_on,
    reinstatedBy: row.reinstated_by,
    reinstateRule:
      row.reinstate_rule_version === null || row.reinstate_rule_hash === null
        ? null
        : { version: row.reinstate_rule_version, hash: row.reinstate_rule_hash },
  }));
}

// ---------------------------------------------------------------- contributions

export interface ContributionRow {
  id: string;
  participant_id: string;
  amount: string;
  paid_on: string;
  reference: string;
  applied: { period: string; amount: string }[];
  entry_id: string;
  recorded_by: string;
}

const contributionColumns = [
  'id',
  'participant_id',
  'amount',
  'paid_on',
  'reference',
  'applied',
  'entry_id',
  'recorded_by',
] as const;

// The contribution recorded under the LPA's idempotency key, with the
// fingerprint of its body, if any.
export async function findContributionByKey(
  trx: Knex.Transaction,
  lpaId: string,
  idempotencyKey: string,
): Promise<(ContributionRow & { fingerprint: string }) | undefined> {
  return trx('contributions')
    .where({ lpa_id: lpaId, idempotency_key: idempotencyKey })
    .first<(ContributionRow & { fingerprint: string }) | undefined>(...contributionColumns, 'fingerprint');
}

// The covers a contribution reinstated.
export async function reinstatedBy(trx: Knex.Transaction, contributionId: string): Promise<Reinstated[]> {
  const reinstated = await trx('cover_lapses')
    .where({ reinstated_by: contributionId })
    .orderBy('enrolment_id')
    .select<{ enrolment_id: string; lapsed_on: string; reinstated_on: string }[]>('enrolment_id', 'lapsed_on', 'reinstated_on');
  return reinstated.map((row) => ({ enrolmentId: row.enrolment_id, lapsedOn: row.lapsed_on, reinstatedOn: row.reinstated_on }));
}

// The participant's dues with own share still open, oldest first, locked:
// two payments for one person apply to the dues one after the other.
export async function lockOpenDues(trx: Knex.Transaction, participantId: string): Promise<OpenDue[]> {
  const rows = await trx('premium_dues')
    .join('enrolments', 'enrolments.id', 'premium_dues.enrolment_id')
    .where('enrolments.participant_id', participantId)
    .whereRaw('premium_dues.own_paid < premium_dues.own_share')
    .orderBy('premium_dues.period')
    .forUpdate('premium_dues')
    .select<{ enrolment_id: string; period: string; open: string }[]>(
      'premium_dues.enrolment_id',
      'premium_dues.period',
      trx.raw('premium_dues.own_share - premium_dues.own_paid as open'),
    );
  return rows.map((row) => ({ enrolmentId: row.enrolment_id, period: row.period, open: fromNumeric(row.open) }));
}

export async function duesOf(db: Db, participantId: string): Promise<Due[]> {
  const rows = await db('premium_dues')
    .join('enrolments', 'enrolments.id', 'premium_dues.enrolment_id')
    .where('enrolments.participant_id', participantId)
    .orderBy('premium_dues.period')
    .select<
      {
        period: string;
        coverage_year: number;
        month_of_cover: number;
        premium: string;
        subsidy_share: string;
        own_share: string;
        own_paid: string;
        rule_scheme: string;
        rule_version: string;
      }[]
    >(
      'premium_dues.period',
      'premium_dues.coverage_year',
      'premium_dues.month_of_cover',
      'premium_dues.premium',
      'premium_dues.subsidy_share',
      'premium_dues.own_share',
      'premium_dues.own_paid',
      'premium_dues.rule_scheme',
      'premium_dues.rule_version',
    );
  return rows.map((row) => ({
    period: row.period.slice(0, 7),
    coverageYear: row.coverage_year,
    monthOfCover: row.month_of_cover,
    premium: row.premium,
    subsidyShare: row.subsidy_share,
    ownShare: row.own_share,
    ownPaid: row.own_paid,
    outstanding: toAmountString(fromNumeric(row.own_share).minus(row.own_paid)),
    rule: { scheme: row.rule_scheme, version: row.rule_version },
  }));
}

// Adds each part paid to its due's own share paid.
export async function payDues(
  trx: Knex.Transaction,
  paid: readonly { enrolmentId: string; period: string; amount: Amount }[],
): Promise<void> {
  await trx.raw(
    `update premium_dues set own_paid = own_paid + paid.amount
     from jsonb_to_recordset(?::jsonb) as paid (enrolment_id uuid, period date, amount numeric)
     where premium_dues.enrolment_id = paid.enrolment_id and premium_dues.period = paid.period`,
    [
      JSON.stringify(
        paid.map((part) => ({
          enrolment_id: part.enrolmentId,
          period: part.period,
          amount: toAmountString(part.amount),
        })),
      ),
    ],
  );
}

export interface ContributionToInsert {
  id: string;
  participant_id: string;
  lpa_id: string;
  amount: string;
  paid_on: string;
  reference: string;
  applied: string;
  idempotency_key: string;
  fingerprint: string;
  entry_id: string;
  recorded_by: string;
  request_id: string | null;
}

export async function insertContribution(trx: Knex.Transaction, contribution: ContributionToInsert): Promise<ContributionRow> {
  const [row] = await trx('contributions').insert(contribution).returning<ContributionRow[]>(contributionColumns);
  if (row === undefined) throw new Error('contributions insert returned no row');
  return row;
}

// ---------------------------------------------------------------- the premium cycle

// Records that a month (its first day) has dues earned over up to
// `earnMonths` months, keeping the longest.
export async function recordPremiumPeriod(db: Db, periodStart: string, earnMonths: number): Promise<void> {
  await db.raw(
    `insert into premium_periods (period, earn_months_max) values (?, ?)
     on conflict (period) do update set earn_months_max = greatest(premium_periods.earn_months_max, excluded.earn_months_max)`,
    [periodStart, earnMonths],
  );
}

// The enrolments the cycle of a month may still owe for, and each month each
// of them owes: from the month after its last due, or after the month it is
// settled to when later (its enrolment's month when neither), up to the
// cycle's, every month its cover stood on at least one day (not lapsed
// before the month began, its participant not dead before it). A due booked
// is its own record that its month is settled, so most enrolments are never
// written but for their due; the settled month is kept only for one whose
// month owed no due (a one-time assistance's later months, a lapse, a
// death), so that the next cycle starts after it. One row per enrolment and
// month owed; "e" stands for the enrolment, and the query reads the cycle's
// month end and start.
const unsettledSql = `e.status in ('active', 'lapsed') and e.enrolled_on <= ?::date
  and (e.dues_through is null or e.dues_through < ?::date)
  and (e.lapsed_on is null or e.lapsed_on > greatest(date_trunc('month', e.enrolled_on), e.dues_through + interval '1 month'))`;

function owedMonthsSql(enrolments: string): string {
  return `select e.id, e.lpa_id, e.rule_scheme, owed.period,
      ${monthOfCoverStartingInSql('e.enrolled_on', 'owed.period')} as month_of_cover
    from ${enrolments} e
    left join lateral (select max(d.period) as period from premium_dues d where d.enrolment_id = e.id) as last_due on true
    left join lateral (
      select min(c.incident_date) as died_on from claims c
      where c.participant_id = e.participant_id and c.claim_type = 'death' and c.status in ('approved', 'paid')
    ) as death on true
    cross join lateral generate_series(
      greatest(date_trunc('month', e.enrolled_on), e.dues_through + interval '1 month', last_due.period + interval '1 month'),
      ?::date, interval '1 month'
    ) as months (month)
    cross join lateral (select months.month::date as period) as owed
    where (e.lapsed_on is null or e.lapsed_on > owed.period) and (death.died_on is null or death.died_on >= owed.period)`;
}

// One row per scheme, month owed and month of cover among the months still
// to book, counting the months and the enrolments.
export async function owedCombinations(
  db: Db,
  month: Bounds,
): Promise<{ rule_scheme: string; period: string; month_of_cover: number; months: string; enrolments: string }[]> {
  const combinations = await db.raw<{
    rows: { rule_scheme: string; period: string; month_of_cover: number; months: string; enrolments: string }[];
  }>(
    `select rule_scheme, period, month_of_cover, count(*) as months, count(distinct id) as enrolments
     from (${owedMonthsSql(`(select * from enrolments e where ${unsettledSql})`)}) as owed
     group by 1, 2, 3`,
    [month.periodEnd, month.periodStart, month.periodStart],
  );
  return combinations.rows;
}

// Each scheme and month of cover of the enrolments in cover in the month.
export async function coverCombinations(db: Db, month: Bounds): Promise<{ rule_scheme: string; month_of_cover: number }[]> {
  const combinations = await db.raw<{ rows: { rule_scheme: string; month_of_cover: number }[] }>(
    `select distinct e.rule_scheme, ${monthOfCoverSql} as month_of_cover
     from enrolments e, ${boundsSql} where e.status = 'active' and ${inCoverSql}`,
    [month.periodStart, month.periodEnd],
  );
  return combinations.rows;
}

// Ends the cover in cover of an ended scheme on `endedOn`, the day after
// its last version, and records each end; answers the enrolments ended.
export async function endCoverWithScheme(
  trx: Knex.Transaction,
  ended: { scheme: string; endedOn: string; version: string; hash: string },
): Promise<string[]> {
  const { scheme, endedOn } = ended;
  const rows = await trx.raw<{ rows: { enrolment_id: string }[] }>(
    `with ended as (
       update enrolments set status = 'lapsed', lapsed_on = ?::date
       where rule_scheme = ? and status = 'active' and enrolled_on < ?::date
       returning id
     )
     insert into cover_lapses (enrolment_id, reason, lapsed_on, rule_scheme, rule_version, rule_hash)
     select id, 'scheme-ended', ?::date, ?, ?, ? from ended
     returning enrolment_id`,
    [endedOn, scheme, endedOn, endedOn, scheme, ended.version, ended.hash],
  );
  return rows.rows.map((row) => row.enrolment_id);
}

// A tariff as the chunk's booking reads it, amounts as text.
export interface DueTariff {
  scheme: string;
  period: string;
  version: string;
  hash: string;
  coverage_year: number;
  month_of_cover: number;
  premium: string;
  subsidy_share: string;
  own_share: string;
  earn_months: number;
  entry_id: string | undefined;
}

// What a chunk booked, one row per rule version, month and premium (one
// row of nulls when it booked nothing), each with the chunk's last
// enrolment and the months owed it went through.
export interface ChunkGroup {
  last_id: string | null;
  scanned: string;
  rule_scheme: string | null;
  rule_version: string | null;
  rule_hash: string | null;
  period: string | null;
  unit_premium: string | null;
  earn_months: number | null;
  booked: string;
  premium: string | null;
  subsidy: string | null;
  own: string | null;
}

// Books the dues of the next chunk of enrolments after `after` (id order,
// at most `chunkRows`) by the tariffs, settles the enrolments whose month
// owed no due, and records their coverage years, in one statement.
export async function bookDuesChunk(
  trx: Knex.Transaction,
  month: Bounds,
  { after, chunkRows }: { after: string; chunkRows: number },
  tariffs: readonly DueTariff[],
): Promise<ChunkGroup[]> {
  const result = await trx.raw<{ rows: ChunkGroup[] }>(
    `with chunk as (
       select e.id, e.lpa_id, e.rule_scheme, e.participant_id, e.enrolled_on, e.lapsed_on, e.dues_through
       from enrolments e
       where ${unsettledSql} and e.id > ?
       order by e.id
       limit ?
     ), owed as (${owedMonthsSql('chunk')}
     ), tariff as (
       select * from jsonb_to_recordset(?::jsonb) as t (scheme text, period date, version text, hash text, coverage_year integer,
         month_of_cover integer, premium numeric, subsidy_share numeric, own_share numeric, earn_months integer, entry_id uuid)
     ), booked as (
       insert into premium_dues (enrolment_id, period, lpa_id, coverage_year, month_of_cover, premium, subsidy_share, own_share,
         earn_months, rule_scheme, rule_version, rule_hash, entry_id, booked_in)
       select owed.id, owed.period, owed.lpa_id, tariff.coverage_year, tariff.month_of_cover, tariff.premium,
         tariff.subsidy_share, tariff.own_share, tariff.earn_months, tariff.scheme, tariff.version, tariff.hash, tariff.entry_id, ?::date
       from owed join tariff on tariff.scheme = owed.rule_scheme and tariff.period = owed.period
         and tariff.month_of_cover = owed.month_of_cover
       order by owed.id, owed.period
       on conflict (enrolment_id, period) do nothing
       returning enrolment_id, period, coverage_year, rule_scheme, rule_version, rule_hash, premium, subsidy_share, own_share,
         earn_months
     ), settled as (
       -- Only where the cycle's month has no due to say it is settled.
       update enrolments set dues_through = ?::date from chunk
       where enrolments.id = chunk.id
         and not exists (select 1 from premium_dues d where d.enrolment_id = chunk.id and d.period = ?::date)
         and chunk.id not in (select enrolment_id from booked where period = ?::date)
     ), seen as (
       -- One probe per due for both: most months neither starts a year nor
       -- changes whether assistance carried it, and then nothing is written.
       select b.enrolment_id, b.coverage_year, bool_or(b.subsidy_share > 0) as subsidised, bool_or(y.subsidised) as known
       from booked b left join enrolment_years y on y.enrolment_id = b.enrolment_id and y.coverage_year = b.coverage_year
       group by b.enrolment_id, b.coverage_year
     ), new_years as (
       insert into enrolment_years (enrolment_id, coverage_year, subsidised)
       select enrolment_id, coverage_year, subsidised from seen where known is null order by enrolment_id, coverage_year
     ), now_subsidised as (
       update enrolment_years set subsidised = true from seen
       where seen.known = false and seen.subsidised
         and enrolment_years.enrolment_id = seen.enrolment_id and enrolment_years.coverage_year = seen.coverage_year
     )
     select (select max(id::text) from chunk) as last_id, (select count(*) from owed) as scanned,
       rule_scheme, rule_version, rule_hash, to_char(period, 'YYYY-MM-DD') as period, premium as unit_premium, earn_months,
       count(booked.*) as booked, sum(premium) as premium, sum(subsidy_share) as subsidy, sum(own_share) as own
     from (select 1) as one left join booked on true
     group by rule_scheme, rule_version, rule_hash, period, premium, earn_months`,
    [
      month.periodEnd,
      month.periodStart,
      after,
      chunkRows,
      month.periodStart,
      JSON.stringify(tariffs),
      month.periodStart,
      month.periodStart,
      month.periodStart,
      month.periodStart,
    ],
  );
  return result.rows;
}

// Which of the months (`YYYY-MM`) have had their premium earned.
export async function monthsEarnedAmong(trx: Knex.Transaction, months: readonly string[]): Promise<Set<string>> {
  return new Set(
    (
      await trx('journal_entries')
        .whereIn(
          'idempotency_key',
          months.map((earning) => `premium-earned:${earning}`),
        )
        .pluck('idempotency_key')
    ).map((key: string) => key.slice('premium-earned:'.length)),
  );
}

export interface DuesToEarn {
  month: string;
  premium: string;
  earn_months: number;
  rule_scheme: string;
  rule_version: string;
  part: number;
  dues: string;
}

// The dues with a part to earn in a month before the one starting on
// `periodStart` whose earning is not booked: one row per month, premium,
// rule version and part, counting the dues.
export async function duesToEarn(db: Db, periodStart: string): Promise<DuesToEarn[]> {
  // Only the months booked whose premiums still have months before this one to earn.
  const earning = await db.raw<{ rows: DuesToEarn[] }>(
    `with unearned (period) as (
       select booked.period from premium_periods booked
       where exists (
         select 1 from generate_series(booked.period, booked.period + (booked.earn_months_max - 1) * interval '1 month',
                                       interval '1 month') as earning (month)
         where earning.month < ?::date
           and not exists (select 1 from journal_entries
                           where idempotency_key = 'premium-earned:' || to_char(earning.month, 'YYYY-MM'))))
     select to_char(earned.month, 'YYYY-MM') as month, d.premium, d.earn_months, d.rule_scheme, d.rule_version,
       ((extract(year from earned.month) - extract(year from d.period)) * 12
         + extract(month from earned.month) - extract(month from d.period))::int as part,
       count(*) as dues
     from premium_dues d
     cross join lateral generate_series(d.period, d.period + (d.earn_months - 1) * interval '1 month', interval '1 month')
       as earned (month)
     where d.period in (select period from unearned) and earned.month < ?::date
       and not exists (select 1 from journal_entries where idempotency_key = 'premium-earned:' || to_char(earned.month, 'YYYY-MM'))
     group by 1, 2, 3, 4, 5, 6`,
    [periodStart, periodStart],
  );
  return earning.rows;
}
