import { describe, expect, it } from 'vitest';
import { consoleInBrowser } from '../support/browser.ts';
import { fileClaim } from '../support/claims.ts';

// Claims in Chromium: an LPA officer files one with the scan of a paper and
// reads the decision; the directorate samples the review queue and decides
// a referred claim with its reason.

// A 1×1 PNG: a real image, as a phone or scanner would send one.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('claims in Chromium', () => {
  const browser = consoleInBrowser();
  const { open, signIn, checkAccessibility, shoot } = browser;

  it('lets an LPA officer file a claim with a scan for a member, and see the decision and its explanation', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    await page.goto(`${browser.base}/peserta/${browser.fund.participantOfA}`);
    await checkAccessibility(page);
    await page.getByRole('link', { name: 'Ajukan klaim' }).click();
    await page.getByLabel('Jenis klaim').selectOption('accident');
    await page.getByLabel('Tanggal kejadian').fill('2026-11-22');
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Lanjut' }).click();

    await page.getByLabel('Tanggal dilaporkan ke LPA').fill('2026-11-23');
    const statement = page.getByRole('group', { name: 'Surat keterangan kecelakaan' });
    await statement.getByLabel('Nomor dokumen').fill('SKK-041/XI/2026');
    await statement.getByLabel('Tanggal dokumen').fill('2026-11-22');
    await statement.getByLabel('Pindaian (PDF, PNG atau JPEG)').setInputFiles({
      name: 'surat-kecelakaan.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByLabel('Diterima oleh').fill('Maria Ingan');
    await checkAccessibility(page);
    await shoot(page, 'claim-form');
    await page.getByRole('button', { name: 'Ajukan klaim' }).click();

    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/klaim\/[0-9a-f-]{36}$/);
    const main = page.locator('main');
    expect(await page.getByRole('status').textContent()).toContain('Klaim diajukan dan sudah diputuskan menurut aturan.');
    const decision = page.getByRole('region', { name: 'Keputusan' });
    expect(await decision.textContent()).toContain('Disetujui');
    expect(await decision.textContent()).toMatch(/Rp [0-9.]+/);
    expect(await decision.textContent()).toContain('Decided by standalone version 2026.1');
    expect(await main.textContent()).toContain('Pindaian dokumen diunggah');
    const scanLink = page.getByRole('link', { name: /Buka pindaian Surat keterangan kecelakaan/ });
    const scan = await page.request.get(new URL(String(await scanLink.getAttribute('href')), browser.base).toString());
    expect(scan.status()).toBe(200);
    expect(Buffer.compare(await scan.body(), png)).toBe(0);
    await checkAccessibility(page);
    await shoot(page, 'claim-decided');
  });

  it('lets the directorate sample the review queue and decide a referred claim with its reason', async () => {
    const { db } = browser.database;
    const { fund } = browser;
    const [memberA = '', otherA = ''] = (await db('participants')
      .join('enrolments', 'enrolments.participant_id', 'participants.id')
      .where({ 'participants.lpa_id': fund.lpaA, 'enrolments.status': 'active' })
      .orderBy('participants.nik')
      .pluck('participants.id')) as string[];
    const [memberB = ''] = (await db('participants').where({ lpa_id: fund.lpaB }).pluck('id')) as string[];
    // Medical bills reported more than 90 days late, which the 2027 rules
    // refer to review, filed as the LPAs would have by mid-2027; and LPA A's
    // past: twenty bills granted at Rp 50,000 to Rp 1,000,000.
    const medical = (incidentDate: string, reportDate: string, cost: string, key: string) => ({
      claimType: 'accident-medical',
      incidentDate,
      reportDate,
      costClaimed: cost,
      documents: ['medical-certificate', 'receipt'].map((kind) => ({ kind, number: `${kind}-${key}`, date: incidentDate })),
    });
    const file = (lpaId: string, participantId: string, key: string, body: Record<string, unknown>) =>
      fileClaim(db, { lpaId, participantId, key, today: '2027-06-30', body });
    for (let serial = 1; serial <= 20; serial += 1)
      await file(fund.lpaA, otherA, `past-${serial}`, medical('2027-03-01', '2027-03-02', String(serial * 50000), `p${serial}`));
    const late = [
      await file(fund.lpaA, memberA, 'late-1', medical('2027-01-10', '2027-06-20', '400000', 'l1')),
      await file(fund.lpaA, memberA, 'late-2', medical('2027-02-14', '2027-06-20', '2500000', 'l2')),
      await file(fund.lpaA, otherA, 'late-3', medical('2027-02-20', '2027-06-20', '900000', 'l3')),
      await file(fund.lpaB, memberB, 'late-4', medical('2027-01-25', '2027-06-20', '1200000', 'l4')),
    ];
    expect(late.map((claim) => claim.status)).toEqual(['referred', 'referred', 'referred', 'referred']);

    const page = await open();
    await signIn(page, fund.users.directorate);
    await page.getByRole('link', { name: 'Tinjauan klaim' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Antrean tinjauan klaim');
    expect(await page.locator('main').textContent()).toContain('4 klaim dirujuk menunggu tinjauan.');
    await page.getByLabel('Jenis klaim').selectOption('accident-medical');
    await page.getByLabel('Sampel acak (persen)').fill('25');
    await page.getByLabel('Benih sampel acak').fill('audit-2027-06');
    await page.getByLabel('Jumlah di atas (rupiah)').fill('1000000');
    await page.getByLabel('Tidak biasa bagi LPA-nya').check();
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    const queue = page.getByRole('region', { name: 'Klaim yang ditinjau' });
    await expect.poll(() => queue.textContent()).toContain('klaim yang dirujuk terpilih');
    const unusualRow = queue.getByRole('row', { name: /Rp 2\.500\.000/ });
    expect(await unusualRow.textContent()).toContain('Jumlahnya di atas Rp 1.000.000.');
    expect(await unusualRow.textContent()).toContain(
      'Di atas persentil ke-95 LPA-nya untuk manfaat ini (Rp 950.000, dari 20 klaim).',
    );
    expect(await queue.getByRole('row', { name: /Rp 1\.200\.000/ }).textContent()).toContain('Jumlahnya di atas Rp 1.000.000.');
    await checkAccessibility(page);
    await shoot(page, 'review-queue');

    await unusualRow.getByRole('link').click();
    await expect.poll(() => page.getByRole('heading', { name: 'Putuskan tinjauan' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Keputusan' }).textContent()).toContain('Dilaporkan terlambat');
    await page.getByLabel('Tolak').check();
    await page.getByRole('button', { name: 'Simpan keputusan' }).click();
    // The browser asks for the reason before sending the form.
    expect(await page.getByLabel('Alasan keputusan').evaluate((field: HTMLTextAreaElement) => field.validity.valueMissing)).toBe(
      true,
    );
    await page.getByLabel('Alasan keputusan').fill('Kuitansi tidak cocok dengan catatan klinik; keterlambatan tidak dijelaskan.');
    await checkAccessibility(page);
    await shoot(page, 'review-decide');
    await page.getByRole('button', { name: 'Simpan keputusan' }).click();

    await expect.poll(() => new URL(page.url()).pathname).toBe('/klaim/tinjau');
    expect(await page.getByRole('status').textContent()).toContain('Klaim ditolak pada tinjauan.');
    // Back to the same sampling, without the claim just decided.
    expect(await page.getByLabel('Benih sampel acak').inputValue()).toBe('audit-2027-06');
    expect(await page.locator('main').textContent()).not.toContain('Rp 2.500.000');
    await checkAccessibility(page);
    const decided = await db('claims').where({ id: late[1]?.id }).first('status', 'review_reason');
    expect(decided).toEqual({
      status: 'rejected',
      review_reason: 'Kuitansi tidak cocok dengan catatan klinik; keterlambatan tidak dijelaskan.',
    });
  });
});
