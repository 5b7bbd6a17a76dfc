import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdProcessLock } from '../../src/db/session-lock.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// The lock a job or an import holds while it works. On PostgreSQL it lives on
// a pooled connection of its own, which the server may end at any moment (a
// restart, an administrator, a network cut): the process must lose the lock,
// not its life.
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

// The backends holding the advisory lock the key hashes to in this schema.
async function holders(key: string): Promise<number[]> {
  const schema = (await database.db.raw<{ rows: { schema: string }[] }>('select current_schema() as schema')).rows[0]?.schema;
  const rows = await database.db.raw<{ rows: { pid: number }[] }>(
    `select pid from pg_locks
     where locktype = 'advisory' and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = hashtext(?)::bigint`,
    [`${schema}:${key}`],
  );
  return rows.rows.map((row) => row.pid);
}

describe('a session lock', () => {
  it('is refused while held and given again once released', async () => {
    const first = await holdProcessLock(database.db, 'askesos.test:held');
    expect(first).not.toBeNull();
    expect(await holdProcessLock(database.db, 'askesos.test:held')).toBeNull();
    await first?.();
    const again = await holdProcessLock(database.db, 'askesos.test:held');
    expect(again).not.toBeNull();
    await again?.();
  });

  it('is lost, not the process, when the server ends its connection while held', async () => {
    const held = await holdProcessLock(database.db, 'askesos.test:cut');
    expect(held).not.toBeNull();
    if (database.url !== null) {
      const [pid, ...others] = await holders('askesos.test:cut');
      expect(others).toEqual([]);
      await database.db.raw('select pg_terminate_backend(?)', [pid ?? null]);
      await expect.poll(() => holders('askesos.test:cut')).toEqual([]);
    }
    await held?.();
    const again = await holdProcessLock(database.db, 'askesos.test:cut');
    expect(again).not.toBeNull();
    await again?.();
  });
});
