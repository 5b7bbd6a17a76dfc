import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { type NoticeSender, sendPendingNotices } from '../../src/notices/sender.ts';
import { recheckEligibility } from '../../src/registry/recheck.ts';
import { type TestKey, as, countRows, makeKey, shippedRules, testActor } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import { type LpaFixture, openLpaFixture } from '../support/fixture.ts';
import { fundCapital } from '../support/fund.ts';
import { approvedLpa } from '../support/lpa.ts';
import { binaryBody, pdfPages } from '../support/pdf.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

const today = '2026-12-10';
let fixture: LpaFixture;
let otherLpaKey: TestKey;
let finance: TestKey;
let directorate: TestKey;
let serial = 0;
let keys = 0;

beforeAll(async () => {
  fixture = await openLpaFixture(() => today);
  const { db } = fixture.database;
  otherLpaKey = await makeKey(db, { role: 'lpa', lpaId: await approvedLpa(db, { name: 'Yayasan Lain' }) });
  finance = await makeKey(db, { role: 'finance' });
  directorate = await makeKey(db, { role: 'directorate' });
});

afterAll(async () => {
  await fixture.database.close();
});

const lpa = () => as(fixture.app, fixture.lpaKey);
const notices = () => countRows(fixture.database.db, 'notices');

async function enrol(changes: Record<string, unknown> = {}) {
  serial += 1;
  const response = await lpa()
    .post('/v1/participants')
    .send(motorbikeTaxiDriver(serial, { enrolledOn: '2026-12-01', ...changes }));
  expect(response.status).toBe(201);
  return response.body as { participantId: string; enrolment: { id: string; status: string } };
}

async function outbox(participantId: string, key: TestKey = fixture.lpaKey) {
  const response = await as(fixture.app, key).get(`/v1/notices?participantId=${participantId}`);
  expect(response.status).toBe(200);
  return response.body.notices as {
    id: string;
    kind: string;
    status: string;
    decision: Record<string, unknown>;
    rule: unknown;
  }[];
}

function fileClaim(body: Record<string, unknown>, key = `claim-${(keys += 1)}`) {
  return lpa().post('/v1/claims').set('Idempotency-Key', key).send(body);
}

async function text(id: string, lang?: string) {
  const response = await lpa().get(`/v1/notices/${id}/notice.txt${lang === undefined ? '' : `?lang=${lang}`}`);
  expect(response.status).toBe(200);
  return response.text;
}

async function pdfText(id: string, lang?: string) {
  const response = await lpa()
    .get(`/v1/notices/${id}/notice.pdf${lang === undefined ? '' : `?lang=${lang}`}`)
    .buffer(true)
    .parse(binaryBody);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('application/pdf');
  return (await pdfPages(response.body as Buffer)).join(' ');
}

describe('notices of enrolment', () => {
  it('tell a participant their enrolment was accepted, under the rules that decided it', async () => {
    const { participantId, enrolment } = await enrol();
    const [notice, ...more] = await outbox(participantId);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      kind: 'enrolment-accepted',
      status: 'pending',
      decision: { enrolmentId: enrolment.id, enrolledOn: '2026-12-01' },
      rule: { scheme: 'standalone', version: '2026.2' },
    });
    expect(await text(notice?.id ?? '')).toContain(
      'Anda sekarang peserta Askesos. Perlindungan Anda berlaku sejak 1 Desember 2026.',
    );
  });

  it('tell a refusal with every reason in plain words, in Indonesian or English', async () => {
    const { participantId } = await enrol({ welfareStatus: 'not-poor', isHeadOfFamily: false });
    const [notice] = await outbox(participantId);
    expect(notice?.kind).toBe('enrolment-refused');
    const indonesian = await text(notice?.id ?? '');
    expect(indonesian).toContain('PENDAFTARAN ANDA TIDAK DITERIMA');
    expect(indonesian).toContain('- Peserta harus kepala keluarga.');
    expect(indonesian).toContain('- Menurut data kesejahteraan sosial (DTKS), Anda tidak termasuk miskin atau rentan miskin.');
    const english = await text(notice?.id ?? '', 'en');
    expect(english).toContain('- A participant must be the head of the family.');
    expect(english).toContain('Questions? Contact your LPA, Yayasan Betang Tumbang, phone 081250001111.');
  });

  it('are not written for a request refused as bad input', async () => {
    const before = await notices();
    const response = await lpa()
      .post('/v1/participants')
      .send(motorbikeTaxiDriver(900, { nik: '123' }));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await notices()).toBe(before);
  });
});

