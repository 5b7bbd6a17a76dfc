import { type Amount, sumAmounts } from '../../money/index.ts';

// Expected loss ratio: the ultimate is the premium earned times the loss
// ratio expected when it was priced, whatever has been reported; the IBNR is
// what that leaves, ELR × premium − reported. The method for an origin too
// young for its own claims to say anything.

export type PremiumByOrigin = ReadonlyMap<string, Amount>;

export interface ExpectedLossRatioOrigin {
  readonly origin: string;
  readonly premium: Amount;
  readonly ultimate: Amount;
  readonly ibnr: Amount;
}

export interface ExpectedLossRatio {
  readonly origins: readonly ExpectedLossRatioOrigin[];
  readonly total: { readonly premium: Amount; readonly ultimate: Amount; readonly ibnr: Amount };
}

// Needs only what each origin has reported so far, so it runs on a triangle
// the chain ladder cannot develop.
export function expectedLossRatio(
  reported: { readonly origins: readonly { readonly origin: string; readonly latest: Amount }[] },
  premium: PremiumByOrigin,
  ratio: Amount,
): ExpectedLossRatio {
  const origins = reported.origins.map((origin) => {
    const ultimate = aPrioriUltimate(premium, origin.origin, ratio);
    return { origin: origin.origin, premium: premiumOf(premium, origin.origin), ultimate, ibnr: ultimate.minus(origin.latest) };
  });
  return {
    origins,
    total: {
      premium: sumAmounts(origins.map((origin) => origin.premium)),
      ultimate: sumAmounts(origins.map((origin) => origin.ultimate)),
      ibnr: sumAmounts(origins.map((origin) => origin.ibnr)),
    },
  };
}

export function aPrioriUltimate(premium: PremiumByOrigin, origin: string, ratio: Amount): Amount {
  return premiumOf(premium, origin).times(ratio);
}

function premiumOf(premium: PremiumByOrigin, origin: string): Amount {
  const earned = premium.get(origin);
  // The edge checks every origin has a premium before a method runs.
  if (earned === undefined) throw new Error(`expected loss ratio: no earned premium for origin ${origin}`);
  return earned;
}
