import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { motorbikeTaxiDriver } from './people.ts';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { testApp, testToday } from './api.ts';
import {
  appWithRules,
  type ConsoleFund,
  type ConsoleUser,
  seedConsoleFund,
  type WritableRules,
  writableRules,
} from './console.ts';
import { type TestDatabase, openTestDatabase } from './db.ts';

// The console in Chromium for one test file: the service on an in-memory
// PGlite with the small fund of seedConsoleFund, the machine's Chromium
// driven by playwright-core, axe-core to check a page, and screenshots
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

export interface ConsoleInBrowser {
  readonly base: string;
  readonly fund: ConsoleFund;
  readonly database: TestDatabase;
  // A new browser context and its page; whatever the page reports against
  // itself (a CSP refusal, a script error, a failed asset) fails the test.
  open(): Promise<Page>;
  // Closes the open context and checks it reported nothing, to open another in the same test.
  closeContext(): Promise<void>;
  signIn(page: Page, user: ConsoleUser, password?: string): Promise<void>;
  // No serious or critical accessibility violation on the page as it stands.
  checkAccessibility(page: Page): Promise<void>;
  shoot(page: Page, name: string): Promise<void>;
}

// Registers the file's hooks and answers what its tests drive. With
// writableRules, the service decides by a scratch copy of the shipped rules
// that drafts are made and published in, its book kept current as the
// server keeps it.
export function consoleInBrowser(options: { readonly writableRules?: boolean; readonly today?: string } = {}): ConsoleInBrowser {
  let rules: WritableRules | undefined;
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let browser: Browser;
  let fund: ConsoleFund;
  let context: BrowserContext | undefined;
  let pageProblems: string[] = [];
  // Chromium reports a navigation answered with a file as a failed request: a download is not one.
  let downloads = new Set<string>();

  beforeAll(async () => {
    database = await openTestDatabase();
    if (options.writableRules === true) rules = await writableRules(database.db);
    fund = await seedConsoleFund(database.db);
    const today = options.today === undefined ? undefined : () => options.today ?? testToday;
    server = (rules === undefined ? testApp(database.db, undefined, today) : appWithRules(database.db, rules)).listen(
      0,
      '127.0.0.1',
    );
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
    rules?.dispose();
  });

  const closeContext = async () => {
    await context?.close();
    context = undefined;
    expect(pageProblems.filter((problem) => !downloads.has(problem))).toEqual([]);
  };
  afterEach(closeContext);

  return {
    get base() {
      return base;
    },
    get fund() {
      return fund;
    },
    get database() {
      return database;
    },
    closeContext,
    open: async () => {
      pageProblems = [];
      downloads = new Set();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // A refused sign-in or form is answered 401 or 403 on purpose; what
      // must not fail is anything a page loads: a script, a stylesheet.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          pageProblems.push(message.text());
      });
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'document' && response.status() >= 400)
          pageProblems.push(`${response.status()} ${response.url()}`);
      });
      page.on('requestfailed', (request) => pageProblems.push(`failed ${request.url()}`));
      page.on('download', (download) => downloads.add(`failed ${download.url()}`));
      page.on('pageerror', (error) => pageProblems.push(error.message));
      return page;
    },
    signIn: async (page, user, password = user.password) => {
      await page.goto(`${base}/`);
      await page.getByLabel('Nama pengguna').fill(user.username);
      await page.getByLabel('Kata sandi').fill(password);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForLoadState('load');
    },
    checkAccessibility: async (page) => {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run()).violations;
      });
      const serious = violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
      expect(serious, `on ${page.url()}`).toEqual([]);
    },
    shoot: async (page, name) => {
      await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    },
  };
}

// Fills the enrolment form as an officer would, from a person as the API's tests write them.
export async function fillEnrolmentForm(
  page: Page,
  person: ReturnType<typeof motorbikeTaxiDriver>,
  answers: { readonly head: string },
): Promise<void> {
  await page.getByLabel('NIK', { exact: true }).fill(person.nik);
  await page.getByLabel('Nomor Kartu Keluarga (KK)').fill(person.kk);
  await page.getByLabel('Nama lengkap').fill(person.name);
  await page.getByLabel('Tanggal lahir').fill(person.birthDate);
  await page.getByLabel('Jenis kelamin').selectOption(person.sex);
  await page.getByLabel('Status perkawinan').selectOption(person.maritalStatus);
  await page.getByRole('group', { name: 'Kepala keluarga dan pencari nafkah utama?' }).getByLabel(answers.head).check();
  await page.getByLabel('Alamat', { exact: true }).fill(person.address);
  await page.getByLabel(/^Nomor telepon/).fill(person.phone);
  await page.getByLabel('Pekerjaan utama').selectOption(person.occupation);
  await page.getByLabel('Status kesejahteraan (DTKS)').selectOption(person.welfareStatus);
  await page.getByLabel(/^Desil kesejahteraan/).selectOption(String(person.welfareDecile));
  await page.getByLabel('Tanggal pendaftaran').fill(person.enrolledOn);
  await page.getByLabel(/^Nama ahli waris 1/).fill('Maria Dingu');
  await page.getByLabel(/^Hubungan ahli waris 1/).selectOption('spouse');
}
