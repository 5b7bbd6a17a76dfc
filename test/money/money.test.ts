import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  amount,
  amountSchema,
  formatRupiah,
  parseAmount,
  parseRupiah,
  roundAmount,
  type RoundingMode,
  sumAmounts,
  toAmountString,
} from '../../src/money/index.ts';

// Amounts are generated as whole cents (bigint) and written as text: never
// through a JS float, which is the bug this module exists to prevent.
const cents = (max = 10n ** 15n) => fc.bigInt({ min: -max, max });
const centsText = (value: bigint) => {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};
const anAmount = cents().map((value) => amount(centsText(value)));

describe('parseAmount', () => {
  it.each([
    ['250000.00', '250000'],
    ['0', '0'],
    ['0.5', '0.5'],
    ['10400', '10400'],
    ['999999999999999.99', '999999999999999.99'],
  ])('accepts %s', (text, value) => {
    const parsed = parseAmount(text);
    expect(parsed.ok && parsed.value.toFixed()).toBe(value);
  });

  it.each([
    [250000, {}, 'must be a decimal string such as "250000.00", not a JSON number'],
    [null, {}, 'must be a decimal string such as "250000.00"'],
    ['', {}, 'must not be empty'],
    [' 100', {}, 'must not have spaces around it'],
    ['1e5', {}, 'must not use exponent notation'],
    ['NaN', {}, 'must be a finite number'],
    ['Infinity', {}, 'must be a finite number'],
    ['+5', {}, 'must not start with "+"'],
    ['1.234', {}, 'must have at most 2 decimal places'],
    ['1,50', {}, 'must be digits with an optional "." and decimals, such as "250000.00"'],
    ['1234567890123456', {}, 'must have at most 15 digits before the decimal point'],
    ['-5.00', {}, 'must not be negative'],
    ['0.00', { allowZero: false }, 'must not be zero'],
    ['0.1234567', { decimalPlacesMax: 6 }, 'must have at most 6 decimal places'],
  ])('refuses %j with the reason', (input, options, reason) => {
    expect(parseAmount(input, options)).toEqual({ ok: false, reason });
  });

  it('accepts negatives only when asked', () => {
    const parsed = parseAmount('-5.50', { allowNegative: true });
    expect(parsed.ok && parsed.value.toFixed()).toBe('-5.5');
  });
});

