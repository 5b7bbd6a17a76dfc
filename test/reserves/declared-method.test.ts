import { describe, expect, it } from 'vitest';
import { amount } from '../../src/money/index.ts';
import { declaredIbnr, heldIbnr, ibnrByEveryMethod, type TriangleIbnrMethod } from '../../src/reserves/declared-method.ts';
import type { Triangle } from '../../src/reserves/methods/triangle.ts';

// A three-month triangle small enough to work by hand:
//
//   origin    0    1    2
//   2027-01  100  150  165
//   2027-02  120  180
//   2027-03   90
//
// Factors: f(0→1) = (150 + 180) / (100 + 120) = 1.5; f(1→2) = 165 / 150 = 1.1.
// Chain ladder: 2027-02 reaches 180 × 1.1 = 198 (IBNR 18); 2027-03 reaches
// 90 × 1.5 × 1.1 = 148.5 (IBNR 58.5); total IBNR 76.5.
// Premium 200 a month, expected loss ratio 0.8: a priori ultimate 160 each.
// Bornhuetter–Ferguson: 160 × (1 − 1/1.1) = 14.5454…, 160 × (1 − 1/1.65) =
// 63.0303…; total 77.5757… (= 160 × (0.1/1.1 + 0.65/1.65)).
// Expected loss ratio: (160 − 165) + (160 − 180) + (160 − 90) = 45.
const triangle: Triangle = {
  origins: ['2027-01', '2027-02', '2027-03'],
  developments: ['0', '1', '2'],
  rows: [['100', '150', '165'], ['120', '180'], ['90']].map((row) => row.map(amount)),
};
const premium = new Map(triangle.origins.map((origin) => [origin, amount('200')]));
const source = { document: 'test', place: 'here' };
const chainLadder = (fallback: 'bornhuetter-ferguson' | 'expected-loss-ratio'): TriangleIbnrMethod => ({
  method: 'chain-ladder',
  months: '3',
  minimumHistory: '3',
  fallback,
  expectedLossRatio: '0.8',
  source,
});

describe('a scheme’s IBNR by the method its rules declare', () => {
  const every = ibnrByEveryMethod(triangle, premium, amount('0.8'));

  it('works out every method on the scheme’s triangle', () => {
    expect('reason' in every.chainLadder ? null : every.chainLadder.ibnr.toFixed(2)).toBe('76.50');
    expect('reason' in every.bornhuetterFerguson ? null : every.bornhuetterFerguson.ibnr.toFixed(4)).toBe(
      amount('160')
        .times(amount('0.1').dividedBy('1.1').plus(amount('0.65').dividedBy('1.65')))
        .toFixed(4),
    );
    expect(every.expectedLossRatio.ibnr.toFixed(2)).toBe('45.00');
  });

  it('uses the chain ladder once the scheme has the history it asks for', () => {
    const chosen = declaredIbnr(chainLadder('bornhuetter-ferguson'), every, 3);
    expect([chosen.method, chosen.ibnr.toFixed(2), chosen.fallbackReason]).toEqual(['chain-ladder', '76.50', null]);
  });

  it('falls back as declared, and says why, when the history is shorter', () => {
    const bf = declaredIbnr(chainLadder('bornhuetter-ferguson'), every, 2);
    expect([bf.method, bf.ibnr.toFixed(2), bf.fallbackReason]).toEqual([
      'bornhuetter-ferguson',
      '77.58',
      '2 months of claims history, 3 needed for the chain ladder',
    ]);
    const elr = declaredIbnr(chainLadder('expected-loss-ratio'), every, 0);
    expect([elr.method, elr.ibnr.toFixed(2)]).toEqual(['expected-loss-ratio', '45.00']);
  });

  it('falls back when the chain ladder cannot develop the triangle, and to the loss ratio when neither can', () => {
    // No claims reported in the first two months: no factor from month 0.
    const young: Triangle = {
      origins: ['2027-01', '2027-02', '2027-03'],
      developments: ['0', '1', '2'],
      rows: [['0', '0', '0'], ['0', '0'], ['40']].map((row) => row.map(amount)),
    };
    const methods = ibnrByEveryMethod(young, premium, amount('0.8'));
    expect('reason' in methods.chainLadder).toBe(true);
    const chosen = declaredIbnr(chainLadder('bornhuetter-ferguson'), methods, 12);
    // Expected loss ratio: 160 × 3 − 40 = 440.
    expect([chosen.method, chosen.ibnr.toFixed(2)]).toEqual(['expected-loss-ratio', '440.00']);
    expect(chosen.fallbackReason).toMatch(/^the chain ladder cannot develop the triangle: .*; no development factors: /);
    const declaredBf = declaredIbnr(
      { method: 'bornhuetter-ferguson', months: '3', expectedLossRatio: '0.8', source },
      methods,
      12,
    );
    expect([declaredBf.method, declaredBf.ibnr.toFixed(2)]).toEqual(['expected-loss-ratio', '440.00']);
  });

  it('holds no IBNR below nothing', () => {
    expect(heldIbnr(amount('-20')).toFixed(2)).toBe('0.00');
    expect(heldIbnr(amount('20')).toFixed(2)).toBe('20.00');
  });
});
