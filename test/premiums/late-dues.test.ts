import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions, scheduledJobs } from '../../src/app/jobs.ts';
import { closePeriod } from '../../src/ledger/close.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { as, makeKey, publishShippedRules, shippedRules, testActor, testApp, type TestKey } from '../support/api.ts';
import { type TestDatabase, expectEnrolmentYearsInStep, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// What is owed is booked whenever it becomes known: a member entered after
// the month's cycle ran, or dated months back, owes each of those months,
// each booked for its own month at the next run of the cycle.
let database: TestDatabase;
let app: Express;
let lpaId: string;
let lpaKey: TestKey;
let today = '2026-08-01';
let serial = 600;

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  app = testApp(database.db, 64 * 1024, () => today);
  lpaId = await approvedLpa(database.db);
  lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
});

afterAll(async () => {
  await database.close();
});

const cycle = () =>
  jobDefinitions({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => today })['premium-cycle']!;

async function enrolThroughApi(enrolledOn: string): Promise<string> {
  serial += 1;
  const answer = await as(app, lpaKey).post('/v1/participants').send(motorbikeTaxiDriver(serial, { enrolledOn }));
  expect(answer.status).toBe(201);
  return answer.body.participantId as string;
}

const duesOf = async (participantId: string) =>
  (await as(app, lpaKey).get(`/v1/participants/${participantId}/dues`)).body.dues.map(
    (due: { period: string; premium: string; monthOfCover: number }) => [due.period, due.premium, due.monthOfCover],
  );

