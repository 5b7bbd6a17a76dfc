import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import { reinstatement } from '../../src/premiums/arrears.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { type TestKey, as, makeKey, testActor } from '../support/api.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { scratchRules } from '../rules/support.ts';
import { approvedLpa } from '../support/lpa.ts';
import { type TestDatabase, expectEnrolmentYearsInStep } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { accidentClaim } from '../support/claims.ts';
import { enrolmentSince } from '../support/enrolment.ts';

// Lapse for arrears is a capability a version may declare; the shipped
// standalone versions only remind. Here, as the policy guide's example,
// standalone from 2027.1 lapses a cover whose own share stayed unpaid three
// months; paying everything owed within six months of the lapse reinstates it.
const rules = scratchRules(['askesos-2003', 'askesos-ni-2012', 'standalone']);
const decision = { document: 'A directorate decision (test)', place: 'the policy guide’s example of lapse for arrears' };
for (const version of ['2027.1', '2027.2', '2027.3']) {
  rules.edit(`standalone/${version}/manifest.json`, (json) => {
    const parameters = json.parameters as Record<string, unknown>;
    delete parameters['arrears.reminder-after-months'];
    parameters['arrears.grace-months'] = { count: '3', source: decision };
    parameters['arrears.reinstate-within-months'] = { count: '6', source: decision };
  });
  rules.edit(`standalone/${version}/subsidy.json`, (json) => {
    const reminder = (json.rules as { name: string; event: { type: string; params: unknown } }[]).find(
      (rule) => rule.event.type === 'arrears-reminder',
    );
    if (reminder === undefined) throw new Error(`no reminder rule in ${version}`);
    reminder.event = {
      type: 'arrears',
      params: {
        graceMonths: { param: 'arrears.grace-months' },
        reinstateWithinMonths: { param: 'arrears.reinstate-within-months' },
        source: decision,
      },
    };
    reminder.name = 'arrears: cover lapses after {arrears.grace-months} months unpaid';
  });
}
const book = loadRuleBook(rules.dir);
let database: TestDatabase;
let app: Express;
let lpaId: string;
let lpaKey: TestKey;
const people: Record<string, { enrolmentId: string; participantId: string }> = {};
const noProgress = async () => {};
// Payments are recorded as of this day.
const today = '2028-06-30';

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today, { book, dir: rules.dir }));
  // Enrolled March 2024: January 2027 is month 35 (coverage year 3, own
  // share Rp 3,000), March 2027 month 37 (year 4, the whole Rp 6,000).
  for (const [serial, name] of ['neverPays', 'paysEachMonth', 'paysJanuaryOnly', 'paysTooLate', 'diedInArrears'].entries())
    people[name] = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2024-03-10',
      serial: 800 + serial,
      settledThrough: '2026-12',
    });
});

afterAll(async () => {
  await database.close();
  rules.dispose();
});

const pay = (who: string, amount: string, paidOn: string, key: string) =>
  as(app, lpaKey)
    .post(`/v1/participants/${people[who]?.participantId}/contributions`)
    .set('Idempotency-Key', key)
    .send({ amount, paidOn, reference: `KW-${key}` });

const enrolment = (who: string) =>
  database
    .db('enrolments')
    .where({ id: people[who]?.enrolmentId })
    .first<{ status: string; lapsed_on: string | null }>('status', 'lapsed_on');

async function claimFor(who: string, incidentDate: string, key: string) {
  const { claim } = await submitClaim(
    database.db,
    book,
    {
      lpaId,
      claim: newClaimSchema.parse({ participantId: people[who]?.participantId, ...accidentClaim(incidentDate, key) }),
      idempotencyKey: key,
      today,
      defaultScheme: 'standalone',
      fieldPrefix: '',
    },
    testActor,
  );
  return claim;
}

