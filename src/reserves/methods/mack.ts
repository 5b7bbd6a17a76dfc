import { amount, type Amount, sumAmounts } from '../../money/index.ts';
import { cellAt, type ChainLadder } from './chain-ladder.ts';
import { type Triangle, TriangleError } from './triangle.ts';

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

export function mackStandardErrors(triangle: Triangle, ladder: ChainLadder, extrapolation: SigmaExtrapolation): Mack {
  const sigmaSquared = factorVariances(triangle, ladder, extrapolation);
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
      const factorSquared = cellAt(ladder.factors, k).pow(2);
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
      .plus(totalParameter.times(cellAt(ladder.factors, k).pow(2)));
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

// How σ² is estimated where one origin alone knows both periods (the last
// period of a square triangle), as ChainLadder's est.sigma names them: Mack's
// own rule, min(σ⁴(k−1)/σ²(k−2), σ²(k−2), σ²(k−1)); or a straight line
// through ln σ(k) of the other periods (ChainLadder's default, used there
// unless the fit's p-value exceeds 5%; here whenever asked for).
export const sigmaExtrapolations = ['mack', 'log-linear'] as const;
export type SigmaExtrapolation = (typeof sigmaExtrapolations)[number];

function factorVariances(triangle: Triangle, ladder: ChainLadder, extrapolation: SigmaExtrapolation): Amount[] {
  const observed = ladder.factors.map((factor, k) => observedVariance(triangle, factor, k));
  const tooLittle = (k: number, what: string) =>
    new TriangleError(
      `development ${triangle.developments[k]} to ${triangle.developments[k + 1]}: too little history (one origin knows both periods, and ${what})`,
    );
  switch (extrapolation) {
    case 'mack':
      return mackExtrapolated(observed, (k) => tooLittle(k, 'fewer than two periods come before it'));
    case 'log-linear':
      return logLinearExtrapolated(observed, (k) => tooLittle(k, 'fewer than two other periods vary'));
    default: {
      const unreachable: never = extrapolation;
      throw new Error(`unknown σ² extrapolation ${String(unreachable)}`);
    }
  }
}

// σ²(k) = Σ C(i,k)·(C(i,k+1)/C(i,k) − f(k))² / (n(k) − 1) over the n(k)
// origins knowing both periods, written as (C(i,k+1) − f(k)·C(i,k))² / C(i,k)
// so that an origin with nothing at k adds nothing instead of dividing by
// zero; null where fewer than two origins know both.
function observedVariance(triangle: Triangle, factor: Amount, k: number): Amount | null {
  const pairs = triangle.rows.filter((row) => row.length > k + 1 && !cellAt(row, k).isZero());
  if (pairs.length < 2) return null;
  const deviations = pairs.map((row) =>
    cellAt(row, k + 1)
      .minus(factor.times(cellAt(row, k)))
      .pow(2)
      .dividedBy(cellAt(row, k)),
  );
  return sumAmounts(deviations).dividedBy(pairs.length - 1);
}

function mackExtrapolated(observed: readonly (Amount | null)[], tooLittle: (k: number) => TriangleError): Amount[] {
  const variances: Amount[] = [];
  for (const [k, variance] of observed.entries()) {
    if (variance !== null) {
      variances.push(variance);
      continue;
    }
    const before = variances[k - 1];
    const twoBefore = variances[k - 2];
    if (before === undefined || twoBefore === undefined) throw tooLittle(k);
    const smaller = smallerOf(before, twoBefore);
    variances.push(twoBefore.isZero() ? smaller : smallerOf(before.pow(2).dividedBy(twoBefore), smaller));
  }
  return variances;
}

// Least squares of ln σ(k) = ½·ln σ²(k) on k over the periods with σ² > 0,
// then σ²(k) = exp(2·(a + b·k)) where it was not observed.
function logLinearExtrapolated(observed: readonly (Amount | null)[], tooLittle: (k: number) => TriangleError): Amount[] {
  const points = observed.flatMap((variance, k) =>
    variance !== null && variance.greaterThan(0) ? [{ k: amount('0').plus(k), y: variance.ln().dividedBy(2) }] : [],
  );
  const missing = observed.findIndex((variance) => variance === null);
  if (missing === -1) return observed.filter((variance) => variance !== null);
  if (points.length < 2) throw tooLittle(missing);
  const kMean = sumAmounts(points.map((point) => point.k)).dividedBy(points.length);
  const yMean = sumAmounts(points.map((point) => point.y)).dividedBy(points.length);
  const slope = sumAmounts(points.map((point) => point.k.minus(kMean).times(point.y.minus(yMean)))).dividedBy(
    sumAmounts(points.map((point) => point.k.minus(kMean).pow(2))),
  );
  const intercept = yMean.minus(slope.times(kMean));
  return observed.map((variance, k) => variance ?? intercept.plus(slope.times(k)).times(2).exp());
}

function smallerOf(a: Amount, b: Amount): Amount {
  return a.lessThan(b) ? a : b;
}
