import type { Command } from 'commander';
import { failWithInputError, printTable } from '../cli/output.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { z } from 'zod';
import { writeFileSync } from 'node:fs';
import { retentionByCohort, subsidyCost, subsidyCostQuerySchema } from './cohorts.ts';
import { fundStatement, fundStatementQuerySchema } from './fund-statement.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { lpaProgressQuerySchema, lpaProgressReport } from './lpa-progress.ts';
import { reserveReport, reserveReportQuerySchema } from './reserves.ts';
import { listReportRuns, storedReport, storedReportKinds } from './runs.ts';
import { type ReportFormat, renderReport, reportFormatSchema, type ReportTable } from './table.ts';

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
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
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
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
      if (parsed.data.format === 'xlsx' && options.out === undefined) failWithInputError(outNeeded);
      await writeReport(await withDb((db) => honorariumReport(db, parsed.data.period, {})), parsed.data.format, options.out);
    });
  reports
    .command('reserves')
    .description('Reserves as of a day, from the ledger, with adequacy, loss and claims ratios and case reserves by area and LPA')
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD')
    .option('--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (options: { asOf: string; format: string; out?: string }) => {
      const parsed = reserveReportQuerySchema.safeParse({ asOf: options.asOf, format: options.format });
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues, { asOf: '--as-of' }));
      if (parsed.data.format === 'xlsx' && options.out === undefined) failWithInputError(outNeeded);
      await writeReport(await withDb((db) => reserveReport(db, parsed.data.asOf, {})), parsed.data.format, options.out);
    });
  reports
    .command('fund-statement')
    .description('Income statement for a period and balance sheet as of its last day, from the ledger')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (options: { from: string; to: string; format: string; out?: string }) => {
      const parsed = fundStatementQuerySchema.safeParse({ from: options.from, to: options.to, format: options.format });
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
      if (parsed.data.format === 'xlsx' && options.out === undefined) failWithInputError(outNeeded);
      await writeReport(
        await withDb((db) => fundStatement(db, parsed.data.from, parsed.data.to)),
        parsed.data.format,
        options.out,
      );
    });
  reports
    .command('lpa-progress')
    .description('Each LPA: members, cards issued and delivered, claims filed, accepted, paid and paid on time')
    .requiredOption('--from <date>', 'first day claims are counted from, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (options: { from: string; to: string; format: string; out?: string }) => {
      const parsed = lpaProgressQuerySchema.safeParse({ from: options.from, to: options.to, format: options.format });
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
      if (parsed.data.format === 'xlsx' && options.out === undefined) failWithInputError(outNeeded);
      await writeReport(
        await withDb((db) => lpaProgressReport(db, parsed.data.from, parsed.data.to, {})),
        parsed.data.format,
        options.out,
      );
    });
  reports
    .command('runs')
    .description('Reports kept by the monthly-reports job, newest first')
    .option('--kind <kind>', 'honorarium, reserves or fund-statement')
    .option('--json', 'print JSON')
    .action(async (options: { kind?: string; json?: boolean }) => {
      const kind = z.enum(storedReportKinds).optional().safeParse(options.kind);
      if (!kind.success)
        failWithInputError(new InputError([{ field: '--kind', message: `must be one of: ${storedReportKinds.join(', ')}` }]));
      const runs = await withDb((db) => listReportRuns(db, { kind: kind.data, limit: 100 }));
      if (options.json === true) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      else printTable(runs, ['id', 'kind', 'title', 'producedAt', 'producedBy']);
    });
  reports
    .command('download')
    .description('A kept report exactly as it was produced')
    .argument('<id>', 'the run id from `askesos reports runs`')
    .option('--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write the report to this file instead of standard output')
    .action(async (id: string, options: { format: string; out?: string }) => {
      const format = reportFormatSchema.safeParse(options.format);
      if (!format.success) failWithInputError(optionIssues(format.error.issues, { '': '--format' }));
      if (format.data === 'xlsx' && options.out === undefined) failWithInputError(outNeeded);
      if (!z.uuid().safeParse(id).success) failWithInputError(new InputError([{ field: 'id', message: 'must be a UUID' }]));
      const stored = await withDb((db) => storedReport(db, id));
      if (stored === null) throw new NotFoundError('report run', id);
      await writeReport(stored.table, format.data, options.out);
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

// A schema's issues named by the option that carried the value.
function optionIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], names: Record<string, string> = {}) {
  return new InputError(
    issues.map((issue) => {
      const key = issue.path.join('.');
      return { field: names[key] ?? `--${key}`, message: issue.message };
    }),
  );
}

const outNeeded = new InputError([{ field: '--out', message: 'is needed for xlsx: a spreadsheet is not text' }]);

async function writeReport(table: ReportTable, format: ReportFormat, out: string | undefined): Promise<void> {
  const rendered = await renderReport(table, format);
  const output = typeof rendered === 'string' || Buffer.isBuffer(rendered) ? rendered : `${JSON.stringify(rendered, null, 2)}\n`;
  if (out === undefined) process.stdout.write(output);
  else {
    writeFileSync(out, output);
    process.stdout.write(`${table.title}: ${table.rows.length} row(s) written to ${out}\n`);
  }
}
