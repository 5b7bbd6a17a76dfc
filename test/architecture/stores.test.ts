import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// SQL lives in stores (a feature's store.ts) and migrations only: the
// service functions around them open transactions and decide, the routes
// and commands parse. Files that still run SQL of their own are listed
// below until their queries move into their feature's store; the list only
// shrinks.

const root = resolve(import.meta.dirname, '../..');

// A query: the knex builder called on a table (`trx('claims')`) or raw SQL.
const query = /\b(?:trx|db|knex|tx)\s*(?:<[^>]*>)?\(\s*['"`]|\.raw\s*(?:<[^>]*>)?\(/;

const notYetMoved = new Set<string>([
  'src/lpa/facts.ts',
  'src/lpa/honorarium.ts',
  'src/lpa/payable.ts',
  'src/lpa/payments.ts',
  'src/lpa/progress-reports.ts',
  'src/lpa/strengthening.ts',
  'src/premiums/arrears.ts',
  'src/premiums/contributions.ts',
  'src/premiums/cycle.ts',
  'src/premiums/death.ts',
  'src/premiums/receipts.ts',
  'src/reserves/ibnr.ts',
  'src/savings/accounts.ts',
  'src/savings/dues.ts',
  'src/savings/pool.ts',
  'src/savings/statement.ts',
  'src/savings/transactions.ts',
]);

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

const isStore = (path: string) => path.endsWith('/store.ts') || path === 'src/db/knex.ts';

describe('SQL', () => {
  const runningSql = sources(join(root, 'src'))
    .map((path) => relative(root, path))
    .filter((path) => !isStore(path) && query.test(readFileSync(join(root, path), 'utf8')));

  it('runs in stores only, beside the files still listed as not yet moved', () => {
    expect(runningSql.filter((path) => !notYetMoved.has(path))).toEqual([]);
  });

  it('is no longer in a file the list still names (take it off the list)', () => {
    expect([...notYetMoved].filter((path) => !runningSql.includes(path))).toEqual([]);
  });
});