describe('reinstatement terms', () => {
  const terms = { graceMonths: 3, reinstateWithinMonths: 6 };
  it('reinstate from the day of payment within the months the rules allow, and not after', () => {
    expect(reinstatement(terms, '2027-04-01', '2027-05-20')).toEqual({ reinstated: true, reinstatedOn: '2027-05-20' });
    expect(reinstatement(terms, '2027-04-01', '2027-09-30')).toEqual({ reinstated: true, reinstatedOn: '2027-09-30' });
    expect(reinstatement(terms, '2027-04-01', '2027-10-01')).toEqual({
      reinstated: false,
      why: 'paid after 6 months from the lapse on 2027-04-01, the most the rules allow',
    });
    expect(reinstatement(null, '2027-04-01', '2027-04-02')).toMatchObject({ reinstated: false });
  });
  it('leave no gap for a payment collected before the lapse and recorded after it', () => {
    expect(reinstatement(terms, '2027-04-01', '2027-03-28')).toEqual({ reinstated: true, reinstatedOn: '2027-04-01' });
  });
});

describe('arrears past the grace period', () => {
  it('lapse the cover at the cycle of the month the grace runs out, with no due for that month', async () => {
    for (const period of ['2027-01', '2027-02', '2027-03']) {
      const summary = await runPremiumCycle(database.db, book, period, testActor, noProgress);
      expect(summary).toMatchObject({ booked: 5, lapsedForArrears: 0 });
      if (period !== '2027-03')
        expect((await pay('paysEachMonth', '3000.00', `${period}-20`, `each-${period}`)).status).toBe(201);
    }
    expect((await pay('paysEachMonth', '6000.00', '2027-03-20', 'each-2027-03')).status).toBe(201);
    expect((await pay('paysJanuaryOnly', '3000.00', '2027-01-25', 'january')).status).toBe(201);

    const april = await runPremiumCycle(database.db, book, '2027-04', testActor, noProgress);
    // January unpaid three months on: neverPays, paysTooLate and diedInArrears lapse on 1 April.
    expect(april).toMatchObject({ lapsedForArrears: 3, booked: 2 });
    expect(await enrolment('neverPays')).toEqual({ status: 'lapsed', lapsed_on: '2027-04-01' });
    expect(await enrolment('paysJanuaryOnly')).toEqual({ status: 'active', lapsed_on: null });
    const lapses = await as(app, lpaKey).get(`/v1/participants/${people.neverPays?.participantId}/lapses`);
    expect(lapses.status).toBe(200);
    const otherLpa = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
    expect((await as(app, otherLpa).get(`/v1/participants/${people.neverPays?.participantId}/lapses`)).status).toBe(404);
    expect(lapses.body.lapses).toEqual([
      {
        enrolmentId: people.neverPays?.enrolmentId,
        reason: 'arrears',
        lapsedOn: '2027-04-01',
        arrears: '12000.00',
        arrearsSince: '2027-01',
        rule: { scheme: 'standalone', version: '2027.2', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        reinstatedOn: null,
        reinstatedBy: null,
        reinstateRule: null,
      },
    ]);
    expect(
      await database.db('premium_dues').where({ enrolment_id: people.neverPays?.enrolmentId, period: '2027-04-01' }).first(),
    ).toBe(undefined);

    // paysJanuaryOnly's oldest unpaid is February: it lapses a month later.
    expect(await runPremiumCycle(database.db, book, '2027-05', testActor, noProgress)).toMatchObject({
      lapsedForArrears: 1,
    });
    expect(await enrolment('paysJanuaryOnly')).toEqual({ status: 'lapsed', lapsed_on: '2027-05-01' });
    // A cycle run again lapses nobody twice.
    expect(await runPremiumCycle(database.db, book, '2027-05', testActor, noProgress)).toMatchObject({
      lapsedForArrears: 0,
      booked: 0,
    });
  });

  it('reinstate cover when everything owed is paid within six months; the gap stays uncovered', async () => {
    const partly = await pay('neverPays', '6000.00', '2027-05-20', 'partly');
    expect(partly.body.reinstated).toEqual([]);
    expect((await enrolment('neverPays'))?.status).toBe('lapsed');
    const rest = await pay('neverPays', '6000.00', '2027-05-22', 'rest');
    expect(rest.status).toBe(201);
    expect(rest.body.reinstated).toEqual([
      { enrolmentId: people.neverPays?.enrolmentId, lapsedOn: '2027-04-01', reinstatedOn: '2027-05-22' },
    ]);
    expect(await enrolment('neverPays')).toEqual({ status: 'active', lapsed_on: null });
    const replay = await pay('neverPays', '6000.00', '2027-05-22', 'rest');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.reinstated).toEqual(rest.body.reinstated);
    const [lapse] = (await as(app, lpaKey).get(`/v1/participants/${people.neverPays?.participantId}/lapses`)).body.lapses;
    expect(lapse).toMatchObject({ reinstatedOn: '2027-05-22', reinstatedBy: rest.body.id, reinstateRule: { version: '2027.2' } });

    expect(await claimFor('neverPays', '2027-05-10', 'in-the-gap')).toMatchObject({
      status: 'rejected',
      reasons: [expect.objectContaining({ reason: 'coverage_lapsed' })],
    });
    expect(await claimFor('neverPays', '2027-05-25', 'after-reinstatement')).toMatchObject({ status: 'approved', reasons: [] });
    // Back in cover from 22 May: May is owed again (cover stood on some of its
    // days) and booked late by the June cycle, with June; April stays unowed.
    expect(await runPremiumCycle(database.db, book, '2027-06', testActor, noProgress)).toMatchObject({
      booked: 3,
      bookedLate: 1,
    });
    expect(
      await database
        .db('premium_dues')
        .where({ enrolment_id: people.neverPays?.enrolmentId })
        .where('period', '>=', '2027-04-01')
        .orderBy('period')
        .select('period', 'booked_in'),
    ).toEqual([
      { period: '2027-05-01', booked_in: '2027-06-01' },
      { period: '2027-06-01', booked_in: '2027-06-01' },
    ]);
  });

  it('keep the cover of a member whose death benefit was granted lapsed when the heirs pay the arrears', async () => {
    const death = await as(app, lpaKey)
      .post('/v1/claims')
      .set('Idempotency-Key', 'died-in-arrears')
      .send({
        participantId: people.diedInArrears?.participantId,
        claimType: 'death',
        deathCause: 'natural',
        incidentDate: '2027-03-20',
        reportDate: '2027-05-02',
        heir: { name: 'Maria Dingu', relation: 'spouse' },
        documents: ['death-certificate', 'family-card', 'heir-identity-card'].map((kind) => ({
          kind,
          number: `${kind}-died-in-arrears`,
          date: '2027-05-02',
        })),
        payout: { method: 'cash', receivedBy: 'Maria Dingu' },
      });
    expect(death.body).toMatchObject({ status: 'approved' });
    expect(await enrolment('diedInArrears')).toEqual({ status: 'lapsed', lapsed_on: '2027-04-01' });
    const settled = await pay('diedInArrears', '12000.00', '2027-05-20', 'heirs-settle');
    expect(settled.status).toBe(201);
    expect(settled.body.reinstated).toEqual([]);
    expect(await enrolment('diedInArrears')).toEqual({ status: 'lapsed', lapsed_on: '2027-04-01' });
  });

  it('keep a cover lapsed when the arrears are paid after six months', async () => {
    const late = await pay('paysTooLate', '12000.00', '2027-10-05', 'too-late');
    expect(late.status).toBe(201);
    expect(late.body.reinstated).toEqual([]);
    expect(await enrolment('paysTooLate')).toEqual({ status: 'lapsed', lapsed_on: '2027-04-01' });
    await expectEnrolmentYearsInStep(database.db);
  });
});
