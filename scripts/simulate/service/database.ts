import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { type Db, openDatabase } from '../../../src/db/knex.ts';
import { migrateLatest } from '../../../src/db/migrate.ts';

// One database per simulated run, opened the way the service opens its own:
// an embedded PGlite in memory by default, or, when DATABASE_URL is set, a
// fresh schema on that PostgreSQL, dropped again when the run ends.

export interface SimDatabase {
  readonly db: Db;
  readonly describe: string;
  close(): Promise<void>;
}

export function databaseUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === '' ? null : url;
}

export async function openSimDatabase(): Promise<SimDatabase> {
  const url = databaseUrl();
  if (url === null) {
    const database = await openDatabase({ backend: 'pglite', dataDir: null });
    await migrateLatest(database.db);
    return { db: database.db, describe: 'PGlite in memory', close: () => database.close() };
  }
  // Not a decision of the run: the schema's name only keeps runs apart.
  const schema = `sim_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (admin) => admin.raw(`create schema ${schema}`));
  const database = await openDatabase({ backend: 'postgres', url, poolMax: 5, searchPath: schema });
  try {
    await migrateLatest(database.db);
  } catch (error) {
    await database.close();
    await withAdmin(url, (admin) => admin.raw(`drop schema ${schema} cascade`));
    throw error;
  }
  return {
    db: database.db,
    describe: `PostgreSQL ${url.replace(/\/\/[^@]*@/, '//')}, schema ${schema}`,
    close: async () => {
      await database.close();
      await withAdmin(url, (admin) => admin.raw(`drop schema ${schema} cascade`));
    },
  };
}

async function withAdmin(url: string, work: (admin: knex.Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
