// Named import: see decimal.ts.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { assertFinite, assertPlaces, Dec } from './decimal.ts';

// The only place that parses, rounds and formats amounts. Money never passes
// through a JS number: it arrives as text, lives as a Decimal, leaves as text.

// Values made here belong to the private clone, so arithmetic on them
// (a.plus(b) uses a's settings) runs at 40 digits whatever else is configured.
export type Amount = Decimal;

const integerDigitsMax = 15;
// Beyond this a "decimal places" option is a typo, not a rate.
const decimalPlacesLimit = 20;

const notAString = 'must be a decimal string such as "250000.00"';
const notJsonNumber = `${notAString}, not a JSON number`;

export type ParseResult = { ok: true; value: Amount } | { ok: false; reason: string };

export interface ParseOptions {
  readonly allowNegative?: boolean; // default false
  readonly allowZero?: boolean; // default true
  readonly decimalPlacesMax?: number; // default 2
}

function placesMaxOf(options: ParseOptions): number {
  const places = options.decimalPlacesMax ?? 2;
  assertPlaces(places, 'decimalPlacesMax');
  if (places > decimalPlacesLimit) throw new RangeError(`decimalPlacesMax: at most ${decimalPlacesLimit}, not ${places}`);
  return places;
}

// The grammar parseAmount accepts, for JSON Schema readers. The sign is always
// allowed by the pattern: "-0.00" is zero, and a negative amount deserves the
// reason "must not be negative" rather than "does not match the pattern".
function amountPattern(decimalPlacesMax: number): string {
  const fraction = decimalPlacesMax === 0 ? '' : `(\\.\\d{1,${decimalPlacesMax}})?`;
  return `^-?\\d{1,${integerDigitsMax}}${fraction}$`;
}

// Each refusal names the one thing to fix, so a clerk reading
// "premium must not use exponent notation" knows what to change.
export function parseAmount(input: unknown, options: ParseOptions = {}): ParseResult {
  const { allowNegative = false, allowZero = true } = options;
  const placesMax = placesMaxOf(options);
  const refuse = (reason: string): ParseResult => ({ ok: false, reason });

  // A JSON number has already been through a binary float by the time we see it.
  if (typeof input === 'number') return refuse(notJsonNumber);
  if (typeof input !== 'string') return refuse(notAString);
  if (input.trim() === '') return refuse('must not be empty');
  if (input !== input.trim()) return refuse('must not have spaces around it');
  if (/^[-+]?(nan|infinity)$/i.test(input)) return refuse('must be a finite number');
  if (/^[-+]?(\d+\.?\d*|\.\d+)e[-+]?\d+$/i.test(input)) return refuse('must not use exponent notation');
  if (input.startsWith('+')) return refuse('must not start with "+"');

  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(input);
  if (match === null) return refuse('must be digits with an optional "." and decimals, such as "250000.00"');
  const [, sign, whole = '', fraction = ''] = match;
  if (whole.length > integerDigitsMax) return refuse(`must have at most ${integerDigitsMax} digits before the decimal point`);
  if (fraction.length > placesMax)
    return refuse(placesMax === 0 ? 'must be a whole number, without decimals' : `must have at most ${placesMax} decimal places`);

  const value = new Dec(input);
  if (value.isZero()) {
    if (!allowZero) return refuse('must not be zero');
    // "-0.00" is zero; a negative zero would print as "-Rp 0" later.
    return { ok: true, value: new Dec(0) };
  }
  if (sign === '-' && !allowNegative) return refuse('must not be negative');
  return { ok: true, value };
}

// Three ways in, by where the text comes from:
// - from a person or a client (a request body, a CLI argument): parseAmount,
//   or amountSchema at a route, which give a reason to show and never throw;
// - from our own code (a constant, a test): amount('0'), amount('250000.00');
// - from where it was checked when it came in (a PostgreSQL numeric, an
//   amount string of our own model, a rule param validated at load):
//   fromNumeric(row.balance).
// The last two throw: a bad literal is a typo, a bad stored value is
// corruption or a store's bug, and neither is the user's to fix.

