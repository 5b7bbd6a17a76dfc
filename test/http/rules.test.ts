import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, countRows, makeKey, shippedRules, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

const deathInYear2 = {
  claimType: 'death',
  coverageYear: 2,
  sicknessDays: null,
  priorPaidClaims: 0,
  deathCause: 'natural',
  costClaimed: null,
  monthlyWage: null,
  reportDelayDays: 0,
};

describe('rules over HTTP', () => {
  let database: TestDatabase;
  let app: Express;
  let auditor: TestKey;
  let lpa: TestKey;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db);
    auditor = await makeKey(database.db, { role: 'auditor' });
    lpa = await makeKey(database.db, { role: 'lpa', lpaId: '8f0b7c52-3f4e-4d51-9b0e-0c6f2b1a7d10' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('lists every scheme with its versions, periods and hashes', async () => {
    const response = await as(app, lpa).get('/v1/rules');
    expect(response.status).toBe(200);
    const schemes = response.body.schemes as { scheme: string; versions: { version: string; hash: string }[] }[];
    expect(schemes.map((entry) => entry.scheme)).toEqual([...shippedRules.schemes.keys()]);
    const old = schemes.find((entry) => entry.scheme === 'askesos-2003');
    expect(old?.versions).toEqual([
      expect.objectContaining({
        version: '2003.1',
        effectiveFrom: '2003-01-01',
        effectiveTo: '2011-12-31',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it('shows one version as published', async () => {
    const response = await as(app, lpa).get('/v1/rules/askesos-2003/2003.1');
    expect(response.status).toBe(200);
    expect(response.body.content['manifest.json'].parameters['ceiling.death']).toMatchObject({
      amount: '800000.00',
      source: { place: 'Pendahuluan, Tabel 1 (Askesos 2003–2011)' },
    });
    expect((await as(app, lpa).get('/v1/rules/askesos-2003/1999.1')).status).toBe(404);
  });

  it('evaluates for the read-only auditor, with version, hash and trace, and writes nothing', async () => {
    const auditRows = await countRows(database.db, 'audit_log');
    const response = await as(app, auditor)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-2003', area: 'benefits', date: '2006-03-01', facts: deathInYear2 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      scheme: 'askesos-2003',
      version: '2003.1',
      hash: shippedRules.schemes.get('askesos-2003')?.[0]?.hash,
      events: [
        {
          type: 'benefit',
          params: { benefit: 'death', method: 'fixed', amount: '600000.00' },
          rule: 'death in coverage year 2 pays Rp 600.000',
        },
      ],
    });
    expect(response.body.trace.length).toBe(9);
    expect(await countRows(database.db, 'audit_log')).toBe(auditRows);
  });

  it('keeps evaluation to the directorate and the auditor', async () => {
    const response = await as(app, lpa)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-2003', area: 'benefits', date: '2006-03-01', facts: deathInYear2 });
    expect(response.status).toBe(403);
  });

  it('names bad facts under body.facts, an unknown scheme under body.scheme', async () => {
    const badFacts = await as(app, auditor)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-2003', area: 'benefits', date: '2006-03-01', facts: { ...deathInYear2, coverageYear: '2' } });
    expect(badFacts.status).toBe(400);
    expect(badFacts.body.errors).toEqual([{ field: 'body.facts.coverageYear', message: 'must be a whole number' }]);
    const badScheme = await as(app, auditor)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-1999', area: 'benefits', date: '2006-03-01', facts: deathInYear2 });
    expect(badScheme.status).toBe(400);
    expect(badScheme.body.errors).toEqual([{ field: 'body.scheme', message: 'There is no scheme "askesos-1999".' }]);
    const badDate = await as(app, auditor)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-2003', area: 'benefits', date: '2006-02-30', facts: deathInYear2 });
    expect(badDate.body.errors).toEqual([{ field: 'body.date', message: 'is not a calendar date' }]);
  });

  it('answers 422 when no version is in force on the date', async () => {
    const response = await as(app, auditor)
      .post('/v1/rules/evaluate')
      .send({ scheme: 'askesos-2003', area: 'benefits', date: '2002-12-31', facts: deathInYear2 });
    expect(response.status).toBe(422);
    expect(response.body.type).toBe('urn:askesos:problem:rule-not-in-force');
    expect(response.body.detail).toBe('No version of scheme "askesos-2003" is in force on 2002-12-31.');
  });

  it('gives every one of 100 concurrent evaluations its full set of events', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        as(app, auditor)
          .post('/v1/rules/evaluate')
          .send({
            scheme: 'askesos-2003',
            area: 'benefits',
            date: '2006-03-01',
            facts: { ...deathInYear2, coverageYear: (index % 3) + 1 },
          }),
      ),
    );
    responses.forEach((response, index) => {
      expect(response.body.events.map((event: { params: { amount: string } }) => event.params.amount)).toEqual([
        ['400000.00', '600000.00', '800000.00'][index % 3],
      ]);
    });
  });
});
