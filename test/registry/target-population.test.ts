import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, countRows, makeKey } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';

// A regency declares the people it aims to cover; the coverage ratio
// divides by it. Gunung Mas (6210) is the study's regency.
let database: TestDatabase;
let app: Express;
let directorate: TestKey;
let gunungMas: TestKey;
let lpaKey: TestKey;
const today = '2027-06-30';
const path = (code: string) => `/v1/regions/regencies/${code}/target-population`;
const declaration = { targetPopulation: 24_000, source: 'BPS Sakernas 2026, pekerja informal', asOf: '2027-01-01' };

beforeAll(async () => {
  ({ database, app, lpaKey } = await openLpaFixture(() => today));
  directorate = await makeKey(database.db, { role: 'directorate' });
  gunungMas = await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' });
});
afterAll(async () => {
  await database.close();
});

describe('a regency’s target population', () => {
  it('is declared by the regency’s dinsos, kept with its source and who declared it, and audited', async () => {
    const response = await as(app, gunungMas).put(path('6210')).send(declaration);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ regencyCode: '6210', ...declaration, declaredBy: expect.stringContaining('dinsos') });
    const audit = await database.db('audit_log').where({ action: 'regions.target-population.declare', entity_id: '6210' });
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ asOf: '2027-01-01', targetPopulation: 24_000, replaced: null });
  });

  it('is replaced for the same day, the audit keeping what it was; a later day adds a declaration', async () => {
    const replaced = await as(app, directorate)
      .put(path('6210'))
      .send({ ...declaration, targetPopulation: 25_000 });
    expect(replaced.status).toBe(200);
    const later = await as(app, directorate)
      .put(path('6210'))
      .send({ ...declaration, targetPopulation: 26_000, asOf: '2027-06-01' });
    expect(later.status).toBe(200);
    const listed = await as(app, lpaKey).get(path('6210'));
    expect(
      listed.body.declarations.map((row: { asOf: string; targetPopulation: number }) => [row.asOf, row.targetPopulation]),
    ).toEqual([
      ['2027-06-01', 26_000],
      ['2027-01-01', 25_000],
    ]);
    const audit = await database.db('audit_log').where({ action: 'regions.target-population.declare' }).orderBy('id', 'asc');
    expect(audit[1].detail.replaced).toEqual({ targetPopulation: 24_000, source: declaration.source });
  });

  it('is refused, naming the field and writing nothing, when bad, another regency’s, in the future or not for a dinsos to give', async () => {
    const [rows, audits] = [
      await countRows(database.db, 'regency_target_populations'),
      await countRows(database.db, 'audit_log'),
    ];
    const bad = await as(app, directorate)
      .put(path('6210'))
      .send({ ...declaration, targetPopulation: '24000', source: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((issue: { field: string }) => issue.field).sort()).toEqual([
      'body.source',
      'body.targetPopulation',
    ]);
    const future = await as(app, directorate)
      .put(path('6210'))
      .send({ ...declaration, asOf: '2027-07-01' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ field: 'body.asOf', message: 'must not be after today (2027-06-30)' }]);
    const otherRegency = await as(app, gunungMas).put(path('6271')).send(declaration);
    expect(otherRegency.status).toBe(404);
    const unknown = await as(app, directorate).put(path('9999')).send(declaration);
    expect(unknown.status).toBe(404);
    const badCode = await as(app, directorate).put(path('62')).send(declaration);
    expect(badCode.status).toBe(400);
    expect(badCode.body.errors[0].field).toBe('params.code');
    expect((await as(app, lpaKey).put(path('6210')).send(declaration)).status).toBe(403);
    expect(await countRows(database.db, 'regency_target_populations')).toBe(rows);
    expect(await countRows(database.db, 'audit_log')).toBe(audits);
  });
});
