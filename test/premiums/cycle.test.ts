import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import { jobDefinitions, scheduledJobs } from '../../src/app/jobs.ts';
import { closePeriod } from '../../src/ledger/close.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { publishShippedRules, shippedRules, testActor, testToday } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { enrolmentSince } from '../support/enrolment.ts';

let database: TestDatabase;
let lpaId: string;
let serial = 900;
const noProgress = async () => {};

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  lpaId = await approvedLpa(database.db);
});

afterAll(async () => {
  await database.close();
});

async function enrolment(
  scheme: string,
  enrolledOn: string,
  options: { lapsedOn?: string; settledThrough?: string } = {},
): Promise<string> {
  serial += 1;
  return (await enrolmentSince(database.db, { lpaId, scheme, enrolledOn, serial, ...options })).enrolmentId;
}

const duesOf = (period: string) =>
  database
    .db('premium_dues')
    .where({ period: `${period}-01` })
    .orderBy('enrolment_id')
    .select('enrolment_id', 'coverage_year', 'month_of_cover', 'premium', 'subsidy_share', 'own_share', 'rule_version');

const balance = async (code: string) => (await findFundAccount(database.db, code)).normalBalance;

describe('the premium cycle', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // Long-standing members whose months before November earlier cycles settled.
    const settled = { settledThrough: '2026-10' };
    ids.yearOne = await enrolment('standalone', '2026-02-01', settled);
    ids.yearThree = await enrolment('standalone', '2024-03-10', settled);
    ids.yearFour = await enrolment('standalone', '2023-01-05', settled);
    ids.lapsedBefore = await enrolment('standalone', '2026-02-01', { ...settled, lapsedOn: '2026-10-15' });
    ids.lapsedDuring = await enrolment('standalone', '2026-02-01', { ...settled, lapsedOn: '2026-11-20' });
    ids.notYet = await enrolment('standalone', '2026-12-03');
    ids.died = await enrolment('standalone', '2026-02-01', settled);
    const participantId = await database.db('enrolments').where({ id: ids.died }).first('participant_id');
    const { claim } = await submitClaim(
      database.db,
      shippedRules,
      {
        lpaId,
        claim: newClaimSchema.parse({
          participantId: participantId.participant_id,
          claimType: 'death',
          deathCause: 'natural',
          heir: { name: 'Maria Dingu', relation: 'spouse' },
          incidentDate: '2026-10-20',
          reportDate: '2026-10-21',
          payout: { method: 'cash', receivedBy: 'Maria Dingu' },
        }),
        idempotencyKey: 'premium-cycle-death',
        today: testToday,
        defaultScheme: 'standalone',
        fieldPrefix: '',
      },
      testActor,
    );
    expect(claim.status).toBe('approved');
  });

  it('books each enrolment in cover once, split by coverage year, against unearned premium', async () => {
    const summary = await runPremiumCycle(database.db, shippedRules, '2026-11', testActor, noProgress);
    expect(summary).toEqual({
      period: '2026-11',
      booked: 4,
      premium: '24000.00',
      subsidy: '15000.00',
      own: '9000.00',
      bookedLate: 0,
      noPremiumDue: 0,
      noRulesInForce: 0,
      lapsedForArrears: 0,
      remindedOfArrears: 0,
      endedWithScheme: 0,
      earned: [],
    });
    const dues = Object.fromEntries((await duesOf('2026-11')).map((due) => [due.enrolment_id, due]));
    expect(dues[ids.yearOne ?? '']).toMatchObject({
      coverage_year: 1,
      month_of_cover: 10,
      subsidy_share: '6000.00',
      own_share: '0.00',
    });
    expect(dues[ids.yearThree ?? '']).toMatchObject({
      coverage_year: 3,
      month_of_cover: 33,
      subsidy_share: '3000.00',
      own_share: '3000.00',
    });
    expect(dues[ids.yearFour ?? '']).toMatchObject({
      coverage_year: 4,
      month_of_cover: 47,
      subsidy_share: '0.00',
      own_share: '6000.00',
    });
    expect(dues[ids.lapsedDuring ?? '']).toMatchObject({ rule_version: '2026.1' });
    expect(Object.keys(dues)).not.toContain(ids.lapsedBefore);
    expect(Object.keys(dues)).not.toContain(ids.notYet);
    expect(Object.keys(dues)).not.toContain(ids.died);
    expect([await balance('1200'), await balance('1400'), await balance('2300')]).toEqual(['15000.00', '9000.00', '24000.00']);

    const again = await runPremiumCycle(database.db, shippedRules, '2026-11', testActor, noProgress);
    expect(again).toMatchObject({ booked: 0, premium: '0.00', earned: [] });
    expect(await balance('2300')).toBe('24000.00');
  });

  it('earns last month’s premium when the next month is booked, once, under the rules in force for each month', async () => {
    const summary = await runPremiumCycle(database.db, shippedRules, '2026-12', testActor, noProgress);
    // The one lapsed in November is not in cover; the one enrolled on 3 December is, in its first month.
    expect(summary).toMatchObject({ booked: 4, earned: [{ period: '2026-11', premium: '24000.00' }] });
    expect(new Set((await duesOf('2026-12')).map((due) => due.rule_version))).toEqual(new Set(['2026.2']));
    expect(await balance('4100')).toBe('24000.00');
    expect((await runPremiumCycle(database.db, shippedRules, '2026-12', testActor, noProgress)).earned).toEqual([]);
    expect(await balance('4100')).toBe('24000.00');
  });

  it('follows the New Initiative: twelve subsidised months of Rp 10,400, then the participant pays, until the scheme ends', async () => {
    const member = await enrolment('askesos-ni-2012', '2013-06-01', { settledThrough: '2014-02' });
    expect(await runPremiumCycle(database.db, shippedRules, '2014-03', testActor, noProgress)).toMatchObject({
      booked: 1,
      subsidy: '10400.00',
      own: '0.00',
    });
    // Months 11 and 12 subsidised, 13 and 14 self-paid, each booked for its own month.
    expect(await runPremiumCycle(database.db, shippedRules, '2014-07', testActor, noProgress)).toMatchObject({
      booked: 4,
      subsidy: '20800.00',
      own: '20800.00',
      earned: ['2014-03', '2014-04', '2014-05', '2014-06'].map((period) => ({ period, premium: '10400.00' })),
    });
    expect((await duesOf('2014-07')).map((due) => [due.enrolment_id, due.month_of_cover, due.rule_version])).toEqual([
      [member, 14, '2013.1'],
    ]);
    // The scheme ends on 30 June 2015: June is the last month owed, and cover ends the day after.
    expect(await runPremiumCycle(database.db, shippedRules, '2015-09', testActor, noProgress)).toMatchObject({
      booked: 11,
      own: '114400.00',
      endedWithScheme: 1,
      noRulesInForce: 0,
    });
    const dues = await database.db('premium_dues').where({ enrolment_id: member }).orderBy('period').pluck('period');
    expect([dues[0], dues.at(-1), dues.length]).toEqual(['2014-03-01', '2015-06-01', 16]);
    expect(
      await database.db('cover_lapses').where({ enrolment_id: member }).select('reason', 'lapsed_on', 'rule_version'),
    ).toEqual([{ reason: 'scheme-ended', lapsed_on: '2015-07-01', rule_version: '2013.1' }]);
    expect(await runPremiumCycle(database.db, shippedRules, '2015-10', testActor, noProgress)).toMatchObject({
      booked: 0,
      endedWithScheme: 0,
    });
  });

  it('books the 2003 assistance once and earns it over its three years, to the rupiah', async () => {
    await enrolment('askesos-2003', '2004-01-10');
    expect(await runPremiumCycle(database.db, shippedRules, '2004-01', testActor, noProgress)).toMatchObject({
      booked: 1,
      premium: '365000.00',
      subsidy: '365000.00',
      own: '0.00',
    });
    const february = await runPremiumCycle(database.db, shippedRules, '2004-02', testActor, noProgress);
    // Rp 365,000 over 36 months in whole rupiah: 32 months of Rp 10,139 and 4 of Rp 10,138.
    expect(february).toMatchObject({ booked: 0, noPremiumDue: 1, earned: [{ period: '2004-01', premium: '10139.00' }] });
    // March 2004 to March 2007 owe nothing more: 37 months the assistance covered.
    const later = await runPremiumCycle(database.db, shippedRules, '2007-03', testActor, noProgress);
    expect(later).toMatchObject({ booked: 0, noPremiumDue: 37 });
    expect(later.earned.map((month) => month.period)).toEqual(
      Array.from(
        { length: 35 },
        (_, index) => `${2004 + Math.floor((index + 1) / 12)}-${String(((index + 1) % 12) + 1).padStart(2, '0')}`,
      ),
    );
    expect(later.earned.at(-1)).toEqual({ period: '2006-12', premium: '10138.00' });
    const total = [...february.earned, ...later.earned].reduce((sum, month) => sum.plus(amount(month.premium)), amount('0'));
    expect(total.toFixed(2)).toBe('365000.00');
  });
});

