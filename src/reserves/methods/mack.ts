import { amount, type Amount, sumAmounts } from '../../money/index.ts';
import { cellAt, type ChainLadder, factorAt } from './chain-ladder.ts';
import type { Triangle } from './triangle.ts';
import { TriangleError } from './triangle.ts';

// Mack's standard error of the chain-ladder reserve (T. Mack, "Distribution-
// free calculation of the standard error of chain ladder reserve estimates",
// ASTIN Bulletin 23(2), 1993): per origin, and for the total, where origins
// share the estimated factors and so their errors add up more than
// independently.

export interface MackOrigin {
  readonly origin: string;
  readonly standardError: Amount;
}

export interface Mack {
  // σ²(k), the variance of the individual factors around factors[k].
  readonly sigmaSquared: readonly Amount[];
  readonly origins: readonly MackOrigin[];
  readonly totalStandardError: Amount;
}

export function mackStandardErrors(triangle: Triangle, ladder: ChainLadder): Mack {
  const sigmaSquared = factorVariances(triangle, ladder);
  const periods = ladder.factors.length;
  // Mack's closed form, run as the recursion ChainLadder (R) uses: the same
  // sums, with no division by a projected amount or a factor that may be zero.
  // Process variance: Var(C(i,k+1)) = C(i,k)·σ²(k) + Var(C(i,k))·f(k)².
  // Parameter variance: C(i,k)²·σ²(k)/S(k) + its own value at k·f(k)².
  const perOrigin = ladder.projected.map((cells, index) => {
    let process = amount('0');
    let parameter = amount('0');
    for (let k = (triangle.rows[index]?.length ?? 0) - 1; k < periods; k += 1) {
      const cell = cellAt(cells, k);
      const factorSquared = factorAt(ladder.factors, k).pow(2);
      const sigma2 = cellAt(sigmaSquared, k);
      process = cell.times(sigma2).plus(process.times(factorSquared));
      parameter = cell.pow(2).times(sigma2).dividedBy(cellAt(ladder.factorWeights, k)).plus(parameter.times(factorSquared));
    }
    return { process, parameter };
  });
  // The total's parameter variance runs on the sum of the cells still being
  // projected at each period, which carries the covariance between origins.
  let totalParameter = amount('0');
  for (let k = 0; k < periods; k += 1) {
    const projecting = sumAmounts(
      ladder.projected.filter((_, index) => (triangle.rows[index]?.length ?? 0) - 1 <= k).map((cells) => cellAt(cells, k)),
    );
    totalParameter = projecting
      .pow(2)
      .times(cellAt(sigmaSquared, k))
      .dividedBy(cellAt(ladder.factorWeights, k))
      .plus(totalParameter.times(factorAt(ladder.factors, k).pow(2)));
  }
  const totalProcess = sumAmounts(perOrigin.map((origin) => origin.process));
  return {
    sigmaSquared,
    origins: perOrigin.map((origin, index) => ({
      origin: triangle.origins[index] ?? '',
      standardError: origin.process.plus(origin.parameter).sqrt(),
    })),
    totalStandardError: totalProcess.plus(totalParameter).sqrt(),
  };
}

// σ²(k) = Σ C(i,k)·(C(i,k+1)/C(i,k) − f(k))² / (n(k) − 1) over the n(k)
// origins knowing both periods, written as (C(i,k+1) − f(k)·C(i,k))² / C(i,k)
// so that an origin with nothing at k adds nothing instead of dividing by zero.
// Where one origin alone knows both (the last period), Mack's extrapolation:
// σ²(k) = min(σ⁴(k−1)/σ²(k−2), σ²(k−2), σ²(k−1)).
function factorVariances(triangle: Triangle, ladder: ChainLadder): Amount[] {
  const variances: Amount[] = [];
  for (let k = 0; k < ladder.factors.length; k += 1) {
    const factor = factorAt(ladder.factors, k);
    const pairs = triangle.rows.filter((row) => row.length > k + 1 && !cellAt(row, k).isZero());
    if (pairs.length >= 2) {
      const deviations = pairs.map((row) =>
        cellAt(row, k + 1)
          .minus(factor.times(cellAt(row, k)))
          .pow(2)
          .dividedBy(cellAt(row, k)),
      );
      variances.push(sumAmounts(deviations).dividedBy(pairs.length - 1));
      continue;
    }
    const before = variances[k - 1];
    const twoBefore = variances[k - 2];
    if (before === undefined || twoBefore === undefined)
      throw new TriangleError(
        `development ${triangle.developments[k]} to ${triangle.developments[k + 1]}: too little history (one origin knows both periods, and fewer than two periods come before it)`,
      );
    const smaller = smallerOf(before, twoBefore);
    variances.push(twoBefore.isZero() ? smaller : smallerOf(before.pow(2).dividedBy(twoBefore), smaller));
  }
  return variances;
}

function smallerOf(a: Amount, b: Amount): Amount {
  return a.lessThan(b) ? a : b;
}