describe('amountSchema', () => {
  const schema = z.object({ amount: amountSchema() });

  it('gives a Decimal for a decimal string', () => {
    const parsed = schema.parse({ amount: '250000.00' });
    expect(parsed.amount).toBeInstanceOf(Decimal);
    expect(parsed.amount.toFixed(2)).toBe('250000.00');
  });

  it('refuses a JSON number with a reason that says so', () => {
    const result = schema.safeParse({ amount: 250000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be a decimal string such as "250000.00", not a JSON number');
    expect(result.error?.issues[0]?.path).toEqual(['amount']);
  });

  it('refuses three decimals', () => {
    expect(schema.safeParse({ amount: '1.005' }).error?.issues[0]?.message).toBe('must have at most 2 decimal places');
  });

  it('documents itself as a string in JSON Schema', () => {
    const json = z.toJSONSchema(amountSchema(), { io: 'input' }) as Record<string, unknown>;
    expect(json.type).toBe('string');
    expect(json.examples).toEqual(['250000.00']);
    expect(new RegExp(json.pattern as string).test('250000.00')).toBe(true);
  });
});

describe('roundAmount', () => {
  it.each<[string, RoundingMode, number, string]>([
    ['2.5', 'half-even', 0, '2'],
    ['3.5', 'half-even', 0, '4'],
    ['2.5', 'half-up', 0, '3'],
    ['-2.5', 'half-up', 0, '-3'],
    ['2.5', 'half-down', 0, '2'],
    ['2.1', 'up', 0, '3'],
    ['-2.1', 'up', 0, '-3'],
    ['2.9', 'down', 0, '2'],
    ['-2.1', 'ceil', 0, '-2'],
    ['-2.1', 'floor', 0, '-3'],
    ['2.45', 'half-even', 1, '2.4'],
    ['2.45', 'half-up', 1, '2.5'],
    ['1300.0000000001', 'half-even', 0, '1300'],
  ])('%s %s at %i places is %s', (value, mode, places, expected) => {
    expect(roundAmount(amount(value), mode, places).toFixed()).toBe(expected);
  });

  it('rounds 12.5 % of a Rp 10,400 premium to the rupiah the rule declares', () => {
    const honorarium = amount('10400').times(amount('0.125'));
    expect(honorarium.toFixed()).toBe('1300');
    expect(roundAmount(amount('10400').times(amount('0.075')), 'half-even', 0).toFixed()).toBe('780');
  });
});

describe('formatRupiah', () => {
  it.each([
    ['0', 'Rp 0'],
    ['999', 'Rp 999'],
    ['1000', 'Rp 1.000'],
    ['1234567', 'Rp 1.234.567'],
    ['1234567.5', 'Rp 1.234.567,50'],
    ['-1000', '-Rp 1.000'],
    ['48000000', 'Rp 48.000.000'],
  ])('%s is %s', (value, text) => {
    expect(formatRupiah(amount(value))).toBe(text);
  });
});

describe('allocate', () => {
  it('splits Rp 100 three ways exactly', () => {
    const parts = allocate(amount('100'), [amount('1'), amount('1'), amount('1')], 0);
    expect(parts.map((part) => part.toFixed())).toEqual(['34', '33', '33']);
  });

  it('refuses programmer errors', () => {
    expect(() => allocate(amount('1'), [], 0)).toThrow('no weights');
    expect(() => allocate(amount('1'), [amount('-1')], 0)).toThrow('negative weight');
    expect(() => allocate(amount('1'), [amount('0')], 0)).toThrow('all weights are zero');
    expect(() => allocate(amount('1.5'), [amount('1')], 0)).toThrow('more than 0 decimal places');
  });
});

describe('money properties', () => {
  it('sums are associative and commutative', () => {
    fc.assert(
      fc.property(anAmount, anAmount, anAmount, (a, b, c) => {
        expect(
          a
            .plus(b)
            .plus(c)
            .equals(a.plus(b.plus(c))),
        ).toBe(true);
        expect(sumAmounts([a, b, c]).equals(sumAmounts([c, a, b]))).toBe(true);
      }),
    );
  });

  it('allocation sums to the total, each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        cents(10n ** 13n),
        fc
          .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 })
          .filter((weights) => weights.some((w) => w > 0)),
        fc.integer({ min: 0, max: 2 }),
        (totalCents, weightInts, places) => {
          const total = roundAmount(amount(centsText(totalCents)), 'down', places);
          const weights = weightInts.map((weight) => amount(String(weight)));
          const parts = allocate(total, weights, places);
          expect(sumAmounts(parts).equals(total)).toBe(true);
          const unit = amount('1').dividedBy(amount('10').pow(places));
          const weightTotal = sumAmounts(weights);
          parts.forEach((part, index) => {
            expect(part.decimalPlaces()).toBeLessThanOrEqual(places);
            const exact = total.times(weights[index] ?? 0).dividedBy(weightTotal);
            expect(part.minus(exact).abs().lessThan(unit)).toBe(true);
          });
        },
      ),
    );
  });

  it('parseAmount ∘ toAmountString is the identity', () => {
    fc.assert(
      fc.property(anAmount, (value) => {
        const parsed = parseAmount(toAmountString(value), { allowNegative: true });
        expect(parsed.ok && parsed.value.equals(value)).toBe(true);
      }),
    );
  });

  it('parseRupiah ∘ formatRupiah is the identity', () => {
    fc.assert(
      fc.property(anAmount, (value) => {
        expect(parseRupiah(formatRupiah(value)).equals(value)).toBe(true);
      }),
    );
  });

  it('toAmountString refuses to round silently', () => {
    expect(() => toAmountString(amount('1.005'))).toThrow('round it first');
  });
});
