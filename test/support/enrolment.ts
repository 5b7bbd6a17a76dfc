import { expect } from 'vitest';
import { addMonths } from '../../src/dates.ts';
import type { Db } from '../../src/db/knex.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { shippedRules, testActor, testToday } from './api.ts';
import { declaredForNewInitiative, motorbikeTaxiDriver } from './people.ts';

// An enrolment as it stands: enrolled under a scheme, then moved to the day
// it began (long-standing members were enrolled before today's rules
// existed), lapsed on a day if given, and with its dues settled through a
// month (YYYY-MM) if given, as earlier cycles would have left it; otherwise
// the next cycle books every month it owes since it began. Its mandatory
// savings dues likewise, through savingsSettledThrough, as earlier
// savings-dues runs would have left them.
export async function enrolmentSince(
  db: Db,
  options: {
    lpaId: string;
    scheme: string;
    enrolledOn: string;
    serial: number;
    lapsedOn?: string;
    settledThrough?: string;
    savingsSettledThrough?: string;
  },
): Promise<{ enrolmentId: string; participantId: string }> {
  const { lpaId, scheme, enrolledOn, serial, lapsedOn, settledThrough, savingsSettledThrough } = options;
  const decidedOn = scheme === 'standalone' ? '2026-02-01' : enrolledOn;
  // Eligible under every scheme, the New Initiative's declarations included.
  const input = participantInputSchema.parse(motorbikeTaxiDriver(serial, { enrolledOn: decidedOn, ...declaredForNewInitiative }));
  const { enrolment, participantId } = await enrolParticipant(
    db,
    shippedRules,
    { scheme, lpaId, input, today: testToday, fieldPrefix: '' },
    testActor,
  );
  expect(enrolment.status).toBe('active');
  await db('enrolments')
    .where({ id: enrolment.id })
    .update({
      enrolled_on: enrolledOn,
      ...(lapsedOn === undefined ? {} : { status: 'lapsed', lapsed_on: lapsedOn }),
      ...(settledThrough === undefined ? {} : { dues_through: `${settledThrough}-01` }),
    });
  if (savingsSettledThrough !== undefined)
    await db('savings_dues_settled').insert({ enrolment_id: enrolment.id, dues_through: `${savingsSettledThrough}-01` });
  return { enrolmentId: enrolment.id, participantId };
}

// The premium cycle of each month from one month through another (YYYY-MM),
// as the scheduler would have run them.
export async function runPremiumCycles(db: Db, from: string, through: string): Promise<void> {
  for (let period = from; period <= through; period = addMonths(period, 1))
    await runPremiumCycle(db, shippedRules, period, testActor, async () => {});
}

// A cohort of the 2012 scheme enrolled in mid-January 2013, its first
// `lapsing` members lapsed when 2014 began (when premium assistance ended).
export async function cohortOf2012(
  db: Db,
  options: { lpaId: string; size: number; serialFrom: number; lapsing: number },
): Promise<{ enrolmentId: string; participantId: string }[]> {
  const members = [];
  for (let index = 0; index < options.size; index += 1)
    members.push(
      await enrolmentSince(db, {
        lpaId: options.lpaId,
        scheme: 'askesos-ni-2012',
        enrolledOn: '2013-01-15',
        serial: options.serialFrom + index,
        ...(index < options.lapsing ? { lapsedOn: '2014-01-01' } : {}),
      }),
    );
  return members;
}
