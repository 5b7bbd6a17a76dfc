import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { lpaProgressReport } from '../../src/reports/lpa-progress.ts';
import { as, makeKey, publishShippedRules, shippedRules, testActor, testApp, testToday } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// The declarations the 2012 programme rules ask for, counted for each LPA
// over its members in cover: said yes, and never declared.
describe('the LPA progress report: declarations of saving and monthly meetings', () => {
  let database: TestDatabase;
  let app: Express;
  let lpaId: string;
  let otherLpaId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    app = testApp(database.db);
    lpaId = await approvedLpa(database.db);
    otherLpaId = await approvedLpa(database.db, { name: 'Yayasan Sungai Kahayan' });
    const enrol = async (lpa: string, serial: number, changes: Record<string, unknown>) => {
      const input = participantInputSchema.parse(motorbikeTaxiDriver(serial, { enrolledOn: '2026-02-01', ...changes }));
      return enrolParticipant(
        database.db,
        shippedRules,
        { scheme: 'standalone', lpaId: lpa, input, today: testToday, fieldPrefix: '' },
        testActor,
      );
    };
    // In cover: both yes; no to saving; nothing declared; yes to saving and the meeting not declared.
    await enrol(lpaId, 1, { willingToSave: true, attendsMonthlyMeeting: true });
    await enrol(lpaId, 2, { willingToSave: false, attendsMonthlyMeeting: true });
    await enrol(lpaId, 3, {});
    await enrol(lpaId, 4, { willingToSave: true });
    // Not counted: lapsed before the period's end (declared both), and refused by the rules.
    await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2026-02-01',
      serial: 5,
      lapsedOn: '2026-06-01',
    });
    const refused = await enrol(lpaId, 6, { welfareStatus: 'not-poor', willingToSave: true, attendsMonthlyMeeting: true });
    expect(refused.enrolment.status).toBe('rejected');
    await enrol(otherLpaId, 7, {});
  });
  afterAll(async () => {
    await database.close();
  });

  it('counts, of each LPA’s members in cover, those who declared yes and those who declared nothing', async () => {
    const report = await lpaProgressReport(database.db, '2026-07-01', '2026-07-31', {});
    const declarations = Object.fromEntries(
      report.rows.map((row) => [
        row.lpaId,
        [row.members, row.willingToSave, row.savingUndeclared, row.attendsMeeting, row.meetingUndeclared],
      ]),
    );
    expect(declarations).toEqual({ [lpaId]: [4, 2, 1, 2, 2], [otherLpaId]: [1, 0, 1, 0, 1] });
    expect(report.about.declarations).toContain('of the members in cover at the end of 2026-07-31');
  });

  it('shows an LPA its own counts, in every format, after the columns it had before', async () => {
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    const answer = await as(app, lpaKey).get('/v1/reports/lpa-progress?from=2026-07-01&to=2026-07-31');
    expect(answer.body.rows).toEqual([
      expect.objectContaining({ lpaId, willingToSave: 2, savingUndeclared: 1, attendsMeeting: 2, meetingUndeclared: 2 }),
    ]);
    const csv = await as(app, lpaKey).get('/v1/reports/lpa-progress?from=2026-07-01&to=2026-07-31&format=csv');
    const [header, row] = csv.text.split('\r\n');
    expect(header).toMatch(
      /,Loan principal outstanding,Willing to save at a bank or cooperative,Saving not declared,At the monthly meeting,Monthly meeting not declared$/,
    );
    expect(row).toMatch(/,2,1,2,2$/);
  });
});
