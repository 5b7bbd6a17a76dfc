import type { Command } from 'commander';
import { failWithInputError, printTable } from '../shared/cli/output.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { z } from 'zod';
import { dataQuality, dataQualityQuerySchema, dataQualityTable } from '../registry/index.ts';
import { retentionQuerySchema, retentionReport, subsidyCostQuerySchema, subsidyCostReport } from './cohorts.ts';
import { fundStatement, fundStatementQuerySchema } from './fund-statement.ts';
import { indicatorPeriods, indicatorReport, indicatorReportQuerySchema } from './indicator-report.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { lpaProgressQuerySchema, lpaProgressReport } from './lpa-progress.ts';
import { arrearsReport, arrearsReportQuerySchema } from './arrears.ts';
import { reserveReport, reserveReportQuerySchema } from './reserves.ts';
import { storedReportKinds } from './model.ts';
import { listReportRuns, storedReport } from './store.ts';
import { type ReportLocale, reportOutputSchema, type ReportTable } from '../shared/table.ts';
import { emitReport, parseReportOptions, withReportOptions } from '../shared/cli/report.ts';

// `askesos reports …`: the figures finance and the directorate read, as a
// table on screen, or JSON, CSV or a spreadsheet to hand on.
export function registerReportCommands(program: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>): void {
  const reports = program
    .command('reports')
    .description(
      'Reports: subsidy cost, retention, data quality, arrears, honorarium, reserves, fund statement, indicators, LPA progress, and the kept runs',
    );
  const tableReport = tableReportCommand(reports, withDb);
  tableReport({
    name: 'subsidy-cost',
    description:
      'Premium dues by month and province, regency or LPA: premium, subsidy, own share, own share paid, and their total',
    options: [
      ['--from <month>', 'first month, YYYY-MM'],
      ['--to <month>', 'last month, YYYY-MM'],
    ],
    optional: [['--by <grouping>', 'province (the default), regency or lpa']],
    schema: subsidyCostQuerySchema,
    produce: (db, query) => subsidyCostReport(db, query, {}),
  });
  tableReport({
    name: 'retention',
    description: 'Retention and graduation by cohort (year of enrolment) and coverage year',
    options: [],
    optional: [['--scheme <scheme>', 'only enrolments of this scheme']],
    schema: retentionQuerySchema,
    produce: (db, query) => retentionReport(db, query.scheme, {}),
  });
  tableReport({
    name: 'data-quality',
    description:
      'Data quality per LPA: import rows refused and enrolments rejected by reason, and people who look registered twice',
    options: [],
    optional: [
      ['--regency-code <code>', 'only LPAs of this regency (4 digits)'],
      ['--lpa-id <id>', 'only this LPA'],
    ],
    schema: dataQualityQuerySchema,
    produce: async (db, { regencyCode, lpaId }) => {
      const scope = { regencyCode, lpaId };
      return dataQualityTable(await dataQuality(db, scope), scope);
    },
  });
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
    .option('--kind <kind>', storedReportKinds.join(', '))
    .option('--json', 'print JSON')
    .action(async (options: { kind?: string; json?: boolean }) => {
      const kind = z.enum(storedReportKinds).optional().safeParse(options.kind);
      if (!kind.success)
        failWithInputError(new InputError([{ field: '--kind', message: `must be one of: ${storedReportKinds.join(', ')}` }]));
      const runs = await withDb((db) => listReportRuns(db, { kind: kind.data, limit: 100 }));
      if (options.json === true) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      else printTable(runs, ['id', 'kind', 'title', 'producedAt', 'producedBy']);
    });
  withReportOptions(
    reports
      .command('download')
      .description('A kept report exactly as it was produced')
      .argument('<id>', 'the run id from `askesos reports runs`'),
  ).action(async (id: string, options: Record<string, string | boolean | undefined>) => {
    const { destinations } = parseReportOptions(reportOutputSchema, options);
    if (!z.uuid().safeParse(id).success) failWithInputError(new InputError([{ field: 'id', message: 'must be a UUID' }]));
    const stored = await withDb((db) => storedReport(db, id));
    if (stored === null) throw new NotFoundError('report run', id);
    await emitReport(stored.table, destinations);
  });
}

// A report command with its options (named as the schema's keys in kebab
// case; required unless listed as optional) and the report options (--json,
// --csv, --xlsx, --locale): all are parsed by the report's own query schema,
// so the CLI and the API refuse the same values.
function tableReportCommand(reports: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>) {
  return <S extends z.ZodType<{ locale: ReportLocale }>>(spec: {
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
    withReportOptions(command).action(async (options: Record<string, string | boolean | undefined>) => {
      const { query, destinations } = parseReportOptions(spec.schema, options);
      await emitReport(await withDb((db) => spec.produce(db, query)), destinations);
    });
  };
}
