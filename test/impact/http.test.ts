import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdProcessLock } from '../../src/db/session-lock.ts';
import { insertImpactRun } from '../../src/impact/run-store.ts';
import { interruptedError } from '../../src/impact/runs.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { type ReportTable, toCsv } from '../../src/shared/table.ts';
import { type TestKey, as, makeKey, testApp } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import type { ScratchRules } from '../rules/support.ts';
import { gunungMasPortfolio, proposedName, replayedOn, rulesWithProposal } from './support.ts';

// The impact of raising the accident allowance from Rp 500,000 to Rp 600,000
// (test/impact/impact.test.ts works its figures out), asked for over HTTP of a
// service whose rules folder holds that draft beside the published versions.
let scratch: ScratchRules;
let database: TestDatabase;
let app: Express;
let lpaKey: TestKey;
let directorate: TestKey;
let finance: TestKey;
let auditor: TestKey;

type Row = Record<string, string | number | null>;
interface RunBody {
  id: string;
  status: string;
  progress: { done: number; total: number | null } | null;
  error: string | null;
  finishedAt: string | null;
  result: (ReportTable & { rows: Row[] }) | null;
}

beforeAll(async () => {
  scratch = rulesWithProposal({ accidentAllowance: '600000.00' });
  // A draft that does not load: its manifest names another version than its folder.
  scratch.copyVersion('standalone', '2027.3', '2027.8');
  const rules = { book: loadRuleBook(scratch.dir), dir: scratch.dir };
  let lpaId: string;
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => replayedOn, rules));
  await gunungMasPortfolio(database.db, lpaId);
  directorate = await makeKey(database.db, { role: 'directorate' });
  finance = await makeKey(database.db, { role: 'finance' });
  auditor = await makeKey(database.db, { role: 'auditor' });
});

afterAll(async () => {
  await database.close();
  scratch.dispose();
});

const runPath = (id: string) => `/v1/rules/impact-runs/${id}`;

// Polls as a client would, until the run is no longer running.
async function settled(id: string, key: TestKey = directorate): Promise<RunBody> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await as(app, key).get(runPath(id));
    expect(response.status).toBe(200);
    const run = response.body as RunBody;
    if (run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`impact run ${id} still running`);
}

// A run as a process that stopped mid-run leaves it: running, with no lock held for it.
const leftRunning = async (id: string) =>
  database.db.transaction((trx) =>
    insertImpactRun(trx, {
      id,
      scheme: 'standalone',
      version: proposedName,
      versionHash: 'a'.repeat(64),
      today: replayedOn,
      requestedBy: 'key:directorate test key',
    }),
  );

const startRun = (key: TestKey, version: string, body?: object) => {
  const post = as(app, key).post(`/v1/rules/standalone/${version}/impact`);
  return body === undefined ? post : post.send(body);
};

