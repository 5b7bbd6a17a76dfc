import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lpaHistoryKey,
  nearestRankPercentile,
  type ReferredClaimFacts,
  sampleBucket,
  sampleClaims,
} from '../../src/claims/review-sample.ts';

const lpa = '0b5e6f1c-1111-4a6b-8c1d-000000000001';
const claim = (id: string, amount: string, benefit = 'accident-medical'): ReferredClaimFacts => ({
  id,
  lpaId: lpa,
  benefit,
  amount,
});
const ids = (count: number) =>
  Array.from({ length: count }, (_, index) => `7d3c9a40-0000-4000-8000-${String(index).padStart(12, '0')}`);

describe('sampling the review queue', () => {
  it('lists every referred claim, as referred, when no sampling is asked', () => {
    const claims = [claim(ids(1)[0] ?? '', '100.00')];
    expect(sampleClaims(claims, {}, new Map())).toEqual([{ claim: claims[0], reasons: [{ kind: 'referred' }] }]);
  });

  it('draws a random share by a seeded hash of the id: the same seed the same claims, about the share asked', () => {
    const claims = ids(2000).map((id) => claim(id, '100.00'));
    const draw = (seed: string) => sampleClaims(claims, { random: { seed, percent: 10 } }, new Map()).map((s) => s.claim.id);
    const first = draw('audit-2026-12');
    expect(draw('audit-2026-12')).toEqual(first);
    expect(draw('another-seed')).not.toEqual(first);
    expect(first.length).toBeGreaterThan(140);
    expect(first.length).toBeLessThan(260);
    const [picked] = sampleClaims(claims, { random: { seed: 'audit-2026-12', percent: 10 } }, new Map());
    expect(picked?.reasons).toEqual([
      { kind: 'random', seed: 'audit-2026-12', bucket: sampleBucket('audit-2026-12', picked?.claim.id ?? ''), basisPoints: 1000 },
    ]);
  });

  it('picks the claims above a value, strictly, comparing rupiah exactly', () => {
    const claims = [claim(ids(3)[0] ?? '', '1500000.00'), claim(ids(3)[1] ?? '', '1500000.01'), claim(ids(3)[2] ?? '', '99.99')];
    const picked = sampleClaims(claims, { above: { amount: '1500000' } }, new Map());
    expect(picked.map((s) => s.claim.amount)).toEqual(['1500000.01']);
    expect(picked[0]?.reasons).toEqual([{ kind: 'above', threshold: '1500000' }]);
  });

  it('calls a claim unusual above its LPA’s 95th percentile for the benefit, once the LPA has 20 past claims', () => {
    const past = Array.from({ length: 20 }, (_, index) => `${(index + 1) * 100}.00`);
    const [high, usual, otherBenefit] = [
      claim(ids(3)[0] ?? '', '2000.01'),
      claim(ids(3)[1] ?? '', '1900.00'),
      claim(ids(3)[2] ?? '', '9999.00', 'dentures'),
    ];
    const history = new Map([[lpaHistoryKey(lpa, 'accident-medical'), past]]);
    const picked = sampleClaims(
      [high, usual, otherBenefit].filter((c) => c !== undefined),
      { unusual: { percentile: 95, historyMin: 20 } },
      history,
    );
    // Nearest rank: ceil(0.95 × 20) = 19th of 20, Rp 1,900.
    expect(picked).toEqual([
      { claim: high, reasons: [{ kind: 'unusual', percentile: 95, pastPercentile: '1900.00', pastCount: 20 }] },
    ]);
    const shortHistory = new Map([[lpaHistoryKey(lpa, 'accident-medical'), past.slice(1)]]);
    expect(
      sampleClaims(
        [high].filter((c) => c !== undefined),
        { unusual: { percentile: 95, historyMin: 20 } },
        shortHistory,
      ),
    ).toEqual([]);
  });

  it('gives every test that picked a claim', () => {
    const [only] = ids(1);
    const picked = sampleClaims(
      [claim(only ?? '', '5000.00')],
      { random: { seed: 's', percent: 100 }, above: { amount: '10' } },
      new Map(),
    );
    expect(picked[0]?.reasons.map((reason) => reason.kind)).toEqual(['random', 'above']);
  });

  it('picks, for any claims and sampling, exactly the claims some test holds for, each once, in queue order', () => {
    const amountArb = fc.integer({ min: 1, max: 10_000_000 }).map((n) => `${n}.00`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { minLength: 0, maxLength: 40 }),
        fc.array(amountArb, { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        fc.string({ minLength: 1, maxLength: 10 }),
        amountArb,
        (claimIds, amounts, percent, seed, above) => {
          const claims = claimIds.map((id, index) => claim(id, amounts[index] ?? '1.00'));
          const picked = sampleClaims(claims, { random: { seed, percent }, above: { amount: above } }, new Map());
          const expected = claims.filter((c) => sampleBucket(seed, c.id) < percent * 100 || Number(c.amount) > Number(above));
          expect(picked.map((s) => s.claim)).toEqual(expected);
          for (const s of picked) expect(s.reasons.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('takes a nearest-rank percentile that is one of the amounts, with at most 5% of them above it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }).map(String), { minLength: 1, maxLength: 200 }), (amounts) => {
        const p95 = nearestRankPercentile(amounts, 95);
        expect(amounts).toContain(p95);
        const above = amounts.filter((a) => Number(a) > Number(p95)).length;
        const atOrBelow = amounts.length - above;
        expect(above * 100).toBeLessThanOrEqual(5 * amounts.length);
        expect(atOrBelow * 100).toBeGreaterThanOrEqual(95 * amounts.length);
      }),
    );
  });

  it('draws each bucket in [0, 10000), the same for an id in either case', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), (id, seed) => {
        const bucket = sampleBucket(seed, id);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(10_000);
        expect(sampleBucket(seed, id.toUpperCase())).toBe(bucket);
      }),
    );
  });
});
