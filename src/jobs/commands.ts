import type { Command } from 'commander';
import { printTable } from '../cli/output.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { loadRuleBook } from '../rules/load.ts';
import { isoDateSchema } from '../rules/model.ts';
import { publishRuleBook } from '../rules/store.ts';
import { operatorActor } from '../auth/commands.ts';
import { jobDefinitions } from './registry.ts';
import { listRuns } from './runs.ts';

const runsListedMax = 100;

// `askesos jobs …`: run any scheduled job for any period by hand (to catch
// up, or to re-run after a fix), and see what ran.
export function registerJobCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const jobs = program.command('jobs').description('Scheduled jobs: run one for a period, list runs');
  jobs
    .command('run')
    .description('Run a job for a period (a day, YYYY-MM-DD; default today); a period already done is not run again')
    .argument('<job>', 'eligibility-recheck or premium-cycle')
    .option('--date <date>', 'the period, YYYY-MM-DD')
    .action(async (name: string, options: { date?: string }) => {
      const settings = config();
      const period = options.date ?? todayIn(settings.TIMEZONE);
      if (!isoDateSchema.safeParse(period).success) {
        process.stderr.write(`--date: must be a date as YYYY-MM-DD, got ${JSON.stringify(period)}\n`);
        process.exit(2);
      }
      const book = loadRuleBook(settings.RULES_DIR);
      await withDb(async (db) => {
        await publishRuleBook(db, book, settings.RULES_DIR);
        const definitions = jobDefinitions({ db, book, timezone: settings.TIMEZONE });
        if (!(name in definitions)) {
          process.stderr.write(`no job ${JSON.stringify(name)}; jobs: ${Object.keys(definitions).join(', ')}\n`);
          process.exit(2);
        }
        const outcome = await definitions[name as keyof typeof definitions].run(period, operatorActor());
        process.stdout.write(
          outcome.ran
            ? `${name} ${period}: done ${JSON.stringify(outcome.detail)}\n`
            : `${name} ${period}: not run, it is ${outcome.why === 'done' ? 'already done' : 'running in another process'}\n`,
        );
      });
    });
  jobs
    .command('list')
    .description('The latest job runs')
    .action(async () => {
      const runs = await withDb((db) => listRuns(db, runsListedMax));
      printTable(
        runs.map((run) => ({ ...run, detail: JSON.stringify(run.detail) })),
        ['job', 'period', 'status', 'started_at', 'finished_at', 'detail', 'failure'],
      );
    });
}
