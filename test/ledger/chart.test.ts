import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartAccounts } from '../../src/ledger/chart.ts';
import { listChart } from '../../src/ledger/store.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

// The chart the code names (src/ledger/chart.ts) and the chart the
// migrations seed (ledger_chart) are one chart: a line added, renamed or
// flagged in one and not the other fails here. And the module is the one
// place a code is written in src/: a feature names the account.

const root = resolve(import.meta.dirname, '../..');
const chartModule = 'src/ledger/chart.ts';

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

// A chart code as a literal: in quotes of any kind, so in SQL text too
// (`where code = '2500'`). Only the codes the chart defines, so a regency
// code ('6210'), a year or a comment's "(2400)" is not one.
const codeLiteral = new RegExp(`['"\`](?:${chartAccounts.map((account) => account.code).join('|')})['"\`]`);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

describe('chart codes in src/', () => {
  it('are written only in the chart module', () => {
    const found = sourceFiles(join(root, 'src'))
      .map((file) => relative(root, file))
      .filter((file) => file !== chartModule)
      .flatMap((file) =>
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (codeLiteral.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(found, 'name the account (chart.claimsPayable.code) instead').toEqual([]);
  });

  it('would be found in a feature and in its SQL', () => {
    for (const line of [
      "const cash = await fundAccountId(trx, '1100');",
      "join ledger_accounts a on a.code = '2500' and a.owner_kind = 'participant'",
      'where a.code in ("2500", "2510")',
    ])
      expect(line).toMatch(codeLiteral);
    for (const line of ["regencyCode: '6210'", "asOf: '2100-01-01'", '// payable (2400) against expense (5300)'])
      expect(line).not.toMatch(codeLiteral);
  });
});