// Generous on purpose: rates need more than 2 decimals, and a typo should
// fail loudly at load. Only literals: test/money/boundaries.test.ts refuses
// amount() on anything but a quoted string in src/.
export function amount(text: string): Amount {
  return trustedDecimal(text, 'amount');
}

// The same grammar as amount(), named for what it reads, so a reader (and the
// boundaries test) can tell a stored value from a literal in the code.
export function fromNumeric(text: string): Amount {
  return trustedDecimal(text, 'fromNumeric');
}

function trustedDecimal(text: string, where: string): Amount {
  const parsed = parseAmount(text, { allowNegative: true, decimalPlacesMax: decimalPlacesLimit });
  if (!parsed.ok) throw new Error(`${where}(${JSON.stringify(text)}): ${parsed.reason}`);
  return parsed.value;
}

// Request bodies: a decimal string in, a Decimal out, and a JSON Schema that
// documents the string. Every message comes from parseAmount, so a request
// body and any other caller refuse the same input with the same words.
export function amountSchema(options: ParseOptions = {}) {
  const placesMax = placesMaxOf(options);
  const reasonFor = (input: unknown): string => {
    const parsed = parseAmount(input, options);
    // Only reachable if the pattern and parseAmount ever disagree.
    return parsed.ok ? notAString : parsed.reason;
  };
  const rules = [
    placesMax === 0 ? 'a whole number' : `at most ${placesMax} decimal place${placesMax === 1 ? '' : 's'}`,
    options.allowNegative === true ? undefined : 'not negative',
    options.allowZero === false ? 'not zero' : undefined,
  ].filter((rule) => rule !== undefined);
  return z
    .string({ error: (issue) => reasonFor(issue.input) })
    .regex(new RegExp(amountPattern(placesMax)), { error: (issue) => reasonFor(issue.input) })
    .meta({
      description: `An amount in rupiah as a decimal string, never a JSON number: ${rules.join(', ')}.`,
      examples: ['250000.00'],
    })
    .transform((text, ctx) => {
      const parsed = parseAmount(text, options);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.reason, input: text });
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

// The mode has no default: which way a rupiah goes is a policy decision
// (the rule manifest names it), and it must be visible at every call site.
export function roundAmount(value: Amount, mode: RoundingMode, decimalPlaces = 0): Amount {
  assertFinite(value, 'roundAmount');
  assertPlaces(decimalPlaces, 'roundAmount');
  return new Dec(value).toDecimalPlaces(decimalPlaces, decimalRounding[mode]);
}

export function sumAmounts(values: readonly Amount[]): Amount {
  return values.reduce<Amount>((total, value) => total.plus(value), new Dec(0));
}

// Usable as a callback (parts.every(isZero)); also true for a negative zero.
export function isZero(value: Amount): boolean {
  return value.isZero();
}

// The API's representation. It never rounds: an amount with more places than
// the field holds is a bug upstream, and hiding it would move money silently.
export function toAmountString(value: Amount, decimalPlaces = 2): string {
  assertFinite(value, 'toAmountString');
  assertPlaces(decimalPlaces, 'toAmountString');
  if (value.decimalPlaces() > decimalPlaces)
    throw new Error(`toAmountString: ${value.toFixed()} has more than ${decimalPlaces} decimal places; round it first`);
  // decimal.js writes a negative zero as "0.00", which is what we want.
  return value.toFixed(decimalPlaces);
}

// Exact decimal text, no trailing zeros, never exponent notation ("0.0125",
// "-5000"): a rate to store, an amount in a message. Amounts in the API have
// fixed places and are toAmountString's.
export function toDecimalString(value: Amount): string {
  assertFinite(value, 'toDecimalString');
  return value.toFixed();
}

// Orders two decimal texts by value ("250000" and "250000.00" are equal), for
// the rules' decimal operators and ceiling checks. Unbounded, unlike
// fromNumeric: callers check the shape of both texts first, and a comparison
// has no amount to overflow.
export function compareDecimals(a: string, b: string): number {
  return new Dec(a).comparedTo(b);
}
