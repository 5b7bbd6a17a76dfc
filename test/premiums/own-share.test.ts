import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amount, toAmountString } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { type TestKey, as, makeKey, shippedRules, testActor } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import { type TestDatabase, expectEnrolmentYearsInStep } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';

// The study's standalone scheme: cover lasts as long as the participant meets
// the criteria. From coverage year 4 the whole premium is the member's own
// share; left unpaid it is owed, reported and (from 2027.1) reminded of, and
// the cover goes on.
let database: TestDatabase;
let app: Express;
let lpaKey: TestKey;
let otherLpaKey: TestKey;
const people: Record<string, { enrolmentId: string; participantId: string }> = {};
const noProgress = async () => {};
const today = '2027-06-30';

beforeAll(async () => {
  let lpaId: string;
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  // Enrolled March 2024: January and February 2027 are coverage year 3 (own
  // share half of the premium), from March 2027 year 4 (the whole of it).
  for (const [serial, name] of ['behind', 'paysUp'].entries())
    people[name] = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2024-03-10',
      serial: 900 + serial,
      settledThrough: '2026-12',
    });
});

afterAll(async () => {
  await database.close();
});

const enrolment = (who: string) =>
  database.db('enrolments').where({ id: people[who]?.enrolmentId }).first<{ status: string }>('status');

async function payAllOwed(who: string, paidOn: string) {
  const dues = await as(app, lpaKey).get(`/v1/participants/${people[who]?.participantId}/dues`);
  const owed = (dues.body.dues as { ownShare: string; ownPaid: string }[]).reduce(
    (sum, due) => sum.plus(amount(due.ownShare)).minus(amount(due.ownPaid)),
    amount('0'),
  );
  if (owed.isZero()) return;
  const paid = await as(app, lpaKey)
    .post(`/v1/participants/${people[who]?.participantId}/contributions`)
    .set('Idempotency-Key', `${who}-${paidOn}`)
    .send({ amount: toAmountString(owed), paidOn, reference: `KW-${who}-${paidOn}` });
  expect(paid.status).toBe(201);
}

describe('an own share left unpaid in coverage year 4', () => {
  it('is owed and reminded of after three months, and the cover goes on', async () => {
    const reminded: number[] = [];
    for (const period of ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']) {
      const summary = await runPremiumCycle(database.db, shippedRules, period, testActor, noProgress);
      expect(summary).toMatchObject({ booked: 2, lapsedForArrears: 0 });
      reminded.push(summary.remindedOfArrears);
      await payAllOwed('paysUp', `${period}-20`);
    }
    // January unpaid three months on: one reminder in April, none after for
    // the same oldest month.
    expect(reminded).toEqual([0, 0, 0, 1, 0, 0]);
    expect(await enrolment('behind')).toEqual({ status: 'active' });
    expect(await runPremiumCycle(database.db, shippedRules, '2027-06', testActor, noProgress)).toMatchObject({
      booked: 0,
      remindedOfArrears: 0,
    });

    const claim = await as(app, lpaKey)
      .post('/v1/claims')
      .set('Idempotency-Key', 'behind-in-year-4')
      .send({ participantId: people.behind?.participantId, ...accidentClaim('2027-06-10', 'behind-in-year-4') });
    expect(claim.body).toMatchObject({ status: 'approved', reasons: [] });
    await expectEnrolmentYearsInStep(database.db);
  });

  it('sends the participant a reminder in plain words, naming what is owed', async () => {
    const listed = await as(app, lpaKey).get(`/v1/notices?kind=arrears-reminder&participantId=${people.behind?.participantId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.notices).toHaveLength(1);
    const [notice] = listed.body.notices;
    // January and February at half the premium, March at the whole: what was
    // owed when April's cycle wrote the reminder, before April's due.
    expect(notice).toMatchObject({
      decidedOn: '2027-04-01',
      decision: { kind: 'arrears-reminder', arrears: '12000.00', arrearsSince: '2027-01' },
      rule: { scheme: 'standalone', version: '2027.2' },
    });
    const text = await as(app, lpaKey).get(`/v1/notices/${notice.id}/notice.txt`);
    expect(text.text).toContain('belum dibayar sejak Januari 2027, seluruhnya Rp 12.000');
    expect(text.text).toContain('Perlindungan Anda tetap berjalan selama Anda memenuhi syarat');
  });

  it('shows in the arrears list, to its own LPA only', async () => {
    const report = await as(app, lpaKey).get('/v1/reports/arrears');
    expect(report.status).toBe(200);
    // Two months at Rp 3,000, four at Rp 6,000.
    expect(report.body.rows).toEqual([
      expect.objectContaining({
        participantId: people.behind?.participantId,
        status: 'in cover',
        arrearsSince: '2027-01',
        monthsUnpaid: 6,
        arrears: '30000.00',
        remindedOn: '2027-04-01',
      }),
    ]);
    expect(report.body.about).toMatchObject({ participants: '1', arrears: '30000.00' });
    expect((await as(app, lpaKey).get('/v1/reports/arrears?monthsAtLeast=7')).body.rows).toEqual([]);
    expect((await as(app, otherLpaKey).get('/v1/reports/arrears')).body.rows).toEqual([]);
    const bad = await as(app, lpaKey).get('/v1/reports/arrears?monthsAtLeast=six');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('monthsAtLeast');
  });

  it('counts as retained and self-paying, graduated only when paid up', async () => {
    const report = await as(app, lpaKey).get('/v1/reports/retention?scheme=standalone');
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([
      {
        cohort: '2024',
        coverageYear: 3,
        enrolled: 2,
        retained: 2,
        retention: '1.0000',
        subsidised: 2,
        selfPaying: 0,
        selfPayingPaidUp: 0,
      },
      {
        cohort: '2024',
        coverageYear: 4,
        enrolled: 2,
        retained: 2,
        retention: '1.0000',
        subsidised: 0,
        selfPaying: 2,
        selfPayingPaidUp: 1,
      },
    ]);
  });
});
