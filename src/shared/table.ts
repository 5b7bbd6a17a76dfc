import ExcelJS from 'exceljs';
import { z } from 'zod';
import { fromNumeric, sumAmounts, toAmountString, toSpreadsheetNumber } from '../money/index.ts';
import { isoDateSchema } from '../dates.ts';

// A report is a table with its provenance; JSON, CSV and XLSX are three
// renderings of the same rows, so a figure reads the same in each.

export const reportFormats = ['json', 'csv', 'xlsx'] as const;
export const reportFormatSchema = z.enum(reportFormats).default('json');
export type ReportFormat = (typeof reportFormats)[number];

// How a CSV writes numbers: `en` as RFC 4180 and programs read it (comma
// separator, decimal point), `id` as a spreadsheet set to Indonesian opens it
// (semicolon separator, decimal comma). JSON and XLSX carry numbers as
// numbers, so they read the same whatever the locale.
export const reportLocales = ['en', 'id'] as const;
export const reportLocaleSchema = z
  .enum(reportLocales)
  .default('en')
  .meta({ description: 'For csv: en (comma, decimal point) or id (semicolon, decimal comma, for Indonesian spreadsheets).' });
export type ReportLocale = (typeof reportLocales)[number];

// The query fields every report route takes, and every report command parses.
export const reportOutputQuery = { format: reportFormatSchema, locale: reportLocaleSchema };
export const reportOutputSchema = z.strictObject(reportOutputQuery);
export interface ReportOutput {
  readonly format: ReportFormat;
  readonly locale: ReportLocale;
}

// A report over the days from..to, both included.
export function dateRangeQuerySchema(fromDescription: string, toDescription: string) {
  return z
    .strictObject({
      from: isoDateSchema.meta({ description: fromDescription }),
      to: isoDateSchema.meta({ description: toDescription }),
      ...reportOutputQuery,
    })
    .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' });
}

// Whose rows a key may read: a dinsos key its regency's, an LPA key its own.
export interface ReportScope {
  readonly regencyCode?: string;
  readonly lpaId?: string;
}

export const reportColumnKinds = ['text', 'integer', 'amount', 'ratio'] as const;
export type ReportColumnKind = (typeof reportColumnKinds)[number];

export interface ReportColumn {
  readonly key: string;
  readonly header: string;
  // Amounts and ratios are decimal strings in JSON and CSV, numbers in a
  // spreadsheet; a ratio is a fraction (0.1234), shown there as a percent.
  readonly kind: ReportColumnKind;
}

export type ReportRow = Readonly<Record<string, string | number | null>>;

export interface ReportTable {
  readonly title: string;
  // What the figures rest on: the period, the rule versions, the ledger entries read.
  readonly about: Readonly<Record<string, string>>;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
  // Lines that add up the rows, in the same columns. They are kept out of
  // `rows` so that `rows` stays one line per thing counted and a client that
  // sums them never counts a total twice; CSV writes them after the rows and
  // a spreadsheet in bold. A statement whose subtotals are lines of it in
  // their place (the fund statement) keeps them in `rows` instead.
  readonly totals?: readonly ReportRow[];
}

const reportRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

// The JSON rendering, as the API documents it.
export const reportTableSchema = z.object({
  title: z.string(),
  about: z
    .record(z.string(), z.string())
    .meta({ description: 'What the figures rest on: period, rule versions, ledger entries.' }),
  columns: z.array(z.object({ key: z.string(), header: z.string(), kind: z.enum(reportColumnKinds) })),
  rows: z.array(reportRowSchema),
  totals: z.array(reportRowSchema).optional().meta({
    description: 'Lines adding up the rows, in the same columns; not among the rows, so summing rows never counts them.',
  }),
});

// A line adding up every integer and amount column of the rows; the other
// columns are null. `labels` sets columns outright ({lpa: 'Total'}, or
// {balance: null} for an amount that does not add up).
export function totalOf(columns: readonly ReportColumn[], rows: readonly ReportRow[], labels: ReportRow): ReportRow {
  return Object.fromEntries(
    columns.map((column) => {
      if (column.key in labels) return [column.key, labels[column.key] ?? null];
      const values = rows.map((row) => row[column.key] ?? null).filter((value) => value !== null);
      if (column.kind === 'integer') return [column.key, values.reduce<number>((sum, value) => sum + Number(value), 0)];
      if (column.kind === 'amount')
        return [column.key, toAmountString(sumAmounts(values.map((value) => fromNumeric(String(value)))))];
      return [column.key, null];
    }),
  );
}

export const reportContentTypes: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

// What a report route answers with a 200, in each format.
export const reportResponse = (description: string) => ({
  description,
  schema: reportTableSchema,
  files: [reportContentTypes.csv, reportContentTypes.xlsx],
});

const csvSeparators: Readonly<Record<ReportLocale, string>> = { en: ',', id: ';' };
// Excel reads a CSV without a byte order mark in the machine's legacy code
// page, which garbles any name with a letter outside ASCII; the mark makes it
// read UTF-8. Programs reading `en` CSV expect none, so only `id` has it.
const csvByteOrderMark: Readonly<Record<ReportLocale, string>> = { en: '', id: '\uFEFF' };

