import { Decimal } from 'decimal.js';
import { z } from 'zod';

// The only place that parses, rounds and formats amounts. Money never passes
// through a JS number: it arrives as text, lives as Decimal, and leaves as
// text. Rounding happens here, with a mode the caller names every time.

// A private clone: no global Decimal setting anywhere can change our results.
// 40 significant digits hold any rupiah total times any rate exactly.
const Amount = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Amount = Decimal;

const integerDigitsMax = 15;
const notJsonNumber = 'must be a decimal string such as "250000.00", not a JSON number';

export function amount(text: string): Amount {
  const parsed = parseAmount(text, { allowNegative: true, decimalPlacesMax: 20 });
  if (!parsed.ok) throw new Error(`amount(${JSON.stringify(text)}): ${parsed.reason}`);
  return parsed.value;
}

export type ParseResult = { ok: true; value: Amount } | { ok: false; reason: string };

export interface ParseOptions {
  readonly allowNegative?: boolean;
  readonly allowZero?: boolean;
  readonly decimalPlacesMax?: number;
}

export function parseAmount(input: unknown, options: ParseOptions = {}): ParseResult {
  const { allowNegative = false, allowZero = true, decimalPlacesMax = 2 } = options;
  const refuse = (reason: string): ParseResult => ({ ok: false, reason });
  if (typeof input === 'number') return refuse(notJsonNumber);
  if (typeof input !== 'string') return refuse('must be a decimal string such as "250000.00"');
  if (input.trim() === '') return refuse('must not be empty');
  if (input !== input.trim()) return refuse('must not have spaces around it');
  if (/[eE]/.test(input) && /^[-+]?[\d.]+[eE]/.test(input)) return refuse('must not use exponent notation');
  if (/^[-+]?(nan|infinity)$/i.test(input)) return refuse('must be a finite number');
  if (input.startsWith('+')) return refuse('must not start with "+"');
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(input);
  if (match === null) return refuse('must be digits with an optional "." and decimals, such as "250000.00"');
  const [, sign, whole = '', fraction = ''] = match;
  if (whole.length > integerDigitsMax) return refuse(`must have at most ${integerDigitsMax} digits before the decimal point`);
  if (fraction.length > decimalPlacesMax) return refuse(`must have at most ${decimalPlacesMax} decimal places`);
  const value = new Amount(input);
  if (sign === '-' && !value.isZero() && !allowNegative) return refuse('must not be negative');
  if (value.isZero() && !allowZero) return refuse('must not be zero');
  return { ok: true, value: value.isZero() ? new Amount(0) : value };
}

// For request bodies: a decimal string in, a Decimal out, and a JSON Schema
// that documents the string.
export function amountSchema(options: ParseOptions = {}) {
  const places = options.decimalPlacesMax ?? 2;
  const sign = options.allowNegative === true ? '-?' : '';
  return z
    .string({
      error: (issue) => (typeof issue.input === 'number' ? notJsonNumber : 'must be a decimal string such as "250000.00"'),
    })
    .meta({
      description: `An amount in rupiah as a decimal string with at most ${places} decimals.`,
      examples: ['250000.00'],
      pattern: `^${sign}\\d{1,${integerDigitsMax}}(\\.\\d{1,${places}})?$`,
    })
    .transform((text, ctx) => {
      const parsed = parseAmount(text, options);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.reason });
        return z.NEVER;
      }
      return parsed.value;
    });
}

export const roundingModes = ['half-even', 'half-up', 'half-down', 'up', 'down', 'ceil', 'floor'] as const;
export const roundingModeSchema = z.enum(roundingModes);
export type RoundingMode = z.infer<typeof roundingModeSchema>;

const decimalRounding: Readonly<Record<RoundingMode, Decimal.Rounding>> = {
  'half-even': Decimal.ROUND_HALF_EVEN,
  'half-up': Decimal.ROUND_HALF_UP,
  'half-down': Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceil: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

export function roundAmount(value: Amount, mode: RoundingMode, decimalPlaces: number): Amount {
  return new Amount(value).toDecimalPlaces(decimalPlaces, decimalRounding[mode]);
}

export function sumAmounts(values: readonly Amount[]): Amount {
  return values.reduce<Amount>((total, value) => total.plus(value), new Amount(0));
}

// Splits a total into parts proportional to the weights that add up to the
// total exactly (largest remainder): shares of a premium, a grant across
// LPAs. Leftover units go to the largest remainders, ties to the first part.
export function allocate(total: Amount, weights: readonly Amount[], decimalPlaces: number): Amount[] {
  if (weights.length === 0) throw new Error('allocate: no weights');
  if (weights.some((weight) => weight.isNegative())) throw new Error('allocate: negative weight');
  const weightTotal = sumAmounts(weights);
  if (weightTotal.isZero()) throw new Error('allocate: all weights are zero');
  if (total.decimalPlaces() > decimalPlaces)
    throw new Error(`allocate: total ${total.toFixed()} has more than ${decimalPlaces} decimal places`);

  const sign = total.isNegative() ? -1 : 1;
  const magnitude = total.abs();
  const unit = new Amount(1).dividedBy(new Amount(10).pow(decimalPlaces));
  const exact = weights.map((weight) => magnitude.times(weight).dividedBy(weightTotal));
  const parts = exact.map((share) => share.toDecimalPlaces(decimalPlaces, Decimal.ROUND_DOWN));
  let leftoverUnits = magnitude.minus(sumAmounts(parts)).dividedBy(unit).toNumber();
  const byRemainder = exact
    .map((share, index) => ({ index, remainder: share.minus(parts[index] ?? 0) }))
    .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const { index } of byRemainder) {
    if (leftoverUnits <= 0) break;
    parts[index] = (parts[index] ?? new Amount(0)).plus(unit);
    leftoverUnits -= 1;
  }
  const signed = parts.map((part) => (sign < 0 && !part.isZero() ? part.negated() : part));
  if (!sumAmounts(signed).equals(total))
    throw new Error(`allocate: parts sum to ${sumAmounts(signed).toFixed()}, not ${total.toFixed()}`);
  return signed;
}

// The API's representation: fixed places, no rounding (round first, on purpose).
export function toAmountString(value: Amount, decimalPlaces = 2): string {
  if (value.decimalPlaces() > decimalPlaces)
    throw new Error(`toAmountString: ${value.toFixed()} has more than ${decimalPlaces} decimal places; round it first`);
  return value.toFixed(decimalPlaces);
}

// Reports, in Indonesian style: Rp 1.234.567 and Rp 1.234.567,50.
export function formatRupiah(value: Amount): string {
  const [whole = '0', fraction = ''] = value.abs().toFixed().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const cents = fraction === '' ? '' : `,${fraction.padEnd(2, '0')}`;
  return `${value.isNegative() && !value.isZero() ? '-' : ''}Rp ${grouped}${cents}`;
}

export function parseRupiah(text: string): Amount {
  const match = /^(-?)Rp (\d{1,3}(?:\.\d{3})*)(?:,(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a rupiah amount as formatted for reports: ${JSON.stringify(text)}`);
  const [, sign = '', whole = '', fraction] = match;
  return new Amount(`${sign}${whole.replaceAll('.', '')}${fraction === undefined ? '' : `.${fraction}`}`);
}
