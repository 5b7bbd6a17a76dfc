import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { amount, type Amount, roundAmount, toAmountString } from '../../src/money/index.ts';
import { compareMethods } from '../../src/reserves/method-comparison.ts';
import { bornhuetterFerguson } from '../../src/reserves/methods/bornhuetter-ferguson.ts';
import { chainLadder } from '../../src/reserves/methods/chain-ladder.ts';
import { expectedLossRatio } from '../../src/reserves/methods/expected-loss-ratio.ts';
import { mackStandardErrors } from '../../src/reserves/methods/mack.ts';
import { TriangleError } from '../../src/reserves/methods/triangle.ts';
import { parsePremiumCsv, parseTriangleCsv } from '../../src/reserves/triangle-csv.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const triangleOf = (file: string) => parseTriangleCsv(readFileSync(join(fixtures, file), 'utf8'), file);
const unit = (value: Amount) => toAmountString(roundAmount(value, 'half-even', 0), 0);
const rounded = (value: Amount, places: number) => toAmountString(roundAmount(value, 'half-even', places), places);

// The RAA triangle: Historical Loss Development, Reinsurance Association of
// America, 1991, p. 96, as shipped in the R package ChainLadder (data/RAA.RData,
// github.com/mages/ChainLadder), the example its documentation and vignette run
// MackChainLadder on. test/reserves/fixtures/raa.csv holds it cell for cell.
describe('the RAA triangle (ChainLadder, R)', () => {
  const triangle = triangleOf('raa.csv');
  const ladder = chainLadder(triangle);
  const mack = mackStandardErrors(triangle, ladder, 'mack');

  // Published: the example of summary.MackChainLadder in the ChainLadder
  // reference (mages.github.io/ChainLadder/reference/summary.MackChainLadder.html),
  // columns Latest, Ultimate and IBNR, which do not depend on how σ² is
  // extrapolated; totals Latest 160,987.00, Ultimate 213,122.23, IBNR 52,135.23.
  it('reproduces the published chain-ladder ultimates and IBNR to the unit, origin by origin and in total', () => {
    expect(
      ladder.origins.map((origin) => [origin.origin, unit(origin.latest), unit(origin.ultimate), unit(origin.ibnr)]),
    ).toEqual([
      ['1981', '18834', '18834', '0'],
      ['1982', '16704', '16858', '154'],
      ['1983', '23466', '24083', '617'],
      ['1984', '27067', '28703', '1636'],
      ['1985', '26180', '28927', '2747'],
      ['1986', '15852', '19501', '3649'],
      ['1987', '12314', '17749', '5435'],
      ['1988', '13112', '24019', '10907'],
      ['1989', '5395', '16045', '10650'],
      ['1990', '2063', '18402', '16339'],
    ]);
    expect(rounded(ladder.total.latest, 2)).toBe('160987.00');
    expect(rounded(ladder.total.ultimate, 2)).toBe('213122.23');
    expect(rounded(ladder.total.ibnr, 2)).toBe('52135.23');
  });

  // Published: the ChainLadder vignette runs MackChainLadder(RAA,
  // est.sigma = "Mack"), Mack's extrapolation of the last σ², and prints a
  // total Mack S.E. of 26,909.01; origin 1990's S.E. is 24,566 there and in
  // the reference page above (the extrapolated σ² barely touches it).
  it('reproduces the published total Mack standard error with Mack’s extrapolation of the last σ²', () => {
    expect(rounded(mack.totalStandardError, 2)).toBe('26909.01');
    expect(unit(mack.origins[9]?.standardError ?? amount('0'))).toBe('24566');
  });

  // Per origin with est.sigma = "Mack". These were not read off a published
  // table: they come from a separate double-precision script written from
  // Mack's closed form (1993, Theorem 3), which also gave 26,909.01 and
  // 52,135.23 above. The figures the ChainLadder reference prints per origin
  // use the package's default log-linear σ² instead (1982: 143, total 26,880.74),
  // which the next test but one reproduces: the two differ only in σ²(8).
  it('gives each origin’s standard error to the unit', () => {
    expect(mack.origins.map((origin) => unit(origin.standardError))).toEqual([
      '0',
      '206',
      '623',
      '747',
      '1469',
      '2002',
      '2209',
      '5358',
      '6333',
      '24566',
    ]);
  });

  // σ²(8) = min(σ⁴(7)/σ²(6), σ²(6), σ²(7)) = min(7.8832²/1.3434, 1.3434, 7.8832):
  // 7.8832² / 1.3434 ≈ 46.26, so the smallest is σ²(6), the development 7 to 8 variance.
  it('extrapolates the last σ² by Mack’s rule', () => {
    expect(mack.sigmaSquared.map((value) => rounded(value, 4))).toEqual([
      '27883.4794',
      '1108.5263',
      '691.4428',
      '61.2300',
      '119.4391',
      '40.8199',
      '1.3434',
      '7.8832',
      '1.3434',
    ]);
    expect(mack.sigmaSquared[8]?.equals(mack.sigmaSquared[6] ?? amount('0'))).toBe(true);
  });

  // Published: MackChainLadder(RAA) with the package's default est.sigma =
  // "log-linear", printed in the example of summary.MackChainLadder
  // (mages.github.io/ChainLadder/reference/summary.MackChainLadder.html),
  // Mack.S.E column; the total 26,880.74 is held by the package's own test
  // (inst/unitTests/runit.MackChainLadder.R, test.MackRAA).
  it('reproduces the published per-origin standard errors with the log-linear σ²', () => {
    const logLinear = mackStandardErrors(triangle, ladder, 'log-linear');
    expect(logLinear.origins.map((origin) => unit(origin.standardError))).toEqual([
      '0',
      '143',
      '592',
      '713',
      '1452',
      '1995',
      '2204',
      '5354',
      '6332',
      '24566',
    ]);
    expect(rounded(logLinear.totalStandardError, 2)).toBe('26880.74');
  });

  it('develops with the volume-weighted age-to-age factors', () => {
    expect(ladder.factors.map((factor) => rounded(factor, 6))).toEqual([
      '2.999359',
      '1.623523',
      '1.270888',
      '1.171675',
      '1.113385',
      '1.041935',
      '1.033264',
      '1.016936',
      '1.009217',
    ]);
  });
});

