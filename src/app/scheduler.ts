import cron from 'node-cron';
import type { Logger } from '../log.ts';

// The scheduler only triggers jobs; each job is an idempotent function of its
// period that coordinates through the database, so a trigger that fires in
// several processes at once, or twice, still does the work once.
export interface ScheduledJob {
  readonly name: string;
  readonly cronExpression: string;
  // Every period due, oldest first: those missed while no process ran, and now's.
  runDue(now: Date): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(jobs: readonly ScheduledJob[], options: { timezone: string; logger: Logger }): Scheduler {
  const log = options.logger.child({ component: 'scheduler' });
  const running = new Set<Promise<void>>();
  const trigger = async (job: ScheduledJob, now: Date, atStart = false) => {
    log.info({ job: job.name, atStart }, 'job triggered');
    const run = job.runDue(now).catch((error: unknown) => {
      log.error({ err: error, job: job.name }, 'job failed; it will be retried at its next trigger');
    });
    running.add(run);
    await run;
    running.delete(run);
  };
  const tasks = jobs.map((job) =>
    cron.schedule(job.cronExpression, (context) => trigger(job, context.date), {
      name: job.name,
      timezone: options.timezone,
      noOverlap: true,
    }),
  );
  // Catch up at start: each period missed while no process ran (today's
  // included) runs now, so a service that was down at a trigger still does
  // the work.
  for (const job of jobs) void trigger(job, new Date(), true);
  log.info({ jobs: jobs.map((job) => job.name), timezone: options.timezone }, 'scheduler started');
  return {
    stop: async () => {
      await Promise.all(tasks.map((task) => task.stop()));
      // The database closes after this: let runs in flight finish first.
      await Promise.all(running);
    },
  };
}
