import pg from 'pg';
import type { Db } from './knex.ts';

// A PostgreSQL session advisory lock held on a connection of its own, outside
// the pool (a run that holds it for minutes must not starve the pool it works
// through). PostgreSQL drops it when that connection closes, so a process
// that dies loses its locks at once. Null when another session holds it.
// PGlite is one process's database (its data directory is locked to one
// process), so there the caller's in-process guard is the whole story.
export async function holdSessionLock(db: Db, key: string): Promise<(() => Promise<void>) | null> {
  const config = db.client.config as { client: unknown; connection?: { connectionString?: string }; searchPath?: string[] };
  if (config.client !== 'pg') return async () => {};
  const session = new pg.Client({ connectionString: config.connection?.connectionString });
  // A connection lost mid-run only loses the lock; the work it guards is
  // idempotent, so the error is not worth the process.
  session.on('error', () => {});
  await session.connect();
  try {
    // Schemas in one database (a test file's, or a tenant's) keep their locks apart.
    const searchPath = config.searchPath ?? [];
    if (searchPath.length > 0) await session.query(`select set_config('search_path', $1, false)`, [searchPath.join(',')]);
    const result = await session.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(hashtext(coalesce(current_schema(), '') || ':' || $1)) as locked`,
      [key],
    );
    if (result.rows[0]?.locked === true) return () => session.end();
  } catch (error) {
    await session.end();
    throw error;
  }
  await session.end();
  return null;
}

// The session lock, and through one database handle the same key not twice
// either (the session lock is re-entrant, and PGlite has one session for
// every caller): what a long run (a job, an import) holds while it works.
const runningThrough = new WeakMap<Db, Set<string>>();

export async function holdProcessLock(db: Db, key: string): Promise<(() => Promise<void>) | null> {
  const running = runningThrough.get(db) ?? new Set<string>();
  runningThrough.set(db, running);
  if (running.has(key)) return null;
  running.add(key);
  try {
    const release = await holdSessionLock(db, key);
    if (release === null) {
      running.delete(key);
      return null;
    }
    return async () => {
      running.delete(key);
      await release();
    };
  } catch (error) {
    running.delete(key);
    throw error;
  }
}
