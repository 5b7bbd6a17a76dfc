import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Progress } from '../shared/progress.ts';
import type { ReportTable } from '../shared/table.ts';
import type { ImpactRun, ImpactRunStatus } from './model.ts';

// The impact runs asked for over HTTP: nothing else touches impact_runs.

interface RunRow {
  id: string;
  scheme: string;
  version: string;
  version_hash: string;
  today: string;
  status: ImpactRunStatus;
  progress: Progress | null;
  error: string | null;
  requested_by: string;
  started_at: Date;
  finished_at: Date | null;
}

const runColumns = [
  'id',
  'scheme',
  'version',
  'version_hash',
  'today',
  'status',
  'progress',
  'error',
  'requested_by',
  'started_at',
  'finished_at',
] as const;

function toRun(row: RunRow): ImpactRun {
  return {
    id: row.id,
    scheme: row.scheme,
    version: row.version,
    versionHash: row.version_hash,
    today: row.today,
    status: row.status,
    progress: row.progress,
    error: row.error,
    requestedBy: row.requested_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

// Starts are taken one at a time, so two at once cannot both find room
// under the limit of runs at work; the lock ends with the transaction.
export async function runningImpactRunsLocked(trx: Knex.Transaction): Promise<number> {
  await trx.raw("select pg_advisory_xact_lock(hashtext('askesos.impact-run.start'))");
  const row = await trx('impact_runs').where({ status: 'running' }).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? '0');
}

export async function insertImpactRun(
  trx: Knex.Transaction,
  run: { id: string; scheme: string; version: string; versionHash: string; today: string; requestedBy: string },
): Promise<ImpactRun> {
  const [row] = await trx('impact_runs')
    .insert({
      id: run.id,
      scheme: run.scheme,
      version: run.version,
      version_hash: run.versionHash,
      today: run.today,
      status: 'running',
      requested_by: run.requestedBy,
    })
    .returning<RunRow[]>(runColumns);
  if (row === undefined) throw new Error(`impact run ${run.id} not inserted`);
  return toRun(row);
}

// Only a running run moves: a run already failed (its process was thought
// gone) keeps that outcome.
export async function recordImpactRunProgress(trx: Knex.Transaction, id: string, progress: Progress): Promise<void> {
  await trx('impact_runs')
    .where({ id, status: 'running' })
    .update({ progress: JSON.stringify(progress) });
}

export type RunOutcome =
  | { readonly status: 'succeeded'; readonly result: ReportTable; readonly progress: Progress | null }
  | { readonly status: 'failed'; readonly error: string };

export async function finishImpactRun(trx: Knex.Transaction, id: string, outcome: RunOutcome): Promise<boolean> {
  const changes =
    outcome.status === 'succeeded'
      ? { status: 'succeeded', result: JSON.stringify(outcome.result), progress: JSON.stringify(outcome.progress) }
      : { status: 'failed', error: outcome.error };
  const updated = await trx('impact_runs')
    .where({ id, status: 'running' })
    .update({ ...changes, finished_at: trx.fn.now() });
  return updated === 1;
}

export async function findImpactRun(db: Db, id: string): Promise<{ run: ImpactRun; result: ReportTable | null } | null> {
  const row = await db('impact_runs')
    .where({ id })
    .first<(RunRow & { result: ReportTable | null }) | undefined>(...runColumns, 'result');
  return row === undefined ? null : { run: toRun(row), result: row.result };
}

// Newest first, without their tables.
export async function listImpactRuns(db: Db, limit: number): Promise<ImpactRun[]> {
  const rows = await db('impact_runs')
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(limit)
    .select<RunRow[]>(runColumns);
  return rows.map(toRun);
}

export async function runningImpactRunIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db('impact_runs')
    .where({ status: 'running' })
    .orderBy('id', 'asc')
    .limit(limit)
    .select<{ id: string }[]>('id');
  return rows.map((row) => row.id);
}
