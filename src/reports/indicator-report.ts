import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { type Amount, toAmountString } from '../money/index.ts';
import { reportOutputQuery, type ReportColumn, type ReportScope, type ReportTable } from '../shared/table.ts';
import { type IndicatorGroup, type IndicatorGrouping, indicatorGroupings, indicatorGroups } from './indicator-groups.ts';
import { indicatorSources } from './indicator-store.ts';
import { computeIndicators, type Indicators, type Promptness, promptnessBands } from './indicators.ts';

// A month (answered with the year to date as well), or any span of days.
export const indicatorReportQuerySchema = z
  .strictObject({
    month: monthSchema
      .optional()
      .meta({ description: 'A month, YYYY-MM: answered for the month and for the year to its end. Or give from and to.' }),
    from: isoDateSchema.optional().meta({ description: 'First day of a period, YYYY-MM-DD (with to, instead of month).' }),
    to: isoDateSchema.optional().meta({ description: 'Last day of the period, YYYY-MM-DD.' }),
    by: z
      .enum(indicatorGroupings)
      .default('fund')
      .meta({ description: 'A row for the whole fund (default), or one per scheme, province, regency or LPA.' }),
    ...reportOutputQuery,
  })
  .superRefine((query, context) => {
    const issue = (field: string, message: string) => context.addIssue({ code: 'custom', path: [field], message });
    if (query.month !== undefined) {
      if (query.from !== undefined) issue('from', 'give month, or from and to, not both');
      if (query.to !== undefined) issue('to', 'give month, or from and to, not both');
    } else if (query.from === undefined && query.to === undefined) issue('month', 'give month (YYYY-MM), or from and to');
    else if (query.from === undefined) issue('from', 'is needed with to');
    else if (query.to === undefined) issue('to', 'is needed with from');
    else if (query.to < query.from) issue('to', 'must not be before from');
  });
export type IndicatorReportQuery = z.output<typeof indicatorReportQuerySchema>;

export interface IndicatorPeriod {
  readonly label: 'month' | 'year to date' | 'period';
  readonly from: string;
  readonly to: string;
}

// The periods a query asks for: a month and its year to date, or the days given.
export function indicatorPeriods(query: Pick<IndicatorReportQuery, 'month' | 'from' | 'to'>): IndicatorPeriod[] {
  if (query.month !== undefined) {
    const end = lastDayOfMonth(query.month);
    return [
      { label: 'month', from: `${query.month}-01`, to: end },
      { label: 'year to date', from: `${query.month.slice(0, 4)}-01-01`, to: end },
    ];
  }
  if (query.from === undefined || query.to === undefined) throw new Error('an indicator query without month or from and to');
  return [{ label: 'period', from: query.from, to: query.to }];
}

// What a file of the report is called: by its month, or its days.
export function indicatorReportName(query: IndicatorReportQuery): string {
  const period = query.month ?? `${query.from}-${query.to}`;
  return `indicators-${period}${query.by === 'fund' ? '' : `-by-${query.by}`}`;
}

// The fund's performance indicators, a row per period and group with every
// indicator in a column of its own and the figures each rests on beside
// it, so a reader can redo the arithmetic in a spreadsheet
// (docs/indicators.md). A dinsos key reads its regency, an LPA key itself:
// their rows sum only what is theirs, without the fund's balance sheet.
export async function indicatorReport(
  db: Db,
  periods: readonly IndicatorPeriod[],
  by: IndicatorGrouping,
  scope: ReportScope,
): Promise<ReportTable> {
  const [table] = await indicatorReports(db, periods, [by], scope);
  if (table === undefined) throw new Error('an indicator report asked for one grouping answered none');
  return table;
}

// The same report in several groupings, from one read of what the
// indicators rest on: the monthly job keeps the fund's and each
// province's, regency's and LPA's for the price of one.
export async function indicatorReports(
  db: Db,
  periods: readonly IndicatorPeriod[],
  groupings: readonly IndicatorGrouping[],
  scope: ReportScope,
): Promise<ReportTable[]> {
  const fundName =
    scope.lpaId !== undefined ? 'this LPA' : scope.regencyCode !== undefined ? `regency ${scope.regencyCode}` : 'the whole fund';
  const sources = await indicatorSources(db, periods, scope);
  return groupings.map((by) => indicatorTable(periods, by, fundName, sources));
}

