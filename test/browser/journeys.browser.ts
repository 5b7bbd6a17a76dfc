import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fromNumeric, toAmountString } from '../../src/money/index.ts';
import { consoleInBrowser, fillEnrolmentForm } from '../support/browser.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// One claim through the fund's people, in Chromium, each in their own
// session: an LPA officer enrols a member and files a claim for them with
// its scans; the rules refer it; the directorate reviews and approves it
// with a reason; finance pays it, runs the month and downloads the fund
// statement with the payment in it. December 2026, under the rules of
// 2026.2, which refer medical bills near the ceiling to review.

// A 1×1 PNG: a real image, as a phone or scanner would send one.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('one claim through the fund, in Chromium', () => {
  const browser = consoleInBrowser({ today: '2026-12-21' });
  const { open, signIn, checkAccessibility, closeContext } = browser;

  it('is enrolled and filed by the LPA, reviewed by the directorate, paid and reported by finance', async () => {
    const { db } = browser.database;
    const { users } = browser.fund;

    // The LPA officer enrols a member, then files their medical bills with the papers' scans.
    const lpa = await open();
    await signIn(lpa, users.lpaA);
    await lpa.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Pendaftaran' }).click();
    await fillEnrolmentForm(lpa, motorbikeTaxiDriver(71, { name: 'Markus Tingang' }), { head: 'Ya' });
    await lpa.getByRole('button', { name: 'Ajukan pendaftaran' }).click();
    await lpa.waitForLoadState('load');
    expect(await lpa.getByRole('heading', { level: 1 }).textContent()).toBe('Markus Tingang');
    const participantId = new URL(lpa.url()).pathname.split('/').at(-1) ?? '';
    await lpa.getByRole('link', { name: 'Ajukan klaim' }).click();
    await lpa.getByLabel('Jenis klaim').selectOption('accident-medical');
    await lpa.getByLabel('Tanggal kejadian').fill('2026-12-18');
    await lpa.getByRole('button', { name: 'Lanjut' }).click();
    await lpa.getByLabel('Tanggal dilaporkan ke LPA').fill('2026-12-19');
    await lpa.getByLabel('Biaya menurut kuitansi (rupiah)').fill('4800000');
    for (const [paper, number] of [
      ['Surat keterangan dokter', 'SKD-12/XII/2026'],
      ['Kuitansi', 'KW-0981'],
    ] as const) {
      const group = lpa.getByRole('group', { name: paper });
      await group.getByLabel('Nomor dokumen').fill(number);
      await group.getByLabel('Tanggal dokumen').fill('2026-12-18');
      await group.getByLabel('Pindaian (PDF, PNG atau JPEG)').setInputFiles({
        name: `${number}.png`,
        mimeType: 'image/png',
        buffer: png,
      });
    }
    await lpa.getByLabel('Diterima oleh').fill('Markus Tingang');
    await checkAccessibility(lpa);
    await lpa.getByRole('button', { name: 'Ajukan klaim' }).click();
    await expect.poll(() => new URL(lpa.url()).pathname).toMatch(/^\/klaim\/[0-9a-f-]{36}$/);
    const claimId = new URL(lpa.url()).pathname.split('/').at(-1) ?? '';
    expect(await lpa.getByRole('region', { name: 'Keputusan' }).textContent()).toContain('Dirujuk');
    await checkAccessibility(lpa);
    await closeContext();
    const filed = await db('claims').where({ id: claimId }).first('participant_id', 'status', 'amount');
    expect(filed).toEqual({ participant_id: participantId, status: 'referred', amount: '4800000.00' });
    expect(await db('claim_document_scans').where({ claim_id: claimId }).count<{ count: string }[]>({ count: '*' })).toEqual([
      { count: '2' },
    ]);

    // The directorate finds it in the review queue and approves it, saying why.
    const director = await open();
    await signIn(director, users.directorate);
    await director.getByRole('link', { name: 'Tinjauan klaim' }).click();
    const queue = director.getByRole('region', { name: 'Klaim yang ditinjau' });
    const row = queue.getByRole('row', { name: /Markus Tingang/ });
    expect(await row.textContent()).toContain('Rp 4.800.000');
    await row.getByRole('link').click();
    await director.getByLabel('Setujui').check();
    await director.getByLabel('Alasan keputusan').fill('Kuitansi cocok dengan catatan rumah sakit.');
    await director.getByRole('button', { name: 'Simpan keputusan' }).click();
    await expect.poll(() => director.getByRole('status').textContent()).toContain('Klaim disetujui pada tinjauan.');
    await checkAccessibility(director);
    await closeContext();
    const approved = await db('claims').where({ id: claimId }).first<{ status: string; amount: string }>('status', 'amount');
    expect(approved.status).toBe('approved');

    // Finance pays it, runs December's premium cycle and downloads the statement with the payment in it.
    const finance = await open();
    await signIn(finance, users.finance);
    await finance.getByRole('link', { name: 'Pembayaran' }).click();
    await finance.getByRole('link', { name: `Bayar klaim ${claimId.slice(0, 8)}` }).click();
    await finance.getByLabel('Referensi pembayaran').fill('TRF-JOURNEY-01');
    await finance.getByRole('button', { name: 'Bayar klaim' }).click();
    await expect.poll(() => finance.getByRole('status').textContent()).toContain('Klaim dibayar');
    await checkAccessibility(finance);
    await finance.getByRole('link', { name: 'Tugas terjadwal' }).click();
    const start = finance.getByRole('region', { name: 'Jalankan satu periode' });
    await start.getByLabel('Tugas').selectOption('premium-cycle');
    await start.getByLabel('Periode').fill('2026-12');
    await start.getByRole('button', { name: 'Jalankan' }).click();
    await expect
      .poll(async () => finance.locator('dl.details').first().textContent(), { timeout: 30_000 })
      .toMatch(/^StatusSelesai/);
    await finance.waitForLoadState('load');
    expect(
      Number((await db('premium_dues').where({ period: '2026-12-01' }).count<{ count: string }[]>({ count: '*' }))[0]?.count),
    ).toBeGreaterThan(0);
    await finance.getByRole('link', { name: 'Laporan' }).click();
    const statement = finance.getByRole('region', { name: 'Laporan keuangan dana' });
    await statement.getByLabel('Dari tanggal').fill('2026-12-01');
    await statement.getByLabel('Sampai tanggal').fill('2026-12-21');
    const [download] = await Promise.all([
      finance.waitForEvent('download'),
      statement.getByRole('button', { name: 'XLSX' }).click(),
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'journey-')), download.suggestedFilename());
    await download.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    const cash = sheet?.getRows(2, sheet.rowCount - 1)?.find((row) => row.getCell(2).value === '1100');
    // The working capital paid in, less the claim just paid at the amount the review approved.
    expect(toAmountString(fromNumeric(String(cash?.getCell(4).value)))).toBe(
      toAmountString(fromNumeric('10000000').minus(fromNumeric(approved.amount))),
    );
    await checkAccessibility(finance);
  });
});
