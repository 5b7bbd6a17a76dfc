import { describe, expect, it } from 'vitest';
import { amount } from '../../src/money/index.ts';
import { computeIndicators, type IndicatorFigures, promptness } from '../../src/reports/indicators.ts';

// A fund small enough to check on paper: one month of one regency.
const figures: IndicatorFigures = {
  // 200 member-months at Rp 6,000.
  earnedPremium: amount('1200000.00'),
  claimsPaid: amount('1500000.00'),
  caseReserves: { opening: amount('500000.00'), closing: amount('300000.00') },
  ibnr: { opening: amount('60000.00'), closing: amount('90000.00') },
  honoraria: amount('120000.00'),
  strengthening: amount('50000.00'),
  otherOperatingCosts: amount('10000.00'),
  claimsDecided: 20,
  rejectionsByReason: new Map([
    ['sickness_days_outside_5_10', 2],
    ['missing_documents', 1],
  ]),
  settlements: [
    { incidentToDecision: 3, incidentToPayment: 5, documentsToPayment: 2, deathBenefitOnTime: null },
    { incidentToDecision: 10, incidentToPayment: 12, documentsToPayment: 9, deathBenefitOnTime: null },
    { incidentToDecision: 20, incidentToPayment: 40, documentsToPayment: 35, deathBenefitOnTime: null },
    { incidentToDecision: 2, incidentToPayment: 95, documentsToPayment: 93, deathBenefitOnTime: false },
    { incidentToDecision: 1, incidentToPayment: 3, documentsToPayment: 1, deathBenefitOnTime: true },
  ],
  renewal: { due: 40, renewed: 34 },
  members: { opening: 100, closing: 110 },
  targetPopulation: 440,
  graduation: { pastAssistance: 30, selfPaying: 12 },
  balance: {
    assets: amount('3000000.00'),
    liabilities: amount('1200000.00'),
    cash: amount('900000.00'),
    dueWithinMonth: amount('400000.00'),
  },
};

describe('the microinsurance indicators of a small fund', () => {
  const indicators = computeIndicators(figures);

  it('count claims incurred, not only paid: paid, plus the change in case reserves and in IBNR', () => {
    // 1,500,000 paid − 200,000 fewer case reserves + 30,000 more IBNR = 1,330,000; / 1,200,000 = 1.10833…
    expect(indicators.incurredClaimsRatio).toBe('1.1083');
    // 120,000 honoraria + 50,000 strengthening + 10,000 other = 180,000; / 1,200,000.
    expect(indicators.expenseRatio).toBe('0.1500');
    // (1,330,000 + 180,000) / 1,200,000 = 1.25833…
    expect(indicators.combinedRatio).toBe('1.2583');
  });

  it('give the rejections as a share of the claims decided, with each reason', () => {
    // 2 + 1 rejected of 20 decided.
    expect(indicators.claimsRejectionRatio).toBe('0.1500');
    expect([...indicators.rejectionsByReason]).toEqual([
      ['sickness_days_outside_5_10', 2],
      ['missing_documents', 1],
    ]);
  });

  it('band the days to settle, with the median, and the shares paid on time', () => {
    // 3, 2 and 1 days are within a week; 10 and 20 within a month; sorted 1 2 3 10 20, the middle is 3.
    expect(indicators.promptness.incidentToDecision).toEqual({
      claims: 5,
      bands: { '0-7': 3, '8-30': 2, '31-90': 0, '91+': 0 },
      median: '3',
    });
    // 5 and 3 | 12 | 40 | 95; sorted 3 5 12 40 95.
    expect(indicators.promptness.incidentToPayment).toEqual({
      claims: 5,
      bands: { '0-7': 2, '8-30': 1, '31-90': 1, '91+': 1 },
      median: '12',
    });
    expect(indicators.promptness.documentsToPayment.median).toBe('9');
    // 2, 9 and 1 days after the documents were complete: 3 of 5 within ten days.
    expect(indicators.promptness.paidWithinTenDaysOfDocuments).toBe('0.6000');
    // Two death benefits, one within its working days.
    expect(indicators.promptness.deathBenefitsOnTime).toBe('0.5000');
  });

  it('measure renewal, growth, coverage of the target population and graduation to self-payment', () => {
    expect(indicators.renewalRatio).toBe('0.8500'); // 34 of 40
    expect(indicators.growthRatio).toBe('0.1000'); // 100 → 110
    expect(indicators.coverageRatio).toBe('0.2500'); // 110 of 440
    expect(indicators.graduationRatio).toBe('0.4000'); // 12 of 30
  });

  it('measure solvency (assets over liabilities) and liquidity (cash over what falls due within a month)', () => {
    expect(indicators.solvencyRatio).toBe('2.5000');
    expect(indicators.liquidityRatio).toBe('2.2500');
  });

  it('give no ratio where there is nothing to divide by', () => {
    const empty = computeIndicators({
      ...figures,
      earnedPremium: amount('0'),
      claimsDecided: 0,
      rejectionsByReason: new Map(),
      settlements: [],
      targetPopulation: null,
      members: { opening: 0, closing: 5 },
    });
    expect(empty).toMatchObject({
      incurredClaimsRatio: null,
      expenseRatio: null,
      combinedRatio: null,
      claimsRejectionRatio: null,
      coverageRatio: null,
      growthRatio: null,
      promptness: {
        paidWithinTenDaysOfDocuments: null,
        deathBenefitsOnTime: null,
        incidentToPayment: { claims: 0, median: null },
      },
    });
  });
});

describe('the median days to settle', () => {
  it('is the mean of the middle two when the count is even, in halves', () => {
    expect(promptness([10, 1, 3, 2]).median).toBe('2.5');
    expect(promptness([4, 6]).median).toBe('5');
    expect(promptness([91, 90, 31, 30, 8, 7]).bands).toEqual({ '0-7': 1, '8-30': 2, '31-90': 2, '91+': 1 });
  });
});
