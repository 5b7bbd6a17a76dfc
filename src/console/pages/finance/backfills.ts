import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../access/principal.ts';
import type { LaunchableJob } from '../../../jobs/launch.ts';
import type { Logger } from '../../../log.ts';

// A back-fill runs a job for a range of months, one after another, as the
// scheduler catches up the months it missed: a month's premium cycle earns
// the months before it, so they never overlap. Each month's run is kept in
// the job's store like any other; what is kept here, in this process, is
// only the sequence itself (which month is next, and why it stopped), for
// as long as this process works through it.

const backfillsKeptMax = 20;

export type BackfillOutcome = 'working' | 'finished' | 'failed' | 'busy';

export interface Backfill {
  readonly id: string;
  readonly job: string;
  readonly months: readonly string[];
  readonly startedBy: string;
  readonly startedAt: string;
  // The months whose run has ended, done or found done already, in order.
  readonly settled: string[];
  outcome: BackfillOutcome;
  failure: string | null;
}

export interface Backfills {
  start(job: LaunchableJob, months: readonly string[], actor: Actor): Backfill;
  find(id: string): Backfill | undefined;
  // Newest first.
  recent(): readonly Backfill[];
}

export function backfills(log: Logger): Backfills {
  const kept: Backfill[] = [];
  const work = async (job: LaunchableJob, backfill: Backfill, actor: Actor) => {
    for (const month of backfill.months) {
      try {
        const outcome = await job.run(month, actor, {});
        // Another runner holds the job (the scheduler, or a start over the API): the months after wait for a new back-fill.
        if (!outcome.ran && outcome.why === 'running') {
          backfill.outcome = 'busy';
          return;
        }
        backfill.settled.push(month);
      } catch (error) {
        backfill.outcome = 'failed';
        backfill.failure = (error as Error).message;
        log.error({ err: error, job: job.listing.name, period: month, backfill: backfill.id }, 'back-fill stopped');
        return;
      }
    }
    backfill.outcome = 'finished';
  };
  return {
    start: (job, months, actor) => {
      const backfill: Backfill = {
        id: randomUUID(),
        job: job.listing.name,
        months,
        startedBy: actor.actor,
        startedAt: new Date().toISOString(),
        settled: [],
        outcome: 'working',
        failure: null,
      };
      kept.unshift(backfill);
      // The oldest that has ended makes room; one at work is never dropped while it works.
      if (kept.length > backfillsKeptMax) {
        const ended = kept.findLastIndex((candidate) => candidate.outcome !== 'working');
        if (ended >= 0) kept.splice(ended, 1);
      }
      void work(job, backfill, actor);
      return backfill;
    },
    find: (id) => kept.find((backfill) => backfill.id === id),
    recent: () => kept,
  };
}
