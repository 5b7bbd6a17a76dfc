import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { balancesByScheme, entrySequenceRange, postedTotal, referenceBalances, totalsByCode } from '../ledger/store.ts';
import { amount, type Amount, formatRupiah, fromNumeric, ratioOf, toAmountString } from '../money/index.ts';
import { describeIbnr } from '../rules/diff.ts';
import { isoDateSchema } from '../dates.ts';
import { reportFormatSchema, type ReportScope, type ReportTable } from '../shared/table.ts';

export const reserveReportQuerySchema = z.strictObject({
  asOf: isoDateSchema.meta({ description: 'The day, YYYY-MM-DD: entries dated on or before it count.' }),
  format: reportFormatSchema,
});

// The reserves as of a day, read from the ledger so they reconcile with it:
// case reserves (claims payable 2100: claims accepted and not yet paid),
// claims referred to the directorate at the amount the rules would pay (not
// booked until approved), IBNR (2200, set at each month's end by the method
// each scheme's rules declare) and unearned premium (2300) against
// what the fund holds (cash 1100, subsidy receivable 1200, contributions
// receivable 1400); with the loss and claims ratios of the year to that
// day. Case reserves and referred claims are also given by scheme,
// province, regency and LPA, and so is IBNR. A dinsos or LPA key sees only its breakdown.
export async function reserveReport(db: Db, asOf: string, scope: ReportScope): Promise<ReportTable> {
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const byCode = await totalsByCode(db, yearStart, asOf);
  const balance = (code: string) => byCode.get(code)?.balance ?? amount('0');
  const year = (code: string) => byCode.get(code)?.period ?? amount('0');
  // Liabilities and income carry credit balances: shown as positive amounts.
  const caseReserves = balance(chart.claimsPayable.code).negated();
  const ibnr = balance(chart.ibnrReserve.code).negated();
  const unearned = balance(chart.unearnedPremiumReserve.code).negated();
  const assets = balance(chart.cashAtBank.code)
    .plus(balance(chart.subsidyReceivable.code))
    .plus(balance(chart.contributionsReceivable.code));
  const earned = year(chart.premiumIncome.code).negated();
  const incurred = year(chart.claimsExpense.code);
  const paid = await postedTotal(db, {
    code: chart.claimsPayable.code,
    referenceType: 'claim',
    side: 'debit',
    from: yearStart,
    to: asOf,
  });
  const reserves = caseReserves.plus(ibnr).plus(unearned);

  const ibnrByScheme = await balancesByScheme(db, chart.ibnrReserve.code, asOf);
  const breakdown = withIbnr(await caseReservesBy(db, asOf, scope), ibnrByScheme, await ibnrByArea(db, asOf, scope), scope);
  const referred = breakdown.filter((row) => row.section === 'scheme').reduce((sum, row) => sum.plus(row.referred), amount('0'));
  const fund = (key: string, name: string, value: Amount | string | null) => ({
    section: 'fund',
    key,
    name,
    claims: null,
    amount: value === null ? null : typeof value === 'string' ? value : toAmountString(value),
    referred: null,
    ibnr: null,
  });
  const fundRows =
    scope.lpaId === undefined && scope.regencyCode === undefined
      ? [
          fund(chart.claimsPayable.code, 'Case reserves: claims accepted, not yet paid', caseReserves),
          fund('referred', 'Claims referred for review, at the amount the rules would pay (not booked)', referred),
          fund(chart.ibnrReserve.code, 'IBNR: incurred but not reported', ibnr),
          fund(chart.unearnedPremiumReserve.code, 'Unearned premium reserve', unearned),
          fund('reserves', 'Reserves: case reserves + IBNR + unearned premium', reserves),
          fund('assets', 'Fund assets: cash, subsidy and contributions receivable', assets),
          fund('adequacy', 'Adequacy: assets / reserves', ratioOf(assets, reserves)),
          fund('earned', `Premium earned ${yearStart} to ${asOf}`, earned),
          fund('incurred', `Claims incurred ${yearStart} to ${asOf}`, incurred),
          fund('paid', `Claims paid ${yearStart} to ${asOf}`, paid),
          fund('loss-ratio', 'Loss ratio: claims incurred / premium earned', ratioOf(incurred, earned)),
          fund('claims-ratio', 'Claims ratio: claims paid / premium earned', ratioOf(paid, earned)),
        ]
      : [];
  const entries = await entrySequenceRange(db, { dateTo: asOf });
  return {
    title: `Reserves as of ${asOf}`,
    about: {
      'as of': asOf,
      'ledger entries (sequence)':
        entries === null ? `none dated on or before ${asOf}` : `up to ${entries.last}, dated on or before ${asOf}`,
      'IBNR method': await ibnrMethods(db, asOf),
    },
    columns: [
      { key: 'section', header: 'Section', kind: 'text' },
      { key: 'key', header: 'Key', kind: 'text' },
      { key: 'name', header: 'Name', kind: 'text' },
      { key: 'claims', header: 'Claims (accepted unpaid or referred)', kind: 'integer' },
      { key: 'amount', header: 'Amount or ratio', kind: 'amount' },
      { key: 'referred', header: 'Referred (not booked)', kind: 'amount' },
      { key: 'ibnr', header: 'IBNR held', kind: 'amount' },
    ],
    rows: [
      ...fundRows,
      ...breakdown.map((row) => ({
        section: row.section,
        key: row.key,
        name: row.name,
        claims: row.claims,
        amount: toAmountString(row.reserve),
        referred: toAmountString(row.referred),
        ibnr: row.ibnr === null ? null : toAmountString(row.ibnr),
      })),
    ],
  };
}

