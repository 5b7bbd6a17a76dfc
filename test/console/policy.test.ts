import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import type { ReportTable } from '../../src/shared/table.ts';
import { as, makeKey, type TestKey, testActor } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import {
  appWithRules,
  type ConsoleFund,
  type ConsoleSession,
  consoleSession,
  seedConsoleFund,
  type WritableRules,
  writableRules,
} from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// The policy pages over HTTP, on a scratch copy of the shipped rules the
// service may publish into, its book kept current as the server keeps it:
// the directorate makes a draft raising the accident allowance, reads its
// diff, runs its impact and publishes it; finance and an LPA may read but
// not draft or publish.

type Row = Record<string, string | number | null>;

let database: TestDatabase;
let writable: WritableRules;
let app: Express;
let fund: ConsoleFund;
let directorateKey: TestKey;
let directorate: ConsoleSession;

beforeAll(async () => {
  database = await openTestDatabase();
  writable = await writableRules(database.db);
  fund = await seedConsoleFund(database.db);
  app = appWithRules(database.db, writable);
  directorateKey = await makeKey(database.db, { role: 'directorate' });
  directorate = await consoleSession(app, fund.users.directorate);
});

afterAll(async () => {
  writable.dispose();
  await database.close();
});

const page = (session: ConsoleSession, path: string) => request(app).get(path).set('Cookie', session.cookie);
const post = (session: ConsoleSession, path: string, fields: Record<string, string>) =>
  request(app)
    .post(path)
    .set('Cookie', session.cookie)
    .type('form')
    .send({ _csrf: session.csrf, ...fields });

// What the API's list says of a scheme.
async function listed(scheme: string) {
  const response = await as(app, directorateKey).get('/v1/rules');
  expect(response.status).toBe(200);
  const schemes = response.body.schemes as {
    scheme: string;
    versions: { version: string; hash: string; publishedBy: string | null }[];
    drafts: { version: string; hash: string | null }[];
  }[];
  const found = schemes.find((entry) => entry.scheme === scheme);
  if (found === undefined) throw new Error(`no scheme ${scheme}`);
  return found;
}

const standaloneFolders = () => readdirSync(join(writable.rules.dir, 'standalone')).sort();

const draft = {
  scheme: 'standalone',
  from: '2027.3',
  effectiveFrom: '2028-01-01',
  version: '2028.1',
  title: 'Standalone Askesos fund: the accident allowance raised',
  document: 'Keputusan Dirjen Nomor 12/2027',
  place: 'Lampiran I, butir 3',
  note: 'The accident allowance rises with the cost of a week off work.',
};

describe('the versions of each scheme', () => {
  it('lists every shipped version with its state, dates and hash, as GET /v1/rules does', async () => {
    const auditor = await consoleSession(app, fund.users.auditor);
    const response = await page(auditor, '/kebijakan');
    expect(response.status).toBe(200);
    const { versions } = await listed('standalone');
    expect(versions.map((entry) => entry.version)).toEqual(['2026.1', '2026.2', '2027.1', '2027.2', '2027.3']);
    for (const version of versions) {
      const row = new RegExp(`<tr data-version="${version.version.replace('.', '\\.')}">(.*?)</tr>`, 's').exec(
        response.text,
      )?.[1];
      expect(row, version.version).toContain(version.hash.slice(0, 12));
    }
    const stateOf = (version: string) =>
      new RegExp(`<tr data-version="${version.replace('.', '\\.')}">.*?class="policy-state [a-zA-Z]+">([^<]+)<`, 's').exec(
        response.text,
      )?.[1];
    // Today is 25 November 2026: 2026.1 decides, 2026.2 starts on 1 December.
    expect(stateOf('2026.1')).toBe('Berlaku');
    expect(stateOf('2026.2')).toBe('Dijadwalkan');
    expect(response.text).toContain('Skema askesos-2003');
  });

  it('shows a version’s values as rupiah and percents, and what it changed against the version before', async () => {
    const response = await page(directorate, '/kebijakan/standalone/2027.3');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<td>ceiling\.accident-medical<\/td><td class="num">Rp 5\.000\.000<\/td>/);
    expect(response.text).toMatch(/<td>honorarium\.rate<\/td><td class="num">10,0%<\/td>/);
    expect(response.text).toMatch(/<td>eligibility\.age-max<\/td><td class="num">55<\/td>/);
    expect(response.text).toContain('Perubahan 2027.2 → 2027.3');
    expect(response.text).toContain('Buat draf dari versi ini');
  });
});