describe('notices of claims', () => {
  it('tell an approved claim with its amount, in a PDF that reads in Bahasa Indonesia; a replay writes none', async () => {
    const { participantId } = await enrol();
    const claim = { participantId, ...accidentClaim('2026-12-03', 'a1') };
    const filed = await fileClaim(claim, 'approved-once');
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'approved', amount: '500000.00' });
    const before = await notices();
    expect((await fileClaim(claim, 'approved-once')).headers['idempotent-replayed']).toBe('true');
    expect(await notices()).toBe(before);

    const approved = (await outbox(participantId)).find((notice) => notice.kind === 'claim-approved');
    expect(approved?.decision).toMatchObject({ claimId: filed.body.id, amount: '500000.00', benefit: 'accident-allowance' });
    const pdf = await pdfText(approved?.id ?? '');
    expect(pdf).toContain('Klaim disetujui');
    expect(pdf).toContain('Kepada Yth. Yohanes Dingu');
    expect(pdf).toContain('Tanggal: 10 Desember 2026');
    expect(pdf).toContain('Klaim kecelakaan atas nama Yohanes Dingu (kejadian tanggal 3 Desember 2026) disetujui.');
    expect(pdf).toContain('Santunan kecelakaan: Rp 500.000.');
    expect(pdf).toContain('Hubungi LPA Anda, Yayasan Betang Tumbang, telepon 081250001111.');
    expect(pdf).toContain('aturan Askesos Mandiri (standalone) versi 2026.2');
    expect(await pdfText(approved?.id ?? '', 'en')).toContain('Accident allowance: Rp 500.000.');
  });

  it('tell a rejection with each reason the decision stored', async () => {
    const { participantId } = await enrol();
    const filed = await fileClaim({
      participantId,
      claimType: 'sickness',
      sicknessDays: 3,
      incidentDate: '2026-12-04',
      reportDate: '2026-12-04',
      payout: { method: 'cash', receivedBy: 'Yohanes' },
    });
    expect(filed.body.reasons.map((reason: { reason: string }) => reason.reason)).toEqual([
      'sickness_days_outside_5_10',
      'documents_missing',
    ]);
    const rejected = (await outbox(participantId)).find((notice) => notice.kind === 'claim-rejected');
    const words = await text(rejected?.id ?? '');
    expect(words).toContain('Klaim sakit atas nama Yohanes Dingu (kejadian tanggal 4 Desember 2026) ditolak.');
    expect(words).toContain('- Lama sakit di luar jumlah hari yang ditanggung santunan sakit.');
    expect(words).toContain('- Dokumen yang diperlukan belum lengkap. Ajukan lagi bersama dokumen yang kurang.');
  });

  it('tell a payment made, and none when the payment is refused', async () => {
    const { participantId } = await enrol();
    const filed = await fileClaim({ participantId, ...accidentClaim('2026-12-05', 'p1') });
    const pay = (key: string) =>
      as(fixture.app, finance)
        .post(`/v1/claims/${filed.body.id}/payment`)
        .set('Idempotency-Key', key)
        .send({ reference: 'TRF-77' });
    const before = await notices();
    // No cash in the fund yet: the payment rolls back, and its notice with it.
    expect((await pay('pay-1')).status).toBe(409);
    expect(await notices()).toBe(before);
    await fundCapital(fixture.database.db, '10000000.00', '2026-12-01', 'outbox');
    expect((await pay('pay-2')).status).toBe(200);
    expect((await pay('pay-2')).headers['idempotent-replayed']).toBe('true');
    expect(await notices()).toBe(before + 1);
    const paid = (await outbox(participantId)).find((notice) => notice.kind === 'claim-paid');
    expect(paid?.decision).toMatchObject({ amount: '500000.00', paidOn: today, reference: 'TRF-77' });
    expect(await text(paid?.id ?? '')).toContain('sebesar Rp 500.000 telah dibayarkan pada 10 Desember 2026');
  });

  it('tell the heirs of a death benefit granted, and that cover ended with the death', async () => {
    const { participantId } = await enrol();
    const filed = await fileClaim({
      participantId,
      claimType: 'death',
      deathCause: 'natural',
      heir: { name: 'Maria Dingu', relation: 'spouse' },
      incidentDate: '2026-12-06',
      reportDate: '2026-12-07',
      documents: ['death-certificate', 'family-card', 'heir-identity-card'].map((kind) => ({
        kind,
        number: `${kind}-d1`,
        date: '2026-12-07',
      })),
      payout: { method: 'cash', receivedBy: 'Maria Dingu' },
    });
    expect(filed.body.status).toBe('approved');
    const told = await outbox(participantId);
    const approved = told.find((notice) => notice.kind === 'claim-approved');
    const ended = told.find((notice) => notice.kind === 'cover-ended');
    expect(ended?.decision).toMatchObject({ cause: 'death', endedOn: '2026-12-06' });
    const approvedText = await text(approved?.id ?? '');
    expect(approvedText).toContain('Kepada ahli waris dari Yohanes Dingu');
    expect(approvedText).toContain('Santunan kematian: Rp 5.000.000.');
    expect(approvedText).toContain('Santunan dibayar paling lambat');
    expect(await text(ended?.id ?? '')).toContain('Perlindungan Askesos atas nama Yohanes Dingu berakhir pada 6 Desember 2026.');
  });
});

