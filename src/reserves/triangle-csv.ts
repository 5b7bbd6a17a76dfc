import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError, type FieldIssue } from '../errors.ts';
import { type Amount, amountSchema } from '../money/index.ts';
import type { PremiumByOrigin } from './methods/expected-loss-ratio.ts';
import { type Triangle, triangleDevelopmentsMax, triangleOriginsMax } from './methods/triangle.ts';

// A cumulative triangle as an actuary keeps it in a spreadsheet: a header
// line (a label, then one column per development period), then one line per
// origin period, its known amounts from the first column on, and empty cells
// where the future is. Every refusal names the line and column to fix.

// Far more than 360 × 360 cells of 15 digits; a bigger file is the wrong file.
export const triangleCsvBytesMax = 4 * 1024 * 1024;

const labelSchema = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');
// Cumulative amounts: never negative, kept to the cent.
const cellSchema = amountSchema({ decimalPlacesMax: 2 });
const premiumSchema = amountSchema({ decimalPlacesMax: 2, allowZero: false });

interface CsvLine {
  readonly line: number;
  readonly cells: readonly string[];
}

export function parseTriangleCsv(text: string, file: string): Triangle {
  const [header, ...body] = csvLines(text, file);
  if (header === undefined || body.length === 0)
    throw fileError(file, 'line 1', 'needs a header line (origin, then the development periods) and one line per origin');
  const developments = labels(file, header, header.cells.slice(1), 'development period', triangleDevelopmentsMax);
  if (developments.length < 2) throw fileError(file, 'line 1', 'needs at least two development columns after the origin');
  if (body.length > triangleOriginsMax)
    throw fileError(file, `line ${header.line + triangleOriginsMax + 1}`, `at most ${triangleOriginsMax} origins`);
  labels(
    file,
    header,
    body.map((line) => line.cells[0] ?? ''),
    'origin',
    triangleOriginsMax,
    body,
  );
  return {
    origins: body.map((line) => (line.cells[0] ?? '').trim()),
    developments,
    rows: body.map((line) => knownCells(file, line, developments)),
  };
}

// origin,premium lines: the premium each origin earned, for the methods that start from a loss ratio.
export function parsePremiumCsv(text: string, file: string): PremiumByOrigin {
  const [header, ...body] = csvLines(text, file);
  if (header === undefined || body.length === 0)
    throw fileError(file, 'line 1', 'needs a header line (origin,premium) and one line per origin');
  if (body.length > triangleOriginsMax)
    throw fileError(file, `line ${header.line + triangleOriginsMax + 1}`, `at most ${triangleOriginsMax} origins`);
  const premium = new Map<string, Amount>();
  for (const line of body) {
    const origin = labelSchema.safeParse(line.cells[0] ?? '');
    if (!origin.success) throw fileError(file, `line ${line.line}, column 1`, `origin ${firstMessage(origin.error)}`);
    if (premium.has(origin.data)) throw fileError(file, `line ${line.line}, column 1`, `origin "${origin.data}" appears twice`);
    const earned = premiumSchema.safeParse((line.cells[1] ?? '').trim());
    if (!earned.success) throw fileError(file, `line ${line.line}, column 2`, `premium ${firstMessage(earned.error)}`);
    premium.set(origin.data, earned.data);
  }
  return premium;
}

function csvLines(text: string, file: string): CsvLine[] {
  if (Buffer.byteLength(text) > triangleCsvBytesMax) throw fileError(file, 'file', `is larger than ${triangleCsvBytesMax} bytes`);
  try {
    const records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (error) {
    const csv = error as { lines?: number; message: string };
    throw fileError(file, `line ${csv.lines ?? '?'}`, `is not valid CSV: ${csv.message}`);
  }
}

function labels(
  file: string,
  header: CsvLine,
  values: readonly string[],
  what: string,
  max: number,
  body?: readonly CsvLine[],
): string[] {
  if (values.length > max) throw fileError(file, `line ${header.line}`, `at most ${max} ${what}s`);
  const seen = new Set<string>();
  return values.map((value, index) => {
    const where = body === undefined ? `line ${header.line}, column ${index + 2}` : `line ${body[index]?.line ?? '?'}, column 1`;
    const label = labelSchema.safeParse(value);
    if (!label.success) throw fileError(file, where, `${what} ${firstMessage(label.error)}`);
    if (seen.has(label.data)) throw fileError(file, where, `${what} "${label.data}" appears twice`);
    seen.add(label.data);
    return label.data;
  });
}

// The known cells run from the first development column without a gap; a
// value after an empty cell is a misplaced column, not a late report.
function knownCells(file: string, line: CsvLine, developments: readonly string[]): Amount[] {
  const cells = line.cells.slice(1);
  if (cells.length > developments.length)
    throw fileError(file, `line ${line.line}`, `has ${cells.length} amounts for ${developments.length} development columns`);
  const known: Amount[] = [];
  let gapAt: number | null = null;
  for (const [index, raw] of cells.entries()) {
    const where = `line ${line.line}, column ${index + 2} (origin ${(line.cells[0] ?? '').trim()}, development ${developments[index]})`;
    if (raw.trim() === '') {
      gapAt ??= index;
      continue;
    }
    const cell = cellSchema.safeParse(raw.trim());
    if (!cell.success) throw fileError(file, where, firstMessage(cell.error));
    if (gapAt !== null)
      throw fileError(
        file,
        where,
        `has an amount after the empty cell in column ${gapAt + 2}; known cells run from the first column without gaps`,
      );
    known.push(cell.data);
  }
  if (known.length === 0) throw fileError(file, `line ${line.line}, column 2`, 'the first development period must be known');
  return known;
}

function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'is not valid';
}

function fileError(file: string, where: string, message: string): InputError {
  const issue: FieldIssue = { field: `${file} ${where}`, message };
  return new InputError([issue], `Cannot read ${file}.`);
}