function csvField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvValue(column: ReportColumn, value: string | number | null, locale: ReportLocale): string {
  if (value === null) return '';
  const text = String(value);
  // Amounts and ratios are canonical decimal strings: the one "." is the decimal point.
  return locale === 'id' && (column.kind === 'amount' || column.kind === 'ratio') ? text.replace('.', ',') : text;
}

// A header line first, then the rows and the totals; CRLF line ends (what
// spreadsheets expect). `en` is RFC 4180.
export function toCsv(table: ReportTable, locale: ReportLocale = 'en'): string {
  const separator = csvSeparators[locale];
  const line = (cells: readonly string[]) => cells.map((cell) => csvField(cell, separator)).join(separator);
  const lines = [line(table.columns.map((column) => column.header))];
  for (const row of [...table.rows, ...(table.totals ?? [])])
    lines.push(line(table.columns.map((column) => csvValue(column, row[column.key] ?? null, locale))));
  return `${csvByteOrderMark[locale]}${lines.map((cells) => `${cells}\r\n`).join('')}`;
}

const sheetNameLengthMax = 31;
const columnWidthMin = 8;
const columnWidthMax = 60;
const numberFormats: Readonly<Record<ReportColumnKind, string | undefined>> = {
  text: undefined,
  integer: '#,##0',
  amount: '#,##0.00',
  // Four places of the fraction: two of the percent.
  ratio: '0.00%',
};

// Excel refuses a sheet name over 31 characters, with any of []:*?/\, with an
// apostrophe at either end, or equal to another sheet's ignoring case
// ("History" is its own). The title is cut at a word where it can be; the
// whole title is on the About sheet.
export function sheetNames(titles: readonly string[]): string[] {
  const taken = new Set(['history']);
  return titles.map((title) => {
    const cleaned =
      title
        .replace(/[[\]:*?/\\]/g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/^'+|'+$/g, '')
        .trim() || 'Report';
    const cut = (text: string, length: number) => {
      if (text.length <= length) return text;
      const atWord = /^(.*\S)\s/.exec(text.slice(0, length + 1))?.[1];
      return atWord ?? text.slice(0, length);
    };
    let name = cut(cleaned, sheetNameLengthMax);
    for (let copy = 2; taken.has(name.toLowerCase()); copy += 1) {
      const suffix = ` (${copy})`;
      name = `${cut(cleaned, sheetNameLengthMax - suffix.length)}${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

function cellValue(column: ReportColumn, value: string | number | null): string | number | null {
  if (value === null) return null;
  if (column.kind === 'amount' || column.kind === 'ratio') return toSpreadsheetNumber(fromNumeric(String(value)));
  if (column.kind === 'integer') return Number(value);
  return value;
}

// About as wide as the cell shows: an amount gains a separator every three
// digits, a ratio becomes a percent with two places.
function shownLength(column: ReportColumn, value: string | number | null): number {
  if (value === null) return 0;
  const text = String(value);
  const whole = text.replace(/^-/, '').split('.')[0] ?? '';
  if (column.kind === 'amount' || column.kind === 'integer') return text.length + Math.floor((whole.length - 1) / 3);
  if (column.kind === 'ratio') return whole.length + 6;
  return text.length;
}

export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'askesos-core';
  const [reportName = 'Report', aboutName = 'About'] = sheetNames([table.title, 'About']);
  const sheet = workbook.addWorksheet(reportName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const lines = [...table.rows, ...(table.totals ?? [])];
  sheet.columns = table.columns.map((column) => {
    const style = numberFormats[column.kind];
    const widest = Math.max(column.header.length, ...lines.map((row) => shownLength(column, row[column.key] ?? null)));
    return {
      header: column.header,
      key: column.key,
      width: Math.min(columnWidthMax, Math.max(columnWidthMin, widest + 2)),
      ...(style === undefined ? {} : { style: { numFmt: style } }),
    };
  });
  for (const [index, row] of lines.entries()) {
    const added = sheet.addRow(
      Object.fromEntries(table.columns.map((column) => [column.key, cellValue(column, row[column.key] ?? null)])),
    );
    if (index >= table.rows.length) added.font = { bold: true };
  }
  sheet.getRow(1).font = { bold: true };
  const about = workbook.addWorksheet(aboutName);
  about.addRow(['Report', table.title]);
  for (const [key, value] of Object.entries(table.about)) about.addRow([key, value]);
  about.getColumn(1).width = Math.min(
    columnWidthMax,
    Math.max(columnWidthMin, ...Object.keys(table.about).map((key) => key.length + 2)),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderReport(table: ReportTable, output: ReportOutput): Promise<Buffer | string | ReportTable> {
  if (output.format === 'csv') return toCsv(table, output.locale);
  if (output.format === 'xlsx') return toXlsx(table);
  return table;
}

// A file name built from query values (a scheme, a period) goes into a
// header, where Node refuses anything outside visible ASCII: what could not
// be sent is replaced rather than answered with a 500.
function headerSafe(fileName: string): string {
  return fileName.replace(/[^A-Za-z0-9._-]/g, '-');
}

// A report route's 200: the table as JSON, or a file named for it.
export async function reportResult(table: ReportTable, output: ReportOutput, fileName: string) {
  return {
    status: 200,
    body: await renderReport(table, output),
    headers: {
      'Content-Type': reportContentTypes[output.format],
      ...(output.format === 'json'
        ? {}
        : { 'Content-Disposition': `attachment; filename="${headerSafe(fileName)}.${output.format}"` }),
    },
  };
}
