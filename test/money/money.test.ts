import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  amount,
  amountSchema,
  compareDecimals,
  formatPercent,
  formatRupiah,
  fromNumeric,
  isZero,
  parseAmount,
  type ParseOptions,
  parseRupiah,
  roundAmount,
  type RoundingMode,
  roundingModes,
  roundingModeSchema,
  sumAmounts,
  toAmountString,
  toDecimalString,
} from '../../src/money/index.ts';

const notAString = 'must be a decimal string such as "250000.00"';
const notJsonNumber = 'must be a decimal string such as "250000.00", not a JSON number';
const notDecimalText = 'must be digits with an optional "." and decimals, such as "250000.00"';

// Amounts are generated as whole units (bigint) and written as text: never
// through a JS float, which is the bug this module exists to prevent.
const unitsText = (units: bigint, places: number): string => {
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(places + 1, '0');
  return places === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
};
const centsArb = (max = 10n ** 15n) => fc.bigInt({ min: -max, max });
const amountArb = centsArb().map((cents) => amount(unitsText(cents, 2)));
// Any number of places up to 4, to reach amounts toAmountString's default would refuse.
const preciseAmountArb = fc
  .integer({ min: 0, max: 4 })
  .chain((places) => centsArb(10n ** BigInt(15 + places) - 1n).map((units) => amount(unitsText(units, places))));

const unitsOf = (value: Decimal, places: number): bigint => {
  const scaled = value.times(new Decimal(10).pow(places));
  expect(scaled.isInteger()).toBe(true);
  return BigInt(scaled.toFixed(0));
};
const texts = (values: readonly Decimal[]) => values.map((value) => value.toFixed());

describe('parseAmount', () => {
  it.each<[string, ParseOptions, string]>([
    ['250000.00', {}, '250000'],
    ['0', {}, '0'],
    ['0.5', {}, '0.5'],
    ['10400', {}, '10400'],
    ['007', {}, '7'],
    ['999999999999999.99', {}, '999999999999999.99'],
    ['-5.50', { allowNegative: true }, '-5.5'],
    ['0.125', { decimalPlacesMax: 6 }, '0.125'],
    ['12', { decimalPlacesMax: 0 }, '12'],
    ['0.01', { allowZero: false }, '0.01'],
  ])('accepts %j with %j as %s', (text, options, value) => {
    const parsed = parseAmount(text, options);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toBeInstanceOf(Decimal);
    expect(parsed.value.toFixed()).toBe(value);
  });

  it('reads "-0.00" as zero, not as a negative amount', () => {
    const parsed = parseAmount('-0.00');
    expect(parsed.ok && parsed.value.isNegative()).toBe(false);
    expect(parsed.ok && parsed.value.isZero()).toBe(true);
  });

  it.each<[unknown, ParseOptions, string]>([
    [250000, {}, notJsonNumber],
    [0.1, {}, notJsonNumber],
    [Number.NaN, {}, notJsonNumber],
    [null, {}, notAString],
    [undefined, {}, notAString],
    [true, {}, notAString],
    [{ amount: '1' }, {}, notAString],
    ['', {}, 'must not be empty'],
    ['   ', {}, 'must not be empty'],
    ['\t', {}, 'must not be empty'],
    [' 100', {}, 'must not have spaces around it'],
    ['100 ', {}, 'must not have spaces around it'],
    ['100\n', {}, 'must not have spaces around it'],
    ['1e5', {}, 'must not use exponent notation'],
    ['1E5', {}, 'must not use exponent notation'],
    ['2.5e-3', {}, 'must not use exponent notation'],
    ['-1e5', {}, 'must not use exponent notation'],
    ['NaN', {}, 'must be a finite number'],
    ['nan', {}, 'must be a finite number'],
    ['Infinity', {}, 'must be a finite number'],
    ['-Infinity', {}, 'must be a finite number'],
    ['+5', {}, 'must not start with "+"'],
    ['+0.50', {}, 'must not start with "+"'],
    ['1.234', {}, 'must have at most 2 decimal places'],
    ['0.1234567', { decimalPlacesMax: 6 }, 'must have at most 6 decimal places'],
    ['1.5', { decimalPlacesMax: 0 }, 'must be a whole number, without decimals'],
    ['1234567890123456', {}, 'must have at most 15 digits before the decimal point'],
    ['1234567890123456.00', {}, 'must have at most 15 digits before the decimal point'],
    ['-5.00', {}, 'must not be negative'],
    ['-0.01', {}, 'must not be negative'],
    ['0', { allowZero: false }, 'must not be zero'],
    ['0.00', { allowZero: false }, 'must not be zero'],
    ['-0.00', { allowZero: false, allowNegative: true }, 'must not be zero'],
    ['1,50', {}, notDecimalText],
    ['1.000.000', {}, notDecimalText],
    ['.5', {}, notDecimalText],
    ['5.', {}, notDecimalText],
    ['1 000', {}, notDecimalText],
    ['0x10', {}, notDecimalText],
    ['--5', {}, notDecimalText],
    ['Rp 5', {}, notDecimalText],
    ['١٢٣', {}, notDecimalText],
    ['５', {}, notDecimalText],
  ])('refuses %j with %j: %s', (input, options, reason) => {
    expect(parseAmount(input, options)).toEqual({ ok: false, reason });
  });

  it('refuses a bigint, which no JSON parser produces', () => {
    expect(parseAmount(250000n)).toEqual({ ok: false, reason: notAString });
  });

  it('throws on a nonsensical decimalPlacesMax, which is a programmer error', () => {
    expect(() => parseAmount('1', { decimalPlacesMax: -1 })).toThrow(RangeError);
    expect(() => parseAmount('1', { decimalPlacesMax: 1.5 })).toThrow(RangeError);
    expect(() => parseAmount('1', { decimalPlacesMax: 21 })).toThrow(RangeError);
  });
});

