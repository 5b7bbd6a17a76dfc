import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/knex.ts';
import { jobDefinitions, scheduledJobs, scheduleSettings } from '../../src/app/jobs.ts';
import { loadConfig } from '../../src/config.ts';
import { as, makeKey, publishShippedRules, shippedRules, testActor, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';

// Three service processes on one database, each with its scheduler on. On
// PostgreSQL each replica has its own connection pool, as separate processes
// would; PGlite is one process's database, so there the three share it.
let database: TestDatabase;
let replicas: Database[];
const enrolmentsCount = 12;

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  const lpaId = await approvedLpa(database.db);
  for (let serial = 1; serial <= enrolmentsCount; serial += 1)
    await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2026-03-01',
      serial,
      settledThrough: '2026-12',
    });
  replicas =
    database.url === null
      ? [database, database, database]
      : await Promise.all([1, 2, 3].map(() => openDatabase({ backend: 'postgres', url: database.url ?? '', poolMax: 4 })));
});

afterAll(async () => {
  if (database.url !== null) await Promise.all(replicas.map((replica) => replica.close()));
  await database.close();
});

// Run by hand on 15 July 2027; a scheduled trigger's day is its own.
const deps = (replica: Database) => ({ db: replica.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => '2027-07-15' });

describe('three replicas with the scheduler on', () => {
  it('run each job period once when the same cron tick fires in all three', async () => {
    const outcomes = await Promise.all(
      replicas.flatMap((replica) => [1, 2].map(() => jobDefinitions(deps(replica))['premium-cycle']!.run('2027-01', testActor))),
    );
    expect(outcomes.filter((outcome) => outcome.ran)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ran).map((outcome) => outcome.ran === false && outcome.why)).toEqual(
      expect.arrayContaining(['running']),
    );
    expect(await database.db('premium_dues').where({ period: '2027-01-01' }).count({ count: '*' })).toEqual([
      { count: String(enrolmentsCount) },
    ]);
  });

  it('catch up the months missed while all were down, each month once and in order, when all three start together', async () => {
    const now = new Date('2027-05-10T03:00:00Z');
    await Promise.all(replicas.map((replica) => Promise.all(scheduledJobs(deps(replica)).map((job) => job.runDue(now)))));
    // A replica that found the job held stopped; the holder ran every month.
    // A job that follows another (the honorarium the cycle, the reports the
    // honorarium) takes what was done when it looked: the next triggers
    // finish the chain, and then find nothing left to do.
    const runsCount = async () => (await database.db('job_runs').count<{ count: string }[]>({ count: '*' }))[0]?.count;
    for (let trigger = 0; trigger < 3; trigger += 1)
      await Promise.all(replicas.map((replica) => Promise.all(scheduledJobs(deps(replica)).map((job) => job.runDue(now)))));
    const settled = await runsCount();
    await Promise.all(replicas.map((replica) => Promise.all(scheduledJobs(deps(replica)).map((job) => job.runDue(now)))));
    expect(await runsCount()).toBe(settled);
    const runs = await database.db('job_runs').orderBy(['job', 'period']).select('job', 'period', 'status');
    expect(runs).toEqual([
      { job: 'eligibility-recheck', period: '2027-05-10', status: 'done' },
      { job: 'loan-arrears', period: '2027-05-10', status: 'done' },
      // The honorarium follows each month whose dues are booked.
      ...['lpa-honorarium'].flatMap((job) =>
        ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05'].map((period) => ({ job, period, status: 'done' })),
      ),
      // The reports are kept for each month over.
      ...['2027-01', '2027-02', '2027-03', '2027-04'].map((period) => ({ job: 'monthly-reports', period, status: 'done' })),
      ...['2027-01', '2027-02', '2027-03', '2027-04', '2027-05'].map((period) => ({
        job: 'premium-cycle',
        period,
        status: 'done',
      })),
      // Savings dues began with this service: from today's month on.
      { job: 'savings-dues', period: '2027-05', status: 'done' },
    ]);
    const dues = await database
      .db('premium_dues')
      .groupBy('period')
      .orderBy('period')
      .select<{ period: string; count: string }[]>('period', database.db.raw('count(*) as count'));
    expect(dues).toEqual(
      ['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01', '2027-05-01'].map((period) => ({
        period,
        count: String(enrolmentsCount),
      })),
    );
    // Each month before May earned once, the whole of its premiums.
    const earned = await database
      .db('journal_entries')
      .where({ reference_type: 'premium-earned' })
      .orderBy('reference_id')
      .pluck('reference_id');
    expect(earned).toEqual(['2027-01', '2027-02', '2027-03', '2027-04']);
  });

  it('refuse a month run by hand before the month before it is done', async () => {
    await expect(jobDefinitions(deps(replicas[0]!))['premium-cycle']!.run('2027-07', testActor)).rejects.toThrow(
      'premium-cycle 2027-07 needs 2027-06 done first; the last month done before it is 2027-05',
    );
    const failed = await database.db('job_runs').where({ job: 'premium-cycle', period: '2027-07' }).first('status', 'failure');
    expect(failed).toMatchObject({ status: 'failed' });
    expect(await database.db('premium_dues').where({ period: '2027-07-01' }).count({ count: '*' })).toEqual([{ count: '0' }]);
  });

  it('are shown to operators at GET /v1/jobs/runs, newest first, and to no LPA', async () => {
    const app = testApp(database.db);
    const finance = await makeKey(database.db, { role: 'finance' });
    const answer = await as(app, finance).get('/v1/jobs/runs?job=premium-cycle&limit=2');
    expect(answer.status).toBe(200);
    expect(answer.body.runs).toEqual([
      expect.objectContaining({
        job: 'premium-cycle',
        period: '2027-07',
        status: 'failed',
        failure: expect.stringContaining('2027-06'),
      }),
      expect.objectContaining({
        job: 'premium-cycle',
        period: '2027-05',
        status: 'done',
        // Run again by each trigger after the first, it found nothing new to book.
        detail: expect.objectContaining({ period: '2027-05', booked: 0 }),
      }),
    ]);
    const badLimit = await as(app, finance).get('/v1/jobs/runs?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(badLimit.body)).toContain('limit');
    const lpa = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db) });
    expect((await as(app, lpa).get('/v1/jobs/runs')).status).toBe(403);
  });

  it('take their schedules from configuration, each job its own', () => {
    const schedules = scheduleSettings(loadConfig({ SCHEDULE_PREMIUM_CYCLE: '30 3 1 * *' }));
    const jobs = scheduledJobs({ ...deps(database), schedules });
    expect(jobs.map((job) => [job.name, job.cronExpression])).toEqual([
      ['eligibility-recheck', '0 1 * * *'],
      ['premium-cycle', '30 3 1 * *'],
      ['savings-dues', '0 4 * * *'],
      ['loan-arrears', '30 1 * * *'],
      ['lpa-honorarium', '30 3 * * *'],
      ['monthly-reports', '0 5 * * *'],
    ]);
  });
});
