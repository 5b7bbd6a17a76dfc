import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fromNumeric, toAmountString } from '../../src/money/index.ts';
import { testToday } from '../support/api.ts';
import { consoleInBrowser } from '../support/browser.ts';
import { accidentClaim, fileClaim } from '../support/claims.ts';

// Finance's month in Chromium: pay an approved claim, run the month's
// premium cycle and follow it to its end, download a report as a
// spreadsheet and read a figure in it; and an LPA kept out of it all.

describe('finance in Chromium', () => {
  const browser = consoleInBrowser();
  const { open, signIn, checkAccessibility, shoot } = browser;

  it('pays an approved claim, runs a month and downloads the fund statement as XLSX', async () => {
    const { db } = browser.database;
    const { lpaA } = browser.fund;
    // A member of LPA A besides the one the fund's own claim is for, whose accident the rules approve outright.
    const member = await db('enrolments')
      .where({ lpa_id: lpaA, status: 'active' })
      .whereNot({ participant_id: browser.fund.participantOfA })
      .first<{ participant_id: string }>('participant_id');
    const claim = await fileClaim(db, {
      lpaId: lpaA,
      participantId: member.participant_id,
      body: accidentClaim('2026-11-22', 'finance-browser'),
      key: 'finance-browser-1',
      today: testToday,
    });
    expect(claim.status).toBe('approved');
    const amount = claim.amount ?? '';

    const page = await open();
    await signIn(page, browser.fund.users.finance);
    await page.getByRole('link', { name: 'Pembayaran' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pembayaran');
    await checkAccessibility(page);
    await shoot(page, 'finance-payments');
    await page.getByRole('link', { name: `Bayar klaim ${claim.id.slice(0, 8)}` }).click();
    await page.getByLabel('Referensi pembayaran').fill('TRF-BROWSER-01');
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Bayar klaim' }).click();
    await page.waitForLoadState('load');
    const notice = await page.getByRole('status').textContent();
    expect(notice).toContain('Klaim dibayar');
    expect(notice).toContain('TRF-BROWSER-01');
    const postings = page.getByRole('table', { name: 'Baris jurnal' });
    expect(await postings.getByRole('row', { name: /1100/ }).textContent()).toContain(
      `Rp ${Number(amount).toLocaleString('id-ID')}`,
    );
    await checkAccessibility(page);

    await page.getByRole('link', { name: 'Tugas terjadwal' }).click();
    await checkAccessibility(page);
    await shoot(page, 'finance-jobs');
    const start = page.getByRole('region', { name: 'Jalankan satu periode' });
    await start.getByLabel('Tugas').selectOption('premium-cycle');
    await start.getByLabel('Periode').fill('2026-11');
    await start.getByRole('button', { name: 'Jalankan' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/keuangan/tugas/jalan/premium-cycle:2026-11');
    // The page reloads itself while the run works, and stops once it is done.
    await expect
      .poll(async () => page.locator('dl.details').first().textContent(), { timeout: 30_000 })
      .toMatch(/^StatusSelesai/);
    await page.waitForLoadState('load');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Ringkasan' }).count()).toBe(1);
    await checkAccessibility(page);
    await shoot(page, 'finance-job-run');
    // The month-end job keeps October's reports, which the catalogue lists with their downloads.
    await page.getByRole('link', { name: 'Kembali ke tugas terjadwal' }).click();
    await start.getByLabel('Tugas').selectOption('monthly-reports');
    await start.getByLabel('Periode').fill('2026-10');
    await start.getByRole('button', { name: 'Jalankan' }).click();
    await expect
      .poll(async () => page.locator('dl.details').first().textContent(), { timeout: 30_000 })
      .toMatch(/^StatusSelesai/);
    await page.waitForLoadState('load');
    const dues = await db('premium_dues').where({ period: '2026-11-01' }).count<{ count: string }[]>({ count: '*' });
    expect(Number(dues[0]?.count)).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Laporan' }).click();
    await checkAccessibility(page);
    await shoot(page, 'finance-reports');
    const kept = page.getByRole('table', { name: 'Laporan tersimpan' });
    expect(await kept.getByRole('row', { name: /Laporan keuangan dana 1 Oktober 2026 – 31 Oktober 2026/ }).count()).toBe(1);
    const statement = page.getByRole('region', { name: 'Laporan keuangan dana' });
    await statement.getByLabel('Dari tanggal').fill('2026-10-01');
    await statement.getByLabel('Sampai tanggal').fill('2026-11-25');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      statement.getByRole('button', { name: 'XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('fund-statement-2026-10-01-2026-11-25.xlsx');
    const path = join(mkdtempSync(join(tmpdir(), 'finance-')), download.suggestedFilename());
    await download.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    const cash = sheet?.getRows(2, sheet.rowCount - 1)?.find((row) => row.getCell(2).value === '1100');
    // The working capital paid in, less the claim just paid.
    expect(toAmountString(fromNumeric(String(cash?.getCell(4).value)))).toBe(
      toAmountString(fromNumeric('10000000').minus(fromNumeric(amount))),
    );
  });

  it('shows an LPA officer the 403 page for a finance page', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    expect(await page.getByRole('link', { name: 'Pembayaran' }).count()).toBe(0);
    const response = await page.goto(`${browser.base}/keuangan/pembayaran`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tidak diizinkan');
    expect(await page.locator('main').textContent()).toContain('Peran Anda tidak boleh membuka halaman ini.');
    await checkAccessibility(page);
  });
});
