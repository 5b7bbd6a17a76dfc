import type { Db } from '../db/knex.ts';
import { withTransaction } from '../db/knex.ts';
import { holdProcessLock } from '../db/session-lock.ts';
import type { Progress, ReportProgress } from '../shared/progress.ts';

// One run per job and period, and one run of a job at a time (a month's
// premium cycle earns the months before it, so months must not overlap). A
// run holds a session advisory lock on a connection of its own for as long
// as it works: a second process (a replica triggered by the same cron tick)
// finds the lock taken and leaves the job alone, and when a runner dies PostgreSQL drops its lock with its
// connection, so the next trigger takes the period over at once instead of
// waiting for a heartbeat to go stale. A period done is never run again. The
// work itself is idempotent and commits as it goes, so a taken-over run only
// finishes what the dead one started.

export type RunOutcome<T> = { ran: true; detail: T } | { ran: false; why: 'done' | 'running' };

// A job whose work books what became known since its last run (the premium
// cycle) runs a period done again; { again: true } says so.
export async function runOnce<T extends object>(
  db: Db,
  job: string,
  period: string,
  work: (report: ReportProgress) => Promise<T>,
  onProgress?: (progress: Progress) => void,
  { again = false }: { again?: boolean } = {},
): Promise<RunOutcome<T>> {
  const release = await holdProcessLock(db, `askesos.job:${job}`);
  if (release === null) return { ran: false, why: 'running' };
  try {
    // A period done and run again stays done throughout: the months after it,
    // and the jobs that wait for it, go on meanwhile.
    const claimed = await withTransaction(db, async (trx) => {
      const existing = await trx('job_runs').where({ job, period }).forUpdate().first<{ status: string } | undefined>('status');
      if (existing?.status === 'done') {
        if (!again) return 'no';
        await trx('job_runs').where({ job, period }).update({ heartbeat_at: trx.fn.now(), failure: null });
        return 'again';
      }
      if (existing === undefined) await trx('job_runs').insert({ job, period, status: 'running' });
      else
        await trx('job_runs')
          .where({ job, period })
          .update({ status: 'running', heartbeat_at: trx.fn.now(), finished_at: null, failure: null });
      return 'first';
    });
    if (claimed === 'no') return { ran: false, why: 'done' };
    const report: ReportProgress = async (progress) => {
      onProgress?.(progress);
      await db('job_runs')
        .where({ job, period })
        .update({ heartbeat_at: db.fn.now(), detail: JSON.stringify({ progress }) });
    };
    try {
      const detail = await work(report);
      await db('job_runs')
        .where({ job, period })
        .update({ status: 'done', finished_at: db.fn.now(), detail: JSON.stringify(detail) });
      return { ran: true, detail };
    } catch (error) {
      await db('job_runs')
        .where({ job, period })
        .update({
          ...(claimed === 'first' ? { status: 'failed' } : {}),
          finished_at: db.fn.now(),
          failure: (error as Error).message,
        });
      throw error;
    }
  } finally {
    await release();
  }
}

export interface JobRun {
  readonly job: string;
  readonly period: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly startedAt: string;
  readonly heartbeatAt: string;
  readonly finishedAt: string | null;
  readonly detail: Record<string, unknown>;
  readonly failure: string | null;
}

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
    .select<
      {
        job: string;
        period: string;
        status: JobRun['status'];
        started_at: Date;
        heartbeat_at: Date;
        finished_at: Date | null;
        detail: Record<string, unknown>;
        failure: string | null;
      }[]
    >('job', 'period', 'status', 'started_at', 'heartbeat_at', 'finished_at', 'detail', 'failure');
  return rows.map((row) => ({
    job: row.job,
    period: row.period,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    heartbeatAt: row.heartbeat_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    detail: row.detail,
    failure: row.failure,
  }));
}