describe('the impact of a draft over HTTP', () => {
  let run: RunBody;

  beforeAll(async () => {
    const started = await startRun(directorate, proposedName, { today: replayedOn });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(runPath(started.body.id));
    expect(started.body).toMatchObject({
      scheme: 'standalone',
      version: proposedName,
      today: replayedOn,
      status: 'running',
      progress: null,
      error: null,
      requestedBy: 'key:directorate test key',
      finishedAt: null,
    });
    run = await settled(started.body.id);
  });

  it('runs in the background and answers the impact table of the CLI once it has succeeded', () => {
    expect(run).toMatchObject({ status: 'succeeded', error: null, progress: { done: 8, total: 8 } });
    expect(run.finishedAt).not.toBeNull();
    const rows = run.result?.rows ?? [];
    // Three people decided and five claims replayed: eight read.
    expect(rows.find((row) => row.section === 'claims' && row.by === 'all')).toMatchObject({
      count: 5,
      changed: 3,
      inForce: '2000000.00',
      proposed: '2300000.00',
      delta: '300000.00',
    });
    expect(rows.find((row) => row.measure === 'expectedClaims' && row.group === '2027-08')).toMatchObject({
      inForce: '166667.00',
      proposed: '191667.00',
      delta: '25000.00',
    });
    expect(rows.filter((row) => row.measure === 'stateBudget').map((row) => row.delta)).toEqual(Array(12).fill('0.00'));
  });

  it('downloads the same rows as CSV and as a spreadsheet', async () => {
    const csv = await as(app, finance).get(`${runPath(run.id)}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="impact-standalone-${proposedName}-${replayedOn}.csv"`);
    expect(csv.text).toBe(toCsv(run.result as ReportTable));
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength((run.result?.rows.length ?? 0) + 1);
    const xlsx = await as(app, finance)
      .get(`${runPath(run.id)}?format=xlsx`)
      .buffer(true);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('lists runs newest first, without their tables', async () => {
    const listed = await as(app, finance).get('/v1/rules/impact-runs?limit=5');
    expect(listed.status).toBe(200);
    const runs = listed.body.runs as (RunBody & { startedAt: string })[];
    expect(runs.map((entry) => entry.id)).toContain(run.id);
    expect(runs.every((entry) => !('result' in entry))).toBe(true);
    const started = runs.map((entry) => entry.startedAt);
    expect(started).toEqual([...started].sort().reverse());
  });

  it('records who asked for it in the audit log', async () => {
    const entry = await database.db('audit_log').where({ entity_id: run.id }).first('action', 'actor', 'detail');
    expect(entry).toMatchObject({
      action: 'impact-run.request',
      actor: 'key:directorate test key',
      detail: { scheme: 'standalone', version: proposedName, today: replayedOn },
    });
  });
});

describe('asking for an impact', () => {
  it('may send no body at all: the run replays as of the service’s today', async () => {
    const started = await startRun(finance, proposedName);
    expect(started.status).toBe(202);
    expect(started.body.today).toBe(replayedOn);
    expect((await settled(started.body.id)).status).toBe('succeeded');
  });

  it('is for the directorate and finance: an LPA key or an auditor is refused', async () => {
    for (const key of [lpaKey, auditor]) {
      expect((await startRun(key, proposedName, {})).status).toBe(403);
      expect((await as(app, key).get('/v1/rules/impact-runs')).status).toBe(403);
      expect((await as(app, key).get(runPath('00000000-0000-4000-8000-000000000000'))).status).toBe(403);
    }
  });

  it('answers 404 for a version or scheme with no folder, and for a run that does not exist', async () => {
    const version = await startRun(directorate, '2099.1', {});
    expect(version.status).toBe(404);
    expect(version.body.detail).toContain('standalone/2099.1');
    expect((await as(app, directorate).post('/v1/rules/nowhere/2027.3/impact').send({})).status).toBe(404);
    expect((await as(app, directorate).get(runPath('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('refuses a draft whose rule files do not load with 422, naming each problem', async () => {
    const response = await startRun(directorate, '2027.8', {});
    expect(response.status).toBe(422);
    expect(response.body.type).toBe('urn:askesos:problem:rule-set-invalid');
    expect(response.body.detail).toContain('$.version: must be "2027.8", the name of its folder');
  });

  it('refuses a day after today, a malformed day and a folder name that is a path, by field', async () => {
    const future = await startRun(directorate, proposedName, { today: '2027-07-16' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ field: 'body.today', message: `must not be after today (${replayedOn})` }]);
    expect((await startRun(directorate, proposedName, { today: '15-07-2027' })).body.errors).toContainEqual({
      field: 'body.today',
      message: 'must be a date as YYYY-MM-DD',
    });
    expect((await startRun(directorate, '..', {})).status).toBe(400);
  });
});

describe('a run that fails', () => {
  it('keeps the error’s message, without its stack, and has no table to download', async () => {
    // No standalone version was in force in 2025.
    const started = await startRun(directorate, proposedName, { today: '2025-06-01' });
    expect(started.status).toBe(202);
    const run = await settled(started.body.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/standalone/);
    expect(run.error).not.toMatch(/\n\s+at /);
    expect(run.result).toBeNull();
    const csv = await as(app, directorate).get(`${runPath(run.id)}?format=csv`);
    expect(csv.status).toBe(409);
    expect(csv.body.type).toBe('urn:askesos:problem:impact-run-not-succeeded');
  });
});

describe('a run whose process stopped', () => {
  it('shows as failed, interrupted by a restart, to the service started after it', async () => {
    const id = '6d1c1f6e-0000-4000-8000-000000000001';
    await leftRunning(id);
    const restarted = testApp(database.db, undefined, () => replayedOn, undefined, undefined, scratch.dir);
    const response = await request(restarted).get(runPath(id)).set('Authorization', `Bearer ${directorate.secret}`);
    expect(response.body).toMatchObject({ status: 'failed', error: interruptedError, result: null });
    expect(response.body.finishedAt).not.toBeNull();
    expect(await database.db('impact_runs').where({ id }).first('status')).toEqual({ status: 'failed' });
  });

  it('is told from one still at work by the lock its runner holds, in the list too', async () => {
    const [working, stopped] = ['6d1c1f6e-0000-4000-8000-000000000002', '6d1c1f6e-0000-4000-8000-000000000003'];
    const release = await holdProcessLock(database.db, `askesos.impact-run:${working}`);
    try {
      await leftRunning(working);
      await leftRunning(stopped);
      const runs = (await as(app, directorate).get('/v1/rules/impact-runs')).body.runs as RunBody[];
      expect(runs.find((entry) => entry.id === working)?.status).toBe('running');
      expect(runs.find((entry) => entry.id === stopped)).toMatchObject({ status: 'failed', error: interruptedError });
    } finally {
      await release?.();
    }
  });
});

describe('runs at work at once', () => {
  it('are two at most: a third is refused with 409 and Retry-After, and taken once their runners are gone', async () => {
    const ids = ['6d1c1f6e-0000-4000-8000-000000000004', '6d1c1f6e-0000-4000-8000-000000000005'];
    const releases = await Promise.all(ids.map((id) => holdProcessLock(database.db, `askesos.impact-run:${id}`)));
    try {
      for (const id of ids) await leftRunning(id);
      const busy = await startRun(directorate, proposedName, {});
      expect(busy.status).toBe(409);
      expect(busy.body.type).toBe('urn:askesos:problem:impact-runs-busy');
      expect(busy.headers['retry-after']).toBe('60');
    } finally {
      for (const release of releases) await release?.();
    }
    const started = await startRun(directorate, proposedName, {});
    expect(started.status).toBe(202);
    expect((await settled(started.body.id)).status).toBe('succeeded');
    expect(await database.db('impact_runs').whereIn('id', ids).pluck('status')).toEqual(['failed', 'failed']);
  });
});

describe('the API document', () => {
  it('describes the impact routes with their schemas', async () => {
    const document = (await request(app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { requestBody?: { required: boolean }; responses: Record<string, unknown> }>>;
    };
    const start = document.paths['/v1/rules/{scheme}/{version}/impact']?.post;
    expect(start?.requestBody?.required).toBe(false);
    expect(Object.keys(start?.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '403', '404', '422']));
    const one = document.paths['/v1/rules/impact-runs/{id}']?.get;
    expect(Object.keys(one?.responses['200'] as object)).toContain('content');
    expect(document.paths['/v1/rules/impact-runs']?.get).toBeDefined();
  });
});
