import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heirLookupUrlFor, membershipCardPdf } from '../../src/notices/card.ts';
import { maskNik } from '../../src/notices/render-card.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { type TestKey, as, countRows, makeKey, testHeirLookupUrl } from '../support/api.ts';
import { type LpaFixture, openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';
import { binaryBody, pdfPages } from '../support/pdf.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';
import { at, scratchRules } from '../rules/support.ts';

let fixture: LpaFixture;
let otherLpaKey: TestKey;
let directorate: TestKey;
let dinsos: TestKey;

beforeAll(async () => {
  fixture = await openLpaFixture(() => '2026-12-10');
  const { db } = fixture.database;
  otherLpaKey = await makeKey(db, { role: 'lpa', lpaId: await approvedLpa(db, { name: 'Yayasan Lain' }) });
  directorate = await makeKey(db, { role: 'directorate' });
  dinsos = await makeKey(db, { role: 'dinsos', regencyCode: '6210' });
});

afterAll(async () => {
  await fixture.database.close();
});

async function enrolled(serial: number): Promise<{ participantId: string; nik: string }> {
  const person = motorbikeTaxiDriver(serial, { enrolledOn: '2026-12-01' });
  const response = await as(fixture.app, fixture.lpaKey).post('/v1/participants').send(person);
  expect(response.status).toBe(201);
  return { participantId: response.body.participantId as string, nik: person.nik };
}

function recordCard(participantId: string, number: string, issuedOn = '2026-12-05') {
  return as(fixture.app, fixture.lpaKey).post(`/v1/participants/${participantId}/card`).send({ number, issuedOn });
}

function card(participantId: string, key: TestKey = fixture.lpaKey) {
  return as(fixture.app, key).get(`/v1/participants/${participantId}/card.pdf`).buffer(true).parse(binaryBody);
}

describe('the membership card', () => {
  it('shows, in Bahasa Indonesia, who is insured, what the rules in force on its date pay, how to claim and whom to call', async () => {
    const { participantId, nik } = await enrolled(1);
    expect((await recordCard(participantId, 'GM-2026-000001')).status).toBe(200);
    const response = await card(participantId);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const body = response.body as Buffer;
    const [front = '', back = ''] = await pdfPages(body);
    expect(front).toContain('KARTU PESERTA ASKESOS');
    expect(front).toContain('Askesos Mandiri');
    expect(front).toContain('Yohanes Dingu');
    expect(front).toContain(`NIK **** **** **** ${nik.slice(-4)}`);
    expect(front).not.toContain(nik);
    expect(front).toContain('No. peserta GM-2026-000001');
    expect(front).toContain('Peserta sejak 1 Desember 2026');
    expect(front).toContain('LPA: Yayasan Betang Tumbang');
    expect(front).toContain('Telepon LPA: 081250001111');
    // standalone 2026.2, in force on 5 December 2026.
    expect(back).toContain('Santunan sakit Rp 500.000');
    expect(back).toContain('Biaya pengobatan kecelakaan sampai Rp 5.000.000');
    expect(back).toContain('Santunan kematian Rp 5.000.000');
    expect(back).toContain('Kematian karena kecelakaan kerja Rp 10.000.000');
    expect(back).toContain('CARA MENGAJUKAN KLAIM');
    expect(back).toContain('standalone versi 2026.2');
  });

  it('leads its QR code to the heir lookup for the card’s number', () => {
    expect(heirLookupUrlFor(testHeirLookupUrl, 'GM 2026/1')).toBe('https://askesos.example/heirs?participant=GM%202026%2F1');
    expect(maskNik('6210011206840001')).toBe('**** **** **** 0001');
  });

  it('is for the participant’s LPA and the directorate: another LPA is told it does not exist', async () => {
    const { participantId } = await enrolled(2);
    await recordCard(participantId, 'GM-2026-000002');
    expect((await card(participantId, directorate)).status).toBe(200);
    const foreign = await as(fixture.app, otherLpaKey).get(`/v1/participants/${participantId}/card.pdf`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    expect((await as(fixture.app, dinsos).get(`/v1/participants/${participantId}/card.pdf`)).status).toBe(403);
    const badId = await as(fixture.app, fixture.lpaKey).get('/v1/participants/not-a-uuid/card.pdf');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'params.id' })]);
  });

  it('needs a card number recorded first', async () => {
    const { participantId } = await enrolled(3);
    const response = await as(fixture.app, fixture.lpaKey).get(`/v1/participants/${participantId}/card.pdf`);
    expect(response.status).toBe(409);
    expect(response.body.type).toBe('urn:askesos:problem:card-not-issued');
  });

  it('tells the participant a card was issued, once however often the same card is recorded', async () => {
    const { participantId } = await enrolled(4);
    const before = await countRows(fixture.database.db, 'notices');
    await recordCard(participantId, 'GM-2026-000004');
    await recordCard(participantId, 'GM-2026-000004');
    expect(await countRows(fixture.database.db, 'notices')).toBe(before + 1);
    const notice = await fixture.database.db('notices').where({ participant_id: participantId, kind: 'card-issued' }).first();
    expect(notice).toMatchObject({ rule_scheme: 'standalone', rule_version: '2026.2', status: 'pending' });
    // A card number another participant holds is refused, and told of nowhere.
    expect((await recordCard((await enrolled(5)).participantId, 'GM-2026-000004')).status).toBe(409);
    expect(await countRows(fixture.database.db, 'notices')).toBe(before + 2);
  });

  it('shows the amounts of the rule files: a ceiling raised in the rules is on the next card', async () => {
    const { participantId } = await enrolled(6);
    await recordCard(participantId, 'GM-2026-000006');
    const rules = scratchRules(['askesos-2003', 'askesos-ni-2012', 'standalone']);
    try {
      rules.edit(join('standalone', '2026.2', 'manifest.json'), (manifest) => {
        at(manifest, 'parameters', 'ceiling.death').amount = '7500000.00';
      });
      const changed = loadRuleBook(rules.dir);
      const { pdf } = await membershipCardPdf(fixture.database.db, changed, {
        participantId,
        heirLookupUrl: testHeirLookupUrl,
        visible: () => true,
      });
      const [, back = ''] = await pdfPages(pdf);
      expect(back).toContain('Santunan kematian Rp 7.500.000');
      expect(back).not.toContain('Santunan kematian Rp 5.000.000');
      expect(back).toContain('Santunan sakit Rp 500.000');
    } finally {
      rules.dispose();
    }
  });
});
