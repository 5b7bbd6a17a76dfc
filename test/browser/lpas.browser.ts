import { describe, expect, it } from 'vitest';
import { amount } from '../../src/money/index.ts';
import { depositSavings } from '../../src/savings/transactions.ts';
import { testActor, testToday } from '../support/api.ts';
import { consoleInBrowser } from '../support/browser.ts';

// The LPAs section in Chromium: a dinsos office proposes an LPA and the
// directorate approves it; an LPA officer records a member's deposit, and
// applies for, disburses and repays a member's loan. axe-core checks every
// page visited; lpa-list, lpa-page, savings and loan go to screenshots/.

describe('the LPAs section in Chromium', () => {
  const browser = consoleInBrowser();
  const { open, closeContext, signIn, checkAccessibility, shoot } = browser;

  it('lets dinsos propose an LPA and the directorate approve it', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.dinsos);
    await page.getByRole('link', { name: 'LPA', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/lpa');
    expect(await page.getByRole('table').textContent()).toContain('Yayasan Betang Tumbang');
    await checkAccessibility(page);
    await shoot(page, 'lpa-list');

    await page.getByRole('link', { name: 'Usulkan LPA baru' }).click();
    await page.getByLabel('Nama LPA').fill('Perkumpulan Tani Kahayan');
    await page.getByLabel('Jenis lembaga').selectOption('association');
    expect(await page.getByLabel('Kode kabupaten/kota').inputValue()).toBe('6210');
    await page.getByLabel('Nama penanggung jawab').fill('Pak Usup');
    await page.getByLabel('Nomor telepon penanggung jawab').fill('081250002222');
    await page.getByLabel('Nama bank').fill('Bank Kalteng');
    await page.getByLabel('Nomor rekening').fill('5550001112');
    await page.getByLabel('Akreditasi', { exact: true }).selectOption('none');
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Usulkan' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('LPA sudah diusulkan');
    const lpaPath = new URL(page.url()).pathname;
    expect(await page.locator('.details').textContent()).toContain('Diusulkan sejak');
    await checkAccessibility(page);
    await closeContext();

    const directorate = await open();
    await signIn(directorate, browser.fund.users.directorate);
    await directorate.goto(`${browser.base}${lpaPath}`);
    const approve = directorate.getByRole('region', { name: 'Setujui LPA' });
    await approve.getByLabel('Alasan').fill('Diverifikasi di lapangan');
    await approve.getByRole('button', { name: 'Setujui' }).click();
    await expect.poll(() => directorate.getByRole('status').textContent()).toBe('LPA sudah disetujui.');
    expect(await directorate.locator('.details').textContent()).toContain('Disetujui sejak');
    expect(await directorate.getByRole('region', { name: 'Bekukan LPA' }).count()).toBe(1);
    await checkAccessibility(directorate);
    await shoot(directorate, 'lpa-page');
  });

  it('lets an LPA officer record a member’s deposit and see the balance', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    await page.goto(`${browser.base}/peserta/${browser.fund.participantOfA}`);
    await page.getByRole('link', { name: 'Tabungan peserta' }).click();
    expect(new URL(page.url()).pathname).toBe(`/peserta/${browser.fund.participantOfA}/tabungan`);
    await checkAccessibility(page);
    const deposit = page.getByRole('region', { name: 'Catat setoran' });
    await deposit.getByLabel('Jenis simpanan').selectOption('mandatory');
    await deposit.getByLabel('Jumlah (rupiah)').fill('50000');
    await deposit.getByLabel('Nomor bukti').fill('SW-1125');
    await deposit.getByRole('button', { name: 'Catat setoran' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Setoran sudah dicatat.');
    const accounts = page.getByRole('region', { name: 'Rekening tabungan' });
    expect(await accounts.getByRole('row', { name: /Simpanan wajib/ }).textContent()).toContain('Rp 50.000');
    const statement = page.getByRole('region', { name: 'Buku tabungan: Simpanan wajib' });
    expect(await statement.getByRole('row', { name: /SW-1125/ }).textContent()).toContain('Rp 50.000');
    await checkAccessibility(page);
    await shoot(page, 'savings');
  });

  it('lets an LPA officer apply for a member’s loan, disburse it and record a repayment', async () => {
    // The pool's cash comes from the member's savings, deposited as the API would.
    const { db } = browser.database;
    const { lpaA: lpaId } = browser.fund;
    const [member] = await db('participants')
      .where({ lpa_id: lpaId })
      .whereNot({ id: browser.fund.participantOfA })
      .orderBy('nik', 'asc')
      .select<{ id: string }[]>('id');
    const participantId = member?.id ?? '';
    const saved = { kind: 'voluntary' as const, amount: amount('600000.00'), date: '2026-09-30', reference: 'SS-0930' };
    await depositSavings(
      db,
      { lpaId, participantId, input: saved, idempotencyKey: 'lpas-browser-save', today: testToday, fieldPrefix: 'body.' },
      testActor,
    );

    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    await page.goto(`${browser.base}/peserta/${participantId}`);
    await page.getByRole('link', { name: 'Pinjaman peserta' }).click();
    await checkAccessibility(page);
    const apply = page.getByRole('region', { name: 'Ajukan pinjaman' });
    await apply.getByLabel('Produk pinjaman').fill('loan');
    await apply.getByLabel('Jumlah (rupiah)').fill('500000');
    await apply.getByLabel('Jangka waktu (bulan)').fill('5');
    await apply.getByLabel('Keperluan pinjaman').fill('Stok warung');
    await apply.getByLabel('Tanggal pengajuan').fill('2026-10-01');
    await apply.getByRole('button', { name: 'Ajukan' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Pengajuan sudah diputuskan');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('Disetujui, belum dicairkan');

    const disburse = page.getByRole('region', { name: 'Cairkan pinjaman' });
    await disburse.getByLabel('Tanggal pencairan').fill('2026-10-01');
    await disburse.getByLabel('Nomor bukti').fill('BK-1001');
    await disburse.getByRole('button', { name: 'Cairkan' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Pinjaman sudah dicairkan');
    await checkAccessibility(page);

    const repay = page.getByRole('region', { name: 'Catat angsuran' });
    await repay.getByLabel('Jumlah (rupiah)').fill('105000');
    await repay.getByLabel('Nomor bukti').fill('KW-1125');
    await repay.getByRole('button', { name: 'Catat angsuran' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Angsuran sudah dicatat.');
    const schedule = page.getByRole('table').first();
    expect(await schedule.getByRole('row', { name: /1 November 2026/ }).textContent()).toContain('Lunas');
    expect(await page.getByRole('row', { name: /KW-1125/ }).textContent()).toContain('Rp 105.000');
    await checkAccessibility(page);
    await shoot(page, 'loan');
  });
});
