import pg from 'pg';
import type { Db } from './knex.ts';

// A PostgreSQL session advisory lock held on a connection of its own, outside
// the pool (a run that holds it for minutes must not starve the pool it works
// through). PostgreSQL drops it when that connection closes, so a process
// that dies loses its locks at once. Null when another session holds it.
// PGlite is one process's database (its data directory is locked to one
// process), so there the caller's in-process guard is the whole story.
//
// Lock connections come from a small pool of their own: opening one costs
// about 30 ms here, and every job takes a lock each time it fires. An idle
// one does not keep the process alive, and is closed after a while.
const lockPools = new WeakMap<Db, pg.Pool>();

function lockPoolOf(db: Db, connectionString: string | undefined): pg.Pool {
  const existing = lockPools.get(db);
  if (existing !== undefined) return existing;
  const pool = new pg.Pool({ connectionString, max: 16, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  // A connection lost mid-run only loses the lock; the work it guards is
  // idempotent, so the error is not worth the process, whether the
  // connection was idle in the pool or holding a lock.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  lockPools.set(db, pool);
  return pool;
}

// Schemas in one database (a test file's, or a tenant's) keep their locks
// apart: the key is hashed with the schema the handle works in.
const lockId = `hashtext(coalesce(nullif($2, ''), current_schema(), '') || ':' || $1)`;

export async function holdSessionLock(db: Db, key: string): Promise<(() => Promise<void>) | null> {
  const config = db.client.config as { client: unknown; connection?: { connectionString?: string }; searchPath?: string[] };
  if (config.client !== 'pg') return async () => {};
  const schema = config.searchPath?.[0] ?? '';
  const session = await lockPoolOf(db, config.connection?.connectionString).connect();
  try {
    const result = await session.query<{ locked: boolean }>(`select pg_try_advisory_lock(${lockId}) as locked`, [key, schema]);
    if (result.rows[0]?.locked !== true) {
      session.release();
      return null;
    }
  } catch (error) {
    session.release(true);
    throw error;
  }
  return async () => {
    // A connection that cannot say it let go is closed, which lets go for it.
    try {
      await session.query(`select pg_advisory_unlock(${lockId})`, [key, schema]);
      session.release();
    } catch {
      session.release(true);
    }
  };
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