describe('dues known late', () => {
  it('books a member entered on the 2nd of a month whose cycle ran at the next run, and a member backdated four months four dues', async () => {
    for (const month of ['2026-08', '2026-09', '2026-10', '2026-11']) {
      today = `${month}-01`;
      expect(await cycle().run(month, testActor)).toMatchObject({ ran: true });
    }
    today = '2026-11-02';
    const lateInMonth = await enrolThroughApi('2026-11-02');
    const backdated = await enrolThroughApi('2026-08-10');
    expect(await duesOf(lateInMonth)).toEqual([]);
    // The next run: the same month again, by hand or at the next night's trigger.
    const rerun = await cycle().run('2026-11', testActor);
    expect(rerun).toMatchObject({ ran: true, detail: { booked: 5, bookedLate: 3 } });
    expect(await duesOf(lateInMonth)).toEqual([['2026-11', '6000.00', 1]]);
    expect(await duesOf(backdated)).toEqual([
      ['2026-08', '6000.00', 1],
      ['2026-09', '6000.00', 2],
      ['2026-10', '6000.00', 3],
      ['2026-11', '6000.00', 4],
    ]);
    // Each late month's entry is dated in its month, names it, and is earned with it.
    const entries = await database
      .db('journal_entries')
      .where({ reference_type: 'premium-cycle' })
      .whereILike('description', '%known late%')
      .orderBy('entry_date')
      .select('entry_date', 'reference_id');
    expect(entries).toEqual([
      { entry_date: '2026-08-01', reference_id: '2026-08' },
      { entry_date: '2026-09-01', reference_id: '2026-09' },
      { entry_date: '2026-10-01', reference_id: '2026-10' },
    ]);
    expect(await cycle().run('2026-11', testActor)).toMatchObject({ ran: true, detail: { booked: 0 } });
    expect(await duesOf(backdated)).toHaveLength(4);
    await expectEnrolmentYearsInStep(database.db);
  });

  it('catches up at the next scheduled trigger too, and earns every month once', async () => {
    today = '2026-11-20';
    const entered = await enrolThroughApi('2026-10-05');
    const [trigger] = scheduledJobs({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta' }).filter(
      (job) => job.name === 'premium-cycle',
    );
    await trigger?.runDue(new Date('2026-11-21T02:00:00+07:00'));
    expect(await duesOf(entered)).toEqual([
      ['2026-10', '6000.00', 1],
      ['2026-11', '6000.00', 2],
    ]);
    today = '2026-12-01';
    await trigger?.runDue(new Date('2026-12-01T02:00:00+07:00'));
    // Every due of a month before December is earned once: unearned premium holds December's alone.
    const dues = await database.db('premium_dues').select('period', 'premium');
    const december = dues
      .filter((due) => due.period === '2026-12-01')
      .reduce((sum, due) => sum.plus(amount(due.premium)), amount('0'));
    const all = dues.reduce((sum, due) => sum.plus(amount(due.premium)), amount('0'));
    expect((await findFundAccount(database.db, '2300')).normalBalance).toBe(december.toFixed(2));
    expect((await findFundAccount(database.db, '4100')).normalBalance).toBe(all.minus(december).toFixed(2));
  });

  it('books a due for a closed month in the first open day, keeping the month it is owed for', async () => {
    await closePeriod(database.db, '2026-11', '2026-12-02', testActor);
    today = '2026-12-02';
    const entered = await enrolThroughApi('2026-11-15');
    expect(await cycle().run('2026-12', testActor)).toMatchObject({ ran: true, detail: { booked: 2, bookedLate: 1 } });
    expect(await duesOf(entered)).toEqual([
      ['2026-11', '6000.00', 1],
      ['2026-12', '6000.00', 2],
    ]);
    const november = await database
      .db('journal_entries')
      .where({ reference_type: 'premium-cycle', reference_id: '2026-11' })
      .whereILike('description', '%booked by the cycle of 2026-12%')
      .select('entry_date', 'description');
    expect(november).toEqual([
      {
        entry_date: '2026-12-01',
        description: 'Premiums due for 2026-11 under standalone 2026.1 (known late, booked by the cycle of 2026-12)',
      },
    ]);
    // November's earning was booked before this due was known: its part is earned at once, not left unearned.
    const lateEarned = await database
      .db('journal_entries')
      .whereLike('idempotency_key', 'premium-earned-late:%')
      .whereLike('description', '%(2026-11)')
      .select('entry_date');
    expect(lateEarned).toEqual([{ entry_date: '2026-12-01' }]);
  });

  it('books the 2003 assistance of a member entered late, and earns the months already past at once', async () => {
    const late = await enrolmentSince(database.db, { lpaId, scheme: 'askesos-2003', enrolledOn: '2004-01-10', serial: 690 });
    today = '2004-05-20';
    const run = jobDefinitions({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => today })[
      'premium-cycle'
    ]!;
    await expect(run.run('2004-06', testActor)).rejects.toThrow('premium-cycle 2004-06 has not begun (today is 2004-05-20)');
    const earnedBefore = amount((await findFundAccount(database.db, '4100')).normalBalance);
    const unearnedBefore = amount((await findFundAccount(database.db, '2300')).normalBalance);
    expect(await run.run('2004-05', testActor)).toMatchObject({
      ran: true,
      detail: { booked: 1, bookedLate: 1, premium: '365000.00', noPremiumDue: 4 },
    });
    const [due] = await database
      .db('premium_dues')
      .where({ enrolment_id: late.enrolmentId })
      .select('period', 'premium', 'booked_in');
    expect(due).toEqual({ period: '2004-01-01', premium: '365000.00', booked_in: '2004-05-01' });
    // January to April 2004 are earned with the month's run: 4 of the 36 parts (Rp 10,139 each).
    expect(
      amount((await findFundAccount(database.db, '4100')).normalBalance)
        .minus(earnedBefore)
        .toFixed(2),
    ).toBe('40556.00');
    expect(
      amount((await findFundAccount(database.db, '2300')).normalBalance)
        .minus(unearnedBefore)
        .toFixed(2),
    ).toBe('324444.00');
    expect(await run.run('2004-05', testActor)).toMatchObject({ ran: true, detail: { booked: 0 } });
  });
});

describe('a death learnt late', () => {
  it('cancels the dues booked for the months after the month of death, and the next runs do not book them again', async () => {
    today = '2027-02-20';
    const member = await enrolThroughApi('2027-01-05');
    for (const month of ['2027-01', '2027-02']) expect(await cycle().run(month, testActor)).toMatchObject({ ran: true });
    const finance = await makeKey(database.db, { role: 'finance' });
    const owed = (await findFundAccount(database.db, '1200')).normalBalance;
    expect(
      (
        await as(app, finance)
          .post('/v1/subsidy-receipts')
          .set('Idempotency-Key', 'all-owed')
          .send({ amount: owed, receivedOn: '2027-02-20', reference: 'SP2D-ALL' })
      ).status,
    ).toBe(201);
    const balances = async () =>
      Object.fromEntries(
        await Promise.all(
          ['1200', '1400', '2300', '2600', '4100'].map(async (code) => [
            code,
            (await findFundAccount(database.db, code)).normalBalance,
          ]),
        ),
      );
    const before = await balances();
    // Died on 20 January, reported on 20 February: February's due was booked meanwhile, and its assistance received.
    const death = await as(app, lpaKey)
      .post('/v1/claims')
      .set('Idempotency-Key', 'late-death')
      .send({
        participantId: member,
        claimType: 'death',
        deathCause: 'natural',
        heir: { name: 'Maria Dingu', relation: 'spouse' },
        incidentDate: '2027-01-20',
        reportDate: '2027-02-20',
        documents: ['death-certificate', 'family-card', 'heir-identity-card'].map((kind) => ({
          kind,
          number: `${kind}-1`,
          date: '2027-02-01',
        })),
        payout: { method: 'cash', receivedBy: 'Maria Dingu' },
      });
    expect(death.body).toMatchObject({ status: 'approved' });
    expect(await duesOf(member)).toEqual([['2027-01', '6000.00', 1]]);
    const after = await balances();
    expect(after).toEqual({
      ...before,
      '2300': amount(before['2300'] ?? '0')
        .minus('6000')
        .toFixed(2),
      '2600': amount(before['2600'] ?? '0')
        .plus('6000')
        .toFixed(2),
    });
    today = '2027-03-01';
    expect(await cycle().run('2027-03', testActor)).toMatchObject({ ran: true });
    expect(await duesOf(member)).toEqual([['2027-01', '6000.00', 1]]);
  });
});
