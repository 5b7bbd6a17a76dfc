import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/knex.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// PostgreSQL asks for a transaction that lost a race (a deadlock, a
// serialization failure) to be run again; what the lost attempt wrote is gone.
function lostRace(code: string): Error {
  return Object.assign(new Error('lost a race'), { code });
}

describe('a transaction that lost a race', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.raw('create table retry_probe (attempt integer not null)');
  });
  afterAll(async () => database.close());

  it('is run again after a deadlock, and only the attempt that committed left its row', async () => {
    let attempts = 0;
    const answer = await withTransaction(database.db, async (trx) => {
      attempts += 1;
      await trx('retry_probe').insert({ attempt: attempts });
      if (attempts < 3) throw lostRace(attempts === 1 ? '40P01' : '40001');
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await database.db('retry_probe').pluck('attempt')).toEqual([3]);
    await database.db('retry_probe').delete();
  });

  it('gives up after five attempts with the last failure, leaving nothing', async () => {
    let attempts = 0;
    await expect(
      withTransaction(database.db, async (trx) => {
        attempts += 1;
        await trx('retry_probe').insert({ attempt: attempts });
        throw lostRace('40P01');
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(5);
    expect(await database.db('retry_probe').count({ rows: '*' })).toEqual([{ rows: '0' }]);
  });

  it('is not run again for any other failure, nor inside another transaction', async () => {
    let attempts = 0;
    await expect(
      withTransaction(database.db, async () => {
        attempts += 1;
        throw Object.assign(new Error('unique'), { code: '23505' });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    let nested = 0;
    await expect(
      withTransaction(database.db, (trx) =>
        withTransaction(trx, async () => {
          nested += 1;
          throw lostRace('40P01');
        }),
      ),
    ).rejects.toMatchObject({ code: '40P01' });
    expect({ attempts, nested }).toEqual({ attempts: 1, nested: 5 });
  });
});
