// The console's first paint: BENCH_CONSOLE_PARTICIPANTS (default 10,000)
// members of 20 LPAs on the embedded database (PGlite, in memory), a year
// of premium cycles run by the real job code, a claim for one member in
// fifty, December's reports kept as the monthly job keeps them. Then a
// person of each role signs in in Chromium (Debian's, driven by
// playwright-core) and opens every page of their menu, a search, a claim
// and, two links deep, the first pages each links to; the first contentful
// paint of each is measured as the browser reports it, beside the sign-in
// page's (no database) in the same run. Run by `npm run bench`.
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import type { Role } from '../src/access/principal.ts';
import { newClaimSchema } from '../src/claims/model.ts';
import { submitClaim } from '../src/claims/submit.ts';
import { openDatabase } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { runPremiumCycle } from '../src/premiums/cycle.ts';
import { produceMonthlyReports } from '../src/reports/runs.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { recordFigures } from './bench-results.ts';
import { insertApprovedLpas, insertEnrolledParticipants, peakResidentMb } from './bench-service.ts';
import { type ConsolePerson, startConsole } from './console-service.ts';

const participantsCount = Number(process.env.BENCH_CONSOLE_PARTICIPANTS ?? 10_000);
const lpasCount = 20;
const secondsMax = 1;
// Pages a menu page links to, opened per menu page: enough to reach each kind of detail page.
const linksFollowedMax = 3;
const linksDeepMax = 2;
const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
const noProgress = async () => {};

const database = await openDatabase({ backend: 'pglite', dataDir: null });
const { db } = database;
const setupStarted = performance.now();
await migrateLatest(db);
const rulesDir = process.env.RULES_DIR ?? 'rules';
const book = loadRuleBook(rulesDir);
await recordPublishedVersions(db, book, rulesDir);
const lpaIds = await insertApprovedLpas(db, lpasCount);
// Enrolled over the first half of 2026, a day in turn.
await insertEnrolledParticipants(db, lpaIds, participantsCount, "date '2026-01-01' + (g % 180)::int", '2026.1');
for (let month = 1; month <= 12; month++)
  await runPremiumCycle(db, book, `2026-${String(month).padStart(2, '0')}`, actor, noProgress);
const claimants = await db('participants')
  .orderByRaw('md5(id::text)')
  .limit(Math.round(participantsCount / 50))
  .select<{ id: string; lpa_id: string }[]>('id', 'lpa_id');
for (const [index, claimant] of claimants.entries())
  await submitClaim(
    db,
    book,
    {
      lpaId: claimant.lpa_id,
      claim: newClaimSchema.parse({
        participantId: claimant.id,
        claimType: 'sickness',
        incidentDate: `2026-${String(7 + (index % 5)).padStart(2, '0')}-10`,
        reportDate: `2026-${String(7 + (index % 5)).padStart(2, '0')}-12`,
        sicknessDays: 5 + (index % 6),
        payout: { method: 'cash', receivedBy: 'Bench' },
      }),
      idempotencyKey: `bench-console-claim-${index}`,
      today: '2026-12-20',
      defaultScheme: 'standalone',
      fieldPrefix: '',
    },
    actor,
  );
await produceMonthlyReports(db, '2026-12', actor);
const duesCount = Number((await db('premium_dues').count<{ count: string }[]>({ count: '*' }))[0]?.count);
const setupSeconds = (performance.now() - setupStarted) / 1000;

const people: readonly ConsolePerson[] = [
  { username: 'director', role: 'directorate' },
  { username: 'finance', role: 'finance' },
  { username: 'auditor', role: 'auditor' },
  { username: 'dinsos', role: 'dinsos', regencyCode: '6210' },
  { username: 'lpa', role: 'lpa', lpaId: lpaIds[0] },
];
const service = await startConsole(db, { book, rulesDir, today: '2027-01-10', people });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

interface Painted {
  readonly role: Role;
  readonly path: string;
  readonly status: number;
  readonly seconds: number;
}

// The first contentful paint of a page opened afresh, as Chromium reports it.
async function firstPaint(page: Page, url: string): Promise<{ status: number; seconds: number }> {
  const response = await page.goto(url, { waitUntil: 'load' });
  const milliseconds = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const found = performance.getEntriesByName('first-contentful-paint')[0];
        if (found !== undefined) {
          resolve(found.startTime);
          return;
        }
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry !== undefined) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
  return { status: response?.status() ?? 0, seconds: milliseconds / 1000 };
}