describe('amount', () => {
  it('takes trusted literals, rates included, and fails loudly on a typo', () => {
    expect(amount('0.125').toFixed()).toBe('0.125');
    expect(amount('-5').toFixed()).toBe('-5');
    expect(() => amount('1,5')).toThrow('amount("1,5"): must be digits');
  });

  it('reads stored numerics by another name, to the same grammar, naming itself when it refuses', () => {
    expect(fromNumeric('0.012500').toFixed()).toBe('0.0125');
    expect(fromNumeric('-250000.00').equals(amount('-250000'))).toBe(true);
    expect(() => fromNumeric('NaN')).toThrow('fromNumeric("NaN"): must be a finite number');
    expect(() => fromNumeric('1e3')).toThrow('fromNumeric("1e3"): must not use exponent notation');
  });

  it('computes at 40 digits without touching the global Decimal settings', () => {
    expect(amount('1').dividedBy(amount('3')).precision()).toBe(40);
    expect(Decimal.precision).toBe(20);
    expect(new Decimal(1).dividedBy(3).precision()).toBe(20);
  });
});

describe('amountSchema', () => {
  const body = z.object({ premium: amountSchema() });

  it('gives a Decimal for a decimal string', () => {
    const parsed = body.parse({ premium: '250000.00' });
    expect(parsed.premium).toBeInstanceOf(Decimal);
    expect(parsed.premium.toFixed(2)).toBe('250000.00');
  });

  it('refuses a JSON number with a reason that says so, at the field', () => {
    const result = body.safeParse({ premium: 250000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toBe(notJsonNumber);
    expect(result.error?.issues[0]?.path).toEqual(['premium']);
  });

  it.each<[unknown, ParseOptions, string]>([
    [null, {}, notAString],
    ['1.005', {}, 'must have at most 2 decimal places'],
    [' 1', {}, 'must not have spaces around it'],
    ['1e5', {}, 'must not use exponent notation'],
    ['-5.00', {}, 'must not be negative'],
    ['0.00', { allowZero: false }, 'must not be zero'],
    ['1.5', { decimalPlacesMax: 0 }, 'must be a whole number, without decimals'],
  ])('refuses %j with %j using the parseAmount reason: %s', (input, options, reason) => {
    const issues = amountSchema(options).safeParse(input).error?.issues;
    expect(issues?.map((issue) => issue.message)).toEqual([reason]);
  });

  it('passes the options through', () => {
    expect(amountSchema({ allowNegative: true }).parse('-5.50').toFixed()).toBe('-5.5');
    expect(amountSchema({ decimalPlacesMax: 6 }).parse('0.125000').toFixed()).toBe('0.125');
  });

  it('documents itself in JSON Schema as a string with the format', () => {
    const json = z.toJSONSchema(amountSchema(), { io: 'input' });
    expect(json.type).toBe('string');
    expect(json.examples).toEqual(['250000.00']);
    expect(json.description).toContain('decimal string');
    expect(typeof json.pattern).toBe('string');
    const pattern = new RegExp(String(json.pattern));
    expect(['250000.00', '0', '-5.5'].every((text) => pattern.test(text))).toBe(true);
    expect(['1.234', '1e5', '+5', ' 1', '1234567890123456'].some((text) => pattern.test(text))).toBe(false);
    const whole = z.toJSONSchema(amountSchema({ decimalPlacesMax: 0 }), { io: 'input' });
    expect(new RegExp(String(whole.pattern)).test('1.5')).toBe(false);
  });

  it('documents a pattern that accepts exactly what parseAmount accepts', () => {
    for (const places of [0, 2, 6]) {
      const pattern = new RegExp(String(z.toJSONSchema(amountSchema({ decimalPlacesMax: places }), { io: 'input' }).pattern));
      const chars = fc.constantFrom('0', '1', '9', '9', '5', '.', '-', '+', 'e', ' ', ',');
      const numberish = fc
        .tuple(fc.boolean(), fc.integer({ min: 1, max: 17 }), fc.option(fc.integer({ min: 0, max: 8 })))
        .map(
          ([negative, digits, fraction]) =>
            `${negative ? '-' : ''}${'7'.repeat(digits)}${fraction === null ? '' : `.${'3'.repeat(fraction)}`}`,
        );
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 20 }), numberish), (text) => {
          expect(pattern.test(text)).toBe(parseAmount(text, { allowNegative: true, decimalPlacesMax: places }).ok);
        }),
      );
    }
  });
});

