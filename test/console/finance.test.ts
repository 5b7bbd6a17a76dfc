import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdProcessLock } from '../../src/db/session-lock.ts';
import { findRun } from '../../src/jobs/store.ts';
import { as, countRows, makeKey, type TestKey, testApp, workbookOf } from '../support/api.ts';
import { type ConsoleFund, type ConsoleSession, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// The finance section over HTTP: the report catalogue and its downloads
// (the API's bytes), paying a claim once whatever the browser sends, and
// the scheduled jobs started, followed and back-filled from their pages.

describe('the console’s finance section', () => {
  let database: TestDatabase;
  let app: Express;
  let fund: ConsoleFund;
  let financeKey: TestKey;

  beforeAll(async () => {
    database = await openTestDatabase();
    fund = await seedConsoleFund(database.db);
    app = testApp(database.db);
    financeKey = await makeKey(database.db, { role: 'finance' });
  });
  afterAll(async () => {
    await database.close();
  });

  const page = (session: ConsoleSession, path: string) => request(app).get(path).set('Cookie', session.cookie);
  const post = (session: ConsoleSession, path: string, fields: Record<string, string>) =>
    request(app)
      .post(path)
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrf, ...fields });
  const approvedClaim = async () => {
    const claim = await database.db('claims').where({ status: 'approved' }).first<{ id: string } | undefined>('id');
    if (claim === undefined) throw new Error('the seeded fund has no approved claim');
    return claim.id;
  };
  // A run started from a page works on in the background: its record says when it has ended.
  const runEnded = async (job: string, period: string) => {
    for (;;) {
      const run = await findRun(database.db, job, period);
      if (run !== null && run.finishedAt !== null) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('refuses an LPA officer every finance page and form with 403', async () => {
    const lpa = await consoleSession(app, fund.users.lpaA);
    const claimId = await approvedClaim();
    for (const path of [
      '/keuangan/laporan',
      '/keuangan/laporan/fund-statement?from=2026-10-01&to=2026-10-31&format=xlsx',
      '/keuangan/pembayaran',
      `/keuangan/pembayaran/klaim/${claimId}`,
      `/keuangan/pembayaran/lpa/${fund.lpaA}`,
      '/keuangan/tugas',
      '/keuangan/tugas/jalan/premium-cycle:2026-08',
    ]) {
      const response = await page(lpa, path);
      expect(response.status, path).toBe(403);
      expect(response.text, path).toContain('Peran Anda tidak boleh membuka halaman ini.');
    }
    for (const [path, fields] of [
      ['/keuangan/pembayaran/klaim', { claim: claimId, reference: 'TRF-1', paidOn: '2026-11-25', key: crypto.randomUUID() }],
      ['/keuangan/tugas/mulai', { job: 'premium-cycle', period: '2026-08' }],
      ['/keuangan/tugas/isi-mundur', { job: 'premium-cycle', from: '2026-08', to: '2026-09' }],
    ] as const)
      expect((await post(lpa, path, fields)).status, path).toBe(403);
    const menu = (await page(lpa, '/')).text;
    expect(menu).not.toContain('href="/keuangan/');
  });

  it('lists every report with its parameters and a download in each format, and the menu has the section', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const response = await page(finance, '/keuangan/laporan');
    expect(response.status).toBe(200);
    const text = response.text;
    for (const path of ['/keuangan/laporan', '/keuangan/pembayaran', '/keuangan/tugas']) expect(text).toContain(`href="${path}"`);
    for (const report of [
      'fund-statement',
      'reserves',
      'indicators',
      'honorarium',
      'subsidy-cost',
      'arrears',
      'retention',
      'lpa-progress',
      'data-quality',
      'loan-portfolio',
    ])
      expect(text).toContain(`action="/keuangan/laporan/${report}"`);
    expect(text).toContain('<label for="fund-statement-from">Dari tanggal</label>');
    expect(text).toContain('value="2026-10-01"');
    expect(text).toMatch(/<button type="submit" name="format" value="xlsx">XLSX<\/button>/);
    expect(text).toContain('Laporan tersimpan');
  });

  it('shows a report’s form again naming the field when its parameters do not parse', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const response = await page(finance, '/keuangan/laporan/fund-statement?from=2026-10-31&to=2026-10-01&locale=id&format=xlsx');
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/<div class="notice error" role="alert">.*Sampai tanggal: tidak boleh sebelum awalnya/s);
    expect(response.text).toContain('value="2026-10-31"');
    const both = await page(
      finance,
      '/keuangan/laporan/indicators?month=2026-10&from=2026-10-01&to=&by=fund&locale=id&format=csv',
    );
    expect(both.status).toBe(400);
    expect(both.text).toContain('Atau dari tanggal (tanpa bulan): isi bulan, atau tanggal awal dan akhir, tidak keduanya');
    const unknown = await page(finance, '/keuangan/laporan/nothing-such?format=xlsx');
    expect(unknown.status).toBe(404);
  });

  it('lets the auditor read the payments but not pay', async () => {
    const auditor = await consoleSession(app, fund.users.auditor);
    const list = await page(auditor, '/keuangan/pembayaran');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Hanya bagian keuangan yang membayar.');
    const claim = await page(auditor, `/keuangan/pembayaran/klaim/${await approvedClaim()}`);
    expect(claim.status).toBe(200);
    expect(claim.text).not.toContain('name="key"');
    const posted = await post(auditor, '/keuangan/pembayaran/klaim', {
      claim: crypto.randomUUID(),
      reference: 'x',
      paidOn: '',
      key: '',
    });
    expect(posted.status).toBe(403);
  });

  it('pays an approved claim once when its form is sent twice, and shows the journal entry it booked', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const claimId = await approvedClaim();
    const list = await page(finance, '/keuangan/pembayaran');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/keuangan/pembayaran/klaim/${claimId}"`);
    const form = await page(finance, `/keuangan/pembayaran/klaim/${claimId}`);
    const key = /name="key" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    expect(key).toMatch(/^[0-9a-f-]{36}$/);

    const refused = await post(finance, '/keuangan/pembayaran/klaim', {
      claim: claimId,
      reference: ' ',
      paidOn: '2026-11-25',
      key,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Referensi pembayaran: isi dengan 1 sampai 100 karakter');
    expect(refused.text).toContain(`value="${key}"`);
    const future = await post(finance, '/keuangan/pembayaran/klaim', {
      claim: claimId,
      reference: 'TRF-9',
      paidOn: '2026-11-26',
      key,
    });
    expect(future.status).toBe(400);
    expect(future.text).toContain('Tanggal bayar: ');
    expect((await database.db('claims').where({ id: claimId }).first<{ status: string }>('status')).status).toBe('approved');

    const entriesBefore = await countRows(database.db, 'journal_entries');
    const fields = { claim: claimId, reference: 'TRF-2026-11-25-01', paidOn: '2026-11-25', key };
    const answers = await Promise.all([
      post(finance, '/keuangan/pembayaran/klaim', fields),
      post(finance, '/keuangan/pembayaran/klaim', fields),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe(`/keuangan/pembayaran/klaim/${claimId}?paid=1`);
    }
    expect(await countRows(database.db, 'journal_entries')).toBe(entriesBefore + 1);
    const paid = await page(finance, `/keuangan/pembayaran/klaim/${claimId}?paid=1`);
    expect(paid.text).toMatch(
      /<div class="notice info" role="status">Klaim dibayar: Rp [\d.]+, referensi TRF-2026-11-25-01, tanggal 25 November 2026/,
    );
    expect(paid.text).toContain('Jurnal nomor');
    expect(paid.text).toContain('<td>2100</td>');
    expect(paid.text).toContain('<td>1100</td>');
    expect(paid.text).not.toContain('name="key"');
    // A new form, a new key: the claim is paid, and the fund says so rather than pay again.
    const again = await post(finance, '/keuangan/pembayaran/klaim', { ...fields, key: crypto.randomUUID() });
    expect(again.status).toBe(400);
    expect(again.text).toContain('Klaim ini sudah dibayar');
    expect(await countRows(database.db, 'journal_entries')).toBe(entriesBefore + 1);
  });

  it('starts a month’s premium cycle from the jobs page: it runs in the background, books the dues and is listed', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const jobs = await page(finance, '/keuangan/tugas');
    expect(jobs.status).toBe(200);
    expect(jobs.text).toContain('Siklus iuran');
    const duesBefore = await countRows(database.db, 'premium_dues');
    const started = await post(finance, '/keuangan/tugas/mulai', { job: 'premium-cycle', period: '2026-08' });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe('/keuangan/tugas/jalan/premium-cycle:2026-08');
    const run = await runEnded('premium-cycle', '2026-08');
    expect(run.status).toBe('done');
    expect(await countRows(database.db, 'premium_dues')).toBeGreaterThan(duesBefore);
    const runPage = await page(finance, '/keuangan/tugas/jalan/premium-cycle:2026-08');
    expect(runPage.status).toBe(200);
    expect(runPage.text).toContain('<dd>Selesai</dd>');
    expect(runPage.text).not.toContain('http-equiv="refresh"');
    expect(runPage.text).toContain('Ringkasan');
    const listed = await page(finance, '/keuangan/tugas');
    expect(listed.text).toContain('href="/keuangan/tugas/jalan/premium-cycle:2026-08"');
    expect(listed.text).toContain('Agustus 2026');
  });

  it('refuses a start naming the field, a month not begun, and a job already running', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const malformed = await post(finance, '/keuangan/tugas/mulai', { job: 'premium-cycle', period: 'Agustus' });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('Periode: isi bulan seperti 2027-01');
    const notBegun = await post(finance, '/keuangan/tugas/mulai', { job: 'premium-cycle', period: '2026-12' });
    expect(notBegun.status).toBe(400);
    expect(notBegun.text).toContain('Tugas tidak dijalankan: periodenya belum dimulai.');
    const backfill = await post(finance, '/keuangan/tugas/isi-mundur', { job: 'premium-cycle', from: '2026-11', to: '2026-12' });
    expect(backfill.status).toBe(400);
    expect(backfill.text).toContain('Sampai bulan: bulan itu belum dimulai');
    const daily = await post(finance, '/keuangan/tugas/isi-mundur', { job: 'loan-arrears', from: '2026-09', to: '2026-10' });
    expect(daily.status).toBe(400);
    expect(daily.text).toContain('hanya tugas bulanan yang dapat diisi mundur');
    // The scheduler, or a start over the API, holds the job meanwhile.
    const release = await holdProcessLock(database.db, 'askesos.job:premium-cycle');
    try {
      const running = await post(finance, '/keuangan/tugas/mulai', { job: 'premium-cycle', period: '2026-09' });
      expect(running.status).toBe(400);
      expect(running.text).toContain('Siklus iuran sedang berjalan');
    } finally {
      await release?.();
    }
    expect(await findRun(database.db, 'premium-cycle', '2026-09')).toBeNull();
  });

  it('back-fills three months, one after another, and its page follows them until all are done', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const started = await post(finance, '/keuangan/tugas/isi-mundur', { job: 'premium-cycle', from: '2026-09', to: '2026-11' });
    expect(started.status).toBe(303);
    const path = String(started.headers.location);
    expect(path).toMatch(/^\/keuangan\/tugas\/isi-mundur\/[0-9a-f-]{36}$/);
    let text = '';
    for (;;) {
      text = (await page(finance, path)).text;
      if (!text.includes('http-equiv="refresh"')) break;
      expect(text).toContain('Berhenti memuat ulang');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(text).toContain('3 dari 3 bulan selesai.');
    expect(text).toContain('Semua bulan sudah dijalankan.');
    for (const month of ['2026-09', '2026-10', '2026-11']) {
      const run = await findRun(database.db, 'premium-cycle', month);
      expect(run?.status, month).toBe('done');
      expect(run?.finishedAt, month).not.toBeNull();
      expect(text).toContain(`href="/keuangan/tugas/jalan/premium-cycle:${month}"`);
    }
    expect((await page(finance, '/keuangan/tugas')).text).toContain('Isi mundur terakhir');
  });

  it('lists the reports the month-end job kept, each downloadable as it was produced', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const started = await post(finance, '/keuangan/tugas/mulai', { job: 'monthly-reports', period: '2026-10' });
    expect(started.status).toBe(303);
    expect((await runEnded('monthly-reports', '2026-10')).status).toBe('done');
    const catalogue = (await page(finance, '/keuangan/laporan')).text;
    const links = [...catalogue.matchAll(/href="(\/v1\/reports\/runs\/[0-9a-f-]{36}\?format=(xlsx|csv|json))"/g)];
    expect(links.map(([, , format]) => format)).toEqual(expect.arrayContaining(['xlsx', 'csv', 'json']));
    expect(catalogue).toContain('<td>Laporan keuangan dana</td><td>1 Oktober 2026 – 31 Oktober 2026</td>');
    for (const [, href, format] of links) {
      const mine = await page(finance, String(href));
      expect(mine.status, href).toBe(200);
      if (format === 'json') expect(mine.body).toEqual((await as(app, financeKey).get(String(href))).body);
    }
  });

  it('pays an LPA its honorarium once booked, and shows the entry', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    const started = await post(finance, '/keuangan/tugas/mulai', { job: 'lpa-honorarium', period: '2026-11' });
    expect(started.status).toBe(303);
    expect((await runEnded('lpa-honorarium', '2026-11')).status).toBe('done');
    const list = await page(finance, '/keuangan/pembayaran');
    expect(list.text).toContain(`href="/keuangan/pembayaran/lpa/${fund.lpaA}"`);
    const form = await page(finance, `/keuangan/pembayaran/lpa/${fund.lpaA}`);
    const key = /name="key" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const owed =
      /name="amount"[^>]*value="([^"]+)"/.exec(form.text)?.[1] ?? /value="([^"]+)"[^>]*name="amount"/.exec(form.text)?.[1] ?? '';
    expect(Number(owed)).toBeGreaterThan(0);
    const tooMuch = await post(finance, '/keuangan/pembayaran/lpa', {
      lpa: fund.lpaA,
      kind: 'honorarium',
      amount: '999999999',
      paidOn: '2026-11-25',
      reference: 'TRF-H-1',
      key,
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.text).toContain('Jumlahnya melebihi yang terutang kepada LPA ini.');
    const fields = { lpa: fund.lpaA, kind: 'honorarium', amount: owed, paidOn: '2026-11-25', reference: 'TRF-H-1', key };
    const entriesBefore = await countRows(database.db, 'journal_entries');
    const answers = await Promise.all([
      post(finance, '/keuangan/pembayaran/lpa', fields),
      post(finance, '/keuangan/pembayaran/lpa', fields),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expect(answers[0]?.headers.location).toBe(answers[1]?.headers.location);
    expect(await countRows(database.db, 'journal_entries')).toBe(entriesBefore + 1);
    const paid = await page(finance, String(answers[0]?.headers.location));
    expect(paid.text).toContain('Pembayaran dibukukan: jurnal nomor');
    expect(paid.text).toContain('<td>2400</td>');
  });

  const downloads: readonly [string, string][] = [
    ['fund-statement', 'from=2026-10-01&to=2026-11-25'],
    ['reserves', 'asOf=2026-11-25'],
    ['indicators', 'month=2026-10&by=fund'],
    ['honorarium', 'period=2026-10'],
    ['subsidy-cost', 'from=2026-01&to=2026-10&by=province'],
    ['arrears', 'monthsAtLeast=1'],
    ['retention', ''],
    ['lpa-progress', 'from=2026-10-01&to=2026-10-31'],
    ['data-quality', ''],
    ['loan-portfolio', ''],
  ];

  it('answers each report in XLSX, CSV and JSON with the API’s content type and figures, once the months have run', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    for (const [report, parameters] of downloads)
      for (const format of ['xlsx', 'csv', 'json'] as const) {
        const query = `${parameters}${parameters === '' ? '' : '&'}locale=id&format=${format}`;
        const asked = await page(finance, `/keuangan/laporan/${report}?${query}`);
        expect(asked.status, `${report} ${format}`).toBe(303);
        const location = String(asked.headers.location);
        expect(location.startsWith(`/v1/reports/${report}?`), location).toBe(true);
        const fromConsole = () => page(finance, location);
        const fromApi = () => as(app, financeKey).get(location);
        if (format === 'xlsx') {
          const [mine, theirs] = [await workbookOf(fromConsole()), await workbookOf(fromApi())];
          const cells = (book: typeof mine) =>
            book.worksheets.map((sheet) => sheet.getSheetValues().map((row) => JSON.stringify(row)));
          expect(cells(mine), report).toEqual(cells(theirs));
          const response = await fromConsole();
          expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
          expect(response.headers['content-disposition']).toContain('.xlsx');
        } else {
          const [mine, theirs] = [await fromConsole(), await fromApi()];
          expect(mine.status, `${report} ${format}`).toBe(200);
          expect(mine.headers['content-type']).toContain(format === 'csv' ? 'text/csv' : 'application/json');
          if (format === 'csv') expect(mine.text).toBe(theirs.text);
          else expect(mine.body).toEqual(theirs.body);
        }
      }
  });
});
