import { describe, expect, it } from 'vitest';
import { groupCommit, type Waiting } from '../../src/db/group-commit.ts';

describe('group commit', () => {
  it('keeps a second request under a key out of every batch until the first has committed', async () => {
    const batches: string[][] = [];
    const running: { batch: readonly Waiting<string, string>[]; finish: () => void }[] = [];
    const submit = groupCommit<string, string>({
      batchMax: 10,
      inFlightMax: 2,
      keyOf: (item) => item,
      run: (batch) =>
        new Promise<void>((finish) => {
          batches.push(batch.map((waiting) => waiting.item));
          running.push({
            batch,
            finish: () => {
              for (const waiting of batch) waiting.resolve(`done ${waiting.item}`);
              finish();
            },
          });
        }),
    });
    const answers = ['a', 'a', 'b', 'c', 'a'].map(submit);
    await Promise.resolve();
    // Two in flight: [a] alone, then [b] — the next a waits for the first.
    expect(batches).toEqual([['a'], ['b']]);
    running.shift()?.finish();
    await answers[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches[2]).toEqual(['a', 'c']);
    running.shift()?.finish();
    running.shift()?.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches[3]).toEqual(['a']);
    running.shift()?.finish();
    expect(await Promise.all(answers)).toEqual(['done a', 'done a', 'done b', 'done c', 'done a']);
  });
});
