import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartAccounts } from '../../src/ledger/chart.ts';
import { listChart } from '../../src/ledger/store.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

// The chart the code names (src/ledger/chart.ts) and the chart the
// migrations seed (ledger_chart) are one chart: a line added, renamed or
// flagged in one and not the other fails here.

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

describe('the chart of accounts module', () => {
  it('names each code once, in code order', () => {
    const codes = chartAccounts.map((account) => account.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    for (const code of codes) expect(code).toMatch(/^[1-5][0-9]{3}$/);
  });

  it('agrees with the chart the migrations seed, line for line', async () => {
    const seeded = await listChart(database.db);
    expect(chartAccounts.map((account) => ({ ...account, ownerKinds: [...account.ownerKinds] }))).toEqual(seeded);
  });
});