function indicatorTable(
  periods: readonly IndicatorPeriod[],
  by: IndicatorGrouping,
  fundName: string,
  sources: Awaited<ReturnType<typeof indicatorSources<IndicatorPeriod>>>,
): ReportTable {
  const groups = sources.flatMap(({ period, ...periodSources }) =>
    indicatorGroups({ by, ...periodSources, fundName }).map((group) => ({
      period,
      group,
      indicators: computeIndicators(group.figures),
    })),
  );
  // A column per reason any row rejected for; a row without it rejected none for it.
  const reasons = [...new Set(groups.flatMap(({ indicators }) => [...indicators.rejectionsByReason.keys()]))].sort();
  const [first] = periods;
  const span = first?.label === 'month' ? `${first.from.slice(0, 7)} and the year to date` : `${first?.from} to ${first?.to}`;
  return {
    title: `Performance indicators ${span}${by === 'fund' ? '' : ` by ${by}`}`,
    about: {
      periods: periods.map((period) => `${period.label} ${period.from} to ${period.to}`).join('; '),
      grouping: by,
      scope: fundName,
      definitions: 'docs/indicators.md',
    },
    columns: [...columns, ...reasons.map((reason) => count(`rejected:${reason}`, `Rejected: ${reason}`))],
    rows: groups.map(({ period, group, indicators }) => ({
      ...indicatorRow(period, group, indicators),
      ...Object.fromEntries(reasons.map((reason) => [`rejected:${reason}`, indicators.rejectionsByReason.get(reason) ?? 0])),
    })),
  };
}

const text = (key: string, header: string): ReportColumn => ({ key, header, kind: 'text' });
const ratio = (key: string, header: string): ReportColumn => ({ key, header, kind: 'ratio' });
const money = (key: string, header: string): ReportColumn => ({ key, header, kind: 'amount' });
const count = (key: string, header: string): ReportColumn => ({ key, header, kind: 'integer' });

const promptnessMeasures = {
  incidentToDecision: 'incident to decision',
  incidentToPayment: 'incident to payment',
  documentsToPayment: 'complete documents to payment',
} as const;

const columns: readonly ReportColumn[] = [
  text('period', 'Period'),
  text('from', 'From'),
  text('to', 'To'),
  text('group', 'Grouping'),
  text('code', 'Code'),
  text('name', 'Name'),
  ratio('incurredClaimsRatio', 'Incurred claims ratio'),
  ratio('expenseRatio', 'Expense ratio'),
  ratio('combinedRatio', 'Combined ratio'),
  ratio('claimsRejectionRatio', 'Claims rejection ratio'),
  ratio('paidWithinTenDaysOfDocuments', 'Paid within 10 days of complete documents'),
  ratio('deathBenefitsOnTime', 'Death benefits within the rules’ working days'),
  ratio('renewalRatio', 'Renewal ratio'),
  ratio('growthRatio', 'Growth ratio'),
  ratio('coverageRatio', 'Coverage ratio'),
  ratio('graduationRatio', 'Graduation to self-payment'),
  ratio('solvencyRatio', 'Solvency ratio'),
  ratio('liquidityRatio', 'Liquidity ratio'),
  money('earnedPremium', 'Earned premium'),
  money('claimsPaid', 'Claims paid'),
  money('caseReservesOpening', 'Case reserves at the start'),
  money('caseReservesClosing', 'Case reserves at the end'),
  money('ibnrOpening', 'IBNR at the start'),
  money('ibnrClosing', 'IBNR at the end'),
  money('honoraria', 'LPA honoraria'),
  money('strengthening', 'LPA strengthening'),
  money('otherOperatingCosts', 'Other operating costs'),
  count('claimsDecided', 'Claims decided'),
  count('claimsRejected', 'Claims rejected'),
  count('claimsSettled', 'Claims paid (count)'),
  count('deathBenefitsPaid', 'Death benefits paid'),
  count('membersOpening', 'Members at the start'),
  count('membersClosing', 'Members at the end'),
  count('renewalsDue', 'Coverage years ended'),
  count('renewed', 'Renewed'),
  count('coverageMembers', 'Members in regencies with a target'),
  count('targetPopulation', 'Target population'),
  count('pastAssistance', 'Members past premium assistance'),
  count('selfPaying', 'Of them paying their own share'),
  ...Object.entries(promptnessMeasures).flatMap(([key, label]) => [
    ...promptnessBands.map((band) => count(`${key}:${band}`, `Days ${label}: ${band.replace('-', '–')}`)),
    text(`${key}:median`, `Days ${label}: median`),
  ]),
  money('assets', 'Fund assets'),
  money('liabilities', 'Fund liabilities'),
  money('cash', 'Fund cash'),
  money('dueWithinMonth', 'Due within a month'),
];

