import type { Actor } from '../access/principal.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import { addMonths, monthsBetween } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import { bookHonoraria } from '../lpa/honorarium.ts';
import { bookStrengthening } from '../lpa/strengthening.ts';
import { runPremiumCycle } from '../premiums/cycle.ts';
import { produceMonthlyReports } from '../reports/runs.ts';
import { bookIbnr } from '../reserves/ibnr.ts';
import { bookSavingsDues } from '../savings/dues.ts';
import { chargeLoanPenalties } from '../loans/arrears.ts';
import { recheckEligibility } from '../registry/recheck.ts';
import type { RuleBook } from '../rules/load.ts';
import { isoDateSchema } from '../dates.ts';
import { UnprocessableError } from '../errors.ts';
import type { LaunchableJob } from '../jobs/launch.ts';
import { runOnce, type RunHooks, type RunOutcome } from '../jobs/runs.ts';
import { lastPeriodDoneUpTo, lastPeriodsDone, periodsDone } from '../jobs/store.ts';
import type { ScheduledJob } from './scheduler.ts';

export const jobActor: Actor = { actor: 'system:scheduler', actorRole: 'operator', actorKeyId: null, requestId: null };

export interface JobDeps {
  readonly db: Db;
  readonly book: RuleBook;
  readonly timezone: string;
  // Cron expressions from configuration that replace a job's own.
  readonly schedules?: Readonly<Partial<Record<string, string>>>;
  // The fund's today, for refusing a period that has not begun: the clock in TIMEZONE unless given.
  readonly today?: () => string;
}

// A job's schedule as configured: SCHEDULE_PREMIUM_CYCLE for premium-cycle.
export function scheduleSettings(config: Config): Partial<Record<string, string>> {
  return {
    'eligibility-recheck': config.SCHEDULE_ELIGIBILITY_RECHECK,
    'premium-cycle': config.SCHEDULE_PREMIUM_CYCLE,
    'lpa-honorarium': config.SCHEDULE_LPA_HONORARIUM,
    'monthly-reports': config.SCHEDULE_MONTHLY_REPORTS,
    'savings-dues': config.SCHEDULE_SAVINGS_DUES,
    'loan-arrears': config.SCHEDULE_LOAN_ARREARS,
  };
}

// A job's period is a day (YYYY-MM-DD) or a month (YYYY-MM).
export const periodKinds = {
  day: { schema: isoDateSchema, of: (date: string) => date, example: '2027-01-31' },
  month: { schema: monthSchema, of: (date: string) => date.slice(0, 7), example: '2027-01' },
} as const;

export interface JobDefinition {
  readonly cronExpression: string;
  readonly description: string;
  readonly periodKind: keyof typeof periodKinds;
  run(period: string, actor: Actor, hooks?: RunHooks): Promise<RunOutcome<object>>;
  // The periods due on a day, oldest first: its own and those missed while no process ran.
  missed(today: string): Promise<string[]>;
}

// Each job runs for a period at most once at a time, however many processes
// trigger it, and never for a period that has not begun; a job that books
// what became known since (premium-cycle, savings-dues) runs its period
// again on each trigger, the others once. `askesos jobs run` runs one for any
// period begun.
export function jobDefinitions(deps: JobDeps): Record<string, JobDefinition> {
  const today = deps.today ?? (() => todayIn(deps.timezone));
  const definitions = jobsOf(deps);
  return Object.fromEntries(
    Object.entries(definitions).map(([name, job]) => [
      name,
      {
        ...job,
        run: async (period, actor, hooks) => {
          assertPeriodBegun(name, job.periodKind, period, today());
          return job.run(period, actor, hooks);
        },
      } satisfies JobDefinition,
    ]),
  );
}

function assertPeriodBegun(job: string, kind: keyof typeof periodKinds, period: string, today: string): void {
  if (period > periodKinds[kind].of(today))
    throw new UnprocessableError(
      'period_not_begun',
      `${job} ${period} has not begun (today is ${today}): what a period owes is booked once it has begun`,
    );
}

