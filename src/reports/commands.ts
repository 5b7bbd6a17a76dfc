import type { Command } from 'commander';
import { failWithInputError, printTable } from '../cli/output.ts';
import type { Db } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { writeFileSync } from 'node:fs';
import { retentionByCohort, subsidyCost, subsidyCostQuerySchema } from '../premiums/reports.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { renderReport } from './table.ts';

// `askesos reports …`: the figures finance and the directorate read, as a
// table on screen, or JSON, CSV or a spreadsheet to hand on.
export function registerReportCommands(program: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>): void {
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
    .command('honorarium')
    .description(
      'The LPA honorarium of a month, LPA by LPA: participants, assistance channelled, rate, honorarium, paid, outstanding',
    )
    .requiredOption('--period <month>', 'the month, YYYY-MM')
    .option('--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (options: { period: string; format: string; out?: string }) => {
      const parsed = honorariumReportQuerySchema.safeParse({ period: options.period, format: options.format });
      if (!parsed.success)
        failWithInputError(
          new InputError(parsed.error.issues.map((issue) => ({ field: `--${issue.path.join('.')}`, message: issue.message }))),
        );
      if (parsed.data.format === 'xlsx' && options.out === undefined)
        failWithInputError(new InputError([{ field: '--out', message: 'is needed for xlsx: a spreadsheet is not text' }]));
      const table = await withDb((db) => honorariumReport(db, parsed.data.period, {}));
      const rendered = await renderReport(table, parsed.data.format);
      const output =
        typeof rendered === 'string' || Buffer.isBuffer(rendered) ? rendered : `${JSON.stringify(rendered, null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(output);
      else {
        writeFileSync(options.out, output);
        process.stdout.write(`${table.title}: ${table.rows.length} LPA(s) written to ${options.out}\n`);
      }
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
