import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/app/jobs.ts';
import { recheckEligibility } from '../../src/registry/recheck.ts';
import { as, makeKey, publishShippedRules, shippedRules, testActor, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver, nikFor } from '../support/people.ts';

const noProgress = async () => undefined;

describe('yearly eligibility re-check', () => {
  let database: TestDatabase;
  let app: Express;
  const ids: Record<'stays' | 'turns56' | 'nowNotPoor', string> = { stays: '', turns56: '', nowNotPoor: '' };

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    app = testApp(database.db);
    const lpa = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db) });
    const enrol = async (serial: number, changes: Record<string, unknown>) =>
      (
        await as(app, lpa)
          .post('/v1/participants')
          .send(motorbikeTaxiDriver(serial, { enrolledOn: '2026-01-10', ...changes }))
      ).body;
    ids.stays = (await enrol(1, {})).enrolment.id;
    ids.turns56 = (await enrol(2, { birthDate: '1970-06-01', nik: nikFor('6210', '1970-06-01', 'male', 2) })).enrolment.id;
    const notPoor = await enrol(3, {});
    ids.nowNotPoor = notPoor.enrolment.id;
    // DTKS says the family is no longer poor: the record is updated, the enrolment stays until the re-check.
    await database.db('participants').where({ id: notPoor.participantId }).update({ welfare_status: 'not-poor' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('checks nobody before the first anniversary', async () => {
    expect(await recheckEligibility(database.db, shippedRules, '2027-01-09', testActor, noProgress)).toMatchObject({
      checked: 0,
    });
  });

  it('lapses, with reasons, those no longer eligible on the criteria, and keeps the rest', async () => {
    const summary = await recheckEligibility(database.db, shippedRules, '2027-01-10', testActor, noProgress);
    expect(summary).toEqual({ date: '2027-01-10', checked: 3, kept: 1, lapsed: 2, noRulesInForce: 0 });
    const checks = await database
      .db('eligibility_checks')
      .orderBy('enrolment_id')
      .select('enrolment_id', 'coverage_year', 'outcome', 'reasons', 'rule_version');
    const byEnrolment = Object.fromEntries(checks.map((check) => [check.enrolment_id, check]));
    // The re-check on 10 January 2027 is decided by the version in force that day.
    expect(byEnrolment[ids.stays]).toMatchObject({ coverage_year: 2, outcome: 'kept', reasons: [], rule_version: '2027.1' });
    expect(byEnrolment[ids.turns56]?.reasons).toEqual([
      { reason: 'age_outside_working_age', explanation: 'Must be of working age, 18 to 55.' },
    ]);
    expect(byEnrolment[ids.nowNotPoor]?.reasons.map((reason: { reason: string }) => reason.reason)).toEqual([
      'not_poor_or_vulnerable',
    ]);
    const lapsed = await database.db('enrolments').where({ status: 'lapsed' }).orderBy('id').select('id', 'lapsed_on');
    expect(lapsed.map((row) => row.lapsed_on)).toEqual(['2027-01-10', '2027-01-10']);
    // Each lapse is kept with its reason and the rules that made it.
    const lapses = await database
      .db('cover_lapses')
      .orderBy('enrolment_id')
      .select('enrolment_id', 'reason', 'lapsed_on', 'rule_version');
    expect(lapses).toEqual(
      lapsed.map((row) => ({ enrolment_id: row.id, reason: 'not-eligible', lapsed_on: '2027-01-10', rule_version: '2027.1' })),
    );
  });

  it('checks each enrolment once per coverage year, however often it runs', async () => {
    expect(await recheckEligibility(database.db, shippedRules, '2027-01-10', testActor, noProgress)).toMatchObject({
      checked: 0,
    });
    expect(await recheckEligibility(database.db, shippedRules, '2027-06-30', testActor, noProgress)).toMatchObject({
      checked: 0,
    });
    expect(await recheckEligibility(database.db, shippedRules, '2028-01-10', testActor, noProgress)).toMatchObject({
      checked: 1,
      lapsed: 0,
    });
  });

  it('runs as a job once per period', async () => {
    const job = jobDefinitions({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => '2029-01-10' })[
      'eligibility-recheck'
    ]!;
    expect(await job.run('2029-01-10', testActor)).toEqual({
      ran: true,
      detail: { date: '2029-01-10', checked: 1, kept: 1, lapsed: 0, noRulesInForce: 0 },
    });
    expect(await job.run('2029-01-10', testActor)).toEqual({ ran: false, why: 'done' });
  });

  it('tells an heir that a lapsed member is no longer covered, and whom to ask', async () => {
    const person = motorbikeTaxiDriver(2, { birthDate: '1970-06-01' });
    const answer = await as(app, null)
      .post('/v1/membership-lookups')
      .send({ nik: nikFor('6210', '1970-06-01', 'male', 2), birthDate: person.birthDate });
    expect(answer.body).toMatchObject({ member: false, status: 'lapsed', lpa: { name: 'Yayasan Betang Tumbang' } });
  });
});
