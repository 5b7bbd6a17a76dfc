import { assertFinite, assertPlaces, Dec } from './decimal.ts';
import type { Amount } from './money.ts';

// Whole units of 10^-places, exactly: the share arithmetic below is done in
// bigint so no 40-digit rounding of a quotient can move a unit.
function toUnits(value: Amount, places: number): bigint {
  return BigInt(value.toFixed(places).replace('.', ''));
}

function fromUnits(units: bigint, places: number): Amount {
  return new Dec(`${units}e-${places}`);
}

// Splits a total into parts proportional to the weights that add up to the
// total exactly: a premium across funders, a grant across regencies. Largest
// remainder: every part is its share truncated toward zero, and the units left
// over go one each to the largest remainders, ties to the earliest part, so
// the same input always gives the same split. A negative total is the mirror
// image of the positive one.
export function allocate(total: Amount, weights: readonly Amount[], decimalPlaces: number): Amount[] {
  assertPlaces(decimalPlaces, 'allocate');
  assertFinite(total, 'allocate total');
  if (weights.length === 0) throw new Error('allocate: no weights');
  for (const weight of weights) {
    assertFinite(weight, 'allocate weight');
    if (weight.lessThan(0)) throw new Error(`allocate: negative weight ${weight.toFixed()}`);
  }
  if (weights.every((weight) => weight.isZero())) throw new Error('allocate: all weights are zero');
  if (total.decimalPlaces() > decimalPlaces)
    throw new Error(`allocate: total ${total.toFixed()} has more than ${decimalPlaces} decimal places`);

  const weightPlaces = Math.max(...weights.map((weight) => weight.decimalPlaces()));
  const weightUnits = weights.map((weight) => toUnits(weight, weightPlaces));
  const weightTotal = weightUnits.reduce((sum, weight) => sum + weight, 0n);
  const totalUnits = toUnits(total.abs(), decimalPlaces);

  const shares = weightUnits.map((weight, index) => ({
    index,
    units: (totalUnits * weight) / weightTotal,
    remainder: (totalUnits * weight) % weightTotal,
  }));
  // Fewer than weights.length units are left, so one pass hands them all out.
  let leftover = totalUnits - shares.reduce((sum, share) => sum + share.units, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    share.units += 1n;
    leftover -= 1n;
  }

  const negative = total.isNegative() && !total.isZero();
  const parts = shares.map((share) => fromUnits(negative ? -share.units : share.units, decimalPlaces));

  // Checked on what we return, not on the bigint bookkeeping that produced it.
  const partsUnits = parts.reduce((sum, part) => sum + toUnits(part, decimalPlaces), 0n);
  if (partsUnits !== toUnits(total, decimalPlaces))
    throw new Error(`allocate: parts sum to ${fromUnits(partsUnits, decimalPlaces).toFixed()}, not ${total.toFixed()}`);
  return parts;
}
