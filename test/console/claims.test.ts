import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverRefusals } from '../../src/claims/adjudicate.ts';
import { claimStatuses } from '../../src/claims/model.ts';
import { sampleBucket } from '../../src/claims/review-sample.ts';
import { catalogues, wordsFor } from '../../src/console/i18n/index.ts';
import { claimTypes, deathCauses } from '../../src/rules/catalogue.ts';
import { shippedRules, testApp } from '../support/api.ts';
import { fileClaim } from '../support/claims.ts';
import { type ConsoleFund, type ConsoleSession, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

// The claims pages over HTTP: filing with scans, a claim's page and its
// scope, and the directorate's review queue with its filters, sampling and
// decisions. The fund's clock stands in mid-2027, when the rules in force ask
// for papers and refer late reports to review.

const today = '2027-06-30';
// A 1×1 PNG: a real image, as a phone or scanner would send one.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('the console’s claims', () => {
  let database: TestDatabase;
  let app: Express;
  let fund: ConsoleFund;
  // Members of LPA A and of LPA B with no claim yet.
  let memberA: string;
  let memberA2: string;
  let memberB: string;
  let lpaA: ConsoleSession;
  let lpaB: ConsoleSession;
  let directorate: ConsoleSession;

  const members = async (lpaId: string) =>
    (await database
      .db('participants')
      .join('enrolments', 'enrolments.participant_id', 'participants.id')
      .where({ 'participants.lpa_id': lpaId, 'enrolments.status': 'active' })
      .whereNotExists(database.db('claims').whereRaw('claims.participant_id = participants.id'))
      .orderBy('participants.nik')
      .pluck('participants.id')) as string[];
  const claimsOf = async (participantId: string) =>
    Number((await database.db('claims').where({ participant_id: participantId }).count({ n: '*' }))[0]?.n);
  const scansCount = async () => Number((await database.db('claim_document_scans').count({ n: '*' }))[0]?.n);

  beforeAll(async () => {
    database = await openTestDatabase();
    fund = await seedConsoleFund(database.db);
    app = testApp(database.db, undefined, () => today);
    [memberA = '', memberA2 = ''] = await members(fund.lpaA);
    [memberB = ''] = await members(fund.lpaB);
    lpaA = await consoleSession(app, fund.users.lpaA);
    lpaB = await consoleSession(app, fund.users.lpaB);
    directorate = await consoleSession(app, fund.users.directorate);
  });
  afterAll(async () => {
    await database.close();
  });

  // The second step's form for an accident, and its hidden key.
  const accidentForm = async (participantId: string, incidentDate: string) => {
    const page = await request(app)
      .get(`/klaim/baru?participant=${participantId}&claimType=accident&incidentDate=${incidentDate}`)
      .set('Cookie', lpaA.cookie);
    expect(page.status).toBe(200);
    return { page, key: /name="key" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
  };
  const postAccident = (
    participantId: string,
    key: string,
    fields: Record<string, string>,
    scans: Record<string, Buffer>,
    session = lpaA,
  ) => {
    const post = request(app).post('/klaim/baru').set('Cookie', session.cookie);
    const all: Record<string, string> = {
      _csrf: session.csrf,
      key,
      participantId,
      claimType: 'accident',
      incidentDate: '2027-05-02',
      reportDate: '2027-05-03',
      'doc.accident-statement.number': 'KK-17/2027',
      'doc.accident-statement.date': '2027-05-02',
      'doc.medical-certificate.number': 'SKD-88',
      'doc.medical-certificate.date': '2027-05-02',
      payoutMethod: 'cash',
      receivedBy: 'Yohanes',
      ...fields,
    };
    for (const [name, value] of Object.entries(all)) post.field(name, value);
    for (const [kind, bytes] of Object.entries(scans))
      post.attach(`scan.${kind}`, bytes, { filename: `${kind}.png`, contentType: 'image/png' });
    return post;
  };

  it('files a claim with its scans: the papers the rules ask for, the decision, the scan readable back byte for byte', async () => {
    const { page, key } = await accidentForm(memberA, '2027-05-02');
    expect(page.text).toContain('Surat keterangan kecelakaan (diminta aturan)');
    expect(page.text).toContain('enctype="multipart/form-data"');
    const filed = await postAccident(memberA, key, {}, { 'accident-statement': png });
    expect(filed.status).toBe(303);
    const location = String(filed.headers.location);
    expect(location).toMatch(/^\/klaim\/[0-9a-f-]{36}\?filed=new$/);
    const claimId = location.slice('/klaim/'.length, location.indexOf('?'));

    const claimPage = await request(app).get(location).set('Cookie', lpaA.cookie);
    expect(claimPage.status).toBe(200);
    expect(claimPage.text).toContain('Klaim diajukan dan sudah diputuskan menurut aturan.');
    expect(claimPage.text).toContain('<strong>Disetujui</strong>');
    expect(claimPage.text).toMatch(/Rp [0-9.]+/);
    expect(claimPage.text).toContain('standalone versi 2027.');
    expect(claimPage.text).toContain('Pindaian dokumen diunggah');
    expect(claimPage.text).toContain(`/v1/claims/${claimId}/documents/accident-statement/scan`);
    expect(claimPage.text).toContain('Belum ada pindaian');

    const scan = await request(app)
      .get(`/v1/claims/${claimId}/documents/accident-statement/scan`)
      .set('Cookie', lpaA.cookie)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(scan.status).toBe(200);
    expect(scan.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(scan.body as Buffer, png)).toBe(0);

    // Another LPA sees neither the claim nor its scan; the directorate sees both.
    expect((await request(app).get(`/klaim/${claimId}`).set('Cookie', lpaB.cookie)).status).toBe(404);
    expect(
      (await request(app).get(`/v1/claims/${claimId}/documents/accident-statement/scan`).set('Cookie', lpaB.cookie)).status,
    ).toBe(404);
    expect((await request(app).get(`/klaim/${claimId}`).set('Cookie', directorate.cookie)).status).toBe(200);
    expect(
      (await request(app).get(`/v1/claims/${claimId}/documents/accident-statement/scan`).set('Cookie', directorate.cookie))
        .status,
    ).toBe(200);
  });

  it('files once on a double submit: the same key answers the claim filed first', async () => {
    const { key } = await accidentForm(memberA2, '2027-05-02');
    const before = await scansCount();
    const first = await postAccident(memberA2, key, {}, { 'medical-certificate': png });
    const second = await postAccident(memberA2, key, {}, { 'medical-certificate': png });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(String(second.headers.location)).toBe(String(first.headers.location).replace('filed=new', 'filed=again'));
    expect(await claimsOf(memberA2)).toBe(1);
    expect(await scansCount()).toBe(before + 1);
  });

  it('refuses an oversize or wrong-type scan, naming its document, and keeps nothing', async () => {
    const claimsBefore = await claimsOf(memberB);
    const scansBefore = await scansCount();
    const session = lpaB;
    const form = await request(app)
      .get(`/klaim/baru?participant=${memberB}&claimType=accident&incidentDate=2027-05-02`)
      .set('Cookie', session.cookie);
    const key = /name="key" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const oversize = Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await postAccident(memberB, key, {}, { 'accident-statement': oversize }, session);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('Pindaian Surat keterangan kecelakaan ditolak');
    const text = await postAccident(memberB, key, {}, { 'medical-certificate': Buffer.from('not a scan at all') }, session);
    expect(text.status).toBe(400);
    expect(text.text).toContain('Pindaian Surat keterangan dokter ditolak');
    // The form comes back as it was filled, with a new key.
    expect(text.text).toContain('value="KK-17/2027"');
    expect(text.text).not.toContain(`value="${key}"`);
    const badDate = await postAccident(memberB, key, { reportDate: '2027-13-45' }, {}, session);
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('Tanggal dilaporkan ke LPA: isian belum benar.');
    expect(await claimsOf(memberB)).toBe(claimsBefore);
    expect(await scansCount()).toBe(scansBefore);
  });

  it('refuses a form larger than four scans at their limit whole, before reading any of it into a claim', async () => {
    const claimsBefore = await claimsOf(memberB);
    const { key } = await accidentForm(memberA, '2027-05-02');
    const huge = Buffer.concat([png, Buffer.alloc(21 * 1024 * 1024)]);
    const refused = await postAccident(memberB, key, {}, { 'accident-statement': huge }, lpaB);
    expect(refused.status).toBe(413);
    expect(refused.text).toContain('Berkas yang dikirim terlalu besar: setiap pindaian paling besar 5 MB.');
    expect(await claimsOf(memberB)).toBe(claimsBefore);
  });

  it('asks for the claim type and incident date first, and says when no rules were in force that day', async () => {
    const get = (query: string) => request(app).get(`/klaim/baru?participant=${memberA}${query}`).set('Cookie', lpaA.cookie);
    const first = await get('');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Pilih jenis klaim dan tanggal kejadian');
    const noDate = await get('&claimType=accident');
    expect(noDate.status).toBe(400);
    expect(noDate.text).toContain('Jenis klaim dan tanggal kejadian belum dipilih.');
    const noRules = await get('&claimType=accident&incidentDate=2020-01-01');
    expect(noRules.status).toBe(422);
    expect(noRules.text).toContain('Tidak ada versi aturan yang berlaku pada tanggal kejadian 2020-01-01.');
  });

  it('refuses a form without its CSRF token, and a claim for another LPA’s member is a 404', async () => {
    const { key } = await accidentForm(memberA, '2027-05-02');
    const noToken = await postAccident(memberA, key, { _csrf: 'wrong' }, {});
    expect(noToken.status).toBe(403);
    expect((await request(app).get(`/klaim/baru?participant=${memberA}`).set('Cookie', lpaB.cookie)).status).toBe(404);
    expect((await request(app).get(`/klaim/baru?participant=${memberA}`).set('Cookie', directorate.cookie)).status).toBe(403);
  });

  describe('the review queue', () => {
    // Referred claims: late reports (more than 90 days) of medical bills, of both LPAs, in two months.
    const referred: { id: string; lpaId: string; amount: string; incidentDate: string }[] = [];
    beforeAll(async () => {
      const lateMedical = async (lpaId: string, participantId: string, incidentDate: string, cost: string, key: string) => {
        const claim = await fileClaim(database.db, {
          lpaId,
          participantId,
          key,
          today,
          body: {
            claimType: 'accident-medical',
            incidentDate,
            reportDate: '2027-06-20',
            costClaimed: cost,
            documents: ['medical-certificate', 'receipt'].map((kind) => ({ kind, number: `${kind}-${key}`, date: incidentDate })),
          },
        });
        expect(claim.status).toBe('referred');
        referred.push({ id: claim.id, lpaId, amount: claim.amount ?? '', incidentDate });
      };
      await lateMedical(fund.lpaA, memberA, '2027-01-10', '400000', 'late-1');
      await lateMedical(fund.lpaA, memberA, '2027-02-14', '2500000', 'late-2');
      await lateMedical(fund.lpaA, memberA2, '2027-02-20', '900000', 'late-3');
      await lateMedical(fund.lpaB, memberB, '2027-01-25', '1200000', 'late-4');
      // LPA A's past: twenty medical bills granted at Rp 100,000 to Rp 1,000,000.
      for (let serial = 1; serial <= 20; serial += 1)
        await fileClaim(database.db, {
          lpaId: fund.lpaA,
          participantId: memberA2,
          key: `past-${serial}`,
          today,
          body: {
            claimType: 'accident-medical',
            incidentDate: '2027-03-01',
            reportDate: '2027-03-02',
            costClaimed: String(serial * 50000),
            documents: ['medical-certificate', 'receipt'].map((kind) => ({
              kind,
              number: `${kind}-p${serial}`,
              date: '2027-03-01',
            })),
          },
        });
    });

    const queue = async (query: string) => {
      const page = await request(app).get(`/klaim/tinjau${query}`).set('Cookie', directorate.cookie);
      expect(page.status).toBe(200);
      return { text: page.text, listed: referred.filter((claim) => page.text.includes(`/klaim/${claim.id}?`)) };
    };

    it('is the directorate’s: an LPA or finance may not open it or decide from it', async () => {
      expect((await request(app).get('/klaim/tinjau').set('Cookie', lpaA.cookie)).status).toBe(403);
      const finance = await consoleSession(app, fund.users.finance);
      expect((await request(app).get('/klaim/tinjau').set('Cookie', finance.cookie)).status).toBe(403);
      const posted = await request(app)
        .post('/klaim/tinjau/putuskan')
        .set('Cookie', lpaA.cookie)
        .type('form')
        .send({ _csrf: lpaA.csrf, claimId: referred[0]?.id, outcome: 'approved', reason: 'looks fine', key: 'k-1' });
      expect(posted.status).toBe(403);
    });

    it('lists every referred claim, and filters by LPA, claim type, incident month and amount', async () => {
      const all = await queue('');
      expect(all.listed).toHaveLength(4);
      expect(all.text).toContain('Dirujuk aturan ke tinjauan.');
      expect(all.text).toContain('Dilaporkan terlambat');
      expect((await queue(`?lpaId=${fund.lpaB}`)).listed.map((claim) => claim.lpaId)).toEqual([fund.lpaB]);
      expect((await queue('?claimType=accident')).listed).toEqual([]);
      expect(
        (await queue('?claimType=accident-medical&incidentMonth=2027-02')).listed.map((claim) => claim.incidentDate),
      ).toEqual(['2027-02-14', '2027-02-20']);
      expect((await queue('?amountMin=900000&amountMax=1200000')).listed.map((claim) => claim.amount).sort()).toEqual([
        '1200000.00',
        '900000.00',
      ]);
      const bad = await request(app).get('/klaim/tinjau?incidentMonth=2027-13').set('Cookie', directorate.cookie);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Bulan kejadian: isian belum benar.');
    });

    it('samples a reproducible random share by the seeded hash of each claim’s id', async () => {
      // The claims' ids are new each run: a seed is chosen that draws some of them and not all.
      const drawn = (seed: string) => referred.filter((claim) => sampleBucket(seed, claim.id) < 5000);
      const seed =
        Array.from({ length: 100 }, (_, index) => `audit-2027-06-${index}`).find(
          (candidate) => drawn(candidate).length > 0 && drawn(candidate).length < referred.length,
        ) ?? '';
      const sampled = await queue(`?randomPercent=50&seed=${seed}`);
      const expected = drawn(seed);
      expect(expected.length).toBeGreaterThan(0);
      expect(sampled.listed.map((claim) => claim.id).sort()).toEqual(expected.map((claim) => claim.id).sort());
      for (const claim of expected)
        expect(sampled.text).toContain(`nilai ${wordsFor('id', 'Asia/Jakarta').count(sampleBucket(seed, claim.id))} dari 10.000`);
      expect(sampled.text).toContain(`(benih “${seed}”)`);
      expect((await queue(`?randomPercent=50&seed=${seed}`)).listed).toEqual(sampled.listed);
      const noSeed = await request(app).get('/klaim/tinjau?randomPercent=10').set('Cookie', directorate.cookie);
      expect(noSeed.status).toBe(400);
      expect(noSeed.text).toContain('Benih sampel acak: isian belum benar.');
    });

    it('samples the claims above a value, and those unusual against their LPA’s past', async () => {
      const above = await queue('?above=1000000');
      expect(above.listed.map((claim) => claim.amount).sort()).toEqual(['1200000.00', '2500000.00']);
      expect(above.text).toContain('Jumlahnya di atas Rp 1.000.000.');
      // LPA A's 95th percentile is Rp 950,000: its Rp 2,500,000 bill is unusual, its Rp 900,000 is not;
      // LPA B has no past, so nothing of it is called unusual.
      const unusual = await queue('?unusual=1');
      expect(unusual.listed.map((claim) => claim.amount)).toEqual(['2500000.00']);
      expect(unusual.text).toContain('Di atas persentil ke-95 LPA-nya untuk manfaat ini (Rp 950.000, dari 20 klaim).');
    });

    it('refuses a review without a reason, and decides the claim with one, back to the queue with a notice', async () => {
      const claim = referred[1];
      const page = await request(app).get(`/klaim/${claim?.id}?from=unusual%3D1`).set('Cookie', directorate.cookie);
      expect(page.text).toContain('Putuskan tinjauan');
      const key = /name="key" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const decide = (reason: string) =>
        request(app)
          .post('/klaim/tinjau/putuskan')
          .set('Cookie', directorate.cookie)
          .type('form')
          .send({ _csrf: directorate.csrf, claimId: claim?.id, outcome: 'approved', reason, key, from: 'unusual=1' });
      const refused = await decide('  ');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('Tulis alasan keputusan, 3 sampai 500 huruf.');
      expect((await database.db('claims').where({ id: claim?.id }).first('status')).status).toBe('referred');

      const decided = await decide('Kuitansi sudah dicek ke klinik.');
      expect(decided.status).toBe(303);
      expect(decided.headers.location).toBe(`/klaim/tinjau?unusual=1&reviewed=approved&claim=${claim?.id}`);
      const back = await request(app).get(String(decided.headers.location)).set('Cookie', directorate.cookie);
      expect(back.text).toContain('Klaim disetujui pada tinjauan.');
      expect(back.text).not.toContain(`/klaim/${claim?.id}?`);
      const stored = await database.db('claims').where({ id: claim?.id }).first('status', 'review_reason');
      expect(stored).toEqual({ status: 'approved', review_reason: 'Kuitansi sudah dicek ke klinik.' });
      const after = await request(app).get(`/klaim/${claim?.id}`).set('Cookie', directorate.cookie);
      expect(after.text).toContain('Disetujui pada tinjauan');
      expect(after.text).not.toContain('Putuskan tinjauan');
      // The same form sent again decides nothing more.
      expect((await decide('Kuitansi sudah dicek ke klinik.')).status).toBe(303);
    });

    it('answers the same queue over the API, with why each claim is listed', async () => {
      const response = await request(app).get('/v1/claims/review-queue?above=1000000').set('Cookie', directorate.cookie);
      expect(response.status).toBe(200);
      expect(response.body.claims.map((claim: { amount: string }) => claim.amount)).toEqual(['1200000.00']);
      expect(response.body.claims[0].sampledFor).toEqual([{ kind: 'above', threshold: '1000000' }]);
      const bad = await request(app).get('/v1/claims/review-queue?amountMin=abc').set('Cookie', directorate.cookie);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      // One bound an amount and the other not (found by the fuzzer): the one that is not is named.
      const half = await request(app)
        .get('/v1/claims/review-queue?amountMin=250000.00&amountMax=null')
        .set('Cookie', directorate.cookie);
      expect(half.status).toBe(400);
      expect(half.body.errors.map((error: { field: string }) => error.field)).toEqual(['query.amountMax']);
    });
  });
});

