import type { Db } from '../db/knex.ts';
import { withTransaction } from '../db/knex.ts';

// One run per job and period. A period that is done is skipped; a run whose
// heartbeat has gone quiet is taken over; a live one is left alone. The work
// itself must be idempotent and commit as it goes, so a taken-over run only
// finishes what the dead one started.

const runnerSilenceSecondsMax = 300;

export type RunOutcome<T> = { ran: true; detail: T } | { ran: false; why: 'done' | 'running' };

export async function runOnce<T extends object>(
  db: Db,
  job: string,
  period: string,
  work: (heartbeat: () => Promise<void>) => Promise<T>,
): Promise<RunOutcome<T>> {
  const claimed = await withTransaction(db, async (trx) => {
    const existing = await trx('job_runs')
      .where({ job, period })
      .forUpdate()
      .first<{ status: string; live: boolean } | undefined>(
        'status',
        trx.raw(`status = 'running' and heartbeat_at > now() - make_interval(secs => ?) as live`, [runnerSilenceSecondsMax]),
      );
    if (existing?.status === 'done') return 'done' as const;
    if (existing?.live === true) return 'running' as const;
    if (existing === undefined) await trx('job_runs').insert({ job, period, status: 'running' });
    else await trx('job_runs').where({ job, period }).update({ status: 'running', heartbeat_at: trx.fn.now(), failure: null });
    return 'claimed' as const;
  });
  if (claimed !== 'claimed') return { ran: false, why: claimed };
  const heartbeat = async () => {
    await db('job_runs').where({ job, period }).update({ heartbeat_at: db.fn.now() });
  };
  try {
    const detail = await work(heartbeat);
    await db('job_runs')
      .where({ job, period })
      .update({ status: 'done', finished_at: db.fn.now(), detail: JSON.stringify(detail) });
    return { ran: true, detail };
  } catch (error) {
    await db('job_runs')
      .where({ job, period })
      .update({ status: 'failed', finished_at: db.fn.now(), failure: (error as Error).message });
    throw error;
  }
}

export async function listRuns(db: Db, limit: number): Promise<Record<string, unknown>[]> {
  return db('job_runs')
    .orderBy('started_at', 'desc')
    .limit(limit)
    .select('job', 'period', 'status', 'started_at', 'finished_at', 'detail', 'failure');
}
