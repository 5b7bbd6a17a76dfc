import type { Actor } from '../auth/model.ts';
import { todayIn } from '../clock.ts';
import { addMonths, monthsBetween } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { runPremiumCycle } from '../premiums/cycle.ts';
import { recheckEligibility } from '../registry/recheck.ts';
import type { RuleBook } from '../rules/load.ts';
import { runOnce } from './runs.ts';
import type { ScheduledJob } from './scheduler.ts';

export const jobActor: Actor = { actor: 'system:scheduler', actorRole: 'operator', actorKeyId: null, requestId: null };

export interface JobDeps {
  readonly db: Db;
  readonly book: RuleBook;
  readonly timezone: string;
}

// Each job runs for a period (a day, or a month for monthly jobs) at most
// once, however many processes trigger it; `askesos jobs run` runs one for
// any date by hand.
export function jobDefinitions({ db, book }: JobDeps) {
  return {
    'eligibility-recheck': {
      cronExpression: '0 1 * * *',
      description: 'Re-check eligibility of every enrolment that has passed an anniversary; lapse those no longer eligible.',
      run: (period: string, actor: Actor) =>
        runOnce(db, 'eligibility-recheck', period, (heartbeat) => recheckEligibility(db, book, period, actor, heartbeat)),
      // Today's re-check takes every anniversary passed without a check, missed days included.
      missed: async (today: string) => [today],
    },
    'premium-cycle': {
      cronExpression: '0 2 1 * *',
      description:
        "Book the premium dues of the month (the date's month) for every enrolment in cover, and earn the months before.",
      // The period of a monthly job is the month of the day it runs for.
      run: (date: string, actor: Actor) =>
        runOnce(db, 'premium-cycle', date.slice(0, 7), (heartbeat) =>
          runPremiumCycle(db, book, date.slice(0, 7), actor, heartbeat),
        ),
      // Every month since the last one done, oldest first: a month's dues
      // are its own, so a month missed while the service was down is run.
      missed: async (today: string) => {
        const last = await db('job_runs')
          .where({ job: 'premium-cycle', status: 'done' })
          .max<{ period: string | null }[]>({ period: 'period' })
          .first();
        const lastDone = last?.period ?? null;
        if (lastDone === null) return [today];
        return Array.from(
          { length: Math.max(0, monthsBetween(lastDone, today)) },
          (_, offset) => `${addMonths(lastDone, offset + 1)}-01`,
        );
      },
    },
  } as const;
}

export type JobName = keyof ReturnType<typeof jobDefinitions>;

export function scheduledJobs(deps: JobDeps): ScheduledJob[] {
  return Object.entries(jobDefinitions(deps)).map(([name, job]) => ({
    name,
    cronExpression: job.cronExpression,
    run: async (now: Date) => {
      await job.run(todayIn(deps.timezone, now), jobActor);
    },
    catchUp: async (now: Date) => {
      for (const date of await job.missed(todayIn(deps.timezone, now))) await job.run(date, jobActor);
    },
  }));
}
