import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';

// The one place that turns configuration into an open, migrated database:
// PostgreSQL when DATABASE_URL is set, embedded PGlite in DATA_DIR otherwise.
export async function openConfiguredDatabase(config: Config): Promise<Database & { applied: string[] }> {
  const database = await openDatabase(
    config.DATABASE_URL === undefined
      ? { backend: 'pglite', dataDir: config.DATA_DIR }
      : { backend: 'postgres', url: config.DATABASE_URL, poolMax: config.DB_POOL_MAX },
  );
  try {
    const applied = await migrateLatest(database.db);
    return { ...database, applied };
  } catch (error) {
    await database.close();
    throw error;
  }
}
