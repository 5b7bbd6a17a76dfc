import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Db } from './knex.ts';

// Migrations are TypeScript modules in migrations/, named by timestamp. Knex's
// own loader would require() them, which neither tsx nor vitest can serve, so
// we hand knex a source that imports them the way the rest of the code loads.

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));
const migrationFilePattern = /^\d{14}_[a-z0-9_]+\.ts$/;

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () =>
    readdirSync(migrationsDir)
      .filter((name) => migrationFilePattern.test(name))
      .sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => (await import(pathToFileURL(`${migrationsDir}${name}`).href)) as MigrationModule,
};

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

export async function migrationStatus(db: Db): Promise<{ completed: string[]; pending: string[] }> {
  const [completed, pending] = (await db.migrate.list({ migrationSource })) as [{ name: string }[], string[]];
  return { completed: completed.map((row) => row.name), pending };
}
