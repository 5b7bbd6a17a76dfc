import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from '../../src/console/i18n/index.ts';
import { maritalStatuses, welfareStatuses } from '../../src/rules/catalogue.ts';
import { versionInForce } from '../../src/rules/evaluate.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { occupationNames } from '../../src/registry/occupations.ts';
import { countRows, shippedRules, testApp } from '../support/api.ts';
import { type ConsoleFund, type ConsoleSession, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { motorbikeTaxiDriver, nikFor } from '../support/people.ts';

// Enrolment in the console over HTTP: an LPA officer submits a person and
// the eligibility rules decide, as POST /v1/participants decides for an LPA
// key; the card prints through the API's own PDF route.

// The enrolment form as a browser sends it, for a person as the API's tests write them.
function enrolmentForm(session: ConsoleSession, key: string, person: Record<string, unknown>): Record<string, string> {
  const yesNo = (value: unknown) => (value === true ? 'yes' : value === false ? 'no' : 'unasked');
  const heirs = (person.heirs as { name: string; relation: string; nik?: string }[]).flatMap((heir, index) => [
    [`heir${index + 1}Name`, heir.name],
    [`heir${index + 1}Relation`, heir.relation],
    [`heir${index + 1}Nik`, heir.nik ?? ''],
  ]);
  return {
    _csrf: session.csrf,
    key,
    nik: String(person.nik),
    kk: String(person.kk),
    name: String(person.name),
    birthDate: String(person.birthDate),
    sex: String(person.sex),
    maritalStatus: String(person.maritalStatus),
    isHeadOfFamily: yesNo(person.isHeadOfFamily),
    occupation: String(person.occupation),
    welfareStatus: String(person.welfareStatus),
    welfareDecile: String(person.welfareDecile ?? ''),
    willingToSave: yesNo(person.willingToSave),
    attendsMonthlyMeeting: yesNo(person.attendsMonthlyMeeting),
    address: String(person.address),
    phone: String(person.phone ?? ''),
    enrolledOn: String(person.enrolledOn),
    ...Object.fromEntries(heirs),
  };
}

const keyOf = (html: string) => /name="key" value="([0-9a-f-]{36})"/.exec(html)?.[1] ?? '';

describe('enrolment in the console', () => {
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

  const openForm = async (session: ConsoleSession) => {
    const page = await request(app).get('/pendaftaran').set('Cookie', session.cookie);
    expect(page.status).toBe(200);
    return keyOf(page.text);
  };
  const post = (session: ConsoleSession, body: Record<string, string>) =>
    request(app).post('/pendaftaran').set('Cookie', session.cookie).type('form').send(body);

  it('offers an LPA officer the form in the menu, grouped, for their own LPA and the scheme that decides', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    const page = await request(app).get('/pendaftaran').set('Cookie', session.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/pendaftaran" aria-current="page">Pendaftaran</a>');
    expect(page.text).toMatch(/Didaftarkan ke [^<]+\./);
    for (const legend of ['Identitas', 'Alamat dan kontak', 'Pekerjaan dan kesejahteraan', 'Kepesertaan', 'Ahli waris'])
      expect(page.text).toContain(`<legend>${legend}</legend>`);
    expect(page.text).toContain('Askesos mandiri');
    expect(page.text).toContain('type="date"');
    expect(page.text).toContain('value="2026-11-25"');
    expect(keyOf(page.text)).not.toBe('');
    // A new key each time the form is rendered.
    expect(await openForm(session)).not.toBe(keyOf(page.text));
  });

  it('refuses the form to a role that may not enrol through the API (403), auditor and directorate alike', async () => {
    for (const user of [fund.users.auditor, fund.users.directorate]) {
      const session = await consoleSession(app, user);
      const page = await request(app).get('/pendaftaran').set('Cookie', session.cookie);
      expect(page.status).toBe(403);
      expect(page.text).not.toContain('href="/pendaftaran"');
      const posted = await post(session, enrolmentForm(session, crypto.randomUUID(), motorbikeTaxiDriver(40)));
      expect(posted.status).toBe(403);
    }
    expect(
      await database
        .db('participants')
        .where({ nik: motorbikeTaxiDriver(40).nik })
        .first(),
    ).toBeUndefined();
  });

  it('enrols an eligible person into the officer’s LPA, keeps the decision with its rule version and hash, and shows their page', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    const person = motorbikeTaxiDriver(41, { name: 'Agustinus Ngabut' });
    const posted = await post(session, enrolmentForm(session, await openForm(session), person));
    expect(posted.status).toBe(303);
    const location = String(posted.headers.location);
    expect(location).toMatch(/^\/peserta\/[0-9a-f-]{36}\?enrolled=1$/);
    const participantId = location.slice('/peserta/'.length, location.indexOf('?'));

    const participant = await database.db('participants').where({ id: participantId }).first();
    expect(participant).toMatchObject({ nik: person.nik, lpa_id: fund.lpaA, name: 'Agustinus Ngabut' });
    const enrolments = await database.db('enrolments').where({ participant_id: participantId });
    const inForce = versionInForce(shippedRules, 'standalone', person.enrolledOn as string);
    expect(enrolments).toHaveLength(1);
    expect(enrolments[0]).toMatchObject({
      status: 'active',
      lpa_id: fund.lpaA,
      rule_scheme: 'standalone',
      rule_version: inForce.version,
      rule_hash: inForce.hash,
    });
    const audit = await database.db('audit_log').where({ action: 'participant.enrol', entity_id: participantId }).first();
    expect(audit?.actor).toBe(`user:${fund.users.lpaA.username}`);

    const page = await request(app).get(location).set('Cookie', session.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Agustinus Ngabut</h1>');
    expect(page.text).toContain(`Peserta terdaftar: memenuhi syarat menurut aturan Askesos mandiri, versi ${inForce.version}.`);
    expect(page.text).toContain('Maria Dingu');
  });

  it('refuses an ineligible person with every reason and the rule version, in the officer’s language, keeping the refusal as the API does', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    const person = motorbikeTaxiDriver(42, {
      name: 'Benediktus Ranying',
      isHeadOfFamily: false,
      occupation: 'civil-servant',
      welfareStatus: 'not-poor',
    });
    const participantsBefore = await countRows(database.db, 'participants');
    const posted = await post(session, enrolmentForm(session, await openForm(session), person));
    expect(posted.status).toBe(303);
    const location = String(posted.headers.location);
    expect(location).toMatch(/^\/pendaftaran\?peserta=[0-9a-f-]{36}&keputusan=[0-9a-f-]{36}$/);

    // As POST /v1/participants: the refusal is a decision kept with its reasons, never an active enrolment.
    const stored = await database
      .db('enrolments')
      .join('participants', 'participants.id', 'enrolments.participant_id')
      .where({ 'participants.nik': person.nik })
      .select('enrolments.status', 'enrolments.rule_version', 'enrolments.rule_hash', 'enrolments.reasons');
    const inForce = versionInForce(shippedRules, 'standalone', person.enrolledOn as string);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'rejected', rule_version: inForce.version, rule_hash: inForce.hash });
    const codes = (stored[0]?.reasons as { reason: string }[]).map((reason) => reason.reason).sort();
    expect(codes).toEqual(['not_head_of_family', 'not_informal_worker', 'not_poor_or_vulnerable']);
    expect(await countRows(database.db, 'participants')).toBe(participantsBefore + 1);

    const page = await request(app).get(location).set('Cookie', session.cookie);
    expect(page.status).toBe(200);
    const alert = /<div class="notice error" role="alert">(.*?)<\/div>/s.exec(page.text)?.[1] ?? '';
    expect(alert).toContain('Tidak memenuhi syarat: pendaftaran ditolak');
    expect(alert).toContain('Benediktus Ranying tidak dapat didaftarkan.');
    expect(alert).toContain(
      `Diputuskan menurut aturan Askesos mandiri, versi ${inForce.version}, untuk tanggal pendaftaran 20 November 2026.`,
    );
    expect(alert).toContain('Alasan penolakan (3):');
    for (const code of codes) expect(alert).toContain(catalogues.id[`enrolment.reason.${code}` as keyof typeof catalogues.id]);
    expect(alert).toContain(inForce.hash);
    // The form again, holding what was submitted, with a new key.
    expect(page.text).toContain(`value="${person.nik}"`);
    expect(page.text).toContain('<option value="civil-servant" selected>');
    expect(keyOf(page.text)).not.toBe('');

    const english = await consoleSession(app, fund.users.lpaA);
    await request(app)
      .post('/language')
      .set('Cookie', english.cookie)
      .type('form')
      .send({ _csrf: english.csrf, locale: 'en', back: '/' });
    const inEnglish = await request(app).get(location).set('Cookie', english.cookie);
    expect(inEnglish.text).toContain('Not eligible: enrolment refused');
    expect(inEnglish.text).toContain(
      `Decided by the rules of Standalone Askesos fund, version ${inForce.version}, for the enrolment date 20 November 2026.`,
    );
    for (const code of codes)
      expect(inEnglish.text).toContain(catalogues.en[`enrolment.reason.${code}` as keyof typeof catalogues.en]);
    await request(app)
      .post('/language')
      .set('Cookie', english.cookie)
      .type('form')
      .send({ _csrf: english.csrf, locale: 'id', back: '/' });

    // Another LPA does not see the refusal.
    const other = await consoleSession(app, fund.users.lpaB);
    expect((await request(app).get(location).set('Cookie', other.cookie)).status).toBe(404);
  });

  it('enrols once when the same form is sent twice, eligible or refused', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    for (const person of [motorbikeTaxiDriver(43), motorbikeTaxiDriver(44, { welfareStatus: 'unknown' })]) {
      const body = enrolmentForm(session, await openForm(session), person);
      const first = await post(session, body);
      const second = await post(session, body);
      expect(first.status).toBe(303);
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      const decisions = await database
        .db('enrolments')
        .join('participants', 'participants.id', 'enrolments.participant_id')
        .where({ 'participants.nik': person.nik })
        .count<{ count: string }[]>({ count: '*' });
      expect(Number(decisions[0]?.count)).toBe(1);
    }
    // A new form for a person already enrolled is refused by the domain, not enrolled twice.
    const again = await post(session, enrolmentForm(session, await openForm(session), motorbikeTaxiDriver(43)));
    expect(again.status).toBe(409);
    expect(again.text).toContain('NIK ini sudah terdaftar aktif.');
  });

  it('shows the form again naming each bad field, keeping what was typed, and writes nothing', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    const tables = ['participants', 'enrolments', 'heirs', 'idempotent_requests', 'audit_log'];
    const before = await Promise.all(tables.map((table) => countRows(database.db, table)));
    const person = motorbikeTaxiDriver(45, {
      name: 'Yosef Tingang',
      nik: nikFor('6210', '1990-01-01', 'male', 45),
      phone: '12',
      heirs: [
        { name: 'Maria Dingu', relation: 'spouse' },
        { name: 'R2D2', relation: 'child' },
      ],
    });
    const refused = await post(session, enrolmentForm(session, await openForm(session), person));
    expect(refused.status).toBe(400);
    const alert = /<div class="notice error" role="alert">(.*?)<\/div>/s.exec(refused.text)?.[1] ?? '';
    expect(alert).toContain('Pendaftaran belum dikirim.');
    expect(alert).toContain('Nomor telepon: 6 sampai 15 angka');
    expect(refused.text).toContain('value="Yosef Tingang"');
    expect(refused.text).toContain('aria-invalid="true"');
    // The schema passed the phone once it is fixed; the domain then checks the NIK and the heirs.
    const fixed = await post(session, enrolmentForm(session, await openForm(session), { ...person, phone: '081234567890' }));
    expect(fixed.status).toBe(400);
    expect(fixed.text).toContain('<a href="#enrol-nik">NIK: 16 angka');
    expect(fixed.text).toContain('<a href="#enrol-heir2Name">Nama ahli waris 2:');
    expect(fixed.text).not.toContain('Nama ahli waris 1:');
    expect(await Promise.all(tables.map((table) => countRows(database.db, table)))).toEqual(before);
  });

  it('records a card, then prints it as the API’s PDF; another LPA’s card is a 404', async () => {
    const session = await consoleSession(app, fund.users.lpaA);
    const enrolled = await post(session, enrolmentForm(session, await openForm(session), motorbikeTaxiDriver(46)));
    const location = String(enrolled.headers.location);
    const participantId = location.slice('/peserta/'.length, location.indexOf('?'));
    const page = await request(app).get(`/peserta/${participantId}`).set('Cookie', session.cookie);
    expect(page.text).toContain('Catat kartu peserta');
    expect(page.text).not.toContain('card.pdf');

    const card = (body: Record<string, string>) =>
      request(app)
        .post('/peserta/kartu')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, participant: participantId, ...body });
    const bad = await card({ number: 'no', issuedOn: '2026-11-25', deliveredOn: '2026-11-01' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Nomor kartu: 4 sampai 32 huruf kapital');
    expect(bad.text).toContain('Tanggal diserahkan: tidak sebelum tanggal terbit');
    const recorded = await card({ number: 'GM-2026-0046', issuedOn: '2026-11-25', deliveredOn: '' });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.location).toBe(`/peserta/${participantId}?card=1`);
    const withCard = await request(app).get(String(recorded.headers.location)).set('Cookie', session.cookie);
    expect(withCard.text).toContain('Kartu dicatat.');
    expect(withCard.text).toContain(`href="/v1/participants/${participantId}/card.pdf"`);

    const pdf = await request(app)
      .get(`/v1/participants/${participantId}/card.pdf`)
      .set('Cookie', session.cookie)
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const other = await consoleSession(app, fund.users.lpaB);
    expect((await request(app).get(`/v1/participants/${participantId}/card.pdf`).set('Cookie', other.cookie)).status).toBe(404);
    const foreign = await request(app)
      .post('/peserta/kartu')
      .set('Cookie', other.cookie)
      .type('form')
      .send({ _csrf: other.csrf, participant: participantId, number: 'RJ-0001', issuedOn: '2026-11-25' });
    expect(foreign.status).toBe(404);
    // A number is one person's.
    const taken = await request(app)
      .post('/peserta/kartu')
      .set('Cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrf, participant: fund.participantOfA, number: 'GM-2026-0046', issuedOn: '2026-11-25' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Nomor kartu ini sudah dipakai peserta lain.');
  });

  describe('changing the heirs', () => {
    const daughter = { name: 'Theresia Dingu', relation: 'child', nik: nikFor('6210', '2008-03-14', 'female', 9) };
    const enrolled = async (session: ConsoleSession, serial: number) => {
      const posted = await post(session, enrolmentForm(session, await openForm(session), motorbikeTaxiDriver(serial)));
      const location = String(posted.headers.location);
      return location.slice('/peserta/'.length, location.indexOf('?'));
    };
    const postHeirs = (session: ConsoleSession, participantId: string, rows: Record<string, string>) =>
      request(app)
        .post('/peserta/ahli-waris')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, participant: participantId, ...rows });
    const heirsOf = (participantId: string) =>
      database.db('heirs').where({ participant_id: participantId }).orderBy('name', 'asc').select('name', 'relation', 'nik');
    const heirAudits = (participantId: string) =>
      database.db('audit_log').where({ action: 'participant.heirs', entity_id: participantId });

    it('shows an LPA officer the recorded heirs filled in, empty rows up to the maximum and a remove button for each', async () => {
      const session = await consoleSession(app, fund.users.lpaA);
      const participantId = await enrolled(session, 47);
      const page = await request(app).get(`/peserta/${participantId}`).set('Cookie', session.cookie);
      expect(page.text).toContain('<h3 id="heirs-edit-title">Ubah ahli waris</h3>');
      expect(page.text).toContain('action="/peserta/ahli-waris"');
      expect(page.text).toMatch(/id="enrol-heir1Name" name="heir1Name" value="Maria Dingu"/);
      expect(page.text).toContain('id="enrol-heir10Name"');
      expect(page.text).not.toContain('id="enrol-heir11Name"');
      expect(page.text).toMatch(
        /<button type="submit" class="remove" form="heir-removal" name="heir" value="[0-9a-f-]{36}">Hapus Maria Dingu<\/button>/,
      );
      // People who may see the participant but not enrol see the heirs without the form.
      for (const user of [fund.users.dinsos, fund.users.directorate]) {
        const other = await consoleSession(app, user);
        const seen = await request(app).get(`/peserta/${participantId}`).set('Cookie', other.cookie);
        expect(seen.status).toBe(200);
        expect(seen.text).toContain('Maria Dingu');
        expect(seen.text).not.toContain('/peserta/ahli-waris');
      }
    });

    it('adds an heir and redirects back with a notice; the same form again writes nothing more', async () => {
      const session = await consoleSession(app, fund.users.lpaA);
      const participantId = await enrolled(session, 48);
      const rows = {
        heir1Name: 'Maria Dingu',
        heir1Relation: 'spouse',
        heir1Nik: '',
        heir2Name: '',
        heir2Relation: '',
        heir2Nik: '',
        heir3Name: daughter.name,
        heir3Relation: daughter.relation,
        heir3Nik: daughter.nik,
      };
      const saved = await postHeirs(session, participantId, rows);
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/peserta/${participantId}?heirs=1`);
      const page = await request(app).get(String(saved.headers.location)).set('Cookie', session.cookie);
      expect(page.text).toContain('Ahli waris disimpan.');
      expect(page.text).toContain('Theresia Dingu');
      expect(await heirsOf(participantId)).toEqual([
        { name: 'Maria Dingu', relation: 'spouse', nik: null },
        { name: daughter.name, relation: 'child', nik: daughter.nik },
      ]);
      // A double submit: the second changes nothing and is not audited again.
      expect((await postHeirs(session, participantId, rows)).status).toBe(303);
      expect(await heirAudits(participantId)).toHaveLength(1);
    });

    it('removes an heir with its button, keeping the others', async () => {
      const session = await consoleSession(app, fund.users.lpaA);
      const participantId = await enrolled(session, 49);
      await postHeirs(session, participantId, {
        heir1Name: 'Maria Dingu',
        heir1Relation: 'spouse',
        heir2Name: daughter.name,
        heir2Relation: daughter.relation,
        heir2Nik: daughter.nik,
      });
      const [spouse] = await database.db('heirs').where({ participant_id: participantId, name: 'Maria Dingu' }).pluck('id');
      const removed = await request(app)
        .post('/peserta/ahli-waris/hapus')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, participant: participantId, heir: spouse });
      expect(removed.status).toBe(303);
      expect(removed.headers.location).toBe(`/peserta/${participantId}?heirs=1`);
      expect(await heirsOf(participantId)).toEqual([{ name: daughter.name, relation: 'child', nik: daughter.nik }]);
    });

    it('shows the form again naming the row and field of bad input, and changes nothing', async () => {
      const session = await consoleSession(app, fund.users.lpaA);
      const participantId = await enrolled(session, 50);
      const typed = { heir1Name: 'Maria Dingu', heir1Relation: 'spouse', heir2Name: daughter.name, heir2Relation: 'child' };
      const badNik = await postHeirs(session, participantId, { ...typed, heir2Nik: '12345' });
      expect(badNik.status).toBe(400);
      expect(badNik.text).toContain('Ahli waris belum disimpan.');
      expect(badNik.text).toContain('<a href="#enrol-heir2Nik">NIK ahli waris 2: 16 angka');
      expect(badNik.text).toContain('value="Theresia Dingu"');
      expect(badNik.text).toContain('value="12345"');
      // The participant's own NIK is refused by the domain, on the same row.
      const ownNik = await postHeirs(session, participantId, { ...typed, heir2Nik: motorbikeTaxiDriver(50).nik });
      expect(ownNik.status).toBe(400);
      expect(ownNik.text).toContain('<a href="#enrol-heir2Nik">NIK ahli waris 2:');
      const noRelation = await postHeirs(session, participantId, { heir4Name: 'Yakobus Dingu' });
      expect(noRelation.status).toBe(400);
      expect(noRelation.text).toContain('<a href="#enrol-heir4Relation">Hubungan ahli waris 4:');
      expect(await heirsOf(participantId)).toEqual([{ name: 'Maria Dingu', relation: 'spouse', nik: null }]);
      expect(await heirAudits(participantId)).toHaveLength(0);
    });

    it('is a 404 for another LPA’s member, a 403 for a role that may not enrol, and refused without the CSRF token', async () => {
      const session = await consoleSession(app, fund.users.lpaA);
      const participantId = await enrolled(session, 51);
      const rows = { heir1Name: daughter.name, heir1Relation: 'child' };
      const other = await consoleSession(app, fund.users.lpaB);
      expect((await postHeirs(other, participantId, rows)).status).toBe(404);
      const removal = await request(app)
        .post('/peserta/ahli-waris/hapus')
        .set('Cookie', other.cookie)
        .type('form')
        .send({ _csrf: other.csrf, participant: participantId, heir: crypto.randomUUID() });
      expect(removal.status).toBe(404);
      for (const user of [fund.users.dinsos, fund.users.directorate]) {
        const refused = await consoleSession(app, user);
        expect((await postHeirs(refused, participantId, rows)).status).toBe(403);
      }
      const forged = await request(app)
        .post('/peserta/ahli-waris')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ participant: participantId, ...rows });
      expect(forged.status).toBe(403);
      expect(await heirsOf(participantId)).toEqual([{ name: 'Maria Dingu', relation: 'spouse', nik: null }]);
    });
  });
});

describe('the enrolment catalogue', () => {
  // Drafts too: a reason a coming version can give has its words before it is published.
  const book = loadRuleBook('rules', 'all');

  it('has words in both languages for every reason the eligibility rules can give', () => {
    const codes = new Set<string>();
    for (const versions of book.schemes.values())
      for (const version of versions)
        for (const rule of version.areas.eligibility.rules)
          if (rule.event.type === 'ineligible') codes.add(String(rule.event.params.reason));
    expect(codes.size).toBeGreaterThan(0);
    for (const locale of ['id', 'en'] as const)
      expect([...codes].filter((code) => !(`enrolment.reason.${code}` in catalogues[locale]))).toEqual([]);
  });

  it('names every scheme, occupation, marital and welfare status in both languages', () => {
    const keys = [
      ...[...book.schemes.keys()].map((scheme) => `enrolment.scheme.${scheme}`),
      ...occupationNames.map((name) => `enrolment.occupation.${name}`),
      ...maritalStatuses.map((status) => `enrolment.marital.${status}`),
      ...welfareStatuses.map((status) => `enrolment.welfare.${status}`),
    ];
    for (const locale of ['id', 'en'] as const) expect(keys.filter((key) => !(key in catalogues[locale]))).toEqual([]);
  });
});
