import type { Sim } from './context.ts';
import type { ScheduledJob } from '../../src/app/scheduler.ts';
import { startInstance } from './service/instance.ts';

// The service's life: a restart drops the instance and starts another on
// the same database, which fires every job at once as the scheduler does at
// start; a job that fails when nothing was done to it is a discrepancy.

export async function restart(sim: Sim, why: string): Promise<void> {
  await sim.instance.stop();
  sim.api.dropConnections();
  const db = await sim.database.reconnect();
  sim.instance = await startInstance(db, { rulesDir: sim.rulesDir, scheme: sim.scenario.scheme, clock: sim.clock });
  sim.stats.restarts += 1;
  const now = sim.clock.now;
  await Promise.all(sim.instance.jobs.map((job) => fire(sim, job, now, `at start after ${why}`)));
}

export async function fire(sim: Sim, job: ScheduledJob, now: Date, when: string): Promise<void> {
  try {
    await job.runDue(now);
  } catch (error) {
    const message = (error as Error).message;
    sim.report(
      'job_failed',
      `${job.name} ${when}`,
      'it runs',
      message.slice(0, 300),
      `job_failed|${job.name}|${message.slice(0, 80)}`,
    );
  }
}
