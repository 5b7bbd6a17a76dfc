import { describe, expect, it } from 'vitest';
import { firstOfEachKind, formatDiscrepancy } from '../../scripts/simulate/discrepancies.ts';
import { runSimulation } from '../../scripts/simulate/run.ts';

// The fund lived for a year through the real service on a simulated clock,
// with crashes and restarts, and checked at every month's turn against the
// oracle (scripts/simulate/oracle): what the books show must be what the
// spec says they should. `npm run simulate -- --seeds 1..20 --years 3
// --members 500` is the long form; a failing seed replays exactly.

const small = { years: 1, members: 30 } as const;

describe('a year of the fund, simulated', () => {
  it.each([
    { seed: 11, scheme: 'standalone' as const, start: '2026-06-01' },
    { seed: 12, scheme: 'askesos-ni-2012' as const, start: '2014-10-01' },
  ])(
    'matches the oracle: seed $seed, $scheme from $start',
    async ({ seed, scheme, start }) => {
      const result = await runSimulation({ seed, scheme, start, ...small });
      expect(result.members).toBe(small.members);
      expect(result.claims).toBeGreaterThan(0);
      expect(result.restarts).toBeGreaterThan(0);
      // Counted by kind, with the first few of each: the same fault in every member would drown the rest.
      expect({
        counts: Object.fromEntries(result.countsByKind),
        first: firstOfEachKind(result.discrepancies, 2, 20).map((item) => formatDiscrepancy(seed, item)),
      }).toEqual({ counts: {}, first: [] });
    },
    300_000,
  );
});

describe('a seed', () => {
  it('replays the same run: the same requests, claims and findings', async () => {
    const run = () => runSimulation({ seed: 3, scheme: 'standalone', start: '2026-11-01', years: 0.25, members: 12 });
    const [first, second] = [await run(), await run()];
    const summary = (result: Awaited<ReturnType<typeof run>>) => ({
      requests: result.requests,
      claims: result.claims,
      restarts: result.restarts,
      discrepancies: result.discrepancies,
    });
    expect(summary(second)).toEqual(summary(first));
  }, 300_000);
});
