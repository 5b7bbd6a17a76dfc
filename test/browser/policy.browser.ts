import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleInBrowser } from '../support/browser.ts';

// The directorate's journey through policy, in Chromium: from a version in
// force to a draft raising the accident allowance, its diff, its impact
// with the charts drawn, and its publication, on a scratch copy of the
// shipped rules. axe-core checks every page; each main page is shot.

describe('policy in Chromium', () => {
  const browser = consoleInBrowser({ writableRules: true });
  const { open, signIn, checkAccessibility, shoot } = browser;

  // Every chart on the page, drawn by Chart.js from its JSON block.
  const chartsDrawn = (page: Page) =>
    page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart?: { getChart(canvas: Element): unknown } }).Chart;
      return [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => chart?.getChart(canvas) !== undefined);
    });

  it('lets the directorate make a draft, see its diff and impact, and publish it', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.directorate);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Kebijakan' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Kebijakan: versi aturan');
    const standalone = page.getByRole('region', { name: 'Skema standalone' });
    expect(await standalone.getByRole('row', { name: /2026\.1/ }).textContent()).toContain('Berlaku');
    expect(await standalone.getByRole('row', { name: /2027\.3/ }).textContent()).toContain('Dijadwalkan');
    await checkAccessibility(page);
    await shoot(page, 'policy-versions');

    await standalone.getByRole('link', { name: '2027.3', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Versi standalone 2027.3');
    expect(
      await page
        .getByRole('row', { name: /ceiling\.accident-allowance/ })
        .first()
        .textContent(),
    ).toContain('Rp 500.000');
    await checkAccessibility(page);

    await page.getByRole('link', { name: 'Buat draf dari versi ini' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Draf baru dari standalone 2027.3');
    await page.getByLabel('Judul').fill('Standalone Askesos fund: the accident allowance raised');
    await page.getByLabel('Berlaku mulai').fill('2028-01-01');
    await page.getByLabel('Nama versi (boleh kosong)').fill('2028.1');
    await page.getByLabel('Dasar keputusan (dokumen)').fill('Keputusan Dirjen Nomor 12/2027');
    await page.getByLabel('Bagian dokumen').fill('Lampiran I, butir 3');
    await page.getByLabel('Alasan perubahan').fill('Santunan kecelakaan naik mengikuti biaya seminggu tidak bekerja.');
    await page.getByLabel('ceiling.accident-allowance').fill('600000.00');
    await checkAccessibility(page);
    await shoot(page, 'policy-draft');
    await page.getByRole('button', { name: 'Simpan draf' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Versi standalone 2028.1');
    expect(await page.getByRole('status').textContent()).toContain('Draf 2028.1 disimpan');
    const diff = page.getByRole('region', { name: 'Perubahan 2027.3 → 2028.1' });
    expect(await diff.getByRole('row', { name: /ceiling\.accident-allowance/ }).textContent()).toBe(
      'ceiling.accident-allowanceRp 500.000Rp 600.000',
    );
    await checkAccessibility(page);
    await shoot(page, 'policy-draft-diff');

    await page.getByRole('link', { name: 'Lihat dampak' }).click();
    expect(await page.locator('main').textContent()).toContain('Dampak versi ini belum pernah dijalankan.');
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Jalankan dampak' }).click();
    // The run works in the background; the page reloads itself until the charts are there.
    await page.waitForSelector('canvas[data-chart]', { timeout: 60_000 });
    await page.waitForLoadState('load');
    await expect.poll(() => chartsDrawn(page)).toEqual([true, true, true]);
    const claims = page.getByRole('region', { name: 'Klaim 12 bulan terakhir, diputus ulang' });
    expect(await claims.getByRole('row', { name: /Santunan kecelakaan/ }).textContent()).toBe(
      'Santunan kecelakaan11Rp 500.000Rp 600.000Rp 100.000',
    );
    await checkAccessibility(page);
    await shoot(page, 'policy-impact');

    await page.getByRole('link', { name: 'Kembali ke versi 2028.1' }).click();
    await page.getByRole('link', { name: 'Terbitkan…' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Terbitkan standalone 2028.1');
    const what = page.getByRole('region', { name: 'Yang terjadi bila diterbitkan' });
    expect(await what.textContent()).toContain('Versi 2028.1 menjadi aturan yang berlaku mulai 1 Januari 2028.');
    expect(await what.textContent()).toContain('Versi 2027.3 berakhir pada 31 Desember 2027.');
    await checkAccessibility(page);
    await page.getByLabel('Saya menerbitkan 2028.1 untuk berlaku mulai 1 Januari 2028, dengan perubahan di bawah.').check();
    await page.getByRole('button', { name: 'Terbitkan 2028.1' }).click();

    await expect.poll(() => page.getByRole('status').textContent()).toContain('Versi 2028.1 diterbitkan');
    // Scheduled, it may still be withdrawn before its first day.
    expect(await page.getByRole('region', { name: 'Tarik versi ini' }).textContent()).toContain(
      'Versi 2028.1 dijadwalkan berlaku mulai 1 Januari 2028.',
    );
    await checkAccessibility(page);
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Kebijakan' }).click();
    const published = page.getByRole('region', { name: 'Skema standalone' }).getByRole('row', { name: /2028\.1/ });
    expect(await published.textContent()).toContain('Dijadwalkan');
    expect(await published.textContent()).toContain('user:kepala.dit');
    await checkAccessibility(page);
    await shoot(page, 'policy-published');
  });
});
