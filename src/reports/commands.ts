import type { Command } from 'commander';
import { failWithInputError, printTable } from '../shared/cli/output.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { z } from 'zod';
import { retentionByCohort, subsidyCost, subsidyCostQuerySchema } from './cohorts.ts';
import { fundStatement, fundStatementQuerySchema } from './fund-statement.ts';
import { indicatorPeriods, indicatorReport, indicatorReportQuerySchema } from './indicator-report.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { lpaProgressQuerySchema, lpaProgressReport } from './lpa-progress.ts';
import { arrearsReport, arrearsReportQuerySchema } from './arrears.ts';
import { reserveReport, reserveReportQuerySchema } from './reserves.ts';
import { storedReportKinds } from './model.ts';
import { listReportRuns, storedReport } from './store.ts';
import { type ReportFormat, reportFormatSchema, type ReportTable } from '../shared/table.ts';
import { formatOption, needOutForXlsx, optionIssues, outOption, writeReport } from '../shared/cli/report.ts';

// `askesos reports …`: the figures finance and the directorate read, as a
// table on screen, or JSON, CSV or a spreadsheet to hand on.
export function registerReportCommands(program: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>): void {
  const reports = program
    .command('reports')
    .description(
      'Reports: subsidy cost, retention, arrears, honorarium, reserves, fund statement, LPA progress, and the kept runs',
    );
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
  const tableReport = tableReportCommand(reports, withDb);
  tableReport({
    name: 'honorarium',
    description:
      'The LPA honorarium and strengthening grants of a month, LPA by LPA: participants, assistance channelled, rate, honorarium, grants, paid, outstanding',
    options: [['--period <month>', 'the month, YYYY-MM']],
    schema: honorariumReportQuerySchema,
    produce: (db, query) => honorariumReport(db, query.period, {}),
  });
  tableReport({
    name: 'arrears',
    description:
      'The arrears list: each participant with an own share unpaid, oldest month, months and amount unpaid, cover, last reminder',
    options: [],
    optional: [['--months-at-least <n>', 'only those with at least this many months unpaid (default 1)']],
    schema: arrearsReportQuerySchema,
    produce: (db, query) => arrearsReport(db, query, {}),
  });
  tableReport({
    name: 'reserves',
    description:
      'Reserves as of a day, from the ledger, with adequacy, loss and claims ratios, case reserves and IBNR by scheme, area and LPA',
    options: [['--as-of <date>', 'the day, YYYY-MM-DD']],
    schema: reserveReportQuerySchema,
    produce: (db, query) => reserveReport(db, query.asOf, {}),
  });
  tableReport({
    name: 'fund-statement',
    description: 'Income statement for a period and balance sheet as of its last day, from the ledger',
    options: [
      ['--from <date>', 'first day, YYYY-MM-DD'],
      ['--to <date>', 'last day, YYYY-MM-DD'],
    ],
    schema: fundStatementQuerySchema,
    produce: (db, query) => fundStatement(db, query.from, query.to),
  });
  tableReport({
    name: 'indicators',
    description:
      'The fund’s performance indicators for a month and its year to date, or a period, for the fund or by scheme, province, regency or LPA (docs/indicators.md)',
    options: [],
    optional: [
      ['--month <month>', 'a month, YYYY-MM: the month and the year to its end'],
      ['--from <date>', 'or the first day of a period, YYYY-MM-DD'],
      ['--to <date>', 'and its last day, YYYY-MM-DD'],
      ['--by <grouping>', 'fund (default), scheme, province, regency or lpa'],
    ],
    schema: indicatorReportQuerySchema,
    produce: (db, query) => indicatorReport(db, indicatorPeriods(query), query.by, {}),
  });
  tableReport({
    name: 'lpa-progress',
    description: 'Each LPA: members, cards issued and delivered, claims filed, accepted, paid and paid on time',
    options: [
      ['--from <date>', 'first day claims are counted from, YYYY-MM-DD'],
      ['--to <date>', 'last day, YYYY-MM-DD'],
    ],
    schema: lpaProgressQuerySchema,
    produce: (db, query) => lpaProgressReport(db, query.from, query.to, {}),
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
    .option(...formatOption)
    .option(...outOption)
    .action(async (id: string, options: { format: string; out?: string }) => {
      const format = reportFormatSchema.safeParse(options.format);
      if (!format.success) failWithInputError(optionIssues(format.error.issues, { '': '--format' }));
      needOutForXlsx(format.data, options.out);
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

// A report command with its options (named as the schema's keys in kebab
// case; required unless listed as optional), --format and --out: the options are parsed by the report's
// own query schema, so the CLI and the API refuse the same values.
function tableReportCommand(reports: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>) {
  return <S extends z.ZodType<{ format: ReportFormat }>>(spec: {
    name: string;
    description: string;
    options: readonly (readonly [flags: string, description: string])[];
    optional?: readonly (readonly [flags: string, description: string])[];
    schema: S;
    produce: (db: Db, query: z.output<S>) => Promise<ReportTable>;
  }): void => {
    const command = reports.command(spec.name).description(spec.description);
    for (const [flags, description] of spec.options) command.requiredOption(flags, description);
    for (const [flags, description] of spec.optional ?? []) command.option(flags, description);
    command
      .option(...formatOption)
      .option(...outOption)
      .action(async (options: Record<string, string | undefined>) => {
        const { out, ...query } = options;
        const parsed = spec.schema.safeParse(query);
        if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
        needOutForXlsx(parsed.data.format, out);
        await writeReport(await withDb((db) => spec.produce(db, parsed.data)), parsed.data.format, out);
      });
  };
}
