import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/api.ts';
import { type ConsoleFund, type ConsoleUser, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// Each journey a person takes through the console, in Chromium, with
// axe-core checking every page visited and a screenshot of each main page
// written to screenshots/ for people to look at.

const root = resolve(import.meta.dirname, '../..');
const screenshots = join(root, 'screenshots');
// Evaluated in the page rather than added as a <script>: the console's
// Content-Security-Policy refuses inline scripts, and it stays on in these tests.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

describe('the console in Chromium', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let browser: Browser;
  let fund: ConsoleFund;
  let context: BrowserContext;
  // What the browser reported against the page: a CSP refusal, a script error.
  let pageProblems: string[];

  beforeAll(async () => {
    database = await openTestDatabase();
    fund = await seedConsoleFund(database.db);
    server = testApp(database.db).listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    await database?.close();
  });
  afterEach(async () => {
    await context?.close();
    expect(pageProblems).toEqual([]);
  });

  const open = async (): Promise<Page> => {
    pageProblems = [];
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A refused sign-in or form is answered 401 or 403 on purpose; what
    // must not fail is anything a page loads: a script, a stylesheet.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'document' && response.status() >= 400)
        pageProblems.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => pageProblems.push(`failed ${request.url()}`));
    page.on('pageerror', (error) => pageProblems.push(error.message));
    return page;
  };

  // No serious or critical accessibility violation on the page as it stands.
  const checkAccessibility = async (page: Page) => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run()).violations;
    });
    const serious = violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
    expect(serious, `on ${page.url()}`).toEqual([]);
  };

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  const signIn = async (page: Page, user: ConsoleUser, password = user.password) => {
    await page.goto(`${base}/`);
    await page.getByLabel('Nama pengguna').fill(user.username);
    await page.getByLabel('Kata sandi').fill(password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForLoadState('load');
  };

  it('signs the directorate in to the glance page, with its figures in tables and charts', async () => {
    const page = await open();
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkAccessibility(page);
    await shoot(page, 'sign-in');
    await signIn(page, fund.users.directorate);
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
    await signIn(page, fund.users.lpaA);
    expect(await page.locator('main').textContent()).toContain('Cakupan: LPA Anda.');
    expect(await page.locator('main').textContent()).toContain('Keuangan dana hanya ditampilkan untuk peran nasional.');
    await checkAccessibility(page);
    await shoot(page, 'glance-lpa');
  });

  it('locks an account after five wrong passwords, and says to wait, even for the right one', async () => {
    const page = await open();
    const user = fund.users.auditor;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn(page, user, `wrong password number ${attempt}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    }
    await signIn(page, user);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toContain('akun dikunci selama 15 menit');
    expect(alert).toContain('tunggu 15 menit lalu coba lagi');
    const locks = await database.db('audit_log').where({ action: 'user.lock' }).count<{ count: string }[]>({ count: '*' });
    expect(Number(locks[0]?.count)).toBe(1);
    await checkAccessibility(page);
    await shoot(page, 'sign-in-locked');
  });

  it('refuses a form posted without the CSRF token', async () => {
    const page = await open();
    await signIn(page, fund.users.finance);
    await page.evaluate(() => document.querySelector('form[action="/language"] input[name="_csrf"]')?.remove());
    await page.getByLabel('Bahasa').selectOption('en');
    const [response] = await Promise.all([
      page.waitForResponse(`${base}/language`),
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
    await signIn(page, fund.users.dinsos);
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
    await signIn(page, fund.users.lpaA);
    await page.getByRole('link', { name: 'Peserta' }).click();
    await page.getByLabel('Cari nama, NIK atau nomor kartu').fill('dingu');
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('table').getByRole('link').count()).toBe(4);
    await checkAccessibility(page);
    await shoot(page, 'participants-search');
    await page.goto(`${base}/peserta/${fund.participantOfA}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Yohanes Dingu');
    await checkAccessibility(page);
    await shoot(page, 'participant');

    await context.close();
    expect(pageProblems).toEqual([]);
    const other = await open();
    await signIn(other, fund.users.lpaB);
    const response = await other.goto(`${base}/peserta/${fund.participantOfA}`);
    expect(response?.status()).toBe(404);
    expect(await other.getByRole('heading', { level: 1 }).textContent()).toBe('Tidak ditemukan');
    expect(await other.locator('main').textContent()).not.toContain('Yohanes');
    await checkAccessibility(other);
  });

  it('signs out to the sign-in page, which says so', async () => {
    const page = await open();
    await signIn(page, fund.users.lpaB);
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByRole('status').textContent()).toContain('Anda sudah keluar.');
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkAccessibility(page);
  });
});
