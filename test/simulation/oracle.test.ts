import { describe, expect, it } from 'vitest';
import { addMonthsClamped, addWorkingDays } from '../../scripts/simulate/calendar.ts';
import { parseCron } from '../../scripts/simulate/cron.ts';
import { expectedDecision, type FiledClaim } from '../../scripts/simulate/oracle/claims.ts';
import { coverageYearOn, monthOfCoverOn, monthStart } from '../../scripts/simulate/oracle/cover.ts';
import { monthRulings } from '../../scripts/simulate/oracle/dues.ts';
import { caseDisagreements, policyDrift } from '../../scripts/simulate/oracle/policy-data.ts';
import { Money } from '../../scripts/simulate/oracle/policy.ts';
import { Prng } from '../../scripts/simulate/prng.ts';

// The simulator's oracle is written from the rule files and the study, not
// from src/; these tests hold it to the spec's own examples and to the
// directorate's cases in rules/*/cases.

describe('the oracle and the rule files', () => {
  it('knows every version the rule files ship, from the day each starts', () => {
    expect(policyDrift('rules')).toEqual([]);
  });

  it("agrees with every benefits, subsidy and eligibility case of the directorate's", () => {
    expect(caseDisagreements('rules')).toEqual([]);
  });
});

describe('months and years of cover', () => {
  it('start on the enrolment day of each month, clamped, always counted from the enrolment date', () => {
    expect([1, 2, 3, 14].map((month) => monthStart('2026-01-31', month))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2027-02-28',
    ]);
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
  });

  it('count the coverage year from the enrolment date, not the calendar', () => {
    expect(coverageYearOn('2026-03-20', '2027-03-05')).toBe(1);
    expect(coverageYearOn('2026-03-20', '2027-03-20')).toBe(2);
    expect(monthOfCoverOn('2028-02-29', '2029-02-28')).toBe(13);
  });
});

describe('months owed', () => {
  const history = (changes: Partial<Parameters<typeof monthRulings>[0]> = {}) => ({
    scheme: 'standalone' as const,
    enrolledOn: '2026-03-20',
    spans: [{ from: '2026-03-20', to: null }],
    death: null,
    ...changes,
  });
  const owed = (rulings: ReturnType<typeof monthRulings>) =>
    rulings.filter((ruling) => ruling.owed !== null).map((ruling) => ruling.period);

  it('from the month of enrolment, each for the month of cover that starts in it', () => {
    const rulings = monthRulings(history(), '2026-05');
    expect(rulings.map((ruling) => [ruling.period, ruling.owed?.monthOfCover, ruling.owed?.subsidy.toFixed(2)])).toEqual([
      ['2026-03', 1, '6000.00'],
      ['2026-04', 2, '6000.00'],
      ['2026-05', 3, '6000.00'],
    ]);
  });

  it('in year 3 half from the participant, from year 4 all of it', () => {
    const rulings = monthRulings(history({ enrolledOn: '2026-01-10', spans: [{ from: '2026-01-10', to: null }] }), '2029-01');
    const month = (period: string) => rulings.find((ruling) => ruling.period === period)?.owed;
    expect([month('2027-12')?.own.toFixed(2), month('2028-01')?.own.toFixed(2), month('2029-01')?.own.toFixed(2)]).toEqual([
      '0.00',
      '3000.00',
      '6000.00',
    ]);
  });

  it('until the lapse: the month of a lapse on its first day is not owed, one later in the month is', () => {
    expect(owed(monthRulings(history({ spans: [{ from: '2026-03-20', to: '2026-05-01' }] }), '2026-06'))).toEqual([
      '2026-03',
      '2026-04',
    ]);
    expect(owed(monthRulings(history({ spans: [{ from: '2026-03-20', to: '2026-05-02' }] }), '2026-06'))).toEqual([
      '2026-03',
      '2026-04',
      '2026-05',
    ]);
  });

  it('up to the month of a death known before the next month began', () => {
    const death = { on: '2026-04-30', knownOn: '2026-05-10' };
    expect(owed(monthRulings(history({ death }), '2026-07'))).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(monthRulings(history({ death }), '2026-07').find((ruling) => ruling.period === '2026-05')?.owed?.optional).toBe(true);
  });

  it('not after the New Initiative ended at the end of June 2015', () => {
    const ni = history({ scheme: 'askesos-ni-2012', enrolledOn: '2014-11-05', spans: [{ from: '2014-11-05', to: null }] });
    const rulings = monthRulings(ni, '2015-08');
    expect(owed(rulings).at(-1)).toBe('2015-06');
    expect(rulings.at(-1)?.why).toBe('no_rules_in_force');
  });

  it('in the 2003 pattern only the first month: Rp 365,000 once, earned over three years', () => {
    const old = history({ scheme: 'askesos-2003', enrolledOn: '2008-07-15', spans: [{ from: '2008-07-15', to: null }] });
    const months = monthRulings(old, '2009-01').flatMap((ruling) => (ruling.owed === null ? [] : [ruling.owed]));
    expect(months.map((due) => [due.period, due.subsidy.toFixed(2), due.earnMonths])).toEqual([['2008-07', '365000.00', 36]]);
  });
});

