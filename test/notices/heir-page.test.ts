import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentLabels } from '../../src/notices/catalogue.ts';
import { as, shippedRules } from '../support/api.ts';
import { type LpaFixture, openLpaFixture } from '../support/fixture.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// The page a card's QR code opens, as an heir on a phone would use it.
let fixture: LpaFixture;
const birthDate = '1984-06-12';

beforeAll(async () => {
  fixture = await openLpaFixture(() => '2026-12-10');
  const person = motorbikeTaxiDriver(31, { enrolledOn: '2026-12-01' });
  const enrolled = await as(fixture.app, fixture.lpaKey).post('/v1/participants').send(person);
  expect(enrolled.status).toBe(201);
  const card = await as(fixture.app, fixture.lpaKey)
    .post(`/v1/participants/${enrolled.body.participantId}/card`)
    .send({ number: 'GM-2026-000031', issuedOn: '2026-12-05' });
  expect(card.status).toBe(200);
});

afterAll(async () => {
  await fixture.database.close();
});

const page = (query: string) => request(fixture.app).get(`/heirs${query}`);

describe('the heir lookup page', () => {
  it('opens from the QR code with the card number filled in, asking the birth date', async () => {
    const response = await page('?participant=GM-2026-000031');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('<html lang="id">');
    expect(response.text).toContain('name="participant" value="GM-2026-000031"');
    expect(response.text).toContain('name="birthDate" type="date"');
    expect(response.text).not.toContain('Yohanes Dingu');
  });

  it('tells the heirs, for the card and birth date, what a death pays under today’s rules, what to bring and whom to call', async () => {
    const response = await page(`?participant=GM-2026-000031&birthDate=${birthDate}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('Yohanes Dingu terdaftar sebagai peserta Askesos');
    expect(response.text).toContain('Perlindungan masih berjalan (Askesos Mandiri), per 10 Desember 2026.');
    expect(response.text).toContain('Santunan kematian: <strong>Rp 5.000.000</strong>');
    expect(response.text).toContain('Kematian karena kecelakaan kerja: <strong>Rp 10.000.000</strong>');
    for (const document of ['Surat keterangan kematian', 'Kartu Keluarga (KK)', 'KTP ahli waris'])
      expect(response.text).toContain(`<li>${document}</li>`);
    expect(response.text).toContain('Yayasan Betang Tumbang');
    expect(response.text).toContain('tel:081250001111');
    expect(response.text).not.toContain('6210');
  });

  it('tells the heirs a death benefit is in hand instead of saying the cover goes on', async () => {
    const person = motorbikeTaxiDriver(32, { enrolledOn: '2026-12-01' });
    const enrolled = await as(fixture.app, fixture.lpaKey).post('/v1/participants').send(person);
    const participantId = enrolled.body.participantId as string;
    await as(fixture.app, fixture.lpaKey)
      .post(`/v1/participants/${participantId}/card`)
      .send({ number: 'GM-2026-000032', issuedOn: '2026-12-05' });
    const death = await as(fixture.app, fixture.lpaKey)
      .post('/v1/claims')
      .set('Idempotency-Key', 'heir-page-death')
      .send({
        participantId,
        claimType: 'death',
        deathCause: 'natural',
        incidentDate: '2026-12-07',
        reportDate: '2026-12-09',
        heir: { name: 'Maria Dingu', relation: 'spouse' },
        documents: ['death-certificate', 'family-card', 'heir-identity-card'].map((kind) => ({
          kind,
          number: `${kind}-32`,
          date: '2026-12-09',
        })),
        payout: { method: 'cash', receivedBy: 'Maria Dingu' },
      });
    expect(death.body).toMatchObject({ status: 'approved' });
    const response = await page(`?participant=GM-2026-000032&birthDate=${birthDate}`);
    expect(response.text).toContain('Santunan kematian untuk peserta ini sudah disetujui.');
    expect(response.text).not.toContain('Perlindungan masih berjalan');
    expect(response.text).toContain('tel:081250001111');
  });

  it('says nothing of anyone when the birth date does not match', async () => {
    const response = await page('?participant=GM-2026-000031&birthDate=1990-01-01');
    expect(response.status).toBe(200);
    expect(response.text).toContain('tidak cocok dengan peserta mana pun');
    expect(response.text).not.toContain('Yohanes Dingu');
    expect(response.text).not.toContain('081250001111');
  });

  it('asks again, in words, for a date it cannot read, and escapes what it echoes', async () => {
    const response = await page('?participant=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&birthDate=12-06-1984');
    expect(response.status).toBe(400);
    expect(response.text).toContain('Tanggal lahir tidak dikenali');
    expect(response.text).not.toContain('<script>');
    expect(response.text).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('names every document the shipped rules can ask for in words', () => {
    const kinds = new Set(
      [...shippedRules.schemes.values()]
        .flat()
        .flatMap((version) => version.areas.benefits.rules)
        .filter((rule) => rule.event.type === 'documents-required')
        .flatMap((rule) => rule.event.params.kinds as string[]),
    );
    expect(kinds.size).toBeGreaterThan(0);
    for (const kind of kinds) expect(documentLabels[kind]?.id, kind).toBeTruthy();
  });
});
