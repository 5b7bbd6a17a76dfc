import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordsFor } from '../../src/console/i18n/index.ts';
import { testApp } from '../support/api.ts';
import { type ConsoleFund, type ConsoleUser, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// The console over HTTP, without a browser: sessions, CSRF, scope and
// language as the server answers them. test/browser drives the same pages
// in Chromium.

describe('the console', () => {
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

  const signIn = (user: ConsoleUser) => consoleSession(app, user);

  it('sends a visitor without a session to the sign-in page, in Bahasa Indonesia unless asked', async () => {
    const home = await request(app).get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/sign-in');
    const id = await request(app).get('/sign-in');
    expect(id.text).toContain('<html lang="id">');
    expect(id.text).toContain('Nama pengguna');
    const en = await request(app).get('/sign-in?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Username');
  });

  it('refuses an unknown name and a wrong password with the same words', async () => {
    const refusal = async (username: string) => {
      const response = await request(app).post('/sign-in').type('form').send({ username, password: 'not the password at all' });
      expect(response.status).toBe(401);
      return /<div class="notice error" role="alert">(.*?)<\/div>/s.exec(response.text)?.[1];
    };
    const unknown = await refusal('nobody.here');
    expect(unknown).toContain('nama pengguna atau kata sandi salah');
    expect(await refusal(fund.users.auditor.username)).toBe(unknown);
  });

  it('shows the directorate the whole fund: members, claims, money and indicators, with the chart data as JSON', async () => {
    const { cookie } = await signIn(fund.users.directorate);
    const response = await request(app).get('/').set('Cookie', cookie);
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.text;
    expect(text).toContain('Kepala Direktorat');
    expect(text).toContain('Cakupan: seluruh dana. Keadaan pada 25 November 2026.');
    expect(text).toMatch(/<td>Aktif<\/td><td class="num">4<\/td>/);
    expect(text).toMatch(/<td>Berhenti<\/td><td class="num">1<\/td>/);
    expect(text).toMatch(/<td>Kas di bank<\/td><td class="num">Rp 10\.000\.000<\/td>/);
    expect(text).toContain('Indikator kinerja Oktober 2026');
    const chart = /<script type="application\/json" id="members-status-data">(.*?)<\/script>/.exec(text)?.[1];
    expect(JSON.parse(chart ?? 'null')).toMatchObject({
      type: 'doughnut',
      labels: ['Aktif', 'Berhenti'],
      datasets: [{ data: [4, 1] }],
    });
    expect(text).not.toMatch(/<script>/);
  });

  it('shows an LPA its own members only, and not the fund’s money', async () => {
    const { cookie } = await signIn(fund.users.lpaB);
    const text = (await request(app).get('/').set('Cookie', cookie)).text;
    expect(text).toContain('Cakupan: LPA Anda.');
    expect(text).toMatch(/<td>Aktif<\/td><td class="num">1<\/td>/);
    expect(text).toContain('Keuangan dana hanya ditampilkan untuk peran nasional.');
    expect(text).not.toContain('Kas di bank');
  });

  it('shows the indicators as the monthly job kept them for the person’s own scope, and says when a month is not kept yet', async () => {
    const keptRow = async (by: string, code: string) => {
      const run = await database.db('report_runs').where({ kind: 'indicators' }).whereRaw("parameters->>'by' = ?", [by]).first();
      return (run.report.rows as Record<string, string>[]).find((row) => row.code === code && row.period === 'month');
    };
    const indicatorCells = (text: string) =>
      [
        ...(/<section class="figure wide" aria-labelledby="indicators-title">(.*?)<\/section>/s.exec(text)?.[1] ?? '').matchAll(
          /<tr><td>([^<]+)<\/td><td class="num">([^<]+)<\/td>/g,
        ),
      ].map(([, name = '', month = '']): [string, string] => [name, month]);
    const { cookie } = await signIn(fund.users.lpaA);
    const text = (await request(app).get('/').set('Cookie', cookie)).text;
    expect(text).toContain('Sebagaimana disimpan oleh tugas laporan bulanan pada');
    const lpaRow = await keptRow('lpa', fund.lpaA);
    // LPA A's members at October's end: the fourth lapsed in September.
    expect(lpaRow?.membersClosing).toBe(3);
    const words = wordsFor('id', 'Asia/Jakarta');
    const cells = new Map(indicatorCells(text));
    expect(cells.size).toBe(9);
    expect(cells.get('Rasio perpanjangan')).toBe(words.percent(lpaRow?.renewalRatio ?? null));
    expect(cells.get('Rasio klaim')).toBe(words.percent(lpaRow?.incurredClaimsRatio ?? null));

    // A month whose reports the job has not kept yet: December's glance looks at November.
    const december = testApp(database.db, undefined, () => '2026-12-10');
    const later = (await request(december).get('/').set('Cookie', cookie)).text;
    expect(later).toContain('Indikator November 2026 belum tersedia');
    expect(indicatorCells(later)).toEqual([]);
  });

  it('lists the claims a person may see, by status, each leading to its page', async () => {
    const claimLinks = (html: string) => [...html.matchAll(/href="\/klaim\/([0-9a-f-]{36})"/g)].map(([, id]) => id);
    const seeded = await database.db('claims').where({ lpa_id: fund.lpaA }).pluck<string[]>('id');
    expect(seeded).toHaveLength(1);
    const lpaA = await signIn(fund.users.lpaA);
    const own = await request(app).get('/klaim').set('Cookie', lpaA.cookie);
    expect(own.status).toBe(200);
    expect(claimLinks(own.text)).toEqual(seeded);
    expect(own.text).toContain('<td>Disetujui</td>');
    const rejected = await request(app).get('/klaim?status=rejected&claimType=').set('Cookie', lpaA.cookie);
    expect(claimLinks(rejected.text)).toEqual([]);
    expect(rejected.text).toContain('Tidak ada klaim dengan saringan ini dalam cakupan Anda.');
    const lpaB = await signIn(fund.users.lpaB);
    expect(claimLinks((await request(app).get('/klaim').set('Cookie', lpaB.cookie)).text)).toEqual([]);
    const directorate = await signIn(fund.users.directorate);
    expect(claimLinks((await request(app).get('/klaim').set('Cookie', directorate.cookie)).text)).toEqual(seeded);
    expect((await request(app).get('/klaim?status=lost').set('Cookie', directorate.cookie)).status).toBe(400);
    // A member's own claims, from their page.
    const member = await request(app).get(`/peserta/${fund.participantOfA}`).set('Cookie', lpaA.cookie);
    expect(member.text).toContain(`href="/klaim?participantId=${fund.participantOfA}"`);
    const others = await database
      .db('participants')
      .where({ lpa_id: fund.lpaA })
      .whereNot({ id: fund.participantOfA })
      .first('id');
    expect(
      claimLinks((await request(app).get(`/klaim?participantId=${fund.participantOfA}`).set('Cookie', lpaA.cookie)).text),
    ).toEqual(seeded);
    expect(claimLinks((await request(app).get(`/klaim?participantId=${others.id}`).set('Cookie', lpaA.cookie)).text)).toEqual([]);
  });

  it('refuses a form without the session’s CSRF token, and changes the language with it', async () => {
    const session = await signIn(fund.users.finance);
    const refused = await request(app)
      .post('/language')
      .set('Cookie', session.cookie)
      .type('form')
      .send({ locale: 'en', back: '/' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('token keamanan');
    const changed = await request(app)
      .post('/language')
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrf, locale: 'en', back: '/password' });
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/password');
    const page = await request(app).get('/').set('Cookie', session.cookie);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Scope: the whole fund. As of 25 November 2026.');
    const offsite = await request(app)
      .post('/language')
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrf, locale: 'id', back: '//evil.example/' });
    expect(offsite.headers.location).toBe('/');
  });

  it('changes a password only with the current one and a long enough new one, then redirects', async () => {
    const session = await signIn(fund.users.dinsos);
    const post = (body: Record<string, string>) =>
      request(app)
        .post('/password')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, ...body });
    const wrong = await post({
      currentPassword: 'not it at all',
      newPassword: 'a-new-password-2',
      newPasswordAgain: 'a-new-password-2',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Kata sandi saat ini salah.');
    const short = await post({ currentPassword: fund.users.dinsos.password, newPassword: 'short', newPasswordAgain: 'other' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Kata sandi baru paling sedikit 12 karakter.');
    expect(short.text).toContain('Kedua isian kata sandi baru tidak sama.');
    const done = await post({
      currentPassword: fund.users.dinsos.password,
      newPassword: 'a-new-password-2',
      newPasswordAgain: 'a-new-password-2',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/password?changed=1');
    const relogin = await request(app)
      .post('/sign-in')
      .type('form')
      .send({ username: fund.users.dinsos.username, password: 'a-new-password-2' });
    expect(relogin.status).toBe(303);
  });

  it('signs out: the session ends and its cookie is cleared', async () => {
    const session = await signIn(fund.users.auditor);
    const out = await request(app).post('/sign-out').set('Cookie', session.cookie).type('form').send({ _csrf: session.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in?lang=id&signedOut=1');
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await request(app).get('/').set('Cookie', session.cookie)).status).toBe(303);
  });

  it('finds participants by NIK or a part of the name within the scope, and hides another LPA’s member (404)', async () => {
    const own = await signIn(fund.users.lpaA);
    const byName = await request(app).get('/peserta?q=dingu').set('Cookie', own.cookie);
    expect(byName.status).toBe(200);
    expect(byName.text.match(/href="\/peserta\/[0-9a-f-]{36}"/g)).toHaveLength(4);
    const nik = /<td>(\d{16})<\/td>/.exec(byName.text)?.[1] ?? '';
    const byNik = await request(app).get(`/peserta?q=${nik}`).set('Cookie', own.cookie);
    expect(byNik.text.match(/href="\/peserta\/[0-9a-f-]{36}"/g)).toHaveLength(1);
    const page = await request(app).get(`/peserta/${fund.participantOfA}`).set('Cookie', own.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Yohanes Dingu</h1>');
    expect(page.text).toContain('Maria Dingu');

    const other = await signIn(fund.users.lpaB);
    expect(
      (await request(app).get('/peserta?q=dingu').set('Cookie', other.cookie)).text.match(/href="\/peserta\/[0-9a-f-]{36}"/g),
    ).toHaveLength(1);
    const hidden = await request(app).get(`/peserta/${fund.participantOfA}`).set('Cookie', other.cookie);
    expect(hidden.status).toBe(404);
    expect(hidden.text).toContain('di luar cakupan Anda');
    expect(hidden.text).not.toContain('Yohanes');
    expect((await request(app).get('/peserta/not-a-uuid').set('Cookie', other.cookie)).status).toBe(404);
    // A name's wildcards are letters like any other: "%%" matches nobody's name.
    expect((await request(app).get('/peserta?q=%25%25').set('Cookie', own.cookie)).text).toContain(
      'Tidak ada peserta yang cocok',
    );
    expect((await request(app).get('/peserta?q=dingu&x=1').set('Cookie', other.cookie)).status).toBe(400);
  });

  it('serves its assets for a year under their hash, and the API’s unknown paths still answer problem+json', async () => {
    const { cookie } = await signIn(fund.users.directorate);
    const page = (await request(app).get('/').set('Cookie', cookie)).text;
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page)?.[1] ?? '';
    const css = await request(app).get(href);
    expect(css.status).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(page).toContain('/assets/chart.umd.min.js?v=');
    const missing = await request(app).get('/v1/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
