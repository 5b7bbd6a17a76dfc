import ExcelJS from 'exceljs';
import { z } from 'zod';
import { fromNumeric, toSpreadsheetNumber } from '../money/index.ts';
import { isoDateSchema } from '../dates.ts';

// A report is a table with its provenance; JSON, CSV and XLSX are three
// renderings of the same rows, so a figure reads the same in each.

export const reportFormats = ['json', 'csv', 'xlsx'] as const;
export const reportFormatSchema = z.enum(reportFormats).default('json');
export type ReportFormat = (typeof reportFormats)[number];

// A report over the days from..to, both included.
export function dateRangeQuerySchema(fromDescription: string, toDescription: string) {
  return z
    .strictObject({
      from: isoDateSchema.meta({ description: fromDescription }),
      to: isoDateSchema.meta({ description: toDescription }),
      format: reportFormatSchema,
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

export interface ReportTable {
  readonly title: string;
  // What the figures rest on: the period, the rule versions, the ledger entries read.
  readonly about: Readonly<Record<string, string>>;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
}

// The JSON rendering, as the API documents it.
export const reportTableSchema = z.object({
  title: z.string(),
  about: z
    .record(z.string(), z.string())
    .meta({ description: 'What the figures rest on: period, rule versions, ledger entries.' }),
  columns: z.array(z.object({ key: z.string(), header: z.string(), kind: z.enum(reportColumnKinds) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});

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

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// RFC 4180, a header line first, CRLF line ends (what spreadsheets expect).
export function toCsv(table: ReportTable): string {
  const lines = [table.columns.map((column) => csvField(column.header))];
  for (const row of table.rows) lines.push(table.columns.map((column) => csvField(row[column.key] ?? null)));
  return `${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'askesos-core';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31));
  sheet.columns = table.columns.map((column) => ({
    header: column.header,
    key: column.key,
    width: Math.max(12, column.header.length + 2),
    style: column.kind === 'amount' ? { numFmt: '#,##0.00' } : column.kind === 'ratio' ? { numFmt: '0.00%' } : {},
  }));
  for (const row of table.rows)
    sheet.addRow(
      Object.fromEntries(
        table.columns.map((column) => {
          const value = row[column.key] ?? null;
          return [
            column.key,
            (column.kind === 'amount' || column.kind === 'ratio') && value !== null
              ? toSpreadsheetNumber(fromNumeric(String(value)))
              : value,
          ];
        }),
      ),
    );
  sheet.getRow(1).font = { bold: true };
  const about = workbook.addWorksheet('About');
  about.addRow(['Report', table.title]);
  for (const [key, value] of Object.entries(table.about)) about.addRow([key, value]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderReport(table: ReportTable, format: ReportFormat): Promise<Buffer | string | ReportTable> {
  if (format === 'csv') return toCsv(table);
  if (format === 'xlsx') return toXlsx(table);
  return table;
}

// A report route's 200: the table as JSON, or a file named for it.
export async function reportResult(table: ReportTable, format: ReportFormat, fileName: string) {
  return {
    status: 200,
    body: await renderReport(table, format),
    headers: {
      'Content-Type': reportContentTypes[format],
      ...(format === 'json' ? {} : { 'Content-Disposition': `attachment; filename="${fileName}.${format}"` }),
    },
  };
}
