import { type Amount, sumAmounts } from '../../money/index.ts';
import type { ChainLadder } from './chain-ladder.ts';
import { aPrioriUltimate, type PremiumByOrigin } from './expected-loss-ratio.ts';

// Bornhuetter–Ferguson: the IBNR is the share of an a priori ultimate (the
// expected loss ratio times the premium earned) that the chain ladder says
// is still to come, a priori × (1 − 1/CDF). It leans on the premium where an
// origin is young and on its own claims where it is mature.

export interface BornhuetterFergusonOrigin {
  readonly origin: string;
  readonly aPrioriUltimate: Amount;
  readonly ultimate: Amount;
  readonly ibnr: Amount;
}

export interface BornhuetterFerguson {
  readonly origins: readonly BornhuetterFergusonOrigin[];
  readonly total: { readonly ultimate: Amount; readonly ibnr: Amount };
}

export function bornhuetterFerguson(
  ladder: ChainLadder,
  premium: PremiumByOrigin,
  expectedLossRatio: Amount,
): BornhuetterFerguson {
  const origins = ladder.origins.map((origin) => {
    const aPriori = aPrioriUltimate(premium, origin.origin, expectedLossRatio);
    const unreported = aPriori.minus(aPriori.dividedBy(origin.developmentFactor));
    return { origin: origin.origin, aPrioriUltimate: aPriori, ultimate: origin.latest.plus(unreported), ibnr: unreported };
  });
  return {
    origins,
    total: {
      ultimate: sumAmounts(origins.map((origin) => origin.ultimate)),
      ibnr: sumAmounts(origins.map((origin) => origin.ibnr)),
    },
  };
}
