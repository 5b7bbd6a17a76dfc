// The named import: under module NodeNext the default import is typed as the
// CommonJS module object (decimal.d.ts is not ESM-scoped), not as the class.
import { Decimal } from 'decimal.js';

// Internal to src/money, the one folder that imports decimal.js
// (test/money/boundaries.test.ts checks): other modules get amounts from
// parseAmount(), amount() or fromNumeric(), never from a constructor that
// would also accept a JS number.

// A private clone, so that a Decimal.set() anywhere else in the process (a
// library, a test) cannot change how money is computed here. 40 significant
// digits hold a 15-digit rupiah amount times a rate with many decimals.
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });

// decimal.js can hold NaN and ±Infinity (0/0, 1/0); none of them is an amount,
// and letting one reach the API or a report would print "NaN" as money.
export function assertFinite(value: Decimal, where: string): void {
  if (!value.isFinite()) throw new Error(`${where}: ${value.toString()} is not a finite amount`);
}

// Decimal.js would throw too, but with a message that does not say who asked.
export function assertPlaces(decimalPlaces: number, where: string): void {
  if (!Number.isSafeInteger(decimalPlaces) || decimalPlaces < 0)
    throw new RangeError(`${where}: decimal places must be a whole number ≥ 0, not ${decimalPlaces}`);
}
