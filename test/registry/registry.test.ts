import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, countRows, makeKey, publishShippedRules, shippedRules, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { declaredForNewInitiative, motorbikeTaxiDriver, nikFor } from '../support/people.ts';

const lpaBody = (changes: Record<string, unknown> = {}) => ({
  name: 'Yayasan Betang Tumbang',
  type: 'foundation',
  regencyCode: '6210',
  contactName: 'Ibu Rini',
  contactPhone: '+6281250001111',
  bankName: 'Bank Kalteng',
  bankAccountNumber: '0123456789',
  accreditation: 'provisional',
  accreditedOn: '2025-08-01',
  ...changes,
});

describe('registry: LPAs, enrolment, cards and membership lookup', () => {
  let database: TestDatabase;
  let app: Express;
  let directorate: TestKey;
  let dinsosGunungMas: TestKey;
  let dinsosKapuas: TestKey;
  let lpaA: TestKey;
  let lpaB: TestKey;
  let lpaAId: string;
  let lpaBId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    app = testApp(database.db);
    directorate = await makeKey(database.db, { role: 'directorate' });
    dinsosGunungMas = await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' });
    dinsosKapuas = await makeKey(database.db, { role: 'dinsos', regencyCode: '6203' });
    const proposedA = await as(app, dinsosGunungMas).post('/v1/lpas').send(lpaBody());
    const proposedB = await as(app, directorate)
      .post('/v1/lpas')
      .send(lpaBody({ name: 'Perkumpulan Nelayan Kapuas', regencyCode: '6203', type: 'association' }));
    expect([proposedA.status, proposedB.status]).toEqual([201, 201]);
    lpaAId = proposedA.body.id;
    lpaBId = proposedB.body.id;
    for (const id of [lpaAId, lpaBId])
      await as(app, directorate).post(`/v1/lpas/${id}/approve`).send({ reason: 'verified on site' });
    lpaA = await makeKey(database.db, { role: 'lpa', lpaId: lpaAId });
    lpaB = await makeKey(database.db, { role: 'lpa', lpaId: lpaBId });
  });
  afterAll(async () => {
    await database.close();
  });

  describe('LPAs', () => {
    it('are proposed by dinsos for its own regency only', async () => {
      const elsewhere = await as(app, dinsosKapuas).post('/v1/lpas').send(lpaBody());
      expect(elsewhere.status).toBe(403);
      const unknownRegency = await as(app, directorate)
        .post('/v1/lpas')
        .send(lpaBody({ regencyCode: '6299' }));
      expect(unknownRegency.status).toBe(400);
      expect(unknownRegency.body.errors).toEqual([{ field: 'body.regencyCode', message: 'is not a known regency code' }]);
      const noDate = await as(app, directorate)
        .post('/v1/lpas')
        .send(lpaBody({ accreditedOn: undefined }));
      expect(noDate.body.errors).toEqual([{ field: 'body.accreditedOn', message: 'is required with an accreditation' }]);
    });

    it('move through proposed, approved, suspended and closed, and refuse other moves', async () => {
      const proposed = await as(app, dinsosGunungMas)
        .post('/v1/lpas')
        .send(lpaBody({ name: 'Lembaga Adat Kuala Kurun', type: 'customary-body' }));
      expect(proposed.body).toMatchObject({ status: 'proposed', proposedBy: 'key:dinsos test key' });
      const id = proposed.body.id as string;
      expect((await as(app, directorate).post(`/v1/lpas/${id}/suspend`).send({ reason: 'too early' })).status).toBe(409);
      expect((await as(app, directorate).post(`/v1/lpas/${id}/approve`).send({ reason: 'verified' })).body.status).toBe(
        'approved',
      );
      const suspended = await as(app, directorate).post(`/v1/lpas/${id}/suspend`).send({ reason: 'reports late' });
      expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: 'reports late' });
      const closed = await as(app, directorate).post(`/v1/lpas/${id}/close`).send({ reason: 'dissolved' });
      expect(closed.body.status).toBe('closed');
      const reopen = await as(app, directorate).post(`/v1/lpas/${id}/approve`).send({ reason: 'again' });
      expect(reopen.status).toBe(409);
      expect(reopen.body.detail).toBe('An LPA that is closed cannot be approved.');
      expect((await as(app, dinsosGunungMas).post(`/v1/lpas/${id}/approve`).send({ reason: 'x y z' })).status).toBe(403);
    });

    it('may be proposed in a regency the directorate adds', async () => {
      const added = await as(app, directorate)
        .post('/v1/regions')
        .send({ regions: [{ code: '6214', name: 'Kabupaten Uji Coba' }] });
      expect(added.body).toEqual({ provinces: 0, regencies: 1 });
      const regions = await as(app, dinsosKapuas).get('/v1/regions');
      const kalteng = regions.body.provinces.find((province: { code: string }) => province.code === '62');
      expect(kalteng.regencies).toContainEqual({ code: '6214', name: 'Kabupaten Uji Coba' });
      const orphan = await as(app, directorate)
        .post('/v1/regions')
        .send({ regions: [{ code: '9901', name: 'Kabupaten Tanpa Provinsi' }] });
      expect(orphan.body.errors).toEqual([
        { field: 'body.regions.0.code', message: 'province 99 is not known; add it in the same file' },
      ]);
      // Found by the fuzzer: a code given twice answered 500. It is named, and nothing is written.
      const twice = await as(app, directorate)
        .post('/v1/regions')
        .send({
          regions: [
            { code: '6216', name: 'Kabupaten Satu' },
            { code: '6216', name: 'Kabupaten Dua' },
          ],
        });
      expect(twice.status).toBe(400);
      expect(twice.body.errors).toEqual([
        { field: 'body.regions.1.code', message: '6216 is given twice: first at body.regions.0' },
      ]);
      const after = await as(app, directorate).get('/v1/regions');
      const regencies = after.body.provinces.find((province: { code: string }) => province.code === '62').regencies;
      expect(regencies.map((regency: { code: string }) => regency.code)).not.toContain('6216');
      expect(
        (
          await as(app, dinsosKapuas)
            .post('/v1/regions')
            .send({ regions: [{ code: '6215', name: 'X Y' }] })
        ).status,
      ).toBe(403);
    });

    it('are listed within the key’s scope', async () => {
      const kapuas = await as(app, dinsosKapuas).get('/v1/lpas');
      expect(kapuas.body.lpas.map((lpa: { id: string }) => lpa.id)).toEqual([lpaBId]);
      const own = await as(app, lpaA).get('/v1/lpas');
      expect(own.body.lpas.map((lpa: { id: string }) => lpa.id)).toEqual([lpaAId]);
      expect((await as(app, lpaA).get(`/v1/lpas/${lpaBId}`)).status).toBe(404);
      expect((await as(app, dinsosKapuas).get(`/v1/lpas/${lpaAId}`)).status).toBe(404);
      expect((await as(app, directorate).get(`/v1/lpas/${lpaAId}`)).status).toBe(200);
    });
  });

  describe('enrolment', () => {
    it('enrols an eligible person, storing the rule version and hash that decided', async () => {
      const response = await as(app, lpaA).post('/v1/participants').send(motorbikeTaxiDriver(1));
      expect(response.status).toBe(201);
      const standalone = shippedRules.schemes.get('standalone')?.[0];
      expect(response.body.enrolment).toMatchObject({
        status: 'active',
        reasons: [],
        lpaId: lpaAId,
        rule: { scheme: 'standalone', version: '2026.1', hash: standalone?.hash },
      });
      const stored = await database.db('enrolments').where({ id: response.body.enrolment.id }).first();
      expect(stored.facts).toEqual({
        age: 42,
        maritalStatus: 'married',
        isHeadOfFamily: true,
        sector: 'informal',
        welfareStatus: 'poor',
        willingToSave: null,
        attendsMonthlyMeeting: null,
      });
      // Left out is not declared: null, not false, so the reports count the two apart.
      const participant = await as(app, lpaA).get(`/v1/participants/${response.body.participantId}`);
      expect(participant.body).toMatchObject({ willingToSave: null, attendsMonthlyMeeting: null });
      const audit = await database.db('audit_log').where({ entity_id: response.body.participantId }).first();
      expect(audit).toMatchObject({ action: 'participant.enrol', actor_key_id: lpaA.id });
    });

    it('enrols a worker vulnerable to poverty (rentan miskin): the study targets the vulnerable as well as the poor', async () => {
      const response = await as(app, lpaA)
        .post('/v1/participants')
        .send(motorbikeTaxiDriver(77, { welfareStatus: 'vulnerable' }));
      expect(response.status).toBe(201);
      expect(response.body.enrolment).toMatchObject({ status: 'active', reasons: [] });
    });

    it('enrols under the standalone scheme whatever the person declared of saving and monthly meetings', async () => {
      const declaredNo = await as(app, lpaA)
        .post('/v1/participants')
        .send(motorbikeTaxiDriver(78, { willingToSave: false, attendsMonthlyMeeting: false }));
      expect(declaredNo.body.enrolment).toMatchObject({ status: 'active', reasons: [] });
      const participant = await as(app, lpaA).get(`/v1/participants/${declaredNo.body.participantId}`);
      expect(participant.body).toMatchObject({ willingToSave: false, attendsMonthlyMeeting: false });
    });

    it('rejects a teacher with a good income, with every reason, and keeps the record', async () => {
      const teacher = motorbikeTaxiDriver(2, {
        name: 'Drs. Petrus Ambun',
        occupation: 'teacher',
        welfareStatus: 'not-poor',
        welfareDecile: 8,
      });
      const response = await as(app, lpaA).post('/v1/participants').send(teacher);
      expect(response.status).toBe(201);
      expect(response.body.enrolment.status).toBe('rejected');
      expect(response.body.enrolment.reasons.map((reason: { reason: string }) => reason.reason)).toEqual([
        'not_informal_worker',
        'not_poor_or_vulnerable',
      ]);
      const participant = await as(app, lpaA).get(`/v1/participants/${response.body.participantId}`);
      expect(participant.body).toMatchObject({ name: 'Drs. Petrus Ambun', coverageYear: null });
      expect(participant.body.enrolments).toHaveLength(1);
    });

    it.each([
      ['a name of digits', { name: '3201123' }, 'body.name', 'must not contain digits'],
      [
        'a NIK from another birth date',
        { nik: nikFor('6210', '1984-06-13', 'male', 3) },
        'body.nik',
        'digits 7 to 12 must be the birth date',
      ],
      [
        'a NIK that says female',
        { nik: nikFor('6210', '1984-06-12', 'female', 3) },
        'body.nik',
        'its day of birth says the other sex',
      ],
      [
        'a NIK of an unknown regency',
        { nik: nikFor('9901', '1984-06-12', 'male', 3) },
        'body.nik',
        'regency code that is not in the region list',
      ],
      [
        'a future birth date',
        { birthDate: '2027-01-01', nik: nikFor('6210', '2027-01-01', 'male', 3) },
        'body.birthDate',
        'must not be in the future',
      ],
      ['a KK of 15 digits', { kk: '621001120620000' }, 'body.kk', 'must be a KK (family card number) of 16 digits'],
      [
        'an heir named with digits',
        { heirs: [{ name: 'Anak 2', relation: 'child' }] },
        'body.heirs.0.name',
        'must not contain digits',
      ],
      ['a declaration that is neither true, false nor null', { willingToSave: 'yes' }, 'body.willingToSave', 'expected boolean'],
      [
        'an unknown occupation',
        { occupation: 'astronaut' },
        'body.occupation',
        'must be one of the occupations: motorbike-taxi-driver, pedicab-driver',
      ],
    ])('refuses %s, naming the field, and writes nothing', async (_case, change, field, message) => {
      const before = [
        await countRows(database.db, 'participants'),
        await countRows(database.db, 'enrolments'),
        await countRows(database.db, 'audit_log'),
      ];
      const response = await as(app, lpaA).post('/v1/participants').send(motorbikeTaxiDriver(3, change));
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({ field, message: expect.stringContaining(message) });
      expect([
        await countRows(database.db, 'participants'),
        await countRows(database.db, 'enrolments'),
        await countRows(database.db, 'audit_log'),
      ]).toEqual(before);
    });

    it('enrols one person once in the whole fund', async () => {
      const again = await as(app, lpaB).post('/v1/participants').send(motorbikeTaxiDriver(1));
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('urn:askesos:problem:already-enrolled');
      const racing = await Promise.all([1, 2].map(() => as(app, lpaA).post('/v1/participants').send(motorbikeTaxiDriver(4))));
      expect(racing.map((response) => response.status).sort()).toEqual([201, 409]);
    });

    it('takes a rejected person again once the facts change', async () => {
      const first = await as(app, lpaA)
        .post('/v1/participants')
        .send(motorbikeTaxiDriver(5, { welfareStatus: 'unknown' }));
      expect(first.body.enrolment.reasons).toEqual([{ reason: 'welfare_status_unverified', explanation: expect.any(String) }]);
      const second = await as(app, lpaA)
        .post('/v1/participants')
        .send(motorbikeTaxiDriver(5, { welfareStatus: 'near-poor' }));
      expect(second.body).toMatchObject({ participantId: first.body.participantId, enrolment: { status: 'active' } });
      const participant = await as(app, lpaA).get(`/v1/participants/${first.body.participantId}`);
      expect(participant.body.enrolments.map((enrolment: { status: string }) => enrolment.status)).toEqual([
        'active',
        'rejected',
      ]);
      expect(participant.body.coverageYear).toBe(1);
    });

    describe('under the New Initiative (askesos-ni-2012)', () => {
      const enrolledOn = '2013-03-01';
      // The same service with the New Initiative as the scheme for new enrolments.
      let newInitiative: Express;
      beforeAll(() => {
        newInitiative = testApp(database.db, undefined, undefined, undefined, 'askesos-ni-2012');
      });
      const submit = (serial: number, changes: Record<string, unknown>) =>
        as(newInitiative, lpaA)
          .post('/v1/participants')
          .send(motorbikeTaxiDriver(serial, { enrolledOn, ...changes }));

      it('enrols a person who declared both: willing to save at a bank or cooperative, and at the monthly meeting', async () => {
        const response = await submit(301, declaredForNewInitiative);
        expect(response.body.enrolment).toMatchObject({
          status: 'active',
          reasons: [],
          rule: { scheme: 'askesos-ni-2012', version: '2013.1' },
        });
        const stored = await database.db('enrolments').where({ id: response.body.enrolment.id }).first();
        expect(stored.facts).toMatchObject({ willingToSave: true, attendsMonthlyMeeting: true });
        const participant = await as(app, lpaA).get(`/v1/participants/${response.body.participantId}`);
        expect(participant.body).toMatchObject({ willingToSave: true, attendsMonthlyMeeting: true });
      });

      it.each([
        ['not willing to save', 311, { willingToSave: false, attendsMonthlyMeeting: true }, ['not_willing_to_save']],
        [
          'not at the monthly meeting',
          312,
          { willingToSave: true, attendsMonthlyMeeting: false },
          ['not_attending_monthly_meeting'],
        ],
        ['who declared nothing (the fields left out)', 313, {}, ['not_willing_to_save', 'not_attending_monthly_meeting']],
        [
          'who declared nothing (null)',
          314,
          { willingToSave: null, attendsMonthlyMeeting: null },
          ['not_willing_to_save', 'not_attending_monthly_meeting'],
        ],
      ])('refuses a person %s, with the reason, and keeps the record', async (_case, serial, declarations, reasons) => {
        const response = await submit(serial, declarations);
        expect(response.status).toBe(201);
        expect(response.body.enrolment.status).toBe('rejected');
        expect(response.body.enrolment.reasons).toEqual(
          reasons.map((reason) => ({ reason, explanation: expect.stringContaining('as declared to the LPA') })),
        );
        const participant = await as(app, lpaA).get(`/v1/participants/${response.body.participantId}`);
        expect(participant.body.enrolments).toMatchObject([{ status: 'rejected' }]);
      });
    });

    it('refuses enrolment through a suspended LPA', async () => {
      await as(app, directorate).post(`/v1/lpas/${lpaBId}/suspend`).send({ reason: 'audit pending' });
      const response = await as(app, lpaB).post('/v1/participants').send(motorbikeTaxiDriver(6));
      expect(response.status).toBe(409);
      expect(response.body.type).toBe('urn:askesos:problem:lpa-not-approved');
      await as(app, directorate).post(`/v1/lpas/${lpaBId}/approve`).send({ reason: 'audit passed' });
    });
  });

  describe('scope', () => {
    it('shows a participant to its LPA, its regency’s dinsos and national roles only', async () => {
      const [id] = await database
        .db('participants')
        .where({ nik: motorbikeTaxiDriver(1).nik })
        .pluck('id');
      expect((await as(app, lpaA).get(`/v1/participants/${id}`)).status).toBe(200);
      expect((await as(app, dinsosGunungMas).get(`/v1/participants/${id}`)).status).toBe(200);
      expect((await as(app, directorate).get(`/v1/participants/${id}`)).status).toBe(200);
      expect((await as(app, lpaB).get(`/v1/participants/${id}`)).status).toBe(404);
      expect((await as(app, dinsosKapuas).get(`/v1/participants/${id}`)).status).toBe(404);
      const listed = await as(app, lpaB).get(`/v1/participants?nik=${motorbikeTaxiDriver(1).nik}`);
      expect(listed.body.participants).toEqual([]);
    });
  });

  describe('cards and membership lookup', () => {
    it('records card issue and delivery, and refuses delivery before issue', async () => {
      const [id] = await database
        .db('participants')
        .where({ nik: motorbikeTaxiDriver(1).nik })
        .pluck('id');
      const bad = await as(app, lpaA)
        .post(`/v1/participants/${id}/card`)
        .send({ number: 'ASK-6210-0001', issuedOn: '2026-11-22', deliveredOn: '2026-11-21' });
      expect(bad.body.errors).toEqual([{ field: 'body.deliveredOn', message: 'must not be before issuedOn' }]);
      const card = await as(app, lpaA)
        .post(`/v1/participants/${id}/card`)
        .send({ number: 'ASK-6210-0001', issuedOn: '2026-11-22', deliveredOn: '2026-11-24' });
      expect(card.body.card).toEqual({ number: 'ASK-6210-0001', issuedOn: '2026-11-22', deliveredOn: '2026-11-24' });
    });

    it('lets an heir confirm membership by NIK and birth date, and tells nothing more', async () => {
      const driver = motorbikeTaxiDriver(1);
      const found = await as(app, null).post('/v1/membership-lookups').send({ nik: driver.nik, birthDate: driver.birthDate });
      expect(found.body).toEqual({
        member: true,
        status: 'active',
        lpa: { name: 'Yayasan Betang Tumbang', contactName: 'Ibu Rini', contactPhone: '+6281250001111' },
      });
      const wrongDate = await as(app, null).post('/v1/membership-lookups').send({ nik: driver.nik, birthDate: '1984-06-13' });
      expect(wrongDate.body).toEqual({ member: false, status: null, lpa: null });
      const rejected = await as(app, null)
        .post('/v1/membership-lookups')
        .send({ nik: motorbikeTaxiDriver(2).nik, birthDate: driver.birthDate });
      expect(rejected.body.member).toBe(false);
    });

    it('limits lookups per client', async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 12; index += 1) {
        statuses.push(
          (
            await as(app, null)
              .post('/v1/membership-lookups')
              .send({ nik: nikFor('6210', '1990-01-01', 'male', 9), birthDate: '1990-01-01' })
          ).status,
        );
      }
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.slice(0, 7)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    });
  });
});

