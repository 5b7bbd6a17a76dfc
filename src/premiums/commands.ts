import type { Command } from 'commander';
import { failWithInputError, printTable } from '../cli/output.ts';
import type { Db } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { retentionByCohort, subsidyCost, subsidyCostQuerySchema } from './reports.ts';

// `askesos reports …`: the premium cycles' figures for finance and the
// directorate, as a table to read or JSON for a spreadsheet.
export function registerPremiumReportCommands(program: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>): void {
  const reports = program.command('reports').description('Reports: subsidy cost, retention and graduation');
  reports
    .command('subsidy-cost')
    .description('Premium dues by month and province, regency or LPA: premium, subsidy, own share, own share paid')
    .requiredOption('--from <month>', 'first month, YYYY-MM')
    .requiredOption('--to <month>', 'last month, YYYY-MM')
    .option('--by <grouping>', 'province, regency or lpa', 'province')
    .option('--json', 'print JSON')
    .action(async (options: { from: string; to: string; by: string; json?: boolean }) => {
      const parsed = subsidyCostQuerySchema.safeParse({ from: options.from, to: options.to, by: options.by });
      if (!parsed.success)
        failWithInputError(
          new InputError(parsed.error.issues.map((issue) => ({ field: `--${issue.path.join('.')}`, message: issue.message }))),
        );
      const rows = await withDb((db) => subsidyCost(db, parsed.data, {}));
      if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else printTable(rows, ['period', 'code', 'name', 'dues', 'premium', 'subsidy', 'own', 'ownPaid']);
    });
  reports
    .command('retention')
    .description('Retention and graduation by cohort (year of enrolment) and coverage year')
    .option('--scheme <scheme>', 'only enrolments of this scheme')
    .option('--json', 'print JSON')
    .action(async (options: { scheme?: string; json?: boolean }) => {
      const rows = await withDb((db) => retentionByCohort(db, options.scheme, {}));
      if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else printTable(rows, ['cohort', 'coverageYear', 'enrolled', 'retained', 'subsidised', 'selfPaying', 'selfPayingPaidUp']);
    });
}
