import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { type Database, type Db, openDatabase } from '../../src/db/knex.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { ledgerDiscrepancies, trialBalance } from '../../src/ledger/store.ts';

export interface TestDatabase extends Database {
  // A DATABASE_URL that reaches this same database, for child processes.
  readonly url: string | null;
}

export const postgresUrl: string | null =
  process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '' ? null : process.env.DATABASE_URL;

// One migrated database per test file: an in-memory PGlite, or a fresh schema
// on the PostgreSQL named by DATABASE_URL, dropped again afterwards.
export async function openTestDatabase(): Promise<TestDatabase> {
  if (postgresUrl === null) {
    const database = await openDatabase({ backend: 'pglite', dataDir: null });
    await migrateLatest(database.db);
    return {
      ...database,
      url: null,
      close: async () => {
        try {
          await assertLedgerBalanced(database.db);
        } finally {
          await database.close();
        }
      },
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.raw(`create schema ${schema}`));
  const database = await openDatabase({ backend: 'postgres', url: postgresUrl, poolMax: 5, searchPath: schema });
  await migrateLatest(database.db);
  return {
    ...database,
    url: withSearchPath(postgresUrl, schema),
    close: async () => {
      try {
        await assertLedgerBalanced(database.db);
      } finally {
        await database.close();
        await withAdmin((admin) => admin.raw(`drop schema ${schema} cascade`));
      }
    },
  };
}

// Whatever a test file did, its ledger must still balance when it is done:
// the trial balance sums to zero and every account's totals equal its
// postings. A file that rolled the migrations back has no ledger to check.
async function assertLedgerBalanced(db: Db): Promise<void> {
  if (!(await db.schema.hasTable('journal_postings'))) return;
  const problems = await ledgerDiscrepancies(db);
  const { totals } = await trialBalance(db, null);
  if (totals.balance !== '0.00' || totals.debits !== totals.credits)
    problems.push(`trial balance: debits ${totals.debits}, credits ${totals.credits}`);
  if (problems.length > 0) throw new Error(`The ledger does not balance after this file's tests:\n${problems.join('\n')}`);
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

async function withAdmin(work: (admin: knex.Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: 'pg', connection: postgresUrl ?? '', pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}

// Environment for a whole service or CLI process of its own: a fresh DATA_DIR
// for the embedded database, or a fresh schema on PostgreSQL.
export interface ServiceDatabase {
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function openServiceDatabase(): Promise<ServiceDatabase> {
  if (postgresUrl === null) {
    const dataDir = mkdtempSync(join(tmpdir(), 'askesos-service-'));
    return { env: { DATA_DIR: dataDir }, close: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const database = await openTestDatabase();
  return { env: { DATABASE_URL: database.url ?? '' }, close: () => database.close() };
}

// enrolment_years is kept in step by the cycle that books dues: it must say
// what a group-by of the dues says.
export async function expectEnrolmentYearsInStep(db: Db): Promise<void> {
  const kept = await db.raw<{ rows: unknown[] }>(
    'select enrolment_id, coverage_year, subsidised from enrolment_years order by 1, 2',
  );
  const fromDues = await db.raw<{ rows: unknown[] }>(
    'select enrolment_id, coverage_year, bool_or(subsidy_share > 0) as subsidised from premium_dues group by 1, 2 order by 1, 2',
  );
  expect(fromDues.rows.length).toBeGreaterThan(0);
  expect(kept.rows).toEqual(fromDues.rows);
}