describe('roundAmount', () => {
  const expected: Record<RoundingMode, [string, string, string, string]> = {
    //            2.5    -2.5   2.45@1  -2.45@1
    'half-even': ['2', '-2', '2.4', '-2.4'],
    'half-up': ['3', '-3', '2.5', '-2.5'],
    'half-down': ['2', '-2', '2.4', '-2.4'],
    up: ['3', '-3', '2.5', '-2.5'],
    down: ['2', '-2', '2.4', '-2.4'],
    ceil: ['3', '-2', '2.5', '-2.4'],
    floor: ['2', '-3', '2.4', '-2.5'],
  };
  const cases = roundingModes.flatMap((mode) => {
    const [a, b, c, d] = expected[mode];
    return [
      ['2.5', mode, 0, a],
      ['-2.5', mode, 0, b],
      ['2.45', mode, 1, c],
      ['-2.45', mode, 1, d],
    ] as const;
  });

  it.each(cases)('%s %s at %i places is %s', (value, mode, places, result) => {
    expect(roundAmount(amount(value), mode, places).toFixed()).toBe(result);
  });

  it.each<[string, RoundingMode, number, string]>([
    ['3.5', 'half-even', 0, '4'],
    ['2.51', 'half-down', 0, '3'],
    ['2.1', 'up', 0, '3'],
    ['2.9', 'down', 0, '2'],
    ['1300.0000000001', 'half-even', 0, '1300'],
    ['1.005', 'half-up', 2, '1.01'],
    ['1.005', 'half-even', 2, '1'],
  ])('%s %s at %i places is %s', (value, mode, places, result) => {
    expect(roundAmount(amount(value), mode, places).toFixed()).toBe(result);
  });

  it('rounds to whole rupiah unless told otherwise', () => {
    expect(roundAmount(amount('10400').times(amount('0.075')), 'half-even').toFixed()).toBe('780');
    expect(roundAmount(amount('12.5'), 'half-even').toFixed()).toBe('12');
  });

  it('refuses NaN and nonsensical places', () => {
    expect(() => roundAmount(amount('0').dividedBy(amount('0')), 'half-even')).toThrow('not a finite amount');
    expect(() => roundAmount(amount('1'), 'half-even', -1)).toThrow(RangeError);
  });

  it('lands on the requested places, on the side the mode names, within one unit', () => {
    fc.assert(
      fc.property(preciseAmountArb, fc.constantFrom(...roundingModes), fc.integer({ min: 0, max: 3 }), (value, mode, places) => {
        const rounded = roundAmount(value, mode, places);
        const unit = amount('1').dividedBy(amount('10').pow(places));
        expect(rounded.decimalPlaces()).toBeLessThanOrEqual(places);
        expect(rounded.minus(value).abs().lessThan(unit)).toBe(true);
        if (mode === 'floor') expect(rounded.lessThanOrEqualTo(value)).toBe(true);
        if (mode === 'ceil') expect(rounded.greaterThanOrEqualTo(value)).toBe(true);
        if (mode === 'down') expect(rounded.abs().lessThanOrEqualTo(value.abs())).toBe(true);
        if (mode === 'up') expect(rounded.abs().greaterThanOrEqualTo(value.abs())).toBe(true);
      }),
    );
  });
});

