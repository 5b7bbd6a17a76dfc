import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Progress } from '../shared/progress.ts';
import { jobRunId, type JobRun } from './model.ts';

// The job_runs table: one row per job and period, saying how its run went.

type JobRunStatus = JobRun['status'];

// ---------------------------------------------------------------- a run's life

// The status of the job's run for the period, locked for the rest of the
// transaction; null when it never ran.
export async function lockJobRun(trx: Knex.Transaction, job: string, period: string): Promise<JobRunStatus | null> {
  const existing = await trx('job_runs').where({ job, period }).forUpdate().first<{ status: JobRunStatus } | undefined>('status');
  return existing?.status ?? null;
}

export async function insertJobRun(trx: Knex.Transaction, job: string, period: string): Promise<void> {
  await trx('job_runs').insert({ job, period, status: 'running' });
}

// A run that failed, or whose runner died, starts over as running, its old
// progress dropped so a follower never reads the dead run's.
export async function restartJobRun(trx: Knex.Transaction, job: string, period: string): Promise<void> {
  await trx('job_runs')
    .where({ job, period })
    .update({ status: 'running', heartbeat_at: trx.fn.now(), finished_at: null, failure: null, detail: '{}' });
}

// A period done and run again keeps its status done; its finishedAt goes
// null until the run again ends, so whoever follows it sees it at work.
export async function rerunDoneJobRun(trx: Knex.Transaction, job: string, period: string): Promise<void> {
  await trx('job_runs').where({ job, period }).update({ heartbeat_at: trx.fn.now(), finished_at: null, failure: null });
}

export async function recordJobRunProgress(db: Db, job: string, period: string, progress: Progress): Promise<void> {
  await db('job_runs')
    .where({ job, period })
    .update({ heartbeat_at: db.fn.now(), detail: JSON.stringify({ progress }) });
}

export async function markJobRunDone(db: Db, job: string, period: string, detail: object): Promise<void> {
  await db('job_runs')
    .where({ job, period })
    .update({ status: 'done', finished_at: db.fn.now(), detail: JSON.stringify(detail) });
}

// A failed run is marked failed unless it was a period done run again,
// which stays done.
export async function markJobRunFailed(
  db: Db,
  job: string,
  period: string,
  failure: string,
  { keepStatus }: { keepStatus: boolean },
): Promise<void> {
  await db('job_runs')
    .where({ job, period })
    .update({
      ...(keepStatus ? {} : { status: 'failed' }),
      finished_at: db.fn.now(),
      failure,
    });
}

// ---------------------------------------------------------------- periods done

// The periods a job has done, oldest first.
export async function periodsDone(db: Db, job: string): Promise<string[]> {
  return db('job_runs').where({ job, status: 'done' }).orderBy('period').pluck('period');
}

// Each job's latest period done.
export async function lastPeriodsDone(db: Db): Promise<Map<string, string>> {
  const rows = await db('job_runs')
    .where({ status: 'done' })
    .groupBy('job')
    .select<{ job: string; period: string }[]>('job', db.raw('max(period) as period'));
  return new Map(rows.map((row) => [row.job, row.period]));
}

// The job's latest period done up to and including `period`, or null.
export async function lastPeriodDoneUpTo(db: Db, job: string, period: string): Promise<string | null> {
  const done = await db('job_runs')
    .where({ job, status: 'done' })
    .where('period', '<=', period)
    .orderBy('period', 'desc')
    .first<{ period: string } | undefined>('period');
  return done?.period ?? null;
}

// ---------------------------------------------------------------- listing

interface JobRunRow {
  job: string;
  period: string;
  status: JobRunStatus;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
  detail: Record<string, unknown>;
  failure: string | null;
}

const runColumns = ['job', 'period', 'status', 'started_at', 'heartbeat_at', 'finished_at', 'detail', 'failure'] as const;

// Newest first; a run marked running whose runner died shows as running
// until the next trigger takes it over.
export async function listRuns(db: Db, filter: { job?: string; limit: number }): Promise<JobRun[]> {
  const rows = await db('job_runs')
    .modify((query) => {
      if (filter.job !== undefined) query.where({ job: filter.job });
    })
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'job', order: 'asc' },
      { column: 'period', order: 'desc' },
    ])
    .limit(filter.limit)
    .select<JobRunRow[]>(...runColumns);
  return rows.map(jobRunOf);
}

export async function findRun(db: Db, job: string, period: string): Promise<JobRun | null> {
  const row = await db('job_runs')
    .where({ job, period })
    .first<JobRunRow | undefined>(...runColumns);
  return row === undefined ? null : jobRunOf(row);
}

function jobRunOf(row: JobRunRow): JobRun {
  return {
    id: jobRunId(row.job, row.period),
    job: row.job,
    period: row.period,
    status: row.status,
    progress: row.finished_at === null ? progressOf(row.detail) : null,
    startedAt: row.started_at.toISOString(),
    heartbeatAt: row.heartbeat_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    detail: row.detail,
    failure: row.failure,
  };
}

// recordJobRunProgress writes it; a run that has reported nothing yet has
// done nothing (a done period run again still holds its last summary then).
function progressOf(detail: Record<string, unknown>): Progress {
  const progress = detail['progress'] as Progress | undefined;
  return progress === undefined ? { done: 0, total: null } : { done: progress.done, total: progress.total };
}
