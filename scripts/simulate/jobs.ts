import { jobActor } from '../../src/app/jobs.ts';
import { runOnce } from '../../src/jobs/runs.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { addMonths, monthOf } from './calendar.ts';
import type { Sim } from './context.ts';
import { parseCron } from './cron.ts';
import { fire, restart } from './lifecycle.ts';

// The scheduler on the simulated clock: each job whose cron expression
// matches a minute of the day runs then, in time order, as runDue(now) the
// way node-cron would call it. At some premium-cycle triggers the process
// dies part-way instead, and a new one starts at that moment.

export const businessHoursStart = 10 * 60;

export interface Firing {
  readonly minute: number;
  readonly order: number;
  readonly job: string;
}

export function firingsOn(sim: Sim, day: string): Firing[] {
  return sim.instance.jobs
    .flatMap((job, order) =>
      parseCron(job.cronExpression)
        .minutesOn(day)
        .map((minute) => ({ minute, order, job: job.name })),
    )
    .sort((a, b) => a.minute - b.minute || a.order - b.order);
}

export async function runFirings(sim: Sim, day: string, firings: readonly Firing[]): Promise<void> {
  for (const firing of firings) {
    sim.clock.set(day, firing.minute);
    const job = sim.instance.jobs.find((candidate) => candidate.name === firing.job);
    if (job === undefined) continue;
    // At most one death a month, on the day the month's cycle is due, however often the cycle is scheduled.
    if (
      job.name === 'premium-cycle' &&
      day.endsWith('-01') &&
      sim.prng.kills.chance(0.3) &&
      (await sim.timed('killed premium-cycle', () => killCycle(sim)))
    )
      continue;
    const at = `at ${String(Math.floor(firing.minute / 60)).padStart(2, '0')}:${String(firing.minute % 60).padStart(2, '0')}`;
    await sim.timed(job.name, () => fire(sim, job, sim.clock.now, at));
  }
}

// The cycle of the first month due dies after a few progress reports: with
// the job's own chunks, or with small chunks so that some commit and others
// do not. Then the service starts again, and its start-up runs finish it.
async function killCycle(sim: Sim): Promise<boolean> {
  const definition = sim.instance.definitions['premium-cycle'];
  if (definition === undefined) return false;
  const period = (await definition.missed(sim.today))[0];
  if (period === undefined) return false;
  const reportsBeforeDeath = sim.prng.kills.int(1, 4);
  let reports = 0;
  const dieAfter = () => {
    reports += 1;
    if (reports >= reportsBeforeDeath) throw new Error('simulated crash of the service');
  };
  const smallChunks = sim.prng.kills.chance(0.5);
  try {
    if (smallChunks) {
      const chunkRows = sim.prng.kills.int(1, 7);
      const book = sim.instance.book;
      await runOnce(
        sim.db,
        'premium-cycle',
        period,
        (report) => runPremiumCycle(sim.db, book, period, jobActor, report, chunkRows),
        { onProgress: dieAfter },
      );
    } else await definition.run(period, jobActor, { onProgress: dieAfter });
  } catch (error) {
    if (!(error as Error).message.includes('simulated crash')) {
      sim.report('job_failed', `premium-cycle ${period} (before the crash)`, 'it runs', (error as Error).message.slice(0, 300));
    }
  }
  sim.stats.kills += 1;
  await restart(
    sim,
    `premium-cycle ${period} killed after ${reports} progress report(s)${smallChunks ? ' in small chunks' : ''}`,
  );
  return true;
}

// An operator runs next month's cycle by hand (`askesos jobs run
// premium-cycle --period <next month>`): a month that has not begun must be refused.
export async function tryFutureCycle(sim: Sim): Promise<void> {
  const definition = sim.instance.definitions['premium-cycle'];
  if (definition === undefined) return;
  const period = addMonths(monthOf(sim.today), 1);
  try {
    const outcome = await definition.run(period, {
      actor: 'cli:operator',
      actorRole: 'operator',
      actorKeyId: null,
      requestId: null,
    });
    sim.report(
      'future_cycle_accepted',
      `premium-cycle --period ${period}`,
      'refused: the month has not begun',
      outcome.ran ? 'ran' : `not run (${outcome.why})`,
    );
  } catch {
    // Refused, as it should be.
  }
}
