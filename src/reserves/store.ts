import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { type Amount, fromNumeric } from '../money/index.ts';
import type { IbnrEstimate, KeptMethods } from './model.ts';

// The reserves' SQL: the IBNR estimates booked each month, their shares
// across the LPAs, and the premium earned they are estimated from.

const allocationRowsPerInsert = 2_000;

// The premium each scheme's members earned over each window of months
// (YYYY-MM to YYYY-MM, both included), LPA by LPA, in the order given:
// every due's premium spread evenly over the months it is earned over, as
// the cycle earns it, counting the months in the window. Exact, unrounded: a
// base for an estimate. One read of the dues serves every window (a month
// and its year to date share nearly all of theirs).
export async function earnedPremiumByWindow(
  db: Db,
  windows: readonly { readonly from: string; readonly to: string }[],
): Promise<Map<string, Map<string, Amount>>[]> {
  const byWindow = windows.map(() => new Map<string, Map<string, Amount>>());
  if (windows.length === 0) return byWindow;
  // Months as YYYY-MM order as their text does.
  const first = windows.map((window) => window.from).reduce((a, b) => (a < b ? a : b));
  const last = windows.map((window) => window.to).reduce((a, b) => (a > b ? a : b));
  // The months whose dues still earn in some window, named in the query so
  // the planner reads one month's dues through the index and a year's by a scan.
  const earning = await db('premium_periods')
    .where('period', '<=', `${last}-01`)
    .whereRaw(`period + (earn_months_max - 1) * interval '1 month' >= ?::date`, [`${first}-01`])
    .pluck<string[]>('period');
  if (earning.length === 0) return byWindow;
  const result = await db.raw<{ rows: { span: number; rule_scheme: string; lpa_id: string; earned: string }[] }>(
    // Summed by scheme, LPA and month before the months are counted: the
    // arithmetic runs on thousands of sums, not millions of dues.
    `with spans (span, first, last) as (
       select span, (extract(year from f) * 12 + extract(month from f))::int, (extract(year from l) * 12 + extract(month from l))::int
       from (values ${windows.map(() => '(?::int, ?::date, ?::date)').join(', ')}) w (span, f, l)
     ),
     sums as materialized (
       select d.rule_scheme, d.lpa_id, d.period, d.earn_months, sum(d.premium) as premium
       from premium_dues d
       where d.period in (${earning.map(() => '?::date').join(', ')})
       group by 1, 2, 3, 4
     ),
     dues as (select s.*, (extract(year from s.period) * 12 + extract(month from s.period))::int as start from sums s)
     select w.span, d.rule_scheme, d.lpa_id,
       sum(d.premium * (least(d.start + d.earn_months - 1, w.last) - greatest(d.start, w.first) + 1) / d.earn_months) as earned
     from dues d join spans w on d.start <= w.last and d.start + d.earn_months - 1 >= w.first
     group by 1, 2, 3
     order by 1, 2, 3`,
    [...windows.flatMap((window, index) => [index, `${window.from}-01`, `${window.to}-01`]), ...earning],
  );
  for (const row of result.rows) {
    const bySchemes = byWindow[row.span];
    const byLpa = bySchemes?.get(row.rule_scheme) ?? new Map<string, Amount>();
    byLpa.set(row.lpa_id, fromNumeric(row.earned));
    bySchemes?.set(row.rule_scheme, byLpa);
  }
  return byWindow;
}

// The premium each scheme earned month by month from `from` to `to`
// (YYYY-MM, both included): each due's premium spread evenly over the months
// it is earned over. Exact, unrounded: the premium of each incident month
// that the loss-ratio methods start from.
export async function earnedPremiumByMonth(db: Db, from: string, to: string): Promise<Map<string, Map<string, Amount>>> {
  const result = await db.raw<{ rows: { rule_scheme: string; month: string; earned: string }[] }>(
    `select d.rule_scheme, to_char(earned.month, 'YYYY-MM') as month, sum(d.premium / d.earn_months) as earned
     from premium_dues d
     cross join lateral generate_series(d.period, d.period + (d.earn_months - 1) * interval '1 month', interval '1 month')
       as earned (month)
     where d.period in (select period from premium_periods
                        where period <= ?::date and period + (earn_months_max - 1) * interval '1 month' >= ?::date)
       and earned.month between ?::date and ?::date
     group by 1, 2`,
    [`${to}-01`, `${from}-01`, `${from}-01`, `${to}-01`],
  );
  const bySchemes = new Map<string, Map<string, Amount>>();
  for (const row of result.rows) {
    const byMonth = bySchemes.get(row.rule_scheme) ?? new Map<string, Amount>();
    byMonth.set(row.month, fromNumeric(row.earned));
    bySchemes.set(row.rule_scheme, byMonth);
  }
  return bySchemes;
}