describe('a cycle cut off half-way', () => {
  it('resumes where it stopped and books every enrolment exactly once', async () => {
    const enrolments = [];
    for (let index = 0; index < 7; index += 1)
      enrolments.push(await enrolment('standalone', '2026-03-01', { settledThrough: '2026-12' }));
    const unlucky = [...enrolments].sort()[4];
    await database.db.raw(`
      create function fail_one_due() returns trigger language plpgsql as $$
      begin raise exception 'power cut while booking premiums'; end $$`);
    await database.db.raw(
      `create trigger fail_one_due before insert on premium_dues for each row when (new.enrolment_id = '${unlucky}' and new.period = '2027-01-01') execute function fail_one_due()`,
    );
    try {
      await expect(runPremiumCycle(database.db, shippedRules, '2027-01', testActor, noProgress, 2)).rejects.toThrow(
        'power cut while booking premiums',
      );
    } finally {
      await database.db.raw('drop trigger fail_one_due on premium_dues');
      await database.db.raw('drop function fail_one_due()');
    }
    const before = await duesOf('2027-01');
    expect(before.length).toBeGreaterThan(0);
    const resumed = await runPremiumCycle(database.db, shippedRules, '2027-01', testActor, noProgress, 2);
    const after = await duesOf('2027-01');
    expect(before.length + resumed.booked).toBe(after.length);
    expect(new Set(after.map((due) => due.enrolment_id)).size).toBe(after.length);
    expect(after.map((due) => due.enrolment_id)).toEqual(expect.arrayContaining(enrolments));
    const booked = await database
      .db('journal_entries')
      .where({ reference_type: 'premium-cycle', reference_id: '2027-01' })
      .pluck('id');
    const postedToUnearned = await database
      .db('journal_postings')
      .join('ledger_accounts', 'ledger_accounts.id', 'journal_postings.account_id')
      .whereIn('journal_postings.entry_id', booked)
      .where('ledger_accounts.code', '2300')
      .sum({ total: 'journal_postings.amount' })
      .first();
    const duesTotal = after.reduce((sum, due) => sum.plus(amount(due.premium)), amount('0'));
    expect(amount(String(postedToUnearned?.total)).negated().toFixed(2)).toBe(duesTotal.toFixed(2));
  });

  it('runs a month again as often as triggered, booking only what became known since, and never a month not begun', async () => {
    const job = jobDefinitions({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => '2027-02-10' })[
      'premium-cycle'
    ]!;
    expect(await job.run('2027-02', testActor)).toMatchObject({ ran: true, detail: { booked: expect.any(Number) } });
    expect(await job.run('2027-02', testActor)).toMatchObject({ ran: true, detail: { booked: 0 } });
    await expect(job.run('2027-03', testActor)).rejects.toThrow('premium-cycle 2027-03 has not begun (today is 2027-02-10)');
    expect(await database.db('job_runs').where({ job: 'premium-cycle', period: '2027-03' }).first()).toBeUndefined();
  });

  it('catches up at start every month missed since the last one done, oldest first', async () => {
    const [cycle] = scheduledJobs({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta' }).filter(
      (job) => job.name === 'premium-cycle',
    );
    await cycle?.runDue(new Date('2027-05-10T03:00:00Z'));
    const runs = await database
      .db('job_runs')
      .where({ job: 'premium-cycle' })
      .where('period', '>=', '2027-02')
      .orderBy('started_at')
      .select('period', 'status');
    expect(runs).toEqual(['2027-02', '2027-03', '2027-04', '2027-05'].map((period) => ({ period, status: 'done' })));
    await cycle?.runDue(new Date('2027-05-20T03:00:00Z'));
    expect(
      await database.db('job_runs').where({ job: 'premium-cycle' }).where('period', '>=', '2027-02').count({ count: '*' }),
    ).toEqual([{ count: '4' }]);
  });

  it('books a month run after the ledger closed it on the first open day, and earns the month before there too', async () => {
    await closePeriod(database.db, '2027-06', '2027-07-15', testActor);
    const june = await runPremiumCycle(database.db, shippedRules, '2027-06', testActor, noProgress);
    expect(june.booked).toBeGreaterThan(0);
    expect(june.earned.map((month) => month.period)).toEqual(['2027-05']);
    const dates = await database
      .db('journal_entries')
      .where({ reference_type: 'premium-cycle', reference_id: '2027-06' })
      .orWhere({ reference_type: 'premium-earned', reference_id: '2027-05' })
      .distinct()
      .pluck('entry_date');
    expect(dates).toEqual(['2027-07-01']);
  });
});
