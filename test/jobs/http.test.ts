import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Express } from 'express';
import { type TestKey, as, makeKey, testToday } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';

// The eligibility re-check, held: it waits to be let begin, reports half its
// work, says so, and waits to be let go before doing the real re-check.
// Everything else (the registry, the lock, the run record) is the service's own.
const held = vi.hoisted(() => {
  const latch = () => {
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { opened, open: () => open() };
  };
  return { begun: latch(), reported: latch(), released: latch() };
});
vi.mock('../../src/registry/recheck.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/registry/recheck.ts')>();
  return {
    ...actual,
    recheckEligibility: async (...args: Parameters<typeof actual.recheckEligibility>) => {
      await held.begun.opened;
      await args[4]({ done: 1, total: 2 });
      held.reported.open();
      await held.released.opened;
      return actual.recheckEligibility(...args);
    },
  };
});

let database: TestDatabase;
let app: Express;
let finance: TestKey;
let directorate: TestKey;
let auditor: TestKey;
let lpaKey: TestKey;
const runId = `eligibility-recheck:${testToday}`;

beforeAll(async () => {
  ({ database, app, lpaKey } = await openLpaFixture(() => testToday));
  finance = await makeKey(database.db, { role: 'finance' });
  directorate = await makeKey(database.db, { role: 'directorate' });
  auditor = await makeKey(database.db, { role: 'auditor' });
});
afterAll(async () => database.close());

const start = (key: TestKey, job: string, body: unknown) =>
  as(app, key)
    .post(`/v1/jobs/${job}/runs`)
    .send(body as object);

// A run is at work until its finishedAt is set (a done period run again
// stays done meanwhile). Each request lets the run's own work proceed
// between them; the loop is bounded so a run that never ends fails the test
// instead of hanging it.
async function finished(id: string) {
  for (let poll = 0; poll < 1_000; poll += 1) {
    const run = await as(app, finance).get(`/v1/jobs/runs/${id}`);
    if (run.body.finishedAt !== null) return run;
  }
  throw new Error(`${id} is still at work after 1,000 polls`);
}

describe('a job started over HTTP', () => {
  it('answers 202 with the run, runs while the service answers other requests, refuses a second start, then finishes with its summary', async () => {
    const started = await start(finance, 'eligibility-recheck', { period: testToday });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/v1/jobs/runs/${runId}`);
    expect(started.body).toMatchObject({
      id: runId,
      job: 'eligibility-recheck',
      period: testToday,
      status: 'running',
      progress: { done: 0, total: null },
      finishedAt: null,
    });

    // The job is held inside its work: whatever the service answers now, it answers during the run.
    held.begun.open();
    await held.reported.opened;
    expect((await as(app, null).get('/healthz')).status).toBe(200);
    const during = await as(app, auditor).get(started.headers.location as string);
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ id: runId, status: 'running', progress: { done: 1, total: 2 } });

    const second = await start(directorate, 'eligibility-recheck', { period: testToday });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.headers['retry-after']).toBe('30');
    expect(second.body.type).toBe('urn:askesos:problem:job-running');
    expect(second.body.detail).toContain('eligibility-recheck is running');

    held.released.open();
    const done = await finished(runId);
    expect(done.body).toMatchObject({
      id: runId,
      status: 'done',
      progress: null,
      failure: null,
      detail: { date: testToday, checked: 0, kept: 0, lapsed: 0, noRulesInForce: 0 },
    });
    expect(done.body.finishedAt).not.toBeNull();

    const listed = await as(app, finance).get('/v1/jobs/runs?job=eligibility-recheck');
    expect(listed.body.runs).toEqual([done.body]);
  });

  it('answers a period already done with 200 and its finished run, running nothing', async () => {
    const before = await as(app, finance).get(`/v1/jobs/runs/${runId}`);
    const again = await start(directorate, 'eligibility-recheck', { period: testToday });
    expect(again.status).toBe(200);
    expect(again.headers.location).toBe(`/v1/jobs/runs/${runId}`);
    expect(again.body).toEqual(before.body);
  });

  it('runs a month of a job that books what became known again (premium-cycle): 202 each time, the run staying done', async () => {
    const first = await start(finance, 'premium-cycle', { period: '2026-11' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: 'premium-cycle:2026-11', status: 'running' });
    const done = await finished('premium-cycle:2026-11');
    expect(done.body).toMatchObject({ status: 'done', progress: null, detail: { booked: 0 } });

    const again = await start(directorate, 'premium-cycle', { period: '2026-11' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: 'premium-cycle:2026-11', status: 'done' });
    const doneAgain = await finished('premium-cycle:2026-11');
    expect(doneAgain.body).toMatchObject({ status: 'done', progress: null, failure: null, detail: { booked: 0 } });
    expect(doneAgain.body.finishedAt >= done.body.finishedAt).toBe(true);
  });

  it('refuses the LPA key with 403, an unknown job with 404, a bad period with 400 naming body.period, a period not begun with 422', async () => {
    expect((await start(lpaKey, 'eligibility-recheck', { period: testToday })).status).toBe(403);
    expect((await start(auditor, 'eligibility-recheck', { period: testToday })).status).toBe(403);

    const unknown = await start(finance, 'month-end-party', { period: '2026-11' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('month-end-party');

    const monthForADay = await start(finance, 'eligibility-recheck', { period: '2026-11' });
    expect(monthForADay.status).toBe(400);
    expect(monthForADay.body.errors).toEqual([{ field: 'body.period', message: 'must be a day as YYYY-MM-DD, e.g. 2027-01-31' }]);
    const missing = await start(finance, 'premium-cycle', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((issue: { field: string }) => issue.field)).toEqual(['body.period']);

    const future = await start(finance, 'premium-cycle', { period: '2026-12' });
    expect(future.status).toBe(422);
    expect(future.body.type).toBe('urn:askesos:problem:period_not_begun');
    expect(await database.db('job_runs').where({ job: 'premium-cycle', period: '2026-12' }).first()).toBeUndefined();
  });

  it('answers an unknown run with 404 and a malformed id with 400', async () => {
    expect((await as(app, finance).get('/v1/jobs/runs/premium-cycle:2020-01')).status).toBe(404);
    const malformed = await as(app, finance).get('/v1/jobs/runs/premium-cycle');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((issue: { field: string }) => issue.field)).toEqual(['params.id']);
  });
});

describe('GET /v1/jobs', () => {
  it('lists every job with its schedule, period grammar and last period done, as `askesos jobs list` does', async () => {
    const response = await as(app, auditor).get('/v1/jobs');
    expect(response.status).toBe(200);
    const jobs = response.body.jobs as { name: string }[];
    expect(jobs.map((job) => job.name).sort()).toEqual([
      'eligibility-recheck',
      'loan-arrears',
      'lpa-honorarium',
      'monthly-reports',
      'premium-cycle',
      'savings-dues',
    ]);
    expect(jobs.find((job) => job.name === 'eligibility-recheck')).toMatchObject({
      schedule: '0 1 * * *',
      timezone: 'Asia/Jakarta',
      period: { kind: 'day', format: 'YYYY-MM-DD', example: '2027-01-31' },
      lastDone: testToday,
    });
    expect(jobs.find((job) => job.name === 'premium-cycle')).toMatchObject({
      period: { kind: 'month', format: 'YYYY-MM', example: '2027-01' },
      lastDone: '2026-11',
    });
    expect(jobs.find((job) => job.name === 'monthly-reports')).toMatchObject({ lastDone: null });
  });
});
