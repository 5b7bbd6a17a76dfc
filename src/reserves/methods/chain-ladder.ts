import { amount, type Amount, sumAmounts } from '../../money/index.ts';
import { assertTriangle, lastOf, type Triangle, TriangleError } from './triangle.ts';

// The chain ladder (Mack 1993, section 2): each development period's
// age-to-age factor is the volume-weighted one, Σ C(i,k+1) / Σ C(i,k) over
// the origins that know both cells, and an origin's ultimate is its latest
// amount carried to the last period by the factors still ahead of it.

export interface ChainLadderOrigin {
  readonly origin: string;
  readonly latest: Amount;
  // Cumulative development factor from the latest diagonal to ultimate.
  readonly developmentFactor: Amount;
  readonly ultimate: Amount;
  readonly ibnr: Amount;
}

export interface ChainLadder {
  // factors[k] develops period k to k + 1.
  readonly factors: readonly Amount[];
  // Σ C(i,k) over the origins behind factors[k]: Mack's weights.
  readonly factorWeights: readonly Amount[];
  // Every cell, known or projected, origin by development.
  readonly projected: readonly (readonly Amount[])[];
  readonly origins: readonly ChainLadderOrigin[];
  readonly total: { readonly latest: Amount; readonly ultimate: Amount; readonly ibnr: Amount };
}

export function chainLadder(triangle: Triangle): ChainLadder {
  assertTriangle(triangle);
  const { factors, factorWeights } = ageToAgeFactors(triangle);
  const projected = triangle.rows.map((row) => {
    const cells = [...row];
    for (let k = row.length - 1; k < factors.length; k += 1) cells.push(lastOf(cells).times(cellAt(factors, k)));
    return cells;
  });
  const origins = projected.map((cells, index) => {
    const row = triangle.rows[index] ?? [];
    const latest = lastOf(row);
    const developmentFactor = factors
      .slice(row.length - 1)
      .reduce<Amount>((product, factor) => product.times(factor), amount('1'));
    const ultimate = lastOf(cells);
    return { origin: triangle.origins[index] ?? '', latest, developmentFactor, ultimate, ibnr: ultimate.minus(latest) };
  });
  return {
    factors,
    factorWeights,
    projected,
    origins,
    total: {
      latest: sumAmounts(origins.map((origin) => origin.latest)),
      ultimate: sumAmounts(origins.map((origin) => origin.ultimate)),
      ibnr: sumAmounts(origins.map((origin) => origin.ibnr)),
    },
  };
}

function ageToAgeFactors(triangle: Triangle): { factors: Amount[]; factorWeights: Amount[] } {
  const factors: Amount[] = [];
  const factorWeights: Amount[] = [];
  for (let k = 0; k + 1 < triangle.developments.length; k += 1) {
    const known = triangle.rows.filter((row) => row.length > k + 1);
    const from = sumAmounts(known.map((row) => cellAt(row, k)));
    const to = sumAmounts(known.map((row) => cellAt(row, k + 1)));
    const label = `${triangle.developments[k]} to ${triangle.developments[k + 1]}`;
    if (known.length === 0) throw new TriangleError(`development ${label}: no origin knows both periods, so there is no factor`);
    // A zero or negative factor would make every later ultimate zero or negative, and 1/CDF meaningless.
    if (from.lessThanOrEqualTo(0) || to.lessThanOrEqualTo(0))
      throw new TriangleError(`development ${label}: the amounts add up to zero or less, so the factor cannot be estimated`);
    factors.push(to.dividedBy(from));
    factorWeights.push(from);
  }
  return { factors, factorWeights };
}

// The k-th of a row of cells, factors or variances, which the shapes above guarantee.
export function cellAt(values: readonly Amount[], k: number): Amount {
  const cell = values[k];
  if (cell === undefined) throw new Error(`cellAt: no cell at development ${k}`);
  return cell;
}
