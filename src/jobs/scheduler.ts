import cron from 'node-cron';
import type { Logger } from '../log.ts';

// The scheduler only triggers jobs; each job is an idempotent function of its
// period that coordinates through the database, so a trigger that fires in
// several processes at once, or twice, still does the work once.
export interface ScheduledJob {
  readonly name: string;
  readonly cronExpression: string;
  run(now: Date): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(jobs: readonly ScheduledJob[], options: { timezone: string; logger: Logger }): Scheduler {
  const log = options.logger.child({ component: 'scheduler' });
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.cronExpression,
      async (context) => {
        log.info({ job: job.name }, 'job triggered');
        try {
          await job.run(context.date);
        } catch (error) {
          log.error({ err: error, job: job.name }, 'job failed; it will be retried at its next trigger');
        }
      },
      { name: job.name, timezone: options.timezone, noOverlap: true },
    ),
  );
  log.info({ jobs: jobs.map((job) => job.name), timezone: options.timezone }, 'scheduler started');
  return {
    stop: async () => {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