describe('the claims catalogue', () => {
  it('names every claim type, status, cause of death, and every reason, benefit and document the shipped rules can give', () => {
    const events = [...shippedRules.schemes.values()].flatMap((versions) =>
      versions.flatMap((version) => version.areas.benefits.rules.map((rule) => rule.event)),
    );
    const keys = [
      ...claimTypes.map((type) => `claims.type.${type}`),
      ...claimStatuses.map((status) => `status.claim.${status}`),
      ...deathCauses.map((cause) => `claims.deathCause.${cause}`),
      ...Object.keys(coverRefusals).map((reason) => `claims.reason.${reason}`),
      'claims.reason.no_benefit_applies',
      'claims.reason.documents_missing',
      ...events
        .filter((event) => event.type === 'claim-rejected' || event.type === 'claim-referred')
        .map((event) => `claims.reason.${String(event.params.reason)}`),
      ...events.filter((event) => event.type === 'benefit').map((event) => `claims.benefit.${String(event.params.benefit)}`),
      ...events
        .filter((event) => event.type === 'documents-required')
        .flatMap((event) => (event.params.kinds as string[]).map((kind) => `claims.document.${kind}`)),
    ];
    for (const catalogue of Object.values(catalogues))
      expect([...new Set(keys)].filter((key) => !(key in catalogue))).toEqual([]);
  });
});
