import { assertFinite } from './decimal.ts';
import type { Amount } from './money.ts';

// A rate as a person reads it, in Indonesian style: 0.7 is "70%", 0.125 is
// "12,5%". Exact: a rate from the rules has at most six places, so no
// rounding is needed to show it.
export function formatPercent(rate: Amount): string {
  assertFinite(rate, 'formatPercent');
  return `${rate.times(100).toFixed().replace('.', ',')}%`;
}
