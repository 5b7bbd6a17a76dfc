import type { Db } from '../db/knex.ts';
import { toAmountString } from '../money/index.ts';
import { dateRangeQuerySchema, type ReportTable } from '../shared/table.ts';
import { fundIndicatorFigures } from './indicator-store.ts';
import { computeIndicators, type Promptness, promptnessBands } from './indicators.ts';

export const indicatorReportQuerySchema = dateRangeQuerySchema(
  'First day of the period, YYYY-MM-DD: a month, or a year to date.',
  'Last day of the period, YYYY-MM-DD.',
);

// The fund's performance indicators over a period, with the figures each
// rests on, so that a reader can redo the arithmetic (docs/indicators.md).
export async function indicatorReport(db: Db, from: string, to: string): Promise<ReportTable> {
  const figures = await fundIndicatorFigures(db, from, to);
  const indicators = computeIndicators(figures);
  const row = (section: string, measure: string, value: string | number | null, band: string | null = null) => ({
    section,
    measure,
    band,
    value: value === null ? null : String(value),
  });
  const promptnessRows = (measure: string, days: Promptness) => [
    ...promptnessBands.map((band) => row('promptness', measure, days.bands[band], band)),
    row('promptness', measure, days.median, 'median days'),
  ];
  return {
    title: `Performance indicators ${from} to ${to}`,
    about: { period: `${from} to ${to}`, scope: 'the whole fund', definitions: 'docs/indicators.md' },
    columns: [
      { key: 'section', header: 'Section', kind: 'text' },
      { key: 'measure', header: 'Measure', kind: 'text' },
      { key: 'band', header: 'Band', kind: 'text' },
      { key: 'value', header: 'Value', kind: 'text' },
    ],
    rows: [
      row('ratios', 'incurredClaimsRatio', indicators.incurredClaimsRatio),
      row('ratios', 'expenseRatio', indicators.expenseRatio),
      row('ratios', 'combinedRatio', indicators.combinedRatio),
      row('ratios', 'claimsRejectionRatio', indicators.claimsRejectionRatio),
      row('ratios', 'paidWithinTenDaysOfDocuments', indicators.promptness.paidWithinTenDaysOfDocuments),
      row('ratios', 'deathBenefitsOnTime', indicators.promptness.deathBenefitsOnTime),
      row('ratios', 'renewalRatio', indicators.renewalRatio),
      row('ratios', 'growthRatio', indicators.growthRatio),
      row('ratios', 'coverageRatio', indicators.coverageRatio),
      row('ratios', 'graduationRatio', indicators.graduationRatio),
      row('ratios', 'solvencyRatio', indicators.solvencyRatio),
      row('ratios', 'liquidityRatio', indicators.liquidityRatio),
      ...[...indicators.rejectionsByReason].map(([reason, claims]) => row('rejections', reason, claims)),
      ...promptnessRows('incidentToDecision', indicators.promptness.incidentToDecision),
      ...promptnessRows('incidentToPayment', indicators.promptness.incidentToPayment),
      ...promptnessRows('documentsToPayment', indicators.promptness.documentsToPayment),
      row('figures', 'earnedPremium', toAmountString(figures.earnedPremium)),
      row('figures', 'claimsPaid', toAmountString(figures.claimsPaid)),
      row('figures', 'caseReserves', toAmountString(figures.caseReserves.opening), 'opening'),
      row('figures', 'caseReserves', toAmountString(figures.caseReserves.closing), 'closing'),
      row('figures', 'ibnr', toAmountString(figures.ibnr.opening), 'opening'),
      row('figures', 'ibnr', toAmountString(figures.ibnr.closing), 'closing'),
      row('figures', 'honoraria', toAmountString(figures.honoraria)),
      row('figures', 'strengthening', toAmountString(figures.strengthening)),
      row('figures', 'claimsDecided', figures.claimsDecided),
      row('figures', 'claimsPaidCount', figures.settlements.length),
      row('figures', 'members', figures.members.opening, 'opening'),
      row('figures', 'members', figures.members.closing, 'closing'),
      row('figures', 'renewalsDue', figures.renewal.due),
      row('figures', 'renewed', figures.renewal.renewed),
      row('figures', 'pastAssistance', figures.graduation.pastAssistance),
      row('figures', 'selfPaying', figures.graduation.selfPaying),
      row('figures', 'assets', toAmountString(figures.balance.assets)),
      row('figures', 'liabilities', toAmountString(figures.balance.liabilities)),
      row('figures', 'cash', toAmountString(figures.balance.cash)),
      row('figures', 'dueWithinMonth', toAmountString(figures.balance.dueWithinMonth)),
    ],
  };
}
