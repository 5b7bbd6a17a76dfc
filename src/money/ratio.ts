import type { Amount } from './money.ts';
import { roundAmount } from './money.ts';

// A ratio of two amounts (a loss ratio, reserve adequacy) to four places,
// rounded half-even; null when there is nothing to divide by.
export function ratioOf(numerator: Amount, denominator: Amount, decimalPlaces = 4): string | null {
  if (denominator.isZero()) return null;
  return roundAmount(numerator.dividedBy(denominator), 'half-even', decimalPlaces).toFixed(decimalPlaces);
}
