import { assertFinite, Dec } from './decimal.ts';
import { type Amount, roundAmount, type RoundingMode } from './money.ts';

// The level payment that repays a principal with interest at a rate per
// period over a number of periods (a declining-balance loan's instalment),
// rounded as the rules say. At a zero rate it is the principal shared out
// evenly, rounded the same way; the last instalment of a schedule takes up
// whatever rounding left over.
export function levelPayment(
  principal: Amount,
  ratePerPeriod: Amount,
  periods: number,
  rounding: { readonly mode: RoundingMode; readonly decimalPlaces: number },
): Amount {
  assertFinite(principal, 'levelPayment principal');
  assertFinite(ratePerPeriod, 'levelPayment rate');
  if (!Number.isSafeInteger(periods) || periods < 1) throw new RangeError(`levelPayment: ${periods} is not a number of periods`);
  if (ratePerPeriod.isNegative()) throw new RangeError(`levelPayment: negative rate ${ratePerPeriod.toFixed()}`);
  const exact = ratePerPeriod.isZero()
    ? new Dec(principal).dividedBy(periods)
    : new Dec(principal).times(ratePerPeriod).dividedBy(new Dec(1).minus(new Dec(1).plus(ratePerPeriod).pow(-periods)));
  return roundAmount(exact, rounding.mode, rounding.decimalPlaces);
}
