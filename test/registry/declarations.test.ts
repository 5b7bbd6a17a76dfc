import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261205000100_participant_declarations.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { recheckEligibility } from '../../src/registry/recheck.ts';
import { publishShippedRules, shippedRules, testActor, testToday } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { declaredForNewInitiative, motorbikeTaxiDriver } from '../support/people.ts';

const noProgress = async () => undefined;

// What a person declares to the LPA under the 2012 programme rules, kept on
// the participant's record: read again by the yearly re-check, and carried
// through the migration that brought the columns.
describe('declarations of saving and monthly meetings', () => {
  let database: TestDatabase;
  const ids = { keeps: '', neverAsked: '', keepsParticipant: '', neverAskedParticipant: '' };

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    const lpaId = await approvedLpa(database.db);
    const enrol = async (serial: number) => {
      const input = participantInputSchema.parse(
        motorbikeTaxiDriver(serial, { enrolledOn: '2012-03-01', ...declaredForNewInitiative }),
      );
      const result = await enrolParticipant(
        database.db,
        shippedRules,
        { scheme: 'askesos-ni-2012', lpaId, input, today: testToday, fieldPrefix: '' },
        testActor,
      );
      expect(result.enrolment.status).toBe('active');
      return result;
    };
    const keeps = await enrol(1);
    const neverAsked = await enrol(2);
    ids.keeps = keeps.enrolment.id;
    ids.keepsParticipant = keeps.participantId;
    ids.neverAsked = neverAsked.enrolment.id;
    ids.neverAskedParticipant = neverAsked.participantId;
  });
  afterAll(async () => {
    await database.close();
  });

  it('come through the migration: a table with rows gains the columns empty, and loses them again', async () => {
    await down(database.db);
    expect(await database.db.schema.hasColumn('participants', 'willing_to_save')).toBe(false);
    expect(await database.db.schema.hasColumn('participants', 'attends_monthly_meeting')).toBe(false);
    const before = await database.db('participants').orderBy('id').select('id', 'nik', 'welfare_status');
    await up(database.db);
    // Nobody registered before the columns was asked: not declared, never a guessed answer.
    expect(await database.db('participants').orderBy('id').select('id', 'nik', 'welfare_status')).toEqual(before);
    expect(
      await database.db('participants').whereNotNull('willing_to_save').orWhereNotNull('attends_monthly_meeting').count('*'),
    ).toEqual([{ count: '0' }]);
    // What the LPA had declared is put back for the one, not for the other.
    await database
      .db('participants')
      .where({ id: ids.keepsParticipant })
      .update({ willing_to_save: true, attends_monthly_meeting: true });
    await database.db('participants').where({ id: ids.neverAskedParticipant }).update({ attends_monthly_meeting: true });
  });

  it('are read again by the yearly re-check under the New Initiative: a member with nothing declared lapses', async () => {
    const summary = await recheckEligibility(database.db, shippedRules, '2013-03-01', testActor, noProgress);
    expect(summary).toEqual({ date: '2013-03-01', checked: 2, kept: 1, lapsed: 1, noRulesInForce: 0 });
    const checks = await database.db('eligibility_checks').select('enrolment_id', 'outcome', 'reasons', 'rule_version', 'facts');
    const byEnrolment = Object.fromEntries(checks.map((check) => [check.enrolment_id, check]));
    expect(byEnrolment[ids.keeps]).toMatchObject({ outcome: 'kept', reasons: [], rule_version: '2013.1' });
    expect(byEnrolment[ids.neverAsked]).toMatchObject({
      outcome: 'lapsed',
      reasons: [{ reason: 'not_willing_to_save', explanation: expect.stringContaining('bank or cooperative') }],
      facts: expect.objectContaining({ willingToSave: null, attendsMonthlyMeeting: true }),
    });
  });
});