describe('roundingModeSchema', () => {
  it('accepts the seven modes by name and nothing else', () => {
    expect(roundingModes.map((mode) => roundingModeSchema.parse(mode))).toEqual([...roundingModes]);
    expect(roundingModeSchema.safeParse('HALF_EVEN').success).toBe(false);
    expect(roundingModeSchema.safeParse('bankers').success).toBe(false);
  });
});

describe('sumAmounts and isZero', () => {
  it('sums exactly, the empty list to zero', () => {
    expect(sumAmounts([]).toFixed()).toBe('0');
    expect(sumAmounts([amount('0.1'), amount('0.2')]).toFixed()).toBe('0.3');
    expect(sumAmounts([amount('999999999999999.99'), amount('0.01'), amount('-5')]).toFixed()).toBe('999999999999995');
  });

  it('treats a negative zero as zero', () => {
    expect(isZero(amount('0'))).toBe(true);
    expect(isZero(amount('-0.01').plus(amount('0.01')))).toBe(true);
    expect(isZero(amount('0.01'))).toBe(false);
  });

  it('is associative and commutative', () => {
    fc.assert(
      fc.property(amountArb, amountArb, amountArb, (a, b, c) => {
        expect(
          a
            .plus(b)
            .plus(c)
            .equals(a.plus(b.plus(c))),
        ).toBe(true);
        expect(a.plus(b).equals(b.plus(a))).toBe(true);
        const sum = sumAmounts([a, b, c]);
        for (const order of [
          [a, c, b],
          [b, a, c],
          [b, c, a],
          [c, a, b],
          [c, b, a],
        ]) {
          expect(sumAmounts(order).equals(sum)).toBe(true);
        }
      }),
    );
  });
});

describe('toAmountString', () => {
  it.each<[string, number, string]>([
    ['250000', 2, '250000.00'],
    ['-5.5', 2, '-5.50'],
    ['0', 2, '0.00'],
    ['12', 0, '12'],
    ['0.125', 3, '0.125'],
    ['999999999999999.99', 2, '999999999999999.99'],
  ])('writes %s at %i places as %s', (value, places, text) => {
    expect(toAmountString(amount(value), places)).toBe(text);
  });

  it('never writes a negative zero', () => {
    expect(toAmountString(roundAmount(amount('-0.004'), 'half-even', 2))).toBe('0.00');
  });

  it('refuses to round silently, or to write NaN', () => {
    expect(() => toAmountString(amount('1.005'))).toThrow('round it first');
    expect(() => toAmountString(amount('1.5'), 0)).toThrow('round it first');
    expect(() => toAmountString(amount('0').dividedBy(amount('0')))).toThrow('not a finite amount');
    expect(() => toAmountString(amount('1').dividedBy(amount('0')))).toThrow('not a finite amount');
  });

  it('round-trips through parseAmount', () => {
    fc.assert(
      fc.property(centsArb(), (cents) => {
        const text = unitsText(cents, 2);
        const parsed = parseAmount(text, { allowNegative: true });
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(toAmountString(parsed.value)).toBe(text);
        const again = parseAmount(toAmountString(parsed.value), { allowNegative: true });
        expect(again.ok && again.value.equals(parsed.value)).toBe(true);
      }),
    );
  });
});

