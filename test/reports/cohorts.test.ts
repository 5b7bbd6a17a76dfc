import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, makeKey, publishShippedRules, testApp } from '../support/api.ts';
import { type TestDatabase, expectEnrolmentYearsInStep, openTestDatabase } from '../support/db.ts';
import { cohortOf2012, runPremiumCycles } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';

// The study's story in small: a cohort enrolled in the 2012 scheme, premium
// assistance for one year, then the members pay the whole Rp 10,400. Of ten,
// four leave when the assistance ends; of the six who stay, three pay.
let database: TestDatabase;
let app: Express;
let finance: TestKey;
let lpaKey: TestKey;

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  app = testApp(database.db, undefined, () => '2014-06-30');
  const lpaId = await approvedLpa(database.db);
  finance = await makeKey(database.db, { role: 'finance' });
  lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
  const members = await cohortOf2012(database.db, { lpaId, size: 10, serialFrom: 601, lapsing: 4 });
  await runPremiumCycles(database.db, '2013-01', '2014-03');
  for (const [index, member] of members.slice(4, 7).entries())
    expect(
      (
        await as(app, lpaKey)
          .post(`/v1/participants/${member.participantId}/contributions`)
          .set('Idempotency-Key', `pays-${index}`)
          .send({ amount: '31200.00', paidOn: '2014-03-25', reference: `KW-${index}` })
      ).status,
    ).toBe(201);
});

afterAll(async () => {
  await database.close();
});

describe('retention and graduation by cohort', () => {
  it('follow the cohort from subsidised to self-paying, as the study follows Gunung Mas', async () => {
    const answer = await as(app, finance).get('/v1/reports/retention?scheme=askesos-ni-2012');
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toEqual([
      {
        cohort: '2013',
        coverageYear: 1,
        enrolled: 10,
        retained: 10,
        retention: '1.0000',
        subsidised: 10,
        selfPaying: 0,
        selfPayingPaidUp: 0,
      },
      {
        cohort: '2013',
        coverageYear: 2,
        enrolled: 10,
        retained: 6,
        retention: '0.6000',
        subsidised: 0,
        selfPaying: 6,
        selfPayingPaidUp: 3,
      },
    ]);
    expect((await as(app, finance).get('/v1/reports/retention?scheme=standalone')).body.rows).toEqual([]);
    await expectEnrolmentYearsInStep(database.db);
  });
});

describe('subsidy cost', () => {
  it('sums the dues of each month by province, regency or LPA, with what the state carries and what members paid', async () => {
    const byRegency = await as(app, finance).get('/v1/reports/subsidy-cost?from=2013-12&to=2014-01&by=regency');
    expect(byRegency.status).toBe(200);
    expect(byRegency.body.rows).toEqual([
      {
        period: '2013-12',
        code: '6210',
        name: expect.any(String),
        dues: 10,
        premium: '104000.00',
        subsidy: '104000.00',
        own: '0.00',
        ownPaid: '0.00',
      },
      {
        period: '2014-01',
        code: '6210',
        name: expect.any(String),
        dues: 6,
        premium: '62400.00',
        subsidy: '0.00',
        own: '62400.00',
        ownPaid: '31200.00',
      },
    ]);
    expect(byRegency.body.totals).toEqual([
      {
        period: 'Total',
        code: null,
        name: null,
        dues: 16,
        premium: '166400.00',
        subsidy: '104000.00',
        own: '62400.00',
        ownPaid: '31200.00',
      },
    ]);
    const byProvince = await as(app, lpaKey).get('/v1/reports/subsidy-cost?from=2014-03&to=2014-03&by=province');
    expect(byProvince.body.rows).toEqual([
      expect.objectContaining({ period: '2014-03', code: '62', dues: 6, ownPaid: '31200.00' }),
    ]);
  });

  it('shows a dinsos or an LPA only its own, and names the field of a bad query', async () => {
    const elsewhere = await makeKey(database.db, { role: 'dinsos', regencyCode: '3171' });
    expect((await as(app, elsewhere).get('/v1/reports/subsidy-cost?from=2013-01&to=2014-03')).body.rows).toEqual([]);
    const otherLpa = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
    expect((await as(app, otherLpa).get('/v1/reports/retention')).body.rows).toEqual([]);
    const backwards = await as(app, finance).get('/v1/reports/subsidy-cost?from=2014-02&to=2014-01');
    expect(backwards.status).toBe(400);
    expect(backwards.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(backwards.body)).toContain('must not be before from');
    expect((await as(app, finance).get('/v1/reports/subsidy-cost?from=2014-01&to=2014-02&by=village')).status).toBe(400);
  });
});
