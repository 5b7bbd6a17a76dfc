import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/knex.ts';
import { openTestDatabase, postgresUrl } from '../support/db.ts';

// Rows must come back in the same shapes whichever backend runs, or code that
// passes on PGlite breaks in production on PostgreSQL.
const probe = `
  select 250000.50::numeric(18,2) as amount,
         0.125::numeric as rate,
         9007199254740993::bigint as big,
         42::integer as small,
         date '2026-02-28' as day,
         timestamptz '2026-11-25 10:00:00+07' as at,
         '{"a": [1, "2.50"], "b": null}'::jsonb as doc,
         true as flag,
         null::numeric as nothing,
         'dc9a7e7c-3c5b-4c1f-9a51-8a1f7a3a0b11'::uuid as id`;

async function probeRow(database: Database): Promise<Record<string, unknown>> {
  const result = (await database.db.raw(probe)) as { rows: Record<string, unknown>[] };
  return result.rows[0] ?? {};
}

describe('backend parity', () => {
  let current: Database;
  beforeAll(async () => {
    current = await openTestDatabase();
  });
  afterAll(async () => {
    await current.close();
  });

  it('returns numeric and bigint as exact strings, date as YYYY-MM-DD, timestamptz as Date, jsonb parsed', async () => {
    const row = await probeRow(current);
    expect(row).toEqual({
      amount: '250000.50',
      rate: '0.125',
      big: '9007199254740993',
      small: 42,
      day: '2026-02-28',
      at: new Date('2026-11-25T03:00:00.000Z'),
      doc: { a: [1, '2.50'], b: null },
      flag: true,
      nothing: null,
      id: 'dc9a7e7c-3c5b-4c1f-9a51-8a1f7a3a0b11',
    });
    expect(row.at).toBeInstanceOf(Date);
  });

  it('returns the same row from PGlite and from PostgreSQL when both are at hand', async () => {
    const pglite = await openDatabase({ backend: 'pglite', dataDir: null });
    try {
      const fromPglite = await probeRow(pglite);
      expect(fromPglite).toEqual(await probeRow(current));
      if (postgresUrl !== null) expect(current.backend).toBe('postgres');
    } finally {
      await pglite.close();
    }
  });

  it('rolls a failed transaction back on this backend', async () => {
    await current.db.raw('create table parity_probe (id integer primary key)');
    await expect(
      current.db.transaction(async (trx) => {
        await trx('parity_probe').insert({ id: 1 });
        await trx('parity_probe').insert({ id: 1 });
      }),
    ).rejects.toThrow();
    expect(await current.db('parity_probe').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '0' }]);
  });
});