interface BreakdownRow {
  readonly section: 'scheme' | 'province' | 'regency' | 'lpa';
  readonly key: string;
  readonly name: string;
  readonly claims: number;
  readonly reserve: Amount;
  readonly referred: Amount;
  // Null on scheme rows outside the whole fund's view: a scheme's IBNR is not the LPA's to see.
  readonly ibnr: Amount | null;
}

// Each scheme's row carries the IBNR its rules had booked by the day (the
// whole fund's view only); each province, regency and LPA its share of its
// schemes' latest estimates (shared by premium earned). A row is added for
// a scheme or area that holds IBNR and no case reserve.
function withIbnr(
  breakdown: readonly Omit<BreakdownRow, 'ibnr'>[],
  ibnrByScheme: ReadonlyMap<string, Amount>,
  ibnrByArea: readonly { section: BreakdownRow['section']; key: string; name: string; ibnr: Amount }[],
  scope: ReportScope,
): BreakdownRow[] {
  const whole = scope.lpaId === undefined && scope.regencyCode === undefined;
  const rows = new Map<string, BreakdownRow>(
    breakdown.map((row) => [
      `${row.section}:${row.key}`,
      { ...row, ibnr: row.section !== 'scheme' ? amount('0') : whole ? amount('0') : null },
    ]),
  );
  const held = [
    ...(whole
      ? [...ibnrByScheme]
          .filter(([scheme]) => scheme !== '')
          .map(([scheme, balance]) => ({ section: 'scheme' as const, key: scheme, name: scheme, ibnr: balance.negated() }))
      : []),
    ...ibnrByArea,
  ];
  for (const part of held) {
    const key = `${part.section}:${part.key}`;
    const row = rows.get(key);
    if (row !== undefined) rows.set(key, { ...row, ibnr: part.ibnr });
    else if (!part.ibnr.isZero()) rows.set(key, { ...part, claims: 0, reserve: amount('0'), referred: amount('0') });
  }
  return [...rows.values()].sort(
    (a, b) => sectionOrder.indexOf(a.section) - sectionOrder.indexOf(b.section) || a.key.localeCompare(b.key),
  );
}

// Each area's share of the latest IBNR estimate of every scheme made by the day.
async function ibnrByArea(
  db: Db,
  asOf: string,
  scope: ReportScope,
): Promise<{ section: BreakdownRow['section']; key: string; name: string; ibnr: Amount }[]> {
  const result = await db.raw<{ rows: { section: BreakdownRow['section']; key: string; name: string; ibnr: string }[] }>(
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

const sectionOrder = ['scheme', 'province', 'regency', 'lpa'];

// How the IBNR held on the day was set: each scheme's latest month-end estimate.
async function ibnrMethods(db: Db, asOf: string): Promise<string> {
  const estimates = await db.raw<{
    rows: {
      rule_scheme: string;
      rule_version: string;
      period: string;
      method: string;
      rate: string | null;
      months: number | null;
      earned: string;
      ibnr: string;
    }[];
  }>(
    `select distinct on (rule_scheme) rule_scheme, rule_version, period, method, rate, months, earned, ibnr
     from ibnr_estimates where (period + interval '1 month' - interval '1 day')::date <= ?::date
     order by rule_scheme, period desc`,
    [asOf],
  );
  if (estimates.rows.length === 0) return 'none estimated by this day';
  return estimates.rows
    .map((row) => {
      const month = row.period.slice(0, 7);
      const method = describeIbnr(
        row.rate === null || row.months === null ? undefined : { rate: row.rate, months: String(row.months) },
      );
      return `${row.rule_scheme}@${row.rule_version} at the end of ${month}: ${method}; earned ${formatRupiah(fromNumeric(row.earned))}, IBNR ${formatRupiah(fromNumeric(row.ibnr))}`;
    })
    .join('; ');
}

// Each claim's own reserve is what its entries left in claims payable by the
// day; a referred claim has none yet, only its amount.
async function caseReservesBy(db: Db, asOf: string, scope: ReportScope): Promise<Omit<BreakdownRow, 'ibnr'>[]> {
  const result = await db.raw<{
    rows: { section: BreakdownRow['section']; key: string; name: string; claims: string; reserve: string; referred: string }[];
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
