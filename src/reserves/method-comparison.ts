import { type Amount, roundAmount, toAmountString, toDecimalString } from '../money/index.ts';
import { bornhuetterFerguson } from './methods/bornhuetter-ferguson.ts';
import { cellAt, chainLadder } from './methods/chain-ladder.ts';
import { expectedLossRatio, type PremiumByOrigin } from './methods/expected-loss-ratio.ts';
import { mackStandardErrors } from './methods/mack.ts';
import type { Triangle } from './methods/triangle.ts';

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
  readonly factors: readonly { from: string; to: string; factor: string; sigmaSquared: string }[];
  readonly origins: readonly {
    origin: string;
    latest: string;
    developmentFactor: string;
    chainLadder: Estimate & { standardError: string };
    bornhuetterFerguson: Estimate | null;
    expectedLossRatio: Estimate | null;
  }[];
  readonly total: {
    latest: string;
    chainLadder: Estimate & { standardError: string };
    bornhuetterFerguson: Estimate | null;
    expectedLossRatio: Estimate | null;
  };
}

export function compareMethods(triangle: Triangle, basis: LossRatioBasis | null): MethodComparison {
  const ladder = chainLadder(triangle);
  const mack = mackStandardErrors(triangle, ladder);
  const standardErrors = mack.origins.map((origin) => origin.standardError);
  const bf = basis === null ? null : bornhuetterFerguson(ladder, basis.premium, basis.expectedLossRatio);
  const elr = basis === null ? null : expectedLossRatio(ladder, basis.premium, basis.expectedLossRatio);
  const estimate = (figures: { ultimate: Amount; ibnr: Amount } | undefined): Estimate | null =>
    figures === undefined ? null : { ultimate: unit(figures.ultimate), ibnr: unit(figures.ibnr) };
  return {
    factors: ladder.factors.map((factor, k) => ({
      from: triangle.developments[k] ?? '',
      to: triangle.developments[k + 1] ?? '',
      factor: places(factor, 6),
      sigmaSquared: places(cellAt(mack.sigmaSquared, k), 4),
    })),
    origins: ladder.origins.map((origin, index) => ({
      origin: origin.origin,
      latest: unit(origin.latest),
      developmentFactor: places(origin.developmentFactor, 6),
      chainLadder: {
        ultimate: unit(origin.ultimate),
        ibnr: unit(origin.ibnr),
        standardError: unit(cellAt(standardErrors, index)),
      },
      bornhuetterFerguson: estimate(bf?.origins[index]),
      expectedLossRatio: estimate(elr?.origins[index]),
    })),
    total: {
      latest: unit(ladder.total.latest),
      chainLadder: {
        ultimate: unit(ladder.total.ultimate),
        ibnr: unit(ladder.total.ibnr),
        standardError: unit(mack.totalStandardError),
      },
      bornhuetterFerguson: estimate(bf?.total),
      expectedLossRatio: estimate(elr?.total),
    },
  };
}

function unit(value: Amount): string {
  return toAmountString(roundAmount(value, 'half-even', 0), 0);
}

function places(value: Amount, decimalPlaces: number): string {
  return toDecimalString(roundAmount(value, 'half-even', decimalPlaces));
}
