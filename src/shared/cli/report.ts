import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { InputError } from '../../errors.ts';
import { formatPercent, formatRupiah, fromNumeric } from '../../money/index.ts';
import { type ReportColumn, type ReportLocale, type ReportTable, toCsv, toXlsx } from '../table.ts';
import { failWithInputError, printTable } from './output.ts';

// How every command that prints a report takes its options and writes it:
// a table for a person by default, JSON with --json, and files with --csv
// and --xlsx, the same renderings the API answers.

// A schema's issues named by the option that carried the value.
export function optionIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  names: Record<string, string> = {},
) {
  return new InputError(
    issues.map((issue) => {
      const key = issue.path.join('.');
      return {
        field: names[key] ?? `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
        message: issue.message,
      };
    }),
  );
}

export function withReportOptions(command: Command): Command {
  return command
    .option('--json', 'print the report as JSON')
    .option('--csv <file>', 'write the report as CSV to this file')
    .option('--xlsx <file>', 'write the report as a spreadsheet to this file')
    .option('--locale <locale>', 'for --csv: en (comma, decimal point; the default) or id (semicolon, decimal comma)');
}

export interface ReportDestinations {
  readonly json: boolean;
  readonly csv: string | undefined;
  readonly xlsx: string | undefined;
  readonly locale: ReportLocale;
}

// Splits a command's options into the report's query, parsed by the schema
// its API route parses (so both refuse the same values, `--locale` among
// them), and where the report goes. Refuses a file that cannot be written
// before any figure is read.
export function parseReportOptions<S extends z.ZodType<{ locale: ReportLocale }>>(
  schema: S,
  options: Readonly<Record<string, string | boolean | undefined>>,
  names: Record<string, string> = {},
): { query: z.output<S>; destinations: ReportDestinations } {
  const { json, csv, xlsx, ...query } = options;
  const parsed = schema.safeParse(query);
  if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues, names));
  const files = { '--csv': csv, '--xlsx': xlsx };
  const unwritable = Object.entries(files).flatMap(([option, file]) => {
    if (typeof file !== 'string') return [];
    if (existsSync(file) && statSync(file).isDirectory()) return [{ field: option, message: `${file} is a directory` }];
    if (!existsSync(dirname(file))) return [{ field: option, message: `no directory ${dirname(file)}` }];
    return [];
  });
  if (unwritable.length > 0) failWithInputError(new InputError(unwritable));
  return {
    query: parsed.data,
    destinations: {
      json: json === true,
      csv: typeof csv === 'string' ? csv : undefined,
      xlsx: typeof xlsx === 'string' ? xlsx : undefined,
      locale: parsed.data.locale,
    },
  };
}

// Files first, then standard output: JSON if asked, else a table unless the
// report went to a file only.
export async function emitReport(table: ReportTable, destinations: ReportDestinations): Promise<void> {
  if (destinations.csv !== undefined) writeReportFile(destinations.csv, toCsv(table, destinations.locale), table);
  if (destinations.xlsx !== undefined) writeReportFile(destinations.xlsx, await toXlsx(table), table);
  if (destinations.json) process.stdout.write(`${JSON.stringify(table, null, 2)}\n`);
  else if (destinations.csv === undefined && destinations.xlsx === undefined) printReport(table);
}

function writeReportFile(file: string, content: string | Buffer, table: ReportTable): void {
  writeFileSync(file, content);
  process.stderr.write(`${table.title}: ${table.rows.length} row(s) written to ${file}\n`);
}

// For a person: the title, what the figures rest on, and the rows and totals
// under the column headers, amounts in rupiah and ratios as percents.
export function printReport(table: ReportTable): void {
  process.stdout.write(`${table.title}\n`);
  for (const [key, value] of Object.entries(table.about)) process.stdout.write(`  ${key}: ${value}\n`);
  process.stdout.write('\n');
  const shown = (row: ReportTable['rows'][number]) =>
    Object.fromEntries(table.columns.map((column) => [column.header, shownValue(column, row[column.key] ?? null)]));
  printTable(
    [...table.rows, ...(table.totals ?? [])].map(shown),
    table.columns.map((column) => column.header),
  );
}

function shownValue(column: ReportColumn, value: string | number | null): string | number | null {
  if (value === null) return null;
  if (column.kind === 'amount') return formatRupiah(fromNumeric(String(value)));
  if (column.kind === 'ratio') return formatPercent(fromNumeric(String(value)));
  return value;
}
