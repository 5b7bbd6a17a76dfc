import { type Amount, fromNumeric, ratioOf, sumAmounts } from '../money/index.ts';

// The microinsurance key performance indicators (the Microinsurance
// Network's, as IRIS defines them) for one period and one group of the
// fund: pure, from figures the books and the registers give. Ratios are to
// four places, null when there is nothing to divide by.

export interface IndicatorFigures {
  readonly earnedPremium: Amount;
  readonly claimsPaid: Amount;
  // Claims approved and not yet paid (the case reserves), at the period's start and end.
  readonly caseReserves: { readonly opening: Amount; readonly closing: Amount };
  readonly ibnr: { readonly opening: Amount; readonly closing: Amount };
  readonly honoraria: Amount;
  readonly strengthening: Amount;
  readonly otherOperatingCosts: Amount;
  readonly claimsDecided: number;
  readonly rejectionsByReason: ReadonlyMap<string, number>;
  readonly settlements: readonly Settlement[];
  // Members whose coverage year ended in the period, and of them those who went on into the next.
  readonly renewal: { readonly due: number; readonly renewed: number };
  readonly members: { readonly opening: number; readonly closing: number };
  // The target population the regencies of the group declared (their informal workers, say), and
  // the members in cover at the end in those regencies; null when none declared one.
  readonly coverage: { readonly members: number; readonly targetPopulation: number } | null;
  // Members past premium assistance, and of them those paying their own share.
  readonly graduation: { readonly pastAssistance: number; readonly selfPaying: number };
  // The fund's balance sheet at the end; null for a part of the fund, which has none of its own.
  readonly balance: FundBalance | null;
}

export interface FundBalance {
  readonly assets: Amount;
  readonly liabilities: Amount;
  readonly cash: Amount;
  // Claims payable and the reserves due within a month: what cash must meet soon.
  readonly dueWithinMonth: Amount;
}

// One claim paid in the period, in days.
export interface Settlement {
  readonly incidentToDecision: number;
  readonly incidentToPayment: number;
  // From the day its documents were complete.
  readonly documentsToPayment: number;
  // For a death benefit: paid within the working days its rules set; null for other claims.
  readonly deathBenefitOnTime: boolean | null;
}

export const promptnessBands = ['0-7', '8-30', '31-90', '91+'] as const;
export type PromptnessBand = (typeof promptnessBands)[number];

export interface Promptness {
  readonly claims: number;
  readonly bands: Readonly<Record<PromptnessBand, number>>;
  // Days; halves when the count is even and the middle two differ.
  readonly median: string | null;
}

export interface Indicators {
  readonly incurredClaimsRatio: string | null;
  readonly expenseRatio: string | null;
  readonly combinedRatio: string | null;
  readonly claimsRejectionRatio: string | null;
  readonly rejectionsByReason: ReadonlyMap<string, number>;
  readonly promptness: {
    readonly incidentToDecision: Promptness;
    readonly incidentToPayment: Promptness;
    readonly documentsToPayment: Promptness;
    // The Indonesian micro-insurance rule: paid within 10 days of complete documents.
    readonly paidWithinTenDaysOfDocuments: string | null;
    readonly deathBenefitsOnTime: string | null;
  };
  readonly renewalRatio: string | null;
  readonly growthRatio: string | null;
  readonly coverageRatio: string | null;
  readonly graduationRatio: string | null;
  readonly solvencyRatio: string | null;
  readonly liquidityRatio: string | null;
}

// The Indonesian micro-insurance rule the field measures against: a claim
// paid within ten days of its documents being complete. A yardstick set
// outside the fund, not one of its policies, so it is not in the rules.
const paymentDaysAfterDocumentsMax = 10;

export function computeIndicators(figures: IndicatorFigures): Indicators {
  const incurred = figures.claimsPaid
    .plus(figures.caseReserves.closing.minus(figures.caseReserves.opening))
    .plus(figures.ibnr.closing.minus(figures.ibnr.opening));
  const expenses = sumAmounts([figures.honoraria, figures.strengthening, figures.otherOperatingCosts]);
  const rejected = [...figures.rejectionsByReason.values()].reduce((total, count) => total + count, 0);
  const { settlements } = figures;
  const deaths = settlements.filter((settlement) => settlement.deathBenefitOnTime !== null);
  return {
    incurredClaimsRatio: ratioOf(incurred, figures.earnedPremium),
    expenseRatio: ratioOf(expenses, figures.earnedPremium),
    combinedRatio: ratioOf(incurred.plus(expenses), figures.earnedPremium),
    claimsRejectionRatio: countRatio(rejected, figures.claimsDecided),
    rejectionsByReason: figures.rejectionsByReason,
    promptness: {
      incidentToDecision: promptness(settlements.map((settlement) => settlement.incidentToDecision)),
      incidentToPayment: promptness(settlements.map((settlement) => settlement.incidentToPayment)),
      documentsToPayment: promptness(settlements.map((settlement) => settlement.documentsToPayment)),
      paidWithinTenDaysOfDocuments: countRatio(
        settlements.filter((settlement) => settlement.documentsToPayment <= paymentDaysAfterDocumentsMax).length,
        settlements.length,
      ),
      deathBenefitsOnTime: countRatio(
        deaths.filter((settlement) => settlement.deathBenefitOnTime === true).length,
        deaths.length,
      ),
    },
    renewalRatio: countRatio(figures.renewal.renewed, figures.renewal.due),
    growthRatio: countRatio(figures.members.closing - figures.members.opening, figures.members.opening),
    coverageRatio: figures.coverage === null ? null : countRatio(figures.coverage.members, figures.coverage.targetPopulation),
    graduationRatio: countRatio(figures.graduation.selfPaying, figures.graduation.pastAssistance),
    solvencyRatio: figures.balance === null ? null : ratioOf(figures.balance.assets, figures.balance.liabilities),
    liquidityRatio: figures.balance === null ? null : ratioOf(figures.balance.cash, figures.balance.dueWithinMonth),
  };
}

// Days into the bands the field reports, with the median.
export function promptness(days: readonly number[]): Promptness {
  const bands: Record<PromptnessBand, number> = { '0-7': 0, '8-30': 0, '31-90': 0, '91+': 0 };
  for (const day of days) bands[day <= 7 ? '0-7' : day <= 30 ? '8-30' : day <= 90 ? '31-90' : '91+'] += 1;
  const sorted = [...days].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? null
      : sorted.length % 2 === 1
        ? String(sorted[middle])
        : halfOf((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0));
  return { claims: days.length, bands, median };
}

// Counts are whole numbers: their ratio is exact before it is rounded.
function countRatio(numerator: number, denominator: number): string | null {
  return ratioOf(fromNumeric(String(numerator)), fromNumeric(String(denominator)));
}

function halfOf(total: number): string {
  return total % 2 === 0 ? String(total / 2) : `${(total - 1) / 2}.5`;
}