// A path with its ids taken out, so each kind of page is opened once.
const kindOf = (path: string) => path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');

const painted: Painted[] = [];
let signInSeconds = 0;
try {
  for (const person of people) {
    const context = await browser.newContext();
    const cookie = service.cookies.get(person.username)?.split('=') ?? [];
    await context.addCookies([{ name: cookie[0] ?? '', value: cookie.slice(1).join('='), url: service.base }]);
    const page = await context.newPage();
    if (person.role === 'directorate') {
      // The bare limit: a page drawn without the database, twice, the second one timed.
      const anonymous = await browser.newContext();
      const signInPage = await anonymous.newPage();
      await firstPaint(signInPage, `${service.base}/sign-in`);
      signInSeconds = (await firstPaint(signInPage, `${service.base}/sign-in`)).seconds;
      await anonymous.close();
    }
    await page.goto(`${service.base}/`);
    const menu = await page.$$eval('nav.menu a', (links) =>
      links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
    );
    // Every menu page, a search that finds many, and one of the LPA's claims; then, two
    // links deep, the first pages each links to: a participant, their savings, a claim…
    const claim = await db('claims').where({ lpa_id: lpaIds[0] }).first<{ id: string }>('id');
    const starts = [...menu, '/peserta?q=Peserta+Uji', ...(claim === undefined ? [] : [`/klaim/${claim.id}`])];
    const seen = new Set<string>();
    let frontier = starts.map((path) => ({ path, depth: 0 }));
    while (frontier.length > 0) {
      const next: { path: string; depth: number }[] = [];
      for (const { path, depth } of frontier) {
        if (seen.has(kindOf(path))) continue;
        seen.add(kindOf(path));
        painted.push({ role: person.role, path, ...(await firstPaint(page, `${service.base}${path}`)) });
        if (depth >= linksDeepMax) continue;
        const links = await page.$$eval('main a[href^="/"]:not([download])', (found) =>
          found.map((link) => {
            const url = new URL((link as HTMLAnchorElement).href);
            return url.pathname + url.search;
          }),
        );
        const fresh = links.filter(
          (link) => !seen.has(kindOf(link)) && !link.startsWith('/v1/') && !/\.(pdf|xlsx|csv|json)(\?|$)/.test(link),
        );
        next.push(...[...new Set(fresh)].slice(0, linksFollowedMax).map((link) => ({ path: link, depth: depth + 1 })));
      }
      frontier = next;
    }
    await context.close();
  }
} finally {
  await browser.close();
  await service.close();
  await database.close();
}

const failed = painted.filter((page) => page.status !== 200);
recordFigures(
  painted.map((page) => ({
    bench: 'console',
    name: `first paint ${page.path} as ${page.role}`,
    value: page.seconds,
    unit: 's' as const,
    limit: signInSeconds,
    limitName: 'the sign-in page’s first paint (no database)',
    target: `≤ ${secondsMax} s`,
    met: page.status === 200 && page.seconds <= secondsMax,
    scale: participantsCount,
  })),
);
const slowest = Math.max(...painted.map((page) => page.seconds));
process.stdout.write(
  [
    `The console's first paint in Chromium: ${participantsCount.toLocaleString('en')} members of ${lpasCount} LPAs, a year of premium cycles (${duesCount.toLocaleString('en')} dues), ${claimants.length} claims, on PGlite (set-up ${setupSeconds.toFixed(1)} s):`,
    ...painted.map(
      (page) =>
        `  ${page.role.padEnd(11)} ${page.path.padEnd(60)} ${page.seconds.toFixed(2).padStart(6)} s${page.status === 200 ? '' : `   answered ${page.status}`}`,
    ),
    `  bare: the sign-in page (no database)  ${signInSeconds.toFixed(2)} s`,
    `  ${painted.length} pages, slowest ${slowest.toFixed(2)} s; target: each within ${secondsMax} s: ${failed.length === 0 && slowest <= secondsMax ? 'met' : 'NOT met'}; peak resident memory ${peakResidentMb()} MB`,
    '',
  ].join('\n'),
);
if (failed.length > 0) process.exitCode = 1;
