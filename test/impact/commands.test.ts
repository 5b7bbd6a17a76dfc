import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceDatabase, openServiceDatabase } from '../support/db.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../scripts/askesos.mjs');

// The command as the directorate runs it, in a process of its own; each start
// opens the database (seconds), so the budget is per process.
describe('askesos rules impact', { timeout: 300_000 }, () => {
  let database: ServiceDatabase;
  let out: string;
  beforeAll(async () => {
    database = await openServiceDatabase();
    out = mkdtempSync(join(tmpdir(), 'askesos-impact-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await database.close();
  });

  async function askesos(...args: string[]) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...database.env };
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('prints the impact table as JSON and writes the same rows as CSV and a spreadsheet', async () => {
    const csv = join(out, 'impact.csv');
    const xlsx = join(out, 'impact.xlsx');
    const answer = await askesos(
      'rules',
      'impact',
      'standalone/2027.3',
      '--today',
      '2027-07-15',
      '--json',
      '--csv',
      csv,
      '--xlsx',
      xlsx,
    );
    expect(answer.code).toBe(0);
    const table = JSON.parse(answer.stdout) as { title: string; columns: { header: string }[]; rows: Record<string, unknown>[] };
    expect(table.title).toBe('Impact of standalone 2027.3');
    expect(table.rows.filter((row) => row.section === 'money' && row.measure === 'stateBudget')).toHaveLength(12);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(table.columns.map((column) => column.header).join(','));
    expect(lines).toHaveLength(table.rows.length + 1);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets[0]?.rowCount).toBe(table.rows.length + 1);
  });

  it('refuses a version the rule book does not hold, naming the ones it does', async () => {
    const answer = await askesos('rules', 'impact', 'standalone/2099.1', '--today', '2027-07-15');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain('version: no rule version standalone/2099.1; known:');
  });

  it('refuses a CSV locale it does not know, naming --locale, before reading anything', async () => {
    const answer = await askesos('rules', 'impact', 'standalone/2027.3', '--today', '2027-07-15', '--locale', 'fr');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain('--locale: ');
  });
});