// A triangle small enough to check by hand:
//         1    2    3      premium
//   A   100  150  165      250
//   B   120  180           300
//   C   130                400
// f(1→2) = (150 + 180) / (100 + 120) = 330 / 220 = 1.5; f(2→3) = 165 / 150 = 1.1.
// CDF: A 1, B 1.1, C 1.5 × 1.1 = 1.65.
// Chain ladder: A 165, B 180 × 1.1 = 198, C 130 × 1.65 = 214.5; IBNR 0, 18, 84.5.
describe('Bornhuetter–Ferguson and expected loss ratio, by hand', () => {
  const ladder = chainLadder(triangleOf('small.csv'));
  const premium = parsePremiumCsv(readFileSync(join(fixtures, 'small-premium.csv'), 'utf8'), 'small-premium.csv');
  const ratio = amount('0.6');

  it('develops the small triangle as worked above', () => {
    expect(ladder.factors.map((factor) => factor.toString())).toEqual(['1.5', '1.1']);
    expect(
      ladder.origins.map((origin) => [origin.developmentFactor.toString(), origin.ultimate.toString(), origin.ibnr.toString()]),
    ).toEqual([
      ['1', '165', '0'],
      ['1.1', '198', '18'],
      ['1.65', '214.5', '84.5'],
    ]);
  });

  // A priori = 0.6 × premium: A 150, B 180, C 240.
  // IBNR = a priori × (1 − 1/CDF): A 150 × 0 = 0; B 180 × (1 − 1/1.1) = 16.3636…;
  // C 240 × (1 − 1/1.65) = 94.5454…; total 110.9090… Ultimate = reported + IBNR:
  // 165, 196.3636…, 224.5454…; total 585.9090…
  it('Bornhuetter–Ferguson takes the a priori ultimate’s unreported share', () => {
    const bf = bornhuetterFerguson(ladder, premium, ratio);
    expect(
      bf.origins.map((origin) => [unit(origin.aPrioriUltimate), rounded(origin.ibnr, 4), rounded(origin.ultimate, 4)]),
    ).toEqual([
      ['150', '0.0000', '165.0000'],
      ['180', '16.3636', '196.3636'],
      ['240', '94.5455', '224.5455'],
    ]);
    expect([rounded(bf.total.ibnr, 4), rounded(bf.total.ultimate, 4)]).toEqual(['110.9091', '585.9091']);
  });

  // Ultimate = 0.6 × premium: 150, 180, 240 (570); IBNR = ultimate − reported:
  // 150 − 165 = −15 (reported beyond expectation), 180 − 180 = 0, 240 − 130 = 110; total 95.
  it('expected loss ratio holds ELR × premium, whatever was reported', () => {
    const elr = expectedLossRatio(ladder, premium, ratio);
    expect(elr.origins.map((origin) => [origin.ultimate.toString(), origin.ibnr.toString()])).toEqual([
      ['150', '-15'],
      ['180', '0'],
      ['240', '110'],
    ]);
    expect([elr.total.premium.toString(), elr.total.ultimate.toString(), elr.total.ibnr.toString()]).toEqual([
      '950',
      '570',
      '95',
    ]);
  });

  // Two development periods before the last are what Mack's rule needs.
  it('refuses Mack’s standard error on a triangle with too little history', () => {
    expect(() => mackStandardErrors(triangleOf('small.csv'), ladder, 'mack')).toThrow(TriangleError);
  });
});

