import { randomBytes } from 'node:crypto';
import knex from 'knex';
import ClientPgLite from 'knex-pglite';
import { type Db, openDatabase } from '../../../src/db/knex.ts';
import { migrateLatest } from '../../../src/db/migrate.ts';

// One database per simulated run, opened the way the service opens its own:
// an embedded PGlite in memory by default, or, when DATABASE_URL is set, a
// fresh schema on that PostgreSQL, dropped again when the run ends. A
// restart connects anew, so whatever a process kept in memory about its
// connections (locks it held, batches in flight) dies with it.

export interface SimDatabase {
  readonly describe: string;
  readonly db: Db;
  // A new process's connection to the same database; the old one is dropped.
  reconnect(): Promise<Db>;
  close(): Promise<void>;
}

export function databaseUrl(): string | null {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === '' ? null : url;
}

export async function openSimDatabase(): Promise<SimDatabase> {
  const url = databaseUrl();
  return url === null ? openPglite() : openPostgres(url);
}

async function openPglite(): Promise<SimDatabase> {
  const database = await openDatabase({ backend: 'pglite', dataDir: null });
  await migrateLatest(database.db);
  // PGlite is the database itself, so it outlives a process's knex; closing
  // any knex over it would close it, so the ones replaced are left idle.
  const pglite = (database.db.client.config.connection as () => { pglite: unknown })().pglite;
  let current = database.db;
  const idle: Db[] = [];
  return {
    describe: 'PGlite in memory',
    get db() {
      return current;
    },
    reconnect: async () => {
      idle.push(current);
      current = knex({ client: ClientPgLite, dialect: 'postgres', connection: () => ({ pglite }) as object });
      return current;
    },
    close: async () => {
      await database.close();
      // Their pools would keep the process alive; PGlite is closed already, which they may say.
      for (const db of [...idle, current].filter((db) => db !== database.db)) await db.destroy().catch(() => undefined);
    },
  };
}

async function openPostgres(url: string): Promise<SimDatabase> {
  // Not a decision of the run: the schema's name only keeps runs apart.
  const schema = `sim_${randomBytes(6).toString('hex')}`;
  // Every connection the service opens carries the run's name, so a
  // restart can end them all, as the death of its process would: locks held
  // on connections of their own outside the pool included.
  const named = new URL(url);
  named.searchParams.set('application_name', `askesos-${schema}`);
  // A simulated run is thrown away at its end: its commits need not wait for
  // the disk (what each transaction sees, and what a killed process leaves,
  // are unchanged; only a crash of the machine itself could lose them).
  named.searchParams.set('options', '-c synchronous_commit=off');
  await withAdmin(url, (admin) => admin.raw(`create schema ${schema}`));
  const open = () => openDatabase({ backend: 'postgres', url: named.toString(), poolMax: 5, searchPath: schema });
  let current = await open();
  try {
    await migrateLatest(current.db);
  } catch (error) {
    await current.close();
    await withAdmin(url, (admin) => admin.raw(`drop schema ${schema} cascade`));
    throw error;
  }
  const endConnections = () =>
    withAdmin(url, (admin) =>
      admin.raw('select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? and pid <> pg_backend_pid()', [
        `askesos-${schema}`,
      ]),
    );
  return {
    describe: `PostgreSQL ${url.replace(/\/\/[^@]*@/, '//')}, schema ${schema}`,
    get db() {
      return current.db;
    },
    reconnect: async () => {
      await current.close();
      await endConnections();
      current = await open();
      return current.db;
    },
    close: async () => {
      await current.close();
      await endConnections();
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
