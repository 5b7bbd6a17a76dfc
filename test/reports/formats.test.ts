import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceMonthlyReports } from '../../src/reports/runs.ts';
import { amount } from '../../src/money/index.ts';
import type { ReportColumn } from '../../src/shared/table.ts';
import { type TestKey, as, makeKey, publishShippedRules, testActor, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { cohortOf2012, runPremiumCycles } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';

// Every report answers the same table as JSON, as CSV in both locales and as
// a spreadsheet. A cohort of the 2012 scheme, a year and a half of premium
// cycles and a few own shares paid give most reports rows to show.
let database: TestDatabase;
let app: Express;
let finance: TestKey;
let reports: string[];

type Row = Record<string, string | number | null>;
interface Table {
  columns: ReportColumn[];
  rows: Row[];
  totals?: Row[];
}

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  app = testApp(database.db, undefined, () => '2014-06-30');
  const lpaId = await approvedLpa(database.db);
  finance = await makeKey(database.db, { role: 'finance' });
  const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
  const members = await cohortOf2012(database.db, { lpaId, size: 4, serialFrom: 701, lapsing: 1 });
  await runPremiumCycles(database.db, '2013-01', '2014-03');
  const payer = members[1]!;
  const paid = await as(app, lpaKey)
    .post(`/v1/participants/${payer.participantId}/contributions`)
    .set('Idempotency-Key', 'pays')
    .send({ amount: '10400.00', paidOn: '2014-03-25', reference: 'KW-1' });
  expect(paid.status).toBe(201);
  const kept = await produceMonthlyReports(database.db, '2014-03', testActor);
  reports = [
    '/v1/reports/subsidy-cost?from=2013-12&to=2014-03&by=regency',
    '/v1/reports/retention',
    '/v1/reports/data-quality',
    '/v1/reports/arrears',
    '/v1/reports/honorarium?period=2014-03',
    '/v1/reports/reserves?asOf=2014-03-31',
    '/v1/reports/fund-statement?from=2014-01-01&to=2014-03-31',
    '/v1/reports/indicators?from=2014-01-01&to=2014-03-31',
    '/v1/reports/lpa-progress?from=2014-01-01&to=2014-03-31',
    '/v1/reports/loan-portfolio',
    `/v1/participants/${payer.participantId}/savings/statement?kind=mandatory`,
    ...kept.runs.map((run) => `/v1/reports/runs/${run.id}`),
  ];
});

afterAll(async () => {
  await database.close();
});

const withFormat = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

async function download(path: string) {
  return as(app, finance)
    .get(withFormat(path, 'format=xlsx'))
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

// The table's lines as text, the way a CSV of the locale writes them.
function linesOf(table: Table, decimalComma: boolean): string[][] {
  return [...table.rows, ...(table.totals ?? [])].map((row) =>
    table.columns.map((column) => {
      const value = row[column.key] ?? null;
      if (value === null) return '';
      const numeric = column.kind === 'amount' || column.kind === 'ratio';
      return decimalComma && numeric ? String(value).replace('.', ',') : String(value);
    }),
  );
}

describe('every report', () => {
  it('answers JSON, CSV in en and id with the same lines, and a spreadsheet', async () => {
    for (const path of reports) {
      const json = await as(app, finance).get(path);
      expect(json.status, path).toBe(200);
      expect(json.headers['content-type'], path).toMatch(/^application\/json/);
      const table = json.body as Table;
      expect(table.rows, path).toEqual(expect.any(Array));
      const headers = table.columns.map((column) => column.header);

      const en = await as(app, finance).get(withFormat(path, 'format=csv'));
      expect(en.headers['content-type'], path).toBe('text/csv; charset=utf-8');
      expect(en.headers['content-disposition'], path).toMatch(/^attachment; filename="[^"/]+\.csv"$/);
      expect(en.text.startsWith('\uFEFF'), path).toBe(false);
      expect(parse(en.text), path).toEqual([headers, ...linesOf(table, false)]);

      const id = await as(app, finance).get(withFormat(path, 'format=csv&locale=id'));
      expect(id.text.startsWith('\uFEFF'), path).toBe(true);
      expect(parse(id.text.slice(1), { delimiter: ';' }), path).toEqual([headers, ...linesOf(table, true)]);

      const xlsx = await download(path);
      expect(xlsx.headers['content-type'], path).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((xlsx.body as Buffer).subarray(0, 2).toString(), path).toBe('PK');
    }
    expect(reports.length).toBeGreaterThanOrEqual(14);
  });

  it('reads back from its spreadsheet: numbers by kind, a frozen header, totals bold and equal to the sum of the rows', async () => {
    let totalsChecked = 0;
    for (const path of reports) {
      const table = (await as(app, finance).get(path)).body as Table;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await download(path)).body as ExcelJS.Buffer);
      const [sheet, about] = workbook.worksheets;
      expect(about?.name, path).toBe('About');
      expect(sheet!.name.length, path).toBeLessThanOrEqual(31);
      expect(sheet!.views[0], path).toMatchObject({ state: 'frozen', ySplit: 1 });
      const totals = table.totals ?? [];
      expect(sheet!.rowCount, path).toBe(1 + table.rows.length + totals.length);
      for (const [index, column] of table.columns.entries()) {
        const cells = Array.from({ length: table.rows.length + totals.length }, (_, line) =>
          sheet!.getRow(line + 2).getCell(index + 1),
        );
        for (const cell of cells.filter((entry) => entry.value !== null))
          expect(typeof cell.value, `${path} ${column.key}`).toBe(column.kind === 'text' ? 'string' : 'number');
        if (column.kind === 'ratio') for (const cell of cells) expect(cell.numFmt, path).toBe('0.00%');
        if (column.kind === 'amount') for (const cell of cells) expect(cell.numFmt, path).toBe('#,##0.00');
        if (column.kind !== 'integer' && column.kind !== 'amount') continue;
        for (const [line] of totals.entries()) {
          const total = cells[table.rows.length + line]!.value;
          if (total === null) continue;
          const sum = cells.slice(0, table.rows.length).reduce((so, cell) => so.plus(String(cell.value ?? 0)), amount('0'));
          expect(amount(String(total)).equals(sum), `${path} ${column.key}`).toBe(true);
          totalsChecked += 1;
        }
      }
      for (let line = 0; line < totals.length; line += 1)
        expect(sheet!.getRow(table.rows.length + 2 + line).font?.bold, path).toBe(true);
      for (let line = 0; line < table.rows.length; line += 1)
        expect(sheet!.getRow(line + 2).font?.bold ?? false, path).toBe(false);
    }
    expect(totalsChecked).toBeGreaterThan(20);
  });

  it('refuses a locale it does not know, naming the field', async () => {
    const refused = await as(app, finance).get('/v1/reports/retention?format=csv&locale=fr');
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('query.locale');
  });

  // Found by the fuzzer: a scheme named with a letter outside ASCII went
  // into the file name, which a header cannot carry, and answered 500.
  it('names the file in plain ASCII whatever the query held', async () => {
    const answer = await as(app, finance).get('/v1/reports/retention?scheme=%C4%80&format=csv');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toBe('attachment; filename="retention--.csv"');
  });
});
