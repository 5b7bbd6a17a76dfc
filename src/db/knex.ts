import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';

export type Db = Knex;
export type DbBackend = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly backend: DbBackend;
  close(): Promise<void>;
}

export type DatabaseOptions =
  { backend: 'postgres'; url: string; poolMax: number; searchPath?: string } | { backend: 'pglite'; dataDir: string | null };

// Both backends hand rows back in the same shapes, so no caller ever asks which
// one it runs on: numeric and bigint as exact strings (never a JS number, which
// would lose rupiah and ids past 2^53), date as 'YYYY-MM-DD' (no time zone
// shift), timestamptz as Date, jsonb as parsed JSON.
const textOids = [pgliteTypes.NUMERIC, pgliteTypes.INT8, pgliteTypes.DATE] as const;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.backend === 'postgres' ? openPostgres(options) : openPglite(options.dataDir);
}

function openPostgres(options: { url: string; poolMax: number; searchPath?: string }): Database {
  const identity = (text: string) => text;
  const db = knex({
    client: 'pg',
    connection: {
      connectionString: options.url,
      types: {
        getTypeParser: (oid: number, format: string) =>
          (textOids as readonly number[]).includes(oid) ? identity : pg.types.getTypeParser(oid, format as 'text'),
      },
    },
    pool: { min: 0, max: options.poolMax },
    // Knex would otherwise write a failed query's values into the error's
    // message (a NIK, a name), and from there into the log.
    compileSqlOnError: false,
    // Knex prints a stack for every connection a restarting server closes and
    // every failed attempt at a new one. The error reaches the caller all the
    // same, and an outage is logged once, by src/db/availability.ts.
    log: {
      warn: (message: string) => {
        if (!/^(Connection Error|Acquire connection error):/.test(message)) console.warn(message);
      },
    },
    ...(options.searchPath === undefined ? {} : { searchPath: [options.searchPath] }),
  });
  return { db, backend: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string | null): Promise<Database> {
  let lock: DataDirLock | null = null;
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  }
  try {
    const parsers = Object.fromEntries(textOids.map((oid) => [oid, (text: string) => text]));
    // The lock file sits beside PostgreSQL's own data directory, never inside it.
    const pglite = await PGlite.create(dataDir === null ? undefined : join(dataDir, 'pglite'), { parsers });
    const db = knex({
      client: ClientPgLite,
      dialect: 'postgres',
      connection: () => ({ pglite }) as object,
      compileSqlOnError: false,
    });
    return {
      db,
      backend: 'pglite',
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

// A deadlock (40P01) or a serialization failure (40001) rolled the whole
// transaction back, and PostgreSQL asks for it to be run again: it is, a few
// times, after a random pause, so two requests that collided do not collide
// again in step. Nothing outside the database was done by the failed attempt:
// an Idempotency-Key is taken in a transaction of its own before the work.
const transactionAttemptsMax = 5;
const retryPauseMsMax = 25;

// One place that decides a write's transaction boundary; callers never issue
// BEGIN/COMMIT themselves, so a thrown error always rolls everything back.
//
// Row locks are taken in one order everywhere, so that a cycle (the deadlock
// the retry above recovers from) is rare: an LPA (FOR SHARE by enrolment, FOR
// UPDATE only by a change of its status, which locks nothing else), then
// participants in id order (claims, enrolment, payments, savings, loans,
// premium lapses), then their enrolments, then claims, savings accounts,
// loans and their instalments, then ledger accounts in id order (every
// posting), last the journal. Idempotency keys are taken and kept in
// transactions of their own.
export async function withTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  // Inside another transaction this is a savepoint: a deadlock there aborts
  // the outer transaction too, which is the one to run again.
  if (db.isTransaction === true) return db.transaction(work);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= transactionAttemptsMax || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * retryPauseMsMax * 2 ** attempt));
    }
  }
}

// 40P01 deadlock_detected, 40001 serialization_failure: the transaction lost
// a race and may succeed when run again.
export function isTransientConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}

// Both drivers put PostgreSQL's SQLSTATE on the error: 23505 is a unique
// constraint refusing a second row, which callers turn into a 409.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

// A named CHECK, UNIQUE or trigger-raised constraint refused the statement.
// Both drivers carry the constraint's name on the error.
export function constraintViolated(error: unknown, constraint: string): boolean {
  return typeof error === 'object' && error !== null && (error as { constraint?: unknown }).constraint === constraint;
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.raw('select 1');
}
