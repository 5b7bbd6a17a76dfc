import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues, type Locale, locales } from '../../src/console/i18n/index.ts';
import { testApp } from '../support/api.ts';
import { type ConsoleFund, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// Every page a person of each role reaches, in each language: opened from
// the menu, a search, a claim and, two links deep, the pages each links
// to, every one answers 200 in the person's language and carries no text
// of the other language's catalogue (a key looked up in the wrong one, a
// page that forgot the person's choice).

const linksFollowedMax = 4;
const linksDeepMax = 2;
// Every text the rule files hold (titles, notes, where a value comes from), longest first.
const ruleTexts = readdirSync('rules', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.json'))
  .flatMap((path) => textsIn(JSON.parse(readFileSync(join('rules', path), 'utf8'))))
  .sort((a, b) => b.length - a.length);

function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 15 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}

// The catalogue's words in one language that the other's never uses: the
// literal runs between placeholders, long enough to be a phrase.
function wordsOnlyIn(locale: Locale): string[] {
  const other = Object.values(catalogues[locale === 'id' ? 'en' : 'id']);
  return Object.values(catalogues[locale])
    .flatMap((text) => text.split(/\{\w+\}/).map((run) => run.trim()))
    .filter((run) => run.length >= 15 && !other.some((text) => text.includes(run)));
}

function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

// A path with its ids taken out, so each kind of page is opened once.
const kindOf = (path: string) =>
  path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\?.*$/, '');

describe('every page in both languages', () => {
  let database: TestDatabase;
  let app: Express;
  let fund: ConsoleFund;

  beforeAll(async () => {
    database = await openTestDatabase();
    fund = await seedConsoleFund(database.db);
    app = testApp(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  // Every page a person reaches, as [path, status, html].
  const crawl = async (cookie: string, lpaId: string | undefined): Promise<[string, number, string][]> => {
    const get = (path: string) => request(app).get(path).set('Cookie', cookie);
    const home = await get('/');
    const menu = [...(/<nav[^>]*class="menu"[^>]*>([\s\S]*?)<\/nav>/.exec(home.text)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map(
      ([, href]) => href ?? '',
    );
    // A claim the person may see: one of their LPA's, or any for the others.
    const claim = await database
      .db('claims')
      .modify((query) => {
        if (lpaId !== undefined) query.where({ lpa_id: lpaId });
      })
      .first<{ id: string } | undefined>('id');
    const pages: [string, number, string][] = [];
    const seen = new Set<string>();
    let frontier = [...menu, '/peserta?q=dingu', ...(claim === undefined ? [] : [`/klaim/${claim.id}`])].map((path) => ({
      path,
      depth: 0,
    }));
    while (frontier.length > 0) {
      const next: { path: string; depth: number }[] = [];
      for (const { path, depth } of frontier) {
        if (seen.has(kindOf(path))) continue;
        seen.add(kindOf(path));
        const page = await get(path);
        pages.push([path, page.status, page.text]);
        if (depth >= linksDeepMax) continue;
        const main = /<main[\s\S]*?<\/main>/.exec(page.text)?.[0] ?? '';
        const links = [...main.matchAll(/<a [^>]*href="(\/[^"]*)"/g)]
          .map(([, href]) => (href ?? '').replace(/&amp;/g, '&'))
          .filter((href) => !href.startsWith('/v1/') && !seen.has(kindOf(href)));
        next.push(...[...new Set(links)].slice(0, linksFollowedMax).map((link) => ({ path: link, depth: depth + 1 })));
      }
      frontier = next;
    }
    return pages;
  };

  for (const locale of locales)
    it(`are in ${locale === 'id' ? 'Bahasa Indonesia' : 'English'} for a person who chose it, for every role`, async () => {
      await database.db('users').update({ locale });
      const foreign = wordsOnlyIn(locale === 'id' ? 'en' : 'id');
      expect(foreign.length).toBeGreaterThan(100);
      const kinds = new Set<string>();
      const lpaOf = new Map([
        [fund.users.lpaA, fund.lpaA],
        [fund.users.lpaB, fund.lpaB],
      ]);
      for (const user of Object.values(fund.users)) {
        const { cookie } = await consoleSession(app, user);
        for (const [path, status, html] of await crawl(cookie, lpaOf.get(user))) {
          kinds.add(kindOf(path));
          expect({ path, status }).toEqual({ path, status: 200 });
          expect(html, path).toContain(`<html lang="${locale}">`);
          // What the directorate wrote in the rule files is shown as written, in whatever language.
          const text = ruleTexts.reduce((page, written) => page.replaceAll(written, ' '), textOf(html));
          expect(
            foreign.filter((run) => text.includes(run)),
            `${user.username} ${path}`,
          ).toEqual([]);
        }
      }
      // The pages of every section were reached: enrolment, claims, LPAs, savings and loans, finance, policy.
      for (const kind of [
        '/',
        '/peserta',
        '/peserta/:id',
        '/pendaftaran',
        '/klaim',
        '/klaim/:id',
        '/klaim/tinjau',
        '/lpa',
        '/lpa/:id',
        '/peserta/:id/tabungan',
        '/peserta/:id/pinjaman',
        '/keuangan/laporan',
        '/keuangan/pembayaran',
        '/keuangan/tugas',
        '/kebijakan',
        '/password',
      ])
        expect(kinds, kind).toContain(kind);
    });
});
