import { describe, expect, it } from 'vitest';
import { amount } from '../../src/money/index.ts';
import {
  type CellSettlement,
  type FundBooks,
  type IndicatorCell,
  type IndicatorGrouping,
  indicatorGroups,
  type LpaPlace,
  shareEarnedPremium,
} from '../../src/reports/indicator-groups.ts';
import { computeIndicators, type IndicatorFigures, promptness, type Settlement } from '../../src/reports/indicators.ts';

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
  // The regency declared 440 informal workers; all 110 members are in it.
  coverage: { members: 110, targetPopulation: 440 },
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
      coverage: null,
      members: { opening: 0, closing: 5 },
      balance: null,
    });
    expect(empty).toMatchObject({
      incurredClaimsRatio: null,
      expenseRatio: null,
      combinedRatio: null,
      claimsRejectionRatio: null,
      coverageRatio: null,
      growthRatio: null,
      solvencyRatio: null,
      liquidityRatio: null,
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

// The same fund in its parts: LPA Betang in Gunung Mas (6210) with 70
// members of the standalone scheme, LPA Kahayan in Palangka Raya (6271)
// with 32 of standalone and 8 of the New Initiative; both in Kalimantan
// Tengah (62). The three cells add up to the fund above, figure by figure.
const zero = amount('0');
const cell = (lpaId: string, scheme: string, parts: Omit<IndicatorCell, 'lpaId' | 'scheme'>): IndicatorCell => ({
  lpaId,
  scheme,
  ...parts,
});
const cells: IndicatorCell[] = [
  cell('betang', 'standalone', {
    earnedPremium: amount('800000.00'),
    claimsPaid: amount('1000000.00'),
    caseReserves: { opening: amount('300000.00'), closing: amount('100000.00') },
    ibnr: { opening: amount('40000.00'), closing: amount('60000.00') },
    honoraria: amount('80000.00'),
    strengthening: amount('50000.00'),
    claimsDecided: 12,
    rejectionsByReason: new Map([['sickness_days_outside_5_10', 2]]),
    renewal: { due: 25, renewed: 20 },
    members: { opening: 60, closing: 70 },
    graduation: { pastAssistance: 20, selfPaying: 10 },
  }),
  cell('kahayan', 'standalone', {
    earnedPremium: amount('300000.00'),
    claimsPaid: amount('400000.00'),
    caseReserves: { opening: amount('200000.00'), closing: amount('150000.00') },
    ibnr: { opening: amount('15000.00'), closing: amount('20000.00') },
    honoraria: amount('30000.00'),
    strengthening: zero,
    claimsDecided: 6,
    rejectionsByReason: new Map([['missing_documents', 1]]),
    renewal: { due: 10, renewed: 9 },
    members: { opening: 30, closing: 32 },
    graduation: { pastAssistance: 8, selfPaying: 2 },
  }),
  cell('kahayan', 'askesos-ni-2012', {
    earnedPremium: amount('100000.00'),
    claimsPaid: amount('100000.00'),
    caseReserves: { opening: zero, closing: amount('50000.00') },
    ibnr: { opening: amount('5000.00'), closing: amount('10000.00') },
    honoraria: amount('10000.00'),
    strengthening: zero,
    claimsDecided: 2,
    rejectionsByReason: new Map(),
    renewal: { due: 5, renewed: 5 },
    members: { opening: 10, closing: 8 },
    graduation: { pastAssistance: 2, selfPaying: 0 },
  }),
];
const [s1, s2, s3, s4, s5] = figures.settlements as [Settlement, Settlement, Settlement, Settlement, Settlement];
const settlements: CellSettlement[] = [
  { ...s1, lpaId: 'betang', scheme: 'standalone' },
  { ...s2, lpaId: 'betang', scheme: 'standalone' },
  { ...s4, lpaId: 'betang', scheme: 'standalone' },
  { ...s3, lpaId: 'kahayan', scheme: 'standalone' },
  { ...s5, lpaId: 'kahayan', scheme: 'askesos-ni-2012' },
];
const kalteng = { provinceCode: '62', provinceName: 'Kalimantan Tengah' };
const places = new Map<string, LpaPlace>([
  ['betang', { lpaName: 'Yayasan Betang', regencyCode: '6210', regencyName: 'Gunung Mas', ...kalteng }],
  ['kahayan', { lpaName: 'Yayasan Kahayan', regencyCode: '6271', regencyName: 'Palangka Raya', ...kalteng }],
]);
// Gunung Mas declared 280 informal workers, Palangka Raya 160: 440 in all, as above.
const targets = new Map([
  ['6210', 280],
  ['6271', 160],
]);
const fundBooks: FundBooks = {
  earnedPremium: figures.earnedPremium,
  claimsPaid: figures.claimsPaid,
  caseReserves: figures.caseReserves,
  ibnr: figures.ibnr,
  honoraria: figures.honoraria,
  strengthening: figures.strengthening,
  otherOperatingCosts: figures.otherOperatingCosts,
  balance: figures.balance ?? unreachable(),
};

function unreachable(): never {
  throw new Error('the small fund has a balance sheet');
}

function groupsBy(by: IndicatorGrouping, request: { fund?: FundBooks | null; targets?: Map<string, number> } = {}) {
  return indicatorGroups({
    by,
    cells,
    settlements,
    places,
    targets: request.targets ?? targets,
    fund: request.fund ?? null,
    fundName: 'the whole fund',
  }).map((group) => ({ code: group.code, figures: group.figures, indicators: computeIndicators(group.figures) }));
}

describe('the small fund by LPA, regency, province and scheme', () => {
  it('gives the fund’s row from its books, and the same indicators as the fund worked out whole', () => {
    const [fund] = groupsBy('fund', { fund: fundBooks });
    expect(fund?.indicators).toEqual(computeIndicators(figures));
  });

  it('sums the cells when the books are not the reader’s: no other operating costs, no balance sheet', () => {
    const [fund] = groupsBy('fund');
    // Incurred as for the whole fund, 1,330,000 / 1,200,000.
    expect(fund?.indicators.incurredClaimsRatio).toBe('1.1083');
    // 120,000 + 50,000 = 170,000 without the 10,000 the fund booked for itself; / 1,200,000 = 0.141666…
    expect(fund?.indicators.expenseRatio).toBe('0.1417');
    expect(fund?.indicators).toMatchObject({ solvencyRatio: null, liquidityRatio: null, coverageRatio: '0.2500' });
  });

  it('gives each LPA its own claims, expenses, members and settlements', () => {
    const [betang, kahayan] = groupsBy('lpa');
    expect(betang?.code).toBe('betang');
    expect(betang?.indicators).toMatchObject({
      // 1,000,000 paid − 200,000 fewer case reserves + 20,000 more IBNR = 820,000; / 800,000.
      incurredClaimsRatio: '1.0250',
      // 80,000 + 50,000 = 130,000; / 800,000.
      expenseRatio: '0.1625',
      // 950,000 / 800,000.
      combinedRatio: '1.1875',
      // 2 of 12.
      claimsRejectionRatio: '0.1667',
      renewalRatio: '0.8000', // 20 of 25
      growthRatio: '0.1667', // 60 → 70
      graduationRatio: '0.5000', // 10 of 20
      // An LPA declares no target population.
      coverageRatio: null,
      solvencyRatio: null,
    });
    // Paid 5, 12 and 95 days after the incident: median 12; 2 and 9 days after complete documents, not 93: 2 of 3.
    expect(betang?.indicators.promptness).toMatchObject({
      incidentToPayment: { claims: 3, bands: { '0-7': 1, '8-30': 1, '31-90': 0, '91+': 1 }, median: '12' },
      paidWithinTenDaysOfDocuments: '0.6667',
      deathBenefitsOnTime: '0.0000',
    });
    expect(kahayan?.indicators).toMatchObject({
      // Both schemes: 400,000 + 100,000 paid; case reserves 200,000 → 200,000; IBNR 20,000 → 30,000:
      // 510,000 / 400,000 earned.
      incurredClaimsRatio: '1.2750',
      // 30,000 + 10,000 = 40,000; / 400,000.
      expenseRatio: '0.1000',
      // 1 of 8.
      claimsRejectionRatio: '0.1250',
      renewalRatio: '0.9333', // 14 of 15
      growthRatio: '0.0000', // 40 → 40
      graduationRatio: '0.2000', // 2 of 10
    });
    // Paid 40 and 3 days after the incident: the median is 21.5; the death benefit was on time.
    expect(kahayan?.indicators.promptness).toMatchObject({
      incidentToPayment: { median: '21.5' },
      paidWithinTenDaysOfDocuments: '0.5000',
      deathBenefitsOnTime: '1.0000',
    });
  });

  it('divides each regency’s members by the target population it declared, and a province’s by those of its regencies that did', () => {
    const [gunungMas, palangkaRaya] = groupsBy('regency');
    expect(gunungMas?.figures.coverage).toEqual({ members: 70, targetPopulation: 280 });
    expect(gunungMas?.indicators.coverageRatio).toBe('0.2500');
    // 40 of 160.
    expect(palangkaRaya?.indicators.coverageRatio).toBe('0.2500');
    // Had Palangka Raya declared none, the province's ratio would be Gunung Mas's alone: 70 of 280.
    const [province] = groupsBy('province', { targets: new Map([['6210', 280]]) });
    expect(province?.figures.coverage).toEqual({ members: 70, targetPopulation: 280 });
    expect(groupsBy('regency', { targets: new Map([['6210', 280]]) })[1]?.indicators.coverageRatio).toBeNull();
  });

  it('gives each scheme its own, across the LPAs that run it', () => {
    const [ni, standalone] = groupsBy('scheme');
    expect(ni?.code).toBe('askesos-ni-2012');
    // 100,000 paid + 50,000 more case reserves + 5,000 more IBNR = 155,000; / 100,000.
    expect(ni?.indicators.incurredClaimsRatio).toBe('1.5500');
    // 1,400,000 paid − 250,000 fewer case reserves + 25,000 more IBNR = 1,175,000; / 1,100,000 = 1.068181…
    expect(standalone?.indicators.incurredClaimsRatio).toBe('1.0682');
    expect(standalone?.indicators.coverageRatio).toBeNull();
  });

  it('counts only the LPAs the reader may see', () => {
    const own = indicatorGroups({
      by: 'regency',
      cells,
      settlements,
      places: new Map([...places].filter(([lpaId]) => lpaId === 'kahayan')),
      targets: new Map([['6271', 160]]),
      fund: null,
      fundName: 'regency 6271',
    });
    expect(own.map((group) => group.code)).toEqual(['6271']);
    expect(own[0]?.figures.members).toEqual({ opening: 40, closing: 40 });
  });
});

describe('the fund’s premium income shared across LPAs and schemes', () => {
  it('follows what their dues earned, and adds up to the income to the cent', () => {
    const shares = shareEarnedPremium(amount('1200000.00'), [
      { lpaId: 'betang', scheme: 'standalone', earned: amount('600000') },
      { lpaId: 'kahayan', scheme: 'standalone', earned: amount('225000') },
      { lpaId: 'kahayan', scheme: 'askesos-ni-2012', earned: amount('75000') },
    ]);
    expect([...shares.values()].map((share) => share.toFixed(2))).toEqual(['800000.00', '300000.00', '100000.00']);
    // 100 in thirds: 33.34 + 33.33 + 33.33.
    const thirds = shareEarnedPremium(amount('100.00'), [
      { lpaId: 'a', scheme: 's', earned: amount('1') },
      { lpaId: 'b', scheme: 's', earned: amount('1') },
      { lpaId: 'c', scheme: 's', earned: amount('1') },
    ]);
    expect([...thirds.values()].reduce((sum, share) => sum.plus(share), zero).toFixed(2)).toBe('100.00');
    expect(shareEarnedPremium(amount('100.00'), [])).toEqual(new Map());
  });
});
