import { type Amount, roundAmount, toAmountString, toDecimalString } from '../money/index.ts';
import { bornhuetterFerguson } from './methods/bornhuetter-ferguson.ts';
import { cellAt, chainLadder } from './methods/chain-ladder.ts';
import { expectedLossRatio, type PremiumByOrigin } from './methods/expected-loss-ratio.ts';
import { type Mack, mackStandardErrors, type SigmaExtrapolation } from './methods/mack.ts';
import { type Triangle, TriangleError } from './methods/triangle.ts';

// Every reserving method on one triangle, side by side, as figures to read:
// amounts to the unit (as published examples print them) and factors to six
// places, rounded half-even at this last step only.

export interface LossRatioBasis {
  readonly premium: PremiumByOrigin;
  readonly expectedLossRatio: Amount;
}

interface Estimate {
  readonly ultimate: string;
  readonly ibnr: string;
}

export interface MethodComparison {
  readonly sigmaExtrapolation: SigmaExtrapolation;
  readonly factors: readonly { from: string; to: string; factor: string; sigmaSquared: string | null }[];
  readonly origins: readonly {
    origin: string;
    latest: string;
    developmentFactor: string;
    chainLadder: Estimate & { standardError: string | null };
    bornhuetterFerguson: Estimate | null;
    expectedLossRatio: Estimate | null;
  }[];
  readonly total: {
    latest: string;
    chainLadder: Estimate & { standardError: string | null };
    bornhuetterFerguson: Estimate | null;
    expectedLossRatio: Estimate | null;
  };
  // Why a figure is missing: a young triangle still has chain-ladder
  // ultimates when it has too little history for Mack's standard error.
  readonly notes: readonly string[];
}

export function compareMethods(
  triangle: Triangle,
  basis: LossRatioBasis | null,
  sigmaExtrapolation: SigmaExtrapolation,
): MethodComparison {
  const ladder = chainLadder(triangle);
  const mack = mackOrReason(triangle, ladder, sigmaExtrapolation);
  const standardErrors = 'reason' in mack ? null : mack.origins.map((origin) => origin.standardError);
  const bf = basis === null ? null : bornhuetterFerguson(ladder, basis.premium, basis.expectedLossRatio);
  const elr = basis === null ? null : expectedLossRatio(ladder, basis.premium, basis.expectedLossRatio);
  const estimate = (figures: { ultimate: Amount; ibnr: Amount } | undefined): Estimate | null =>
    figures === undefined ? null : { ultimate: unit(figures.ultimate), ibnr: unit(figures.ibnr) };
  return {
    sigmaExtrapolation,
    factors: ladder.factors.map((factor, k) => ({
      from: triangle.developments[k] ?? '',
      to: triangle.developments[k + 1] ?? '',
      factor: places(factor, 6),
      sigmaSquared: 'reason' in mack ? null : places(cellAt(mack.sigmaSquared, k), 4),
    })),
    origins: ladder.origins.map((origin, index) => ({
      origin: origin.origin,
      latest: unit(origin.latest),
      developmentFactor: places(origin.developmentFactor, 6),
      chainLadder: {
        ultimate: unit(origin.ultimate),
        ibnr: unit(origin.ibnr),
        standardError: standardErrors === null ? null : unit(cellAt(standardErrors, index)),
      },
      bornhuetterFerguson: estimate(bf?.origins[index]),
      expectedLossRatio: estimate(elr?.origins[index]),
    })),
    total: {
      latest: unit(ladder.total.latest),
      chainLadder: {
        ultimate: unit(ladder.total.ultimate),
        ibnr: unit(ladder.total.ibnr),
        standardError: 'reason' in mack ? null : unit(mack.totalStandardError),
      },
      bornhuetterFerguson: estimate(bf?.total),
      expectedLossRatio: estimate(elr?.total),
    },
    notes: 'reason' in mack ? [`No Mack standard error: ${mack.reason}.`] : [],
  };
}

function mackOrReason(
  triangle: Triangle,
  ladder: ReturnType<typeof chainLadder>,
  sigmaExtrapolation: SigmaExtrapolation,
): Mack | { reason: string } {
  try {
    return mackStandardErrors(triangle, ladder, sigmaExtrapolation);
  } catch (error) {
    if (error instanceof TriangleError) return { reason: error.message };
    throw error;
  }
}

function unit(value: Amount): string {
  return toAmountString(roundAmount(value, 'half-even', 0), 0);
}

function places(value: Amount, decimalPlaces: number): string {
  return toDecimalString(roundAmount(value, 'half-even', decimalPlaces));
}