describe('cover ending at the yearly re-check', () => {
  it('is told with the reasons the re-check found', async () => {
    const { participantId } = await enrol({ enrolledOn: '2026-02-01' });
    await fixture.database.db('participants').where({ id: participantId }).update({ welfare_status: 'not-poor' });
    const summary = await recheckEligibility(fixture.database.db, shippedRules, '2027-02-01', testActor, async () => undefined);
    expect(summary.lapsed).toBe(1);
    const ended = (await outbox(participantId)).find((notice) => notice.kind === 'cover-ended');
    expect(ended).toMatchObject({
      decision: { cause: 'not-eligible', endedOn: '2027-02-01', reasons: [{ reason: 'not_poor_or_vulnerable' }] },
      rule: { scheme: 'standalone', version: '2027.1' },
    });
    const words = await text(ended?.id ?? '');
    expect(words).toContain('Pemeriksaan ulang tahunan menemukan Anda tidak lagi memenuhi syarat.');
    expect(words).toContain('- Menurut data kesejahteraan sosial (DTKS), Anda tidak termasuk miskin atau rentan miskin.');
  });
});

describe('the outbox', () => {
  it('is the LPA’s own: another LPA lists none of it and is told each notice does not exist', async () => {
    const { participantId } = await enrol();
    const [notice] = await outbox(participantId);
    expect(await outbox(participantId, otherLpaKey)).toEqual([]);
    expect((await as(fixture.app, otherLpaKey).get(`/v1/notices/${notice?.id}`)).status).toBe(404);
    expect((await as(fixture.app, otherLpaKey).get(`/v1/notices/${notice?.id}/notice.pdf`)).status).toBe(404);
    const foreign = await as(fixture.app, otherLpaKey).post(`/v1/notices/${notice?.id}/handed-over`).send({});
    expect(foreign.status).toBe(404);
    expect((await outbox(participantId, directorate)).map((found) => found.id)).toEqual([notice?.id]);
  });

  it('records a notice handed over, once, and refuses to call it sent afterwards', async () => {
    const { participantId } = await enrol();
    const [notice] = await outbox(participantId);
    const handOver = (body: Record<string, unknown>) => lpa().post(`/v1/notices/${notice?.id}/handed-over`).send(body);
    const future = await handOver({ on: '2026-12-11' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'body.on' })]);
    // The notice was decided today: it cannot have been handed over the day before.
    expect((await handOver({ on: '2026-12-09' })).status).toBe(400);
    const first = await handOver({ on: today });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'handed-over', handedOver: { on: today } });
    expect((await handOver({})).body.handedOver).toEqual(first.body.handedOver);
    const sent = await lpa().post(`/v1/notices/${notice?.id}/sent`).send({ channel: 'sms' });
    expect(sent.status).toBe(409);
    const unknownChannel = await lpa().post(`/v1/notices/${notice?.id}/sent`).send({ channel: 'pigeon' });
    expect(unknownChannel.status).toBe(400);
    expect(unknownChannel.body.errors).toEqual([expect.objectContaining({ field: 'body.channel' })]);
  });

  it('sends pending notices to participants with a phone through the sender, once; a failed send stays pending', async () => {
    const withPhone = await enrol();
    const withoutPhone = await enrol({ phone: undefined });
    const logger = createLogger('silent');
    const failing: NoticeSender = {
      channel: 'test',
      send: async () => {
        throw new Error('gateway down');
      },
    };
    const firstRun = await sendPendingNotices(fixture.database.db, failing, { limit: 500, language: 'id' }, logger);
    expect(firstRun.sent).toBe(0);
    expect(firstRun.failed).toBeGreaterThan(0);
    const [pending] = await outbox(withPhone.participantId);
    expect(pending?.status).toBe('pending');

    const delivered: { noticeId: string; to: string; text: string }[] = [];
    const recording: NoticeSender = {
      channel: 'test',
      send: async (message) => {
        delivered.push(message);
        return { reference: `msg-${delivered.length}` };
      },
    };
    const secondRun = await sendPendingNotices(fixture.database.db, recording, { limit: 500, language: 'id' }, logger);
    expect(secondRun).toEqual({ sent: firstRun.failed, failed: 0 });
    const mine = delivered.find((message) => message.noticeId === pending?.id);
    expect(mine?.to).toBe('081234567890');
    expect(mine?.text).toContain('PENDAFTARAN ANDA DITERIMA');
    const [sent] = await outbox(withPhone.participantId);
    expect(sent).toMatchObject({ status: 'sent', sent: { channel: 'test' } });
    const [unsent] = await outbox(withoutPhone.participantId);
    expect(unsent?.status).toBe('pending');
    expect(delivered.map((message) => message.noticeId)).not.toContain(unsent?.id);
    expect(await sendPendingNotices(fixture.database.db, recording, { limit: 500, language: 'id' }, logger)).toEqual({
      sent: 0,
      failed: 0,
    });
  });
});