describe('a draft made from the form', () => {
  it('is refused with the field and JSON path the rule loader names, and nothing is stored', async () => {
    const before = standaloneFolders();
    const response = await post(directorate, '/kebijakan/draf', {
      ...draft,
      'value:ceiling.accident-allowance': 'lima ratus ribu',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Draf tidak dibuat; tidak ada yang disimpan');
    expect(response.text).toContain('manifest.json $.parameters[&quot;ceiling.accident-allowance&quot;].amount: must be digits');
    expect(response.text).toMatch(/id="field-value-ceiling-accident-allowance"[^>]*aria-invalid="true"/);
    expect(response.text).toContain('value="lima ratus ribu"');
    expect(standaloneFolders()).toEqual(before);
    expect((await listed('standalone')).drafts).toEqual([]);
  });

  it('refuses a first day before today and a missing decision by field, before writing anything', async () => {
    const response = await post(directorate, '/kebijakan/draf', { ...draft, effectiveFrom: '2026-11-01', document: '' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Berlaku mulai: isi tanggal hari ini (25 November 2026) atau sesudahnya.');
    expect(response.text).toContain('Dasar keputusan: sebutkan dokumen');
    expect(existsSync(join(writable.rules.dir, 'standalone', '2028.1'))).toBe(false);
  });

  it('is stored with its hash, valid, and its diff shows the value changed', async () => {
    const response = await post(directorate, '/kebijakan/draf', { ...draft, 'value:ceiling.accident-allowance': '600000.00' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/kebijakan/standalone/2028.1?made=1');
    const { drafts } = await listed('standalone');
    expect(drafts).toEqual([
      { version: '2028.1', effectiveFrom: '2028-01-01', hash: expect.stringMatching(/^[0-9a-f]{64}$/), problems: [] },
    ]);
    const shown = await page(directorate, response.headers.location ?? '');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(drafts[0]?.hash);
    expect(shown.text).toContain('Draf 2028.1 disimpan');
    expect(shown.text).toMatch(
      /<td>ceiling\.accident-allowance<\/td><td class="num">Rp 500\.000<\/td><td class="num">Rp 600\.000<\/td>/,
    );
    const diff = await as(app, directorateKey).get('/v1/rules/standalone/2028.1/diff');
    expect(diff.body.lines).toContain('  parameter ceiling.accident-allowance: Rp 500.000 → Rp 600.000');
    const list = await page(directorate, '/kebijakan');
    expect(list.text).toMatch(/<tr data-version="2028\.1">.*?Draf/s);
  });
});

describe('the impact of the draft', () => {
  let runId: string;
  let text: string;

  beforeAll(async () => {
    const started = await post(directorate, '/kebijakan/dampak', { scheme: 'standalone', version: '2028.1' });
    expect(started.status).toBe(303);
    const location = started.headers.location ?? '';
    expect(location).toMatch(/^\/kebijakan\/standalone\/2028\.1\/dampak\?run=[0-9a-f-]{36}$/);
    runId = location.split('run=')[1] ?? '';
    for (let attempt = 0; attempt < 600; attempt++) {
      text = (await page(directorate, location)).text;
      if (!text.includes('data-refresh')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });

  it('shows the figures of the API’s impact run, each table with its chart data beside it', async () => {
    const run = await as(app, directorateKey).get(`/v1/rules/impact-runs/${runId}`);
    expect(run.body.status).toBe('succeeded');
    const rows = (run.body.result as ReportTable & { rows: Row[] }).rows;
    const claims = rows.find((row) => row.section === 'claims' && row.measure === 'paid' && row.by === 'all');
    const accident = rows.find((row) => row.section === 'claims' && row.measure === 'paid' && row.group === 'accident');
    expect(accident).toMatchObject({ inForce: '500000.00', proposed: '600000.00' });
    const rupiah = (amount: unknown) => `Rp ${Number(amount).toLocaleString('id-ID')}`;
    expect(text).toContain(
      `<tr><td>Santunan kecelakaan</td><td class="num">1</td><td class="num">1</td><td class="num">${rupiah(accident?.inForce)}</td><td class="num">${rupiah(accident?.proposed)}</td><td class="num">${rupiah(accident?.delta)}</td></tr>`,
    );
    expect(text).toContain(`<td class="num">${rupiah(claims?.inForce)}</td><td class="num">${rupiah(claims?.proposed)}</td>`);
    const subsidy = rows.filter((row) => row.section === 'money' && row.measure === 'subsidy');
    expect(subsidy).toHaveLength(12);
    const firstMonth = /<tr><th scope="row">Desember 2026<\/th>(.*?)<\/tr>/.exec(text)?.[1] ?? '';
    expect(firstMonth).toContain(
      `<td class="num">${rupiah(subsidy[0]?.inForce)}</td><td class="num">${rupiah(subsidy[0]?.proposed)}</td>`,
    );
    const chart = (id: string) =>
      JSON.parse(new RegExp(`<script type="application/json" id="${id}-data">(.*?)</script>`).exec(text)?.[1] ?? 'null');
    expect(chart('impact-claims')).toMatchObject({ type: 'bar', datasets: [{ label: 'berlaku' }, { label: 'usulan' }] });
    expect(chart('impact-claims').datasets[1].data).toContain('600000.00');
    expect(chart('impact-money').labels).toHaveLength(12);
    expect(chart('impact-cover').datasets[0].data).toHaveLength(2);
    expect(text).toContain('/assets/chart.umd.min.js');
  });

  it('is open to finance, which budgets for it, and not to an LPA', async () => {
    const finance = await consoleSession(app, fund.users.finance);
    expect((await page(finance, `/kebijakan/standalone/2028.1/dampak?run=${runId}`)).status).toBe(200);
    const lpa = await consoleSession(app, fund.users.lpaA);
    expect((await page(lpa, '/kebijakan/standalone/2028.1/dampak')).status).toBe(403);
    expect((await post(lpa, '/kebijakan/dampak', { scheme: 'standalone', version: '2028.1' })).status).toBe(403);
  });
});

describe('drafting and publishing are the directorate’s', () => {
  it('lets finance and an LPA read versions, and answers 403 to their draft and publish pages and forms', async () => {
    for (const user of [fund.users.finance, fund.users.lpaA]) {
      const session = await consoleSession(app, user);
      expect((await page(session, '/kebijakan/standalone/2027.3')).status).toBe(200);
      expect((await page(session, '/kebijakan/standalone/2027.3/draf')).status).toBe(403);
      expect((await page(session, '/kebijakan/standalone/2028.1/terbitkan')).status).toBe(403);
      const drafted = await post(session, '/kebijakan/draf', {
        ...draft,
        version: '2028.9',
        'value:ceiling.death': '7000000.00',
      });
      expect(drafted.status).toBe(403);
      expect(
        (await post(session, '/kebijakan/terbitkan', { scheme: 'standalone', version: '2028.1', hash: 'x', confirm: 'yes' }))
          .status,
      ).toBe(403);
    }
    expect(existsSync(join(writable.rules.dir, 'standalone', '2028.9'))).toBe(false);
    expect((await listed('standalone')).versions.map((entry) => entry.version)).not.toContain('2028.1');
  });
});

describe('publishing the draft', () => {
  it('names the day it takes effect, the end it sets and what it changes before the directorate confirms', async () => {
    const response = await page(directorate, '/kebijakan/standalone/2028.1/terbitkan');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Versi 2028.1 menjadi aturan yang berlaku mulai 1 Januari 2028.');
    expect(response.text).toContain('Versi 2027.3 berakhir pada 31 Desember 2027.');
    expect(response.text).toMatch(
      /<td>ceiling\.accident-allowance<\/td><td class="num">Rp 500\.000<\/td><td class="num">Rp 600\.000<\/td>/,
    );
    expect(response.text).toContain('Saya menerbitkan 2028.1 untuk berlaku mulai 1 Januari 2028');
    const unconfirmed = await post(directorate, '/kebijakan/terbitkan', { scheme: 'standalone', version: '2028.1', hash: 'x' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Centang pernyataan penerbitan');
    const stale = await post(directorate, '/kebijakan/terbitkan', {
      scheme: 'standalone',
      version: '2028.1',
      hash: 'a'.repeat(64),
      confirm: 'yes',
    });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Berkas draf berubah sejak halaman ini dibaca');
    expect((await listed('standalone')).versions.map((entry) => entry.version)).not.toContain('2028.1');
  });

  it('makes it the version in force from its first day, and later decisions store it', async () => {
    const { drafts } = await listed('standalone');
    const hash = drafts.find((entry) => entry.version === '2028.1')?.hash ?? '';
    const published = await post(directorate, '/kebijakan/terbitkan', {
      scheme: 'standalone',
      version: '2028.1',
      hash,
      confirm: 'yes',
    });
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe('/kebijakan/standalone/2028.1?published=1');
    const { versions, drafts: left } = await listed('standalone');
    expect(versions.at(-1)).toMatchObject({ version: '2028.1', hash, publishedBy: 'user:kepala.dit' });
    expect(left).toEqual([]);
    const list = await page(directorate, '/kebijakan');
    expect(list.text).toMatch(
      /<tr data-version="2028\.1">.*?Dijadwalkan.*?Kepala Direktorat|<tr data-version="2028\.1">.*?Dijadwalkan.*?user:kepala\.dit/s,
    );

    const claimOn = async (incidentDate: string, key: string) => {
      const { claim } = await submitClaim(
        database.db,
        writable.rules.book,
        {
          lpaId: fund.lpaA,
          claim: newClaimSchema.parse({ participantId: fund.participantOfA, ...accidentClaim(incidentDate, key) }),
          idempotencyKey: key,
          today: '2028-01-10',
          defaultScheme: 'standalone',
          fieldPrefix: '',
        },
        testActor,
      );
      return claim;
    };
    expect((await claimOn('2027-12-30', 'policy-before')).rule).toMatchObject({ version: '2027.3' });
    expect((await claimOn('2028-01-05', 'policy-after')).rule).toMatchObject({ version: '2028.1', hash });
  });
});

describe('POST /v1/rules/{scheme}/drafts, the function behind the draft form', () => {
  const body = {
    from: '2027.3',
    effectiveFrom: '2029-01-01',
    version: '2029.1',
    values: { 'ceiling.death': '7000000.00' },
    source: { document: 'Keputusan Dirjen Nomor 3/2028', place: 'Lampiran I' },
    note: 'The death benefit rises.',
  };

  it('refuses finance, and a bad value naming the file and JSON path, storing nothing', async () => {
    const finance = await makeKey(database.db, { role: 'finance' });
    expect((await as(app, finance).post('/v1/rules/standalone/drafts').send(body)).status).toBe(403);
    const refused = await as(app, directorateKey)
      .post('/v1/rules/standalone/drafts')
      .send({ ...body, values: { 'ceiling.death': '-5' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/2029\.1\/manifest\.json: \$\.parameters\["ceiling\.death"\]\.amount: /);
    expect(existsSync(join(writable.rules.dir, 'standalone', '2029.1'))).toBe(false);
    const worked = await as(app, directorateKey)
      .post('/v1/rules/standalone/drafts')
      .send({ ...body, values: { 'review.accident-medical-from': '1.00' } });
    expect(worked.status).toBe(422);
    expect(worked.body.detail).toContain('$.parameters["review.accident-medical-from"].amount: is worked out from others');
    expect(existsSync(join(writable.rules.dir, 'standalone', '2029.1'))).toBe(false);
  });

  it('stores a valid draft with the hash GET /v1/rules then lists', async () => {
    const made = await as(app, directorateKey).post('/v1/rules/standalone/drafts').send(body);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      scheme: 'standalone',
      version: '2029.1',
      effectiveFrom: '2029-01-01',
      changed: ['ceiling.death'],
    });
    const { drafts } = await listed('standalone');
    expect(drafts).toEqual([{ version: '2029.1', effectiveFrom: '2029-01-01', hash: made.body.hash, problems: [] }]);
    const again = await as(app, directorateKey).post('/v1/rules/standalone/drafts').send(body);
    expect(again.status).toBe(409);
  });
});

describe('withdrawing the published version before its first day', () => {
  it('is the directorate’s, needs a reason, and leaves the version before it in force', async () => {
    const form = await page(directorate, '/kebijakan/standalone/2028.1');
    expect(form.text).toContain('Versi 2028.1 dijadwalkan berlaku mulai 1 Januari 2028.');
    const finance = await consoleSession(app, fund.users.finance);
    expect(
      (await post(finance, '/kebijakan/tarik', { scheme: 'standalone', version: '2028.1', reason: 'Anggaran belum ada.' }))
        .status,
    ).toBe(403);
    const unexplained = await post(directorate, '/kebijakan/tarik', { scheme: 'standalone', version: '2028.1', reason: '' });
    expect(unexplained.status).toBe(400);
    expect(unexplained.text).toContain('Alasan penarikan: tulis paling sedikit 3 huruf.');
    const withdrawn = await post(directorate, '/kebijakan/tarik', {
      scheme: 'standalone',
      version: '2028.1',
      reason: 'Anggaran belum ada.',
    });
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.location).toBe('/kebijakan?withdrawn=2028.1');
    const list = await page(directorate, withdrawn.headers.location ?? '');
    expect(list.text).toContain('Versi 2028.1 ditarik; versi sebelumnya tetap berlaku.');
    expect(list.text).toMatch(/<tr data-version="2028\.1">.*?Ditarik/s);
    expect(list.text).toMatch(/<tr data-version="2027\.3">.*?sampai versi berikutnya/s);
    expect((await page(directorate, '/kebijakan/standalone/2027.3/terbitkan')).status).toBe(422);
  });
});

describe('in English', () => {
  it('writes the same version in the person’s language, rates with a decimal point', async () => {
    const auditor = await consoleSession(app, fund.users.auditor);
    expect((await post(auditor, '/language', { locale: 'en', back: '/kebijakan' })).status).toBe(303);
    const response = await page(auditor, '/kebijakan/standalone/2027.3');
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('Version standalone 2027.3');
    expect(response.text).toMatch(/<td>honorarium\.rate<\/td><td class="num">10\.0%<\/td>/);
    expect(response.text).toMatch(/<td>ceiling\.accident-medical<\/td><td class="num">Rp 5\.000\.000<\/td>/);
    expect(response.text).toContain('Changes 2027.2 → 2027.3');
    // Reading is every role's; drafting is not the auditor's.
    expect(response.text).not.toContain('Make a draft from this version');
  });
});