describe('reading a triangle', () => {
  const issueOf = (text: string): string => {
    try {
      parseTriangleCsv(text, 'in.csv');
    } catch (error) {
      if (error instanceof InputError) return `${error.issues[0]?.field}: ${error.issues[0]?.message}`;
      throw error;
    }
    throw new Error('the triangle was accepted');
  };

  it.each([
    [
      'a cell that is not an amount',
      'origin,1,2\nA,100,1e3\nB,5,\n',
      'in.csv line 2, column 3 (origin A, development 2): must not use exponent notation',
    ],
    [
      'a negative cell',
      'origin,1,2\nA,100,120\nB,-5,\n',
      'in.csv line 3, column 2 (origin B, development 1): must not be negative',
    ],
    [
      'an amount after a gap',
      'origin,1,2,3\nA,100,,150\nB,5,,\n',
      'in.csv line 2, column 4 (origin A, development 3): has an amount after the empty cell in column 3',
    ],
    ['an origin twice', 'origin,1,2\nA,100,120\nA,5,\n', 'in.csv line 3, column 1: origin "A" appears twice'],
    [
      'an unknown first period',
      'origin,1,2\nA,100,120\nB,,\n',
      'in.csv line 3, column 2: the first development period must be known',
    ],
    ['more cells than periods', 'origin,1,2\nA,100,120,130\n', 'in.csv line 2: has 3 amounts for 2 development columns'],
    ['one development column', 'origin,1\nA,100\n', 'in.csv line 1: needs at least two development columns'],
  ])('names the line and column of %s', (_, text, issue) => {
    expect(issueOf(text)).toContain(issue);
  });

  it('compares the methods as figures to the unit', () => {
    const comparison = compareMethods(triangleOf('raa.csv'), null, 'mack');
    expect(comparison.total).toEqual({
      latest: '160987',
      chainLadder: { ultimate: '213122', ibnr: '52135', standardError: '26909' },
      bornhuetterFerguson: null,
      expectedLossRatio: null,
    });
  });
});