describe('claims', () => {
  const claim = (changes: Partial<FiledClaim>): FiledClaim => ({
    claimType: 'sickness',
    incidentDate: '2027-02-10',
    reportDate: '2027-02-12',
    sicknessDays: 6,
    deathCause: null,
    costClaimed: null,
    monthlyWage: null,
    documentKinds: ['medical-certificate'],
    ...changes,
  });
  const cover = {
    scheme: 'standalone' as const,
    enrolledOn: '2026-03-20',
    spans: [{ from: '2026-03-20', to: null }],
    deathOn: null,
    allowancesStanding: 0,
  };

  it('give every reason at once: a 4-day sickness without its certificate', () => {
    const decision = expectedDecision(claim({ sicknessDays: 4, documentKinds: [] }), cover, 'standalone');
    expect([decision.status, decision.reasons]).toEqual(['rejected', ['sickness_days_outside_5_10', 'documents_missing']]);
  });

  it('judge an incident before the death on its merits, even when filed after the death benefit', () => {
    const decision = expectedDecision(claim({}), { ...cover, deathOn: '2027-03-01' }, 'standalone');
    expect([decision.status, decision.amount?.toFixed(2)]).toEqual(['approved', '500000.00']);
    expect(
      expectedDecision(
        claim({ incidentDate: '2027-03-05', reportDate: '2027-03-06' }),
        { ...cover, deathOn: '2027-03-01' },
        'standalone',
      ).reasons,
    ).toEqual(['after_death']);
  });

  it('refuse an incident after the New Initiative ended', () => {
    const ni = {
      ...cover,
      scheme: 'askesos-ni-2012' as const,
      enrolledOn: '2014-11-05',
      spans: [{ from: '2014-11-05', to: null }],
    };
    const death = claim({
      claimType: 'death',
      incidentDate: '2015-07-02',
      reportDate: '2015-07-03',
      sicknessDays: null,
      deathCause: 'natural',
      documentKinds: [],
    });
    expect(expectedDecision(death, ni, 'askesos-ni-2012').reasons).toEqual(['scheme_ended']);
    // Someone never enrolled has no scheme of theirs that ended.
    expect(expectedDecision(death, null, 'askesos-ni-2012').reasons).toEqual(['not_enrolled']);
    expect(expectedDecision({ ...death, incidentDate: '2015-06-30' }, ni, 'askesos-ni-2012').amount?.toFixed(2)).toBe(
      '21000000.00',
    );
  });

  it('pay Table 1 of 2003: three allowances at most, death by coverage year', () => {
    const old = {
      ...cover,
      scheme: 'askesos-2003' as const,
      enrolledOn: '2005-01-10',
      spans: [{ from: '2005-01-10', to: null }],
    };
    const sickness = claim({ incidentDate: '2006-02-01', reportDate: '2006-02-01', documentKinds: [] });
    expect(expectedDecision(sickness, { ...old, allowancesStanding: 2 }, 'askesos-2003').amount?.toFixed(2)).toBe('250000.00');
    expect(expectedDecision(sickness, { ...old, allowancesStanding: 3 }, 'askesos-2003').reasons).toEqual([
      'claim_limit_reached',
    ]);
    const death = { ...sickness, claimType: 'death' as const, sicknessDays: null, deathCause: 'natural' as const };
    expect(
      ['2005-06-01', '2006-06-01', '2007-06-01'].map((day) =>
        expectedDecision({ ...death, incidentDate: day, reportDate: day }, old, 'askesos-2003').amount?.toFixed(2),
      ),
    ).toEqual(['400000.00', '600000.00', '800000.00']);
  });

  it('pay the New Initiative disability as 70 % of 80 months of wage, at most the insured wage, and Rp 200,000 for 24 months', () => {
    const ni = {
      ...cover,
      scheme: 'askesos-ni-2012' as const,
      enrolledOn: '2013-01-10',
      spans: [{ from: '2013-01-10', to: null }],
    };
    const disability = claim({
      claimType: 'disability',
      sicknessDays: null,
      monthlyWage: new Money('1000000'),
      incidentDate: '2013-05-01',
      reportDate: '2013-05-02',
    });
    // 0.70 × 80 × 800,000 + 200,000 × 24: the declared Rp 1,000,000 is above the insured wage.
    expect(expectedDecision(disability, ni, 'askesos-ni-2012').amount?.toFixed(2)).toBe('49600000.00');
    const lowWage = { ...disability, monthlyWage: new Money('500000') };
    expect(expectedDecision(lowWage, ni, 'askesos-ni-2012').amount?.toFixed(2)).toBe('32800000.00');
  });

  it('set a death benefit due 3 working days after acceptance from standalone 2026.2', () => {
    const death = claim({
      claimType: 'death',
      sicknessDays: null,
      deathCause: 'natural',
      documentKinds: ['death-certificate', 'family-card', 'heir-identity-card'],
    });
    expect(expectedDecision(death, cover, 'standalone').deadlineWorkingDays).toBe(3);
    expect(addWorkingDays('2027-02-12', 3)).toBe('2027-02-17');
  });
});