function jobsOf({ db, book }: JobDeps): Record<string, JobDefinition> {
  return {
    'eligibility-recheck': {
      cronExpression: '0 1 * * *',
      description: 'Re-check eligibility of every enrolment that has passed an anniversary; lapse those no longer eligible.',
      periodKind: 'day',
      run: (period, actor, hooks) =>
        runOnce(db, 'eligibility-recheck', period, (report) => recheckEligibility(db, book, period, actor, report), hooks),
      // Today's re-check takes every anniversary passed without a check, missed days included.
      missed: async (today) => [today],
    },
    'premium-cycle': {
      cronExpression: '0 2 * * *',
      description:
        'Book every premium due owed up to the month and not yet booked (late and backdated enrolments too), end cover of ended schemes, remind (or, where the rules say, lapse) those in arrears, and earn the months before; daily, so what becomes known is booked the next night.',
      periodKind: 'month',
      run: (period, actor, hooks) =>
        runOnce(
          db,
          'premium-cycle',
          period,
          async (report) => {
            await assertMonthBeforeDone(db, period);
            return runPremiumCycle(db, book, period, actor, report);
          },
          hooks,
          { again: true },
        ),
      // Months missed while the service was down, in order, then today's month again: each run catches up what became known.
      missed: async (today) => {
        const months = await monthsSinceLastDone(db, 'premium-cycle', today);
        return months.includes(today.slice(0, 7)) ? months : [...months, today.slice(0, 7)];
      },
    },
    'savings-dues': {
      cronExpression: '0 4 * * *',
      description:
        'Book every mandatory savings due owed up to the month and not yet booked (late and backdated enrolments too), each under the savings rules of its month, and mark who is behind; daily, so what becomes known is booked, and deposits are counted, the next night.',
      periodKind: 'month',
      run: (period, actor, hooks) =>
        runOnce(db, 'savings-dues', period, () => bookSavingsDues(db, book, period, actor), hooks, { again: true }),
      // Months missed while the service was down, in order, then today's month again: each run catches up what became known.
      missed: async (today) => {
        const months = await monthsSinceLastDone(db, 'savings-dues', today);
        return months.includes(today.slice(0, 7)) ? months : [...months, today.slice(0, 7)];
      },
    },
    'loan-arrears': {
      cronExpression: '30 1 * * *',
      description: 'Age the loans in arrears: charge the penalty on each instalment unpaid a whole month after it fell due.',
      periodKind: 'day',
      run: (period, actor, hooks) =>
        runOnce(db, 'loan-arrears', period, () => chargeLoanPenalties(db, book, period, actor), hooks),
      // Penalties are charged for the whole months passed, so today's run takes in any day missed.
      missed: async (today) => [today],
    },
    'lpa-honorarium': {
      cronExpression: '30 3 * * *',
      description:
        "Book each LPA's honorarium and strengthening grants for every month whose premium cycle is done, as the lpa rules decide.",
      periodKind: 'month',
      run: (period, actor, hooks) =>
        runOnce(
          db,
          'lpa-honorarium',
          period,
          async () => {
            if (!(await periodsDone(db, 'premium-cycle')).includes(period))
              throw new UnprocessableError(
                'premium_cycle_not_done',
                `lpa-honorarium ${period} needs premium-cycle ${period} done first`,
              );
            const honorarium = await bookHonoraria(db, book, period, actor);
            return { ...honorarium, strengthening: await bookStrengthening(db, book, period, actor) };
          },
          hooks,
        ),
      // Checked daily: every month whose dues are booked and whose honorarium is not, oldest first.
      missed: async () => {
        const booked = new Set(await periodsDone(db, 'lpa-honorarium'));
        return (await periodsDone(db, 'premium-cycle')).filter((period) => !booked.has(period));
      },
    },
    'monthly-reports': {
      cronExpression: '0 5 * * *',
      description:
        "Book a finished month's IBNR as the rules declare, then produce and keep its honorarium report, reserves as of its last day, fund statement, and performance indicators (the month with its year to date, for the fund and by province, regency and LPA).",
      periodKind: 'month',
      run: (period, actor, hooks) =>
        runOnce(
          db,
          'monthly-reports',
          period,
          async () => {
            // The month's reserves include the IBNR its rules ask for, so it is booked first.
            const ibnr = await bookIbnr(db, book, period, actor);
            return { ...(await produceMonthlyReports(db, period, actor)), ibnr };
          },
          hooks,
        ),
      // Checked daily: every finished month whose honorarium is booked and whose reports are not kept yet.
      missed: async (today) => {
        const reported = new Set(await periodsDone(db, 'monthly-reports'));
        return (await periodsDone(db, 'lpa-honorarium')).filter((period) => period < today.slice(0, 7) && !reported.has(period));
      },
    },
  };
}

