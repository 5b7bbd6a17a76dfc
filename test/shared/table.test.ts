import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type ReportTable, sheetNames, toCsv, toXlsx, totalOf } from '../../src/shared/table.ts';

const columns: ReportTable['columns'] = [
  { key: 'lpa', header: 'LPA', kind: 'text' },
  { key: 'members', header: 'Members', kind: 'integer' },
  { key: 'premium', header: 'Premium; own share', kind: 'amount' },
  { key: 'ratio', header: 'Claims ratio', kind: 'ratio' },
];
const rows = [
  { lpa: 'Yayasan "Betang"; Kuala Kurun', members: 1200, premium: '12480000.50', ratio: '0.1234' },
  { lpa: 'Koperasi Dayak, Tewah', members: 3, premium: '-31200.00', ratio: null },
];
const table: ReportTable = {
  title: 'Test: report [2026/11]',
  about: { period: '2026-11' },
  columns,
  rows,
  totals: [totalOf(columns, rows, { lpa: 'Total' })],
};

describe('a report as CSV', () => {
  it('in en: commas, decimal points, RFC 4180 quoting, no byte order mark, totals after the rows', () => {
    expect(toCsv(table)).toBe(
      [
        'LPA,Members,Premium; own share,Claims ratio',
        '"Yayasan ""Betang""; Kuala Kurun",1200,12480000.50,0.1234',
        '"Koperasi Dayak, Tewah",3,-31200.00,',
        'Total,1203,12448800.50,',
        '',
      ].join('\r\n'),
    );
  });

  it('in id: a byte order mark, semicolons, decimal commas in amounts and ratios only, quoting for the semicolon', () => {
    expect(toCsv(table, 'id')).toBe(
      `\uFEFF${[
        'LPA;Members;"Premium; own share";Claims ratio',
        '"Yayasan ""Betang""; Kuala Kurun";1200;12480000,50;0,1234',
        'Koperasi Dayak, Tewah;3;-31200,00;',
        'Total;1203;12448800,50;',
        '',
      ].join('\r\n')}`,
    );
  });
});

describe('a total line', () => {
  it('adds up integers and amounts exactly, leaves ratios and text empty unless labelled', () => {
    expect(
      totalOf(
        columns,
        [
          { members: 1, premium: '0.10' },
          { members: 2, premium: '0.20' },
        ],
        { lpa: 'Total' },
      ),
    ).toEqual({
      lpa: 'Total',
      members: 3,
      premium: '0.30',
      ratio: null,
    });
    expect(totalOf(columns, [], { premium: null })).toEqual({ lpa: null, members: 0, premium: null, ratio: null });
  });
});

describe('sheet names', () => {
  it('are at most 31 characters, without the characters Excel refuses, cut at a word, and unique ignoring case', () => {
    expect(sheetNames(['Fund statement 2026-11-01 to 2026-11-30', 'About'])).toEqual(['Fund statement 2026-11-01 to', 'About']);
    expect(sheetNames(['about', 'About'])).toEqual(['about', 'About (2)']);
    expect(sheetNames(['History'])).toEqual(['History (2)']);
    expect(sheetNames(["'Arrears: [all]*?/\\'", ''])).toEqual(['Arrears all', 'Report']);
    const long = sheetNames(['x'.repeat(40), 'x'.repeat(40)]);
    expect(long).toEqual(['x'.repeat(31), `${'x'.repeat(27)} (2)`]);
  });
});

describe('a report as a spreadsheet', () => {
  it('holds numbers formatted by kind, a frozen bold header, bold totals, widths from the content', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(table)) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Test report 2026 11', 'About']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(2)).toMatchObject({ value: 1200, numFmt: '#,##0' });
    expect(sheet.getRow(2).getCell(3)).toMatchObject({ value: 12480000.5, numFmt: '#,##0.00' });
    expect(sheet.getRow(2).getCell(4)).toMatchObject({ value: 0.1234, numFmt: '0.00%' });
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getRow(2).font?.bold).not.toBe(true);
    expect(sheet.getRow(4).font?.bold).toBe(true);
    expect(sheet.getRow(4).getCell(3).value).toBe(12448800.5);
    // "Yayasan "Betang"; Kuala Kurun" is 29 characters; "12,480,000.50" is 13.
    expect(sheet.getColumn(1).width).toBe(31);
    expect(sheet.getColumn(3).width).toBe(20);
  });
});
