import { createHash } from 'node:crypto';
import { compareDecimals } from '../money/index.ts';

// Pure: which referred claims the directorate looks at first, and why each.
// The queue is every referred claim the filters leave; sampling narrows it
// by any of three tests, and a claim any test picks is listed with every
// test that picked it, so a reviewer (and an auditor after them) can see
// why it is there.
//
// - A random share, drawn so it can be drawn again: the claim id hashed with
//   a named seed (SHA-256 of "seed:id", its first four bytes as a number
//   below 2^32, taken modulo 10,000) is the claim's bucket, and the claim is
//   picked when its bucket is below the share in basis points. The same
//   seed picks the same claims on any day, on any machine; another seed
//   another share.
// - Claims above a value the reviewer names.
// - Claims unusual against their LPA's past: an amount above the 95th
//   percentile (nearest rank: the smallest past amount at least 95% of the
//   past amounts are at or below) of the claims the same LPA was granted
//   for the same benefit. A percentile rather than a mean and two standard
//   deviations because benefit amounts are few distinct figures (fixed
//   allowances, a ceiling) whose spread is no bell; nearest rank because it
//   is one of the past amounts, compared exactly, never an interpolated
//   rupiah. Under a minimum history (20 past claims) the LPA's past says
//   nothing yet, and no claim of it is called unusual.

export interface ReferredClaimFacts {
  readonly id: string;
  readonly lpaId: string;
  // The benefit the rules would pay, as they name it.
  readonly benefit: string;
  // Rupiah the rules would pay, as a decimal string.
  readonly amount: string;
}

// Amounts an LPA was granted for a benefit before, by lpaHistoryKey(lpaId, benefit).
export type PastAmounts = ReadonlyMap<string, readonly string[]>;

export function lpaHistoryKey(lpaId: string, benefit: string): string {
  return `${lpaId}\u0000${benefit}`;
}

export interface Sampling {
  // A whole percent, 1 to 100.
  readonly random?: { readonly seed: string; readonly percent: number };
  readonly above?: { readonly amount: string };
  readonly unusual?: { readonly percentile: number; readonly historyMin: number };
}

export const unusualDefaults = { percentile: 95, historyMin: 20 } as const;

export type SampleReason =
  // No sampling asked: the claim is listed because it is referred.
  | { readonly kind: 'referred' }
  | { readonly kind: 'random'; readonly seed: string; readonly bucket: number; readonly basisPoints: number }
  | { readonly kind: 'above'; readonly threshold: string }
  | {
      readonly kind: 'unusual';
      readonly percentile: number;
      // The LPA's past amount at that percentile, which this claim exceeds.
      readonly pastPercentile: string;
      readonly pastCount: number;
    };

export interface Sampled<C extends ReferredClaimFacts> {
  readonly claim: C;
  readonly reasons: readonly SampleReason[];
}

const buckets = 10_000;

// The claim's place in [0, 10000) under the seed.
export function sampleBucket(seed: string, claimId: string): number {
  const digest = createHash('sha256').update(`${seed}:${claimId.toLowerCase()}`).digest();
  return digest.readUInt32BE(0) % buckets;
}

// The nearest-rank percentile of amounts (decimal strings), or null when there are none.
export function nearestRankPercentile(amounts: readonly string[], percentile: number): string | null {
  if (amounts.length === 0) return null;
  const sorted = [...amounts].sort(compareDecimals);
  // Integer arithmetic: ceil(p/100 × n) without a float for p × n / 100.
  const rank = Math.max(1, Math.ceil((percentile * sorted.length) / 100));
  return sorted[rank - 1] ?? null;
}

export function sampleClaims<C extends ReferredClaimFacts>(
  claims: readonly C[],
  sampling: Sampling,
  past: PastAmounts,
): Sampled<C>[] {
  const { random, above, unusual } = sampling;
  if (random === undefined && above === undefined && unusual === undefined)
    return claims.map((claim) => ({ claim, reasons: [{ kind: 'referred' }] }));
  const percentiles = new Map<string, string | null>();
  const pastPercentileOf = (claim: C, percentile: number): string | null => {
    const key = lpaHistoryKey(claim.lpaId, claim.benefit);
    if (!percentiles.has(key)) percentiles.set(key, nearestRankPercentile(past.get(key) ?? [], percentile));
    return percentiles.get(key) ?? null;
  };
  return claims.flatMap((claim) => {
    const reasons: SampleReason[] = [];
    if (random !== undefined) {
      const bucket = sampleBucket(random.seed, claim.id);
      // A whole percent, so this is an exact whole number.
      const basisPoints = random.percent * 100;
      if (bucket < basisPoints) reasons.push({ kind: 'random', seed: random.seed, bucket, basisPoints });
    }
    if (above !== undefined && compareDecimals(claim.amount, above.amount) > 0)
      reasons.push({ kind: 'above', threshold: above.amount });
    if (unusual !== undefined) {
      const pastCount = past.get(lpaHistoryKey(claim.lpaId, claim.benefit))?.length ?? 0;
      const pastPercentile = pastCount >= unusual.historyMin ? pastPercentileOf(claim, unusual.percentile) : null;
      if (pastPercentile !== null && compareDecimals(claim.amount, pastPercentile) > 0)
        reasons.push({ kind: 'unusual', percentile: unusual.percentile, pastPercentile, pastCount });
    }
    return reasons.length > 0 ? [{ claim, reasons }] : [];
  });
}
