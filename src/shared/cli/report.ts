import { writeFileSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { type ReportFormat, renderReport, type ReportTable } from '../table.ts';
import { failWithInputError } from './output.ts';

// How every command that prints a report takes its options and writes it.

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

export const formatOption = ['--format <format>', 'json, csv or xlsx (xlsx needs --out)', 'json'] as const;
export const outOption = ['--out <file>', 'write the report to this file instead of standard output'] as const;

export function needOutForXlsx(format: ReportFormat, out: string | undefined): void {
  if (format === 'xlsx' && out === undefined)
    failWithInputError(new InputError([{ field: '--out', message: 'is needed for xlsx: a spreadsheet is not text' }]));
}

export async function writeReport(table: ReportTable, format: ReportFormat, out: string | undefined): Promise<void> {
  const rendered = await renderReport(table, format);
  const output = typeof rendered === 'string' || Buffer.isBuffer(rendered) ? rendered : `${JSON.stringify(rendered, null, 2)}\n`;
  if (out === undefined) process.stdout.write(output);
  else {
    writeFileSync(out, output);
    process.stdout.write(`${table.title}: ${table.rows.length} row(s) written to ${out}\n`);
  }
}