describe('toDecimalString', () => {
  it.each([
    ['0.012500', '0.0125'],
    ['-5000.00', '-5000'],
    ['-0.00', '0'],
    ['0.00000000000000000001', '0.00000000000000000001'],
    ['999999999999999.99', '999999999999999.99'],
  ])('writes %s as %s: exact, no trailing zeros, no exponent', (value, text) => {
    expect(toDecimalString(fromNumeric(value))).toBe(text);
  });

  it('refuses to write NaN or Infinity', () => {
    expect(() => toDecimalString(amount('0').dividedBy(amount('0')))).toThrow('not a finite amount');
    expect(() => toDecimalString(amount('1').dividedBy(amount('0')))).toThrow('not a finite amount');
  });
});

describe('compareDecimals', () => {
  it.each([
    ['250000', '250000.00', 0],
    ['12.00', '9.50', 1],
    ['-1', '0', -1],
    ['9999999999999999999999.5', '9999999999999999999999.49', 1],
  ])('orders %s and %s by value, not as text', (a, b, order) => {
    expect(compareDecimals(a, b)).toBe(order);
  });
});

describe('formatRupiah and parseRupiah', () => {
  it.each([
    ['0', 'Rp 0'],
    ['999', 'Rp 999'],
    ['1000', 'Rp 1.000'],
    ['-1000', '-Rp 1.000'],
    ['100000', 'Rp 100.000'],
    ['1234567', 'Rp 1.234.567'],
    ['1234567.5', 'Rp 1.234.567,50'],
    ['1234567.05', 'Rp 1.234.567,05'],
    ['-1234567.5', '-Rp 1.234.567,50'],
    ['0.5', 'Rp 0,50'],
    ['1.005', 'Rp 1,005'],
    ['48000000.00', 'Rp 48.000.000'],
    ['999999999999999.99', 'Rp 999.999.999.999.999,99'],
  ])('%s is %s and back', (value, text) => {
    expect(formatRupiah(amount(value))).toBe(text);
    expect(parseRupiah(text).equals(amount(value))).toBe(true);
  });

  it('writes a negative zero as Rp 0', () => {
    expect(formatRupiah(amount('-0.01').plus(amount('0.01')))).toBe('Rp 0');
  });

  it('refuses NaN', () => {
    expect(() => formatRupiah(amount('0').dividedBy(amount('0')))).toThrow('not a finite amount');
  });

  it.each([
    'Rp 1234',
    'Rp 1.23',
    'Rp 1.000.00',
    'Rp 1,5',
    'Rp 1,00',
    'Rp 1,500',
    'Rp 0,00',
    '-Rp 0',
    'Rp 01',
    'Rp 0.001',
    ' Rp 1',
    'Rp 1 ',
    'Rp  1',
    'Rp -1',
    'Rp1',
    'IDR 1',
    'Rp 1.000,',
    '1.000',
    '',
  ])('parseRupiah refuses %j', (text) => {
    expect(() => parseRupiah(text)).toThrow('not a rupiah amount as reports write it');
  });

  it('round-trips any amount', () => {
    fc.assert(
      fc.property(preciseAmountArb, (value) => {
        const back = parseRupiah(formatRupiah(value));
        expect(back.equals(value)).toBe(true);
        expect(back.isNegative() && !back.isZero()).toBe(value.isNegative() && !value.isZero());
      }),
    );
  });
});

