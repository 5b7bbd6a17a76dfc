import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { fromNumeric, formatRupiah } from '../money/index.ts';
import { loadRuleBook } from '../rules/load.ts';
import { RuleNotInForceError } from '../rules/evaluate.ts';
import { UnprocessableError } from '../errors.ts';
import { failWithInputError, printTable } from '../shared/cli/output.ts';
import { optionIssues } from '../shared/cli/report.ts';
import type { ReportProgress } from '../shared/progress.ts';
import { reportLocaleSchema, type ReportTable, toCsv, toXlsx } from '../shared/table.ts';
import { impactOf } from './impact.ts';
import { impactOptionsSchema } from './model.ts';
import { impactTable, peopleMeasures } from './table.ts';

interface ImpactCommandOptions {
  readonly json?: boolean;
  readonly csv?: string;
  readonly xlsx?: string;
  readonly locale?: string;
  readonly today?: string;
}

// `askesos rules impact <scheme>/<version>`: what the directorate reads before
// publishing a version. It reads the database in one snapshot and writes
// nothing there; the files it writes are the ones asked for.
export function registerImpactCommand(
  rules: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  rules
    .command('impact')
    .description(
      'What a version would change if published: who gains or loses cover, what the last 12 months of claims would pay, and the next 12 months of money, beside the rules in force',
    )
    .argument('<version>', 'scheme/version, e.g. standalone/2027.3')
    .option('--json', 'print the impact table as JSON')
    .option('--csv <file>', 'also write the impact table as CSV to this file')
    .option('--xlsx <file>', 'also write the impact table as a spreadsheet to this file')
    .option('--locale <locale>', 'for --csv: en (comma, decimal point; the default) or id (semicolon, decimal comma)')
    .option('--today <date>', 'the day to replay as of, YYYY-MM-DD (default: today in TIMEZONE)')
    .action(async (reference: string, options: ImpactCommandOptions) => {
      const settings = config();
      const parsed = impactOptionsSchema.safeParse({ reference, today: options.today ?? todayIn(settings.TIMEZONE) });
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues, { reference: 'version' }));
      const locale = reportLocaleSchema.safeParse(options.locale);
      if (!locale.success) failWithInputError(optionIssues(locale.error.issues, { '': '--locale' }));
      const [scheme = '', version = ''] = parsed.data.reference.split('/');
      // The published book with this one draft in it, never the other drafts.
      const book = loadRuleBook(settings.RULES_DIR, { scheme, version });
      const bar = progressBar();
      const impact = await withDb((db) => impactOf(db, book, { scheme, version, today: parsed.data.today }, bar.report))
        .catch((error: unknown) => {
          if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
          throw error;
        })
        .finally(() => bar.stop());
      const table = impactTable(impact);
      if (options.csv !== undefined) writeFile(options.csv, toCsv(table, locale.data), table);
      if (options.xlsx !== undefined) writeFile(options.xlsx, await toXlsx(table), table);
      if (options.json === true) process.stdout.write(`${JSON.stringify(table, null, 2)}\n`);
      else printImpact(table);
    });
}

// Drawn on a terminal only; in a pipe or a log the tables say it all.
function progressBar(): { report: ReportProgress; stop(): void } {
  if (process.stderr.isTTY !== true) return { report: async () => {}, stop: () => {} };
  const bar = new SingleBar({ format: 'impact [{bar}] {percentage}% {value}/{total} people and claims', stream: process.stderr });
  let started = false;
  return {
    report: async ({ done, total }) => {
      if (total === null) return;
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function writeFile(file: string, content: string | Buffer, table: ReportTable): void {
  writeFileSync(file, content);
  process.stderr.write(`${table.title}: ${table.rows.length} row(s) written to ${file}\n`);
}

// For a person: each section as its own table, amounts in rupiah, and the
// money as one line a month of what changes.
function printImpact(table: ReportTable): void {
  process.stdout.write(`${table.title}\n`);
  for (const [key, value] of Object.entries(table.about)) process.stdout.write(`  ${key}: ${value}\n`);
  const rows = (section: string) =>
    table.rows
      .filter((row) => row.section === section)
      .map((row) => ({
        ...row,
        inForce: shown(row, row.inForce),
        proposed: shown(row, row.proposed),
        delta: shown(row, row.delta),
      }));
  process.stdout.write('\nEligibility\n');
  printTable(rows('eligibility'), ['measure', 'by', 'group', 'count', 'inForce', 'proposed', 'delta']);
  process.stdout.write('\nClaims\n');
  printTable(rows('claims'), ['measure', 'by', 'group', 'count', 'changed', 'inForce', 'proposed', 'delta']);
  process.stdout.write('\nMoney: proposed minus in force, by month\n');
  const months = new Map<string, Record<string, unknown>>();
  for (const row of table.rows.filter((entry) => entry.section === 'money')) {
    const month = String(row.group);
    months.set(month, { ...(months.get(month) ?? { month }), [String(row.measure)]: shown(row, row.delta) });
  }
  printTable(
    [...months.values()],
    [
      'month',
      'members',
      'premium',
      'subsidy',
      'ownShare',
      'honorarium',
      'strengthening',
      'expectedClaims',
      'stateBudget',
      'fundNet',
    ],
  );
}

function shown(row: ReportTable['rows'][number], value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return peopleMeasures.includes(String(row.measure)) ? String(value) : formatRupiah(fromNumeric(String(value)));
}
