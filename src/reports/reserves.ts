import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { balancesByScheme } from '../ledger/store.ts';
import { amount, type Amount, formatRupiah, fromNumeric, ratioOf, toAmountString } from '../money/index.ts';
import { ibnrMethodNames } from '../rules/diff.ts';
import type { IbnrMethod } from '../rules/model.ts';
import { percentText } from '../rules/parameters.ts';
import { isoDateSchema } from '../dates.ts';
import {
  type AreaIbnr,
  type CaseReserves,
  caseReservesBy,
  entrySequenceRange,
  ibnrByArea,
  type IbnrEstimateRecord,
  latestIbnrEstimates,
  postedTotal,
  totalsByCode,
} from './store.ts';
import { reportOutputQuery, type ReportScope, type ReportTable } from '../shared/table.ts';

export const reserveReportQuerySchema = z.strictObject({
  asOf: isoDateSchema.meta({ description: 'The day, YYYY-MM-DD: entries dated on or before it count.' }),
  ...reportOutputQuery,
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
  // A fund line holds an amount, or a ratio in a column of its own, so a spreadsheet shows each as what it is.
  const fund = (key: string, name: string, value: Amount | { ratio: string | null }) => ({
    section: 'fund',
    key,
    name,
    claims: null,
    amount: 'ratio' in value ? null : toAmountString(value),
    ratio: 'ratio' in value ? value.ratio : null,
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
          fund('adequacy', 'Adequacy: assets / reserves', { ratio: ratioOf(assets, reserves) }),
          fund('earned', `Premium earned ${yearStart} to ${asOf}`, earned),
          fund('incurred', `Claims incurred ${yearStart} to ${asOf}`, incurred),
          fund('paid', `Claims paid ${yearStart} to ${asOf}`, paid),
          fund('loss-ratio', 'Loss ratio: claims incurred / premium earned', { ratio: ratioOf(incurred, earned) }),
          fund('claims-ratio', 'Claims ratio: claims paid / premium earned', { ratio: ratioOf(paid, earned) }),
        ]
      : [];
  const entries = await entrySequenceRange(db, { dateTo: asOf });
  const estimates = await latestIbnrEstimates(db, asOf);
  const whole = scope.lpaId === undefined && scope.regencyCode === undefined;
  return {
    title: `Reserves as of ${asOf}`,
    about: {
      'as of': asOf,
      'ledger entries (sequence)':
        entries === null ? `none dated on or before ${asOf}` : `up to ${entries.last}, dated on or before ${asOf}`,
      'IBNR method': ibnrMethods(estimates),
    },
    columns: [
      { key: 'section', header: 'Section', kind: 'text' },
      { key: 'key', header: 'Key', kind: 'text' },
      { key: 'name', header: 'Name', kind: 'text' },
      { key: 'claims', header: 'Claims (accepted unpaid or referred)', kind: 'integer' },
      { key: 'amount', header: 'Amount', kind: 'amount' },
      { key: 'ratio', header: 'Ratio', kind: 'ratio' },
      { key: 'referred', header: 'Referred (not booked)', kind: 'amount' },
      { key: 'ibnr', header: 'IBNR held', kind: 'amount' },
    ],
    rows: [
      ...fundRows,
      ...(whole ? methodRows(estimates) : []),
      ...breakdown.map((row) => ({
        section: row.section,
        key: row.key,
        name: row.name,
        claims: row.claims,
        amount: toAmountString(row.reserve),
        ratio: null,
        referred: toAmountString(row.referred),
        ibnr: row.ibnr === null ? null : toAmountString(row.ibnr),
      })),
    ],
  };
}

interface BreakdownRow extends CaseReserves {
  // Null on scheme rows outside the whole fund's view: a scheme's IBNR is not the LPA's to see.
  readonly ibnr: Amount | null;
}

// Each scheme's row carries the IBNR its rules had booked by the day (the
// whole fund's view only); each province, regency and LPA its share of its
// schemes' latest estimates (shared by premium earned). A row is added for
// a scheme or area that holds IBNR and no case reserve.
function withIbnr(
  breakdown: readonly CaseReserves[],
  ibnrByScheme: ReadonlyMap<string, Amount>,
  ibnrByArea: readonly AreaIbnr[],
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

const sectionOrder = ['scheme', 'province', 'regency', 'lpa'];

// How the IBNR held on the day was set: each scheme's latest month-end estimate.
function ibnrMethods(estimates: readonly IbnrEstimateRecord[]): string {
  if (estimates.length === 0) return 'none estimated by this day';
  return estimates
    .map((row) => {
      const month = row.period.slice(0, 7);
      const booked = `earned ${formatRupiah(fromNumeric(row.earned))}, IBNR ${formatRupiah(fromNumeric(row.ibnr))}`;
      const declared = row.declared_method;
      if (declared === null || row.rate === null || row.months === null)
        return `${row.rule_scheme}@${row.rule_version} at the end of ${month}: none declared; ${booked}`;
      if (declared === 'earned-premium-share')
        return `${row.rule_scheme}@${row.rule_version} at the end of ${month}: ${percentText(row.rate)} of premium earned over ${row.months} months; ${booked}`;
      const used = ibnrMethodNames[row.method as IbnrMethod['method']];
      const instead =
        row.fallback_reason === null ? '' : ` in place of the ${ibnrMethodNames[declared]} (${row.fallback_reason})`;
      return `${row.rule_scheme}@${row.rule_version} at the end of ${month}: ${used}${instead} on the last ${row.months} months, expected loss ratio ${percentText(row.rate)}; ${booked}`;
    })
    .join('; ');
}

// Every triangle method's IBNR beside the one booked, scheme by scheme, as
// each stood at the scheme's latest month-end estimate; beside a share of
// earned premium, the chain ladder on the same months.
function methodRows(estimates: readonly IbnrEstimateRecord[]) {
  return estimates.flatMap((row) => {
    const kept = row.methods;
    if (kept === null) return [];
    const ladder = kept.chainLadder;
    const bf = kept.bornhuetterFerguson;
    const elr = kept.expectedLossRatio;
    const figures: { method: IbnrMethod['method']; ibnr: string | null; note: string }[] = [
      'reason' in ladder
        ? { method: 'chain-ladder', ibnr: null, note: `could not run: ${ladder.reason}` }
        : {
            method: 'chain-ladder',
            ibnr: ladder.ibnr,
            note:
              ladder.standardError === null
                ? 'no Mack standard error'
                : `Mack standard error ${formatRupiah(fromNumeric(ladder.standardError))}`,
          },
      'reason' in bf
        ? { method: 'bornhuetter-ferguson', ibnr: null, note: `could not run: ${bf.reason}` }
        : { method: 'bornhuetter-ferguson', ibnr: bf.ibnr, note: '' },
      'reason' in elr
        ? { method: 'expected-loss-ratio', ibnr: null, note: `could not run: ${elr.reason}` }
        : { method: 'expected-loss-ratio', ibnr: elr.ibnr, note: '' },
    ];
    // A share of earned premium is none of the three: it is shown as booked, beside them.
    if (row.method === 'earned-premium-share') figures.unshift({ method: 'earned-premium-share', ibnr: row.ibnr, note: '' });
    return figures.map((figure) => {
      const chosen = figure.method === row.method;
      const notes = [
        figure.note,
        chosen ? 'booked' : '',
        figure.method === row.declared_method ? 'declared' : '',
        `${kept.history} months of history at the end of ${row.period.slice(0, 7)}`,
      ].filter((note) => note !== '');
      return {
        section: 'ibnr-method',
        key: `${row.rule_scheme}:${figure.method}`,
        name: `${row.rule_scheme}: ${ibnrMethodNames[figure.method]} (${notes.join('; ')})`,
        claims: null,
        amount: figure.ibnr,
        ratio: null,
        referred: null,
        ibnr: chosen ? toAmountString(fromNumeric(row.ibnr)) : null,
      };
    });
  });
}
