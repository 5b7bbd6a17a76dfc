import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { printTable } from '../shared/cli/output.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { loadRuleBook } from '../rules/load.ts';
import { recordPublishedVersions } from '../rules/store.ts';
import { operatorActor } from '../access/principal.ts';
import { jobDefinitions, parsePeriod, periodKinds, scheduleSettings } from './jobs.ts';
import { lastPeriodsDone, listRuns } from '../jobs/store.ts';

const runsListedMax = 50;

// `askesos jobs …`: what jobs there are, run one for any period by hand (to
// catch up, or to re-run after a fix) with a progress bar, and what ran.
export function registerJobCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const jobs = program.command('jobs').description('Scheduled jobs: list them, run one for a period, see their runs');
  jobs
    .command('list')
    .description('The scheduled jobs: schedule, period, what each does, and the last period done')
    .action(async () => {
      const settings = config();
      const book = loadRuleBook(settings.RULES_DIR);
      await withDb(async (db) => {
        const lastDone = await lastPeriodsDone(db);
        printTable(
          Object.entries(jobDefinitions({ db, book, timezone: settings.TIMEZONE })).map(([name, job]) => ({
            job: name,
            schedule: `${scheduleSettings(settings)[name] ?? job.cronExpression} (${settings.TIMEZONE})`,
            period: job.periodKind,
            last_done: lastDone.get(name),
            description: job.description,
          })),
          ['job', 'schedule', 'period', 'last_done', 'description'],
        );
      });
    });
  jobs
    .command('run')
    .description('Run a job for a period; a period already done is not run again, one cut off is finished')
    .argument('<job>', 'a job from `askesos jobs list`')
    .option('--period <period>', 'YYYY-MM-DD for a daily job, YYYY-MM for a monthly one (default: today’s)')
    .action(async (name: string, options: { period?: string }) => {
      const settings = config();
      const book = loadRuleBook(settings.RULES_DIR);
      await withDb(async (db) => {
        const definitions = jobDefinitions({ db, book, timezone: settings.TIMEZONE });
        const job = definitions[name];
        if (job === undefined) {
          process.stderr.write(`no job ${JSON.stringify(name)}; jobs: ${Object.keys(definitions).join(', ')}\n`);
          process.exit(2);
        }
        const period = options.period ?? periodKinds[job.periodKind].of(todayIn(settings.TIMEZONE));
        const parsed = parsePeriod(job, period);
        if (!parsed.ok) {
          process.stderr.write(`--period: ${parsed.problem}, got ${JSON.stringify(period)}\n`);
          process.exit(2);
        }
        await recordPublishedVersions(db, book, settings.RULES_DIR);
        // Drawn on a terminal only; in a pipe or a log the summary line says it all.
        const bar = new SingleBar({ format: `${name} ${period} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr });
        let started = false;
        const outcome = await job.run(parsed.period, operatorActor(), {
          onProgress: (progress) => {
            if (progress.total === null) return;
            if (!started) bar.start(progress.total, progress.done);
            started = true;
            bar.update(progress.done);
          },
        });
        if (started) bar.stop();
        process.stdout.write(
          outcome.ran
            ? `${name} ${period}: done ${JSON.stringify(outcome.detail)}\n`
            : `${name} ${period}: not run, it is ${outcome.why === 'done' ? 'already done' : 'running in another process'}\n`,
        );
      });
    });
  jobs
    .command('status')
    .description('The latest runs, newest first: status, progress of a run in flight, summary or failure')
    .option('--job <job>', 'only this job’s runs')
    .option('--json', 'print JSON')
    .action(async (options: { job?: string; json?: boolean }) => {
      const runs = await withDb((db) => listRuns(db, { job: options.job, limit: runsListedMax }));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      printTable(
        runs.map((run) => ({ ...run, detail: JSON.stringify(run.detail) })),
        ['job', 'period', 'status', 'startedAt', 'heartbeatAt', 'finishedAt', 'detail', 'failure'],
      );
    });
}