describe('the simulator’s own machinery', () => {
  it('reads cron as the registry writes it, in the fund’s time zone', () => {
    expect(parseCron('0 2 1 * *').minutesOn('2027-03-01')).toEqual([120]);
    expect(parseCron('0 2 1 * *').minutesOn('2027-03-02')).toEqual([]);
    expect(parseCron('30 1 * * *').minutesOn('2027-03-02')).toEqual([90]);
    expect(parseCron('0 9 13 * 5').minutesOn('2027-03-12')).toEqual([540]);
    expect(() => parseCron('@daily')).toThrow();
  });

  it('draws the same numbers from the same seed, and others from another', () => {
    const draws = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (prng) => () =>
            prng.next()
        )(Prng.of(seed, 'x')),
      );
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
  });
});

describe('the oracle’s independence', () => {
  it('imports nothing from src/, and nothing but the calendar and decimal.js from outside its folder', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = 'scripts/simulate/oracle';
    const imports = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(`${dir}/${name}`, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? ''));
    const outside = imports.filter((path) => !path.startsWith('./'));
    expect(imports.some((path) => path.includes('src/'))).toBe(false);
    expect([...new Set(outside)].sort()).toEqual(['../calendar.ts', 'decimal.js', 'node:fs', 'node:path']);
    expect(readFileSync('scripts/simulate/calendar.ts', 'utf8')).not.toMatch(/from '/);
  });
});
