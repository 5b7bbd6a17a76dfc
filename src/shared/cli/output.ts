import { InputError } from '../../errors.ts';

// The CLI answers as a person would want: a table for reading, JSON for
// scripts, and a non-zero exit with the field named when input is wrong.

export function printTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
  const text = (value: unknown) => (value === null || value === undefined ? '-' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => text(row[column]).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => text(row[column])))}\n`);
}

export function failWithInputError(error: InputError): never {
  process.stderr.write(`${error.message}\n`);
  for (const issue of error.issues) process.stderr.write(`  ${issue.field}: ${issue.message}\n`);
  process.exit(2);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// An id given on the command line, or an input error naming the argument.
export function uuidArgument(field: string, value: string, message = 'must be a UUID'): string {
  if (!uuidPattern.test(value)) throw new InputError([{ field, message }]);
  return value;
}