function indicatorRow(period: IndicatorPeriod, group: IndicatorGroup, indicators: Indicators) {
  const { figures } = group;
  const amountOf = (value: Amount | undefined) => (value === undefined ? null : toAmountString(value));
  const promptnessCells = (key: string, days: Promptness) => ({
    ...Object.fromEntries(promptnessBands.map((band) => [`${key}:${band}`, days.bands[band]])),
    [`${key}:median`]: days.median,
  });
  return {
    period: period.label,
    from: period.from,
    to: period.to,
    group: group.section,
    code: group.code,
    name: group.name,
    incurredClaimsRatio: indicators.incurredClaimsRatio,
    expenseRatio: indicators.expenseRatio,
    combinedRatio: indicators.combinedRatio,
    claimsRejectionRatio: indicators.claimsRejectionRatio,
    paidWithinTenDaysOfDocuments: indicators.promptness.paidWithinTenDaysOfDocuments,
    deathBenefitsOnTime: indicators.promptness.deathBenefitsOnTime,
    renewalRatio: indicators.renewalRatio,
    growthRatio: indicators.growthRatio,
    coverageRatio: indicators.coverageRatio,
    graduationRatio: indicators.graduationRatio,
    solvencyRatio: indicators.solvencyRatio,
    liquidityRatio: indicators.liquidityRatio,
    earnedPremium: toAmountString(figures.earnedPremium),
    claimsPaid: toAmountString(figures.claimsPaid),
    caseReservesOpening: toAmountString(figures.caseReserves.opening),
    caseReservesClosing: toAmountString(figures.caseReserves.closing),
    ibnrOpening: toAmountString(figures.ibnr.opening),
    ibnrClosing: toAmountString(figures.ibnr.closing),
    honoraria: toAmountString(figures.honoraria),
    strengthening: toAmountString(figures.strengthening),
    otherOperatingCosts: toAmountString(figures.otherOperatingCosts),
    claimsDecided: figures.claimsDecided,
    claimsRejected: [...figures.rejectionsByReason.values()].reduce((sum, claims) => sum + claims, 0),
    claimsSettled: figures.settlements.length,
    deathBenefitsPaid: figures.settlements.filter((settlement) => settlement.deathBenefitOnTime !== null).length,
    membersOpening: figures.members.opening,
    membersClosing: figures.members.closing,
    renewalsDue: figures.renewal.due,
    renewed: figures.renewal.renewed,
    coverageMembers: figures.coverage?.members ?? null,
    targetPopulation: figures.coverage?.targetPopulation ?? null,
    pastAssistance: figures.graduation.pastAssistance,
    selfPaying: figures.graduation.selfPaying,
    ...promptnessCells('incidentToDecision', indicators.promptness.incidentToDecision),
    ...promptnessCells('incidentToPayment', indicators.promptness.incidentToPayment),
    ...promptnessCells('documentsToPayment', indicators.promptness.documentsToPayment),
    assets: amountOf(figures.balance?.assets),
    liabilities: amountOf(figures.balance?.liabilities),
    cash: amountOf(figures.balance?.cash),
    dueWithinMonth: amountOf(figures.balance?.dueWithinMonth),
  };
}