// Every month since the last one done, oldest first, up to today's; today's
// alone when none is done yet.
async function monthsSinceLastDone(db: Db, job: string, today: string): Promise<string[]> {
  const lastDone = (await lastPeriodsDone(db)).get(job);
  if (lastDone === undefined) return [today.slice(0, 7)];
  return Array.from({ length: Math.max(0, monthsBetween(lastDone, today)) }, (_, offset) => addMonths(lastDone, offset + 1));
}

// A month's cycle earns the months before it, once: run before the month
// before it is booked, it would earn that month short for good. Once any
// month is done, months go in order.
async function assertMonthBeforeDone(db: Db, period: string): Promise<void> {
  const monthBefore = addMonths(period, -1);
  const done = await lastPeriodDoneUpTo(db, 'premium-cycle', monthBefore);
  if (done !== null && done !== monthBefore)
    throw new UnprocessableError(
      'month_before_not_done',
      `premium-cycle ${period} needs ${monthBefore} done first; the last month done before it is ${done}`,
    );
}

// The period a job runs for on a date, or what is wrong with one given by hand.
export function parsePeriod(job: JobDefinition, text: string): { ok: true; period: string } | { ok: false; problem: string } {
  const kind = periodKinds[job.periodKind];
  return kind.schema.safeParse(text).success
    ? { ok: true, period: text }
    : {
        ok: false,
        problem: `must be a ${job.periodKind} as ${job.periodKind === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}, e.g. ${kind.example}`,
      };
}

// The jobs as the HTTP edge starts them: the registry's own run, so a start
// over HTTP takes the lock and refusals the scheduler and the CLI do.
export function launchableJobs(deps: JobDeps): LaunchableJob[] {
  return Object.entries(jobDefinitions(deps)).map(([name, job]) => ({
    listing: {
      name,
      description: job.description,
      schedule: deps.schedules?.[name] ?? job.cronExpression,
      timezone: deps.timezone,
      period: {
        kind: job.periodKind,
        format: job.periodKind === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM',
        example: periodKinds[job.periodKind].example,
      },
    },
    periodProblem: (text) => {
      const parsed = parsePeriod(job, text);
      return parsed.ok ? null : parsed.problem;
    },
    run: (period, actor, hooks) => job.run(period, actor, hooks),
  }));
}

// A trigger, at its cron time or at start, runs every period due, oldest
// first: the missed ones and today's. When another process holds the job it
// is doing the same, so this one stops.
export function scheduledJobs(deps: JobDeps): ScheduledJob[] {
  return Object.entries(jobDefinitions(deps)).map(([name, job]) => ({
    name,
    cronExpression: deps.schedules?.[name] ?? job.cronExpression,
    runDue: async (now: Date) => {
      const today = todayIn(deps.timezone, now);
      // The trigger's own day is its today, so a period it finds due is never refused as not begun.
      const onTheDay = jobDefinitions({ ...deps, today: () => today })[name] ?? job;
      for (const period of await onTheDay.missed(today)) {
        const outcome = await onTheDay.run(period, jobActor);
        if (!outcome.ran && outcome.why === 'running') return;
      }
    },
  }));
}