// One booking of a month's IBNR at a time: the lock is held to the end of
// the transaction.
export async function lockIbnrPeriod(trx: Knex.Transaction, period: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`askesos.ibnr:${period}`]);
}

// Whether the month's IBNR was booked (`periodStart` is its first day).
export async function ibnrBooked(trx: Knex.Transaction, periodStart: string): Promise<boolean> {
  return (await trx('ibnr_estimates').where({ period: periodStart }).first('period')) !== undefined;
}

export interface IbnrEstimateRow {
  period: string;
  rule_scheme: string;
  method: string;
  declared_method: string | null;
  fallback_reason: string | null;
  methods: KeptMethods | null;
  rate: string | null;
  months: number | null;
  earned: string;
  ibnr: string;
  held_before: string;
  rule_version: string;
  rule_hash: string;
  entry_id: string | null;
}

export async function insertIbnrEstimates(trx: Knex.Transaction, rows: readonly IbnrEstimateRow[]): Promise<void> {
  await trx('ibnr_estimates').insert(rows);
}

export interface IbnrAllocationRow {
  period: string;
  rule_scheme: string;
  lpa_id: string;
  earned: string;
  ibnr: string;
}

export async function insertIbnrAllocations(trx: Knex.Transaction, allocations: readonly IbnrAllocationRow[]): Promise<void> {
  await trx.batchInsert('ibnr_allocations', allocations, allocationRowsPerInsert);
}

// The month's IBNR estimates (`period` is YYYY-MM), scheme by scheme.
export async function ibnrEstimates(db: Db, period: string): Promise<IbnrEstimate[]> {
  const rows = await db('ibnr_estimates')
    .where({ period: `${period}-01` })
    .orderBy('rule_scheme')
    .select<
      {
        rule_scheme: string;
        method: string;
        earned: string;
        ibnr: string;
        held_before: string;
        rule_version: string | null;
        rule_hash: string | null;
      }[]
    >('rule_scheme', 'method', 'earned', 'ibnr', 'held_before', 'rule_version', 'rule_hash');
  return rows.map((row) => ({
    scheme: row.rule_scheme,
    method: row.method,
    earned: row.earned,
    ibnr: row.ibnr,
    heldBefore: row.held_before,
    rule: row.rule_version === null || row.rule_hash === null ? null : { version: row.rule_version, hash: row.rule_hash },
  }));
}

export type TriangleBasis = 'incident' | 'payment';

export interface ClaimLagRow {
  readonly origin: string; // incident month, YYYY-MM
  readonly lag: number; // whole calendar months from the incident month
  readonly claims: Amount;
  readonly amount: Amount;
}

// The fund's claims by incident month and months to report (claims accepted
// for payment: approved or paid) or months to payment (paid), up to the end
// of the month `asOf` (YYYY-MM), of one scheme or all. Reversed claims are
// left out: nothing was owed on them in the end.
export async function claimLags(db: Db, basis: TriangleBasis, asOf: string, scheme?: string): Promise<ClaimLagRow[]> {
  const developed = basis === 'incident' ? 'report_date' : 'paid_on';
  const statuses = basis === 'incident' ? ['approved', 'paid'] : ['paid'];
  const asOfStart = `${asOf}-01`;
  const result = await db.raw<{ rows: { origin: string; lag: number | string; claims: string; amount: string }[] }>(
    `select to_char(incident_date, 'YYYY-MM') as origin,
            ((extract(year from ${developed}) * 12 + extract(month from ${developed}))
              - (extract(year from incident_date) * 12 + extract(month from incident_date)))::int as lag,
            count(*) as claims, sum(amount) as amount
     from claims
     where status in (${statuses.map(() => '?').join(', ')})
       and ${developed} < (?::date + interval '1 month')
       ${scheme === undefined ? '' : 'and rule_scheme = ?'}
     group by 1, 2
     order by 1, 2`,
    [...statuses, asOfStart, ...(scheme === undefined ? [] : [scheme])],
  );
  return result.rows.map((row) => ({
    origin: row.origin,
    lag: Number(row.lag),
    claims: fromNumeric(row.claims),
    amount: fromNumeric(row.amount),
  }));
}
