import type { Db } from '../db/knex.ts';
import { withTransaction } from '../db/knex.ts';
import { holdProcessLock } from '../db/session-lock.ts';
import type { Progress, ReportProgress } from '../shared/progress.ts';
import {
  insertJobRun,
  lockJobRun,
  markJobRunDone,
  markJobRunFailed,
  recordJobRunProgress,
  rerunDoneJobRun,
  restartJobRun,
} from './store.ts';

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

// What a runner hears of a run: its progress (the CLI's bar), and the moment
// the period is claimed, before the work (the HTTP edge answers 202 then, and
// the work goes on in the background).
export interface RunHooks {
  readonly onProgress?: (progress: Progress) => void;
  readonly onStarted?: () => void;
}

// A job whose work books what became known since its last run (the premium
// cycle) runs a period done again; { again: true } says so.
export async function runOnce<T extends object>(
  db: Db,
  job: string,
  period: string,
  work: (report: ReportProgress) => Promise<T>,
  { onProgress, onStarted }: RunHooks = {},
  { again = false }: { again?: boolean } = {},
): Promise<RunOutcome<T>> {
  const release = await holdProcessLock(db, `askesos.job:${job}`);
  if (release === null) return { ran: false, why: 'running' };
  try {
    // A period done and run again stays done throughout: the months after it,
    // and the jobs that wait for it, go on meanwhile.
    const claimed = await withTransaction(db, async (trx) => {
      const status = await lockJobRun(trx, job, period);
      if (status === 'done') {
        if (!again) return 'no';
        await rerunDoneJobRun(trx, job, period);
        return 'again';
      }
      if (status === null) await insertJobRun(trx, job, period);
      else await restartJobRun(trx, job, period);
      return 'first';
    });
    if (claimed === 'no') return { ran: false, why: 'done' };
    onStarted?.();
    const report: ReportProgress = async (progress) => {
      onProgress?.(progress);
      await recordJobRunProgress(db, job, period, progress);
    };
    try {
      const detail = await work(report);
      await markJobRunDone(db, job, period, detail);
      return { ran: true, detail };
    } catch (error) {
      await markJobRunFailed(db, job, period, (error as Error).message, { keepStatus: claimed === 'again' });
      throw error;
    }
  } finally {
    await release();
  }
}
