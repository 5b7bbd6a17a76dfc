import { describe, expect, it } from 'vitest';
import { consoleInBrowser } from '../support/browser.ts';

// Each journey a person takes through the console's first pages, in
// Chromium, with axe-core checking every page visited and a screenshot of
// each main page written to screenshots/ for people to look at.

describe('the console in Chromium', () => {
  const browser = consoleInBrowser();
  const { open, signIn, checkAccessibility, shoot } = browser;

  it('signs the directorate in to the glance page, with its figures in tables and charts', async () => {
    const page = await open();
    await page.goto(`${browser.base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkAccessibility(page);
    await shoot(page, 'sign-in');
    await signIn(page, browser.fund.users.directorate);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sekilas');
    await expect.poll(() => page.locator('header').textContent()).toContain('Kepala Direktorat');
    const members = page.getByRole('region', { name: 'Peserta menurut status' });
    expect(await members.getByRole('row', { name: /Aktif/ }).textContent()).toContain('4');
    const money = page.getByRole('region', { name: 'Kas, cadangan dan piutang' });
    expect(await money.getByRole('row', { name: /Kas di bank/ }).textContent()).toContain('Rp 10.000.000');
    // Every chart was drawn by Chart.js from its JSON block.
    const drawn = await page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(canvas: Element): unknown } }).Chart;
      return [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => chart.getChart(canvas) !== undefined);
    });
    expect(drawn).toEqual([true, true, true, true, true, true]);
    await checkAccessibility(page);
    await shoot(page, 'glance-directorate');
  });

  it('shows an LPA its own figures without the fund’s money', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    expect(await page.locator('main').textContent()).toContain('Cakupan: LPA Anda.');
    expect(await page.locator('main').textContent()).toContain('Keuangan dana hanya ditampilkan untuk peran nasional.');
    await checkAccessibility(page);
    await shoot(page, 'glance-lpa');
  });

  it('locks an account after five wrong passwords, and says to wait, even for the right one', async () => {
    const page = await open();
    const user = browser.fund.users.auditor;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn(page, user, `wrong password number ${attempt}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    }
    await signIn(page, user);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('akun dikunci selama 15 menit');
    expect(alert).toContain('tunggu 15 menit lalu coba lagi');
    const locks = await browser.database
      .db('audit_log')
      .where({ action: 'user.lock' })
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(locks[0]?.count)).toBe(1);
    await checkAccessibility(page);
    await shoot(page, 'sign-in-locked');
  });

  it('refuses a form posted without the CSRF token', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.finance);
    await page.evaluate(() => document.querySelector('form[action="/language"] input[name="_csrf"]')?.remove());
    await page.getByLabel('Bahasa').selectOption('en');
    const [response] = await Promise.all([
      page.waitForResponse(`${browser.base}/language`),
      page.getByRole('button', { name: 'Ganti bahasa' }).click(),
    ]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState('load');
    expect(await page.locator('main').textContent()).toContain('tidak membawa token keamanan sesi Anda');
    // Nothing changed: the page is still in Bahasa Indonesia.
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await checkAccessibility(page);
  });

  it('switches to English and back, the choice kept on the account', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.dinsos);
    await page.getByLabel('Bahasa').selectOption('en');
    await page.getByRole('button', { name: 'Ganti bahasa' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('At a glance');
    expect(await page.getByRole('navigation', { name: 'Main menu' }).textContent()).toContain('Change password');
    expect(await page.locator('main').textContent()).toContain('Scope: regency 6210. As of 25 November 2026.');
    await checkAccessibility(page);
    await shoot(page, 'glance-english');
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByLabel('Current password').count()).toBe(1);
    await checkAccessibility(page);
    await shoot(page, 'password-english');
    await page.getByLabel('Language').selectOption('id');
    await page.getByRole('button', { name: 'Change language' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ganti kata sandi');
  });

  it('lets an LPA find and open its own participant, and answers 404 for another LPA’s', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaA);
    await page.getByRole('link', { name: 'Peserta' }).click();
    await page.getByLabel('Cari nama, NIK atau nomor kartu').fill('dingu');
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('table').getByRole('link').count()).toBe(4);
    await checkAccessibility(page);
    await shoot(page, 'participants-search');
    await page.goto(`${browser.base}/peserta/${browser.fund.participantOfA}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Yohanes Dingu');
    await checkAccessibility(page);
    await shoot(page, 'participant');

    await browser.closeContext();
    const other = await open();
    await signIn(other, browser.fund.users.lpaB);
    const response = await other.goto(`${browser.base}/peserta/${browser.fund.participantOfA}`);
    expect(response?.status()).toBe(404);
    expect(await other.getByRole('heading', { level: 1 }).textContent()).toBe('Tidak ditemukan');
    expect(await other.locator('main').textContent()).not.toContain('Yohanes');
    await checkAccessibility(other);
  });

  it('signs out to the sign-in page, which says so', async () => {
    const page = await open();
    await signIn(page, browser.fund.users.lpaB);
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByRole('status').textContent()).toContain('Anda sudah keluar.');
    await page.goto(`${browser.base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkAccessibility(page);
  });
});