describe('allocate', () => {
  const ones = (count: number) => Array.from({ length: count }, () => amount('1'));

  it.each<[string, string[], number, string[]]>([
    ['100', ['1', '1', '1'], 0, ['34', '33', '33']],
    ['-100', ['1', '1', '1'], 0, ['-34', '-33', '-33']],
    ['1', ['1', '1'], 0, ['1', '0']],
    ['7', ['1', '3'], 0, ['2', '5']],
    ['7', ['3', '1'], 0, ['5', '2']],
    ['10', ['1', '1', '4'], 0, ['2', '2', '6']],
    ['10', ['0', '1', '1'], 0, ['0', '5', '5']],
    ['0.05', ['1', '1', '1'], 2, ['0.02', '0.02', '0.01']],
    ['10400', ['0.125', '0.875'], 0, ['1300', '9100']],
    ['250000.00', ['0.2', '0.3', '0.5'], 2, ['50000', '75000', '125000']],
    ['0', ['1', '2'], 2, ['0', '0']],
    ['-1', ['1', '1'], 0, ['-1', '0']],
  ])('splits %s by %j at %i places into %j', (total, weights, places, parts) => {
    expect(texts(allocate(amount(total), weights.map(amount), places))).toEqual(parts);
  });

  it('is exact for weights with more digits than a division keeps', () => {
    const third = amount('1').dividedBy(amount('3'));
    const twoThirds = amount('2').dividedBy(amount('3'));
    expect(texts(allocate(amount('100'), [third, twoThirds], 0))).toEqual(['33', '67']);
  });

  it('refuses programmer errors', () => {
    expect(() => allocate(amount('1'), [], 0)).toThrow('no weights');
    expect(() => allocate(amount('1'), [amount('-1'), amount('2')], 0)).toThrow('negative weight');
    expect(() => allocate(amount('1'), [amount('0'), amount('0')], 0)).toThrow('all weights are zero');
    expect(() => allocate(amount('1.5'), ones(2), 0)).toThrow('more than 0 decimal places');
    expect(() => allocate(amount('1'), ones(2), 1.5)).toThrow(RangeError);
    expect(() => allocate(amount('1'), [amount('1').dividedBy(amount('0'))], 0)).toThrow('not a finite amount');
  });

  const weightsArb = fc
    .tuple(fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 3 }))
    .filter(([units]) => units.some((unit) => unit > 0n));
  const totalArb = fc.tuple(centsArb(10n ** 15n - 1n), fc.integer({ min: 0, max: 4 }));

  it('sums exactly to the total, each part at the given places and within one unit of its exact share', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, ([totalUnits, places], [weightUnits, weightPlaces]) => {
        const total = amount(unitsText(totalUnits, places));
        const weights = weightUnits.map((units) => amount(unitsText(units, weightPlaces)));
        const parts = allocate(total, weights, places);

        expect(parts).toHaveLength(weights.length);
        expect(sumAmounts(parts).equals(total)).toBe(true);
        // Exact, in integers: |part − total·w/W| < 1 unit  ⇔  |part·W − total·w| < W.
        const weightTotal = weightUnits.reduce((sum, units) => sum + units, 0n);
        parts.forEach((part, index) => {
          expect(part.decimalPlaces()).toBeLessThanOrEqual(places);
          const distance = unitsOf(part, places) * weightTotal - totalUnits * (weightUnits[index] ?? 0n);
          expect(distance < 0n ? -distance : distance).toBeLessThan(weightTotal);
          expect(part.isZero() || part.isNegative() === total.isNegative()).toBe(true);
        });
      }),
    );
  });

  it('splits a negative total as the mirror image of the positive one', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, ([totalUnits, places], [weightUnits, weightPlaces]) => {
        const total = amount(unitsText(totalUnits, places));
        const weights = weightUnits.map((units) => amount(unitsText(units, weightPlaces)));
        const mirrored = allocate(total.negated(), weights, places).map((part) => part.negated());
        expect(texts(mirrored)).toEqual(texts(allocate(total, weights, places)));
      }),
    );
  });
});

describe('formatPercent', () => {
  it.each([
    ['0.7', '70%'],
    ['0.125', '12,5%'],
    ['0.075', '7,5%'],
    ['1', '100%'],
    ['0.000001', '0,0001%'],
  ])('writes the rate %s as %s, exactly', (rate, text) => {
    expect(formatPercent(amount(rate))).toBe(text);
  });
});