describe('import over HTTP', () => {
  let database: TestDatabase;
  let app: Express;
  let lpa: TestKey;
  let dinsosKapuas: TestKey;
  const header =
    'nik,kk,name,birth_date,sex,marital_status,is_head_of_family,occupation,welfare_status,welfare_decile,address,phone';
  const csv = [
    header,
    `${nikFor('6210', '1980-03-07', 'male', 1)},6210010101200001,Agus Tingang,1980-03-07,male,married,yes,fisher,poor,1,"Jl. Sungai 1, Kuala Kurun",`,
    `${nikFor('6210', '1981-04-08', 'female', 2)},6210010101200002,Siti 99,1981-04-08,female,married,yes,street-vendor,poor,2,Jl. Sungai 2,`,
    `${nikFor('6210', '1982-05-09', 'male', 3)},6210010101200003,Petrus Ambun,1982-05-09,male,married,yes,teacher,not-poor,8,Jl. Sungai 3,`,
  ].join('\n');

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    app = testApp(database.db);
    const directorate = await makeKey(database.db, { role: 'directorate' });
    const proposed = await as(app, directorate).post('/v1/lpas').send(lpaBody());
    await as(app, directorate).post(`/v1/lpas/${proposed.body.id}/approve`).send({ reason: 'verified' });
    lpa = await makeKey(database.db, { role: 'lpa', lpaId: proposed.body.id });
    dinsosKapuas = await makeKey(database.db, { role: 'dinsos', regencyCode: '6203' });
  });
  afterAll(async () => {
    await database.close();
  });

  async function settled(id: string) {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const response = await as(app, lpa).get(`/v1/imports/${id}`);
      if (response.body.status !== 'running') return response.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the import did not finish');
  }

  it('accepts a CSV, enrols in the background and serves the error file', async () => {
    const accepted = await as(app, lpa)
      .post('/v1/imports?fileName=gunung-mas.csv&enrolledOn=2026-11-20')
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.location).toBe(`/v1/imports/${accepted.body.id}`);
    const done = await settled(accepted.body.id);
    expect(done).toMatchObject({
      status: 'done',
      fileName: 'gunung-mas.csv',
      rowsEnrolled: 1,
      rowsRejected: 1,
      rowsInvalid: 1,
      linesCommitted: 4,
    });
    const errors = await as(app, lpa).get(`/v1/imports/${accepted.body.id}/errors`);
    expect(errors.headers['content-type']).toMatch(/^text\/csv/);
    expect(errors.text).toBe('line,column,reason\n3,name,must not contain digits\n');
    expect((await as(app, dinsosKapuas).get(`/v1/imports/${accepted.body.id}`)).status).toBe(404);

    const again = await as(app, lpa)
      .post('/v1/imports?fileName=again.csv&enrolledOn=2026-11-20')
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(accepted.body.id);
  });

  it('reports data quality per LPA: refused rows, rejections by reason, suspected duplicates', async () => {
    const twin = await as(app, lpa)
      .post('/v1/participants')
      .send(
        motorbikeTaxiDriver(5, { name: 'Agus  Tingang', birthDate: '1980-03-07', nik: nikFor('6210', '1980-03-07', 'male', 5) }),
      );
    expect(twin.status).toBe(201);
    const report = await as(app, lpa).get('/v1/reports/data-quality');
    expect(report.status).toBe(200);
    const rows = report.body.rows as Record<string, string | number | null>[];
    const of = (section: string) => rows.filter((row) => row.section === section).map(({ section: _section, ...row }) => row);
    expect(new Set(rows.filter((row) => row.section !== 'suspected duplicate').map((row) => row.lpaId)).size).toBe(1);
    expect(of('participants')).toEqual([expect.objectContaining({ count: 3 })]);
    expect(of('active enrolments')).toEqual([expect.objectContaining({ count: 2 })]);
    expect(of('import rows refused')).toEqual([
      expect.objectContaining({ column: 'name', reason: 'must not contain digits', count: 1 }),
    ]);
    expect(of('enrolments rejected')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'not_informal_worker', count: 1 }),
        expect.objectContaining({ reason: 'not_poor_or_vulnerable', count: 1 }),
      ]),
    );
    expect(of('suspected duplicate')).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/^Agus +Tingang$/),
        birthDate: '1980-03-07',
        nik: nikFor('6210', '1980-03-07', 'male', 1),
        count: 2,
      }),
      expect.objectContaining({ nik: nikFor('6210', '1980-03-07', 'male', 5), count: 2 }),
    ]);
    const kapuas = await as(app, dinsosKapuas).get('/v1/reports/data-quality');
    expect(kapuas.body.rows).toEqual([]);
    const wider = await as(app, lpa).get('/v1/reports/data-quality?regencyCode=6203');
    expect(wider.body.rows).toEqual([]);
  });

  it('refuses a broken file with 400 and a body that is not CSV with 415', async () => {
    const broken = await as(app, lpa).post('/v1/imports').set('Content-Type', 'text/csv').send('nik;kk;name\n1;2;3\n');
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]).toEqual({ field: 'body', message: expect.stringContaining('line 1: missing column(s)') });
    expect(await countRows(database.db, 'imports')).toBe(1);
    const json = await as(app, lpa).post('/v1/imports').send({ rows: [] });
    expect(json.status).toBe(415);
  });
});
