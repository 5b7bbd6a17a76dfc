import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lpaFactsOn } from '../../src/lpa/index.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { type TestKey, as, countRows, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';
import { binaryBody } from '../support/pdf.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// The claims back office: the day a payment was made, and what it counts
// for. Incidents fall under standalone 2026.2 (from 1 December 2026), whose
// death benefit is paid within 3 working days of acceptance.

let database: TestDatabase;
let app: Express;
let today = '2027-03-12'; // a Friday
let lpaId: string;
let lpaKey: TestKey;
let otherLpaKey: TestKey;
let finance: TestKey;
let auditor: TestKey;
let directorate: TestKey;
let serial = 900;
let keys = 0;

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  finance = await makeKey(database.db, { role: 'finance' });
  auditor = await makeKey(database.db, { role: 'auditor' });
  directorate = await makeKey(database.db, { role: 'directorate' });
});

afterAll(async () => {
  await database.close();
});

async function enrolled(): Promise<string> {
  serial += 1;
  const input = participantInputSchema.parse(motorbikeTaxiDriver(serial, { enrolledOn: '2026-06-01' }));
  const result = await enrolParticipant(
    database.db,
    shippedRules,
    { scheme: 'standalone', lpaId, input, today: '2026-06-01', fieldPrefix: '' },
    testActor,
  );
  return result.participantId;
}

const heir = { name: 'Maria Dingu', relation: 'spouse' };
const papers = (...kinds: string[]) => kinds.map((kind) => ({ kind, number: `${kind.toUpperCase()}-1`, date: '2027-03-02' }));

// A natural death with the papers 2026.2 asks for: approved on filing.
async function approvedDeath(): Promise<{ id: string; acceptedOn: string; paymentDueOn: string }> {
  const response = await as(app, lpaKey)
    .post('/v1/claims')
    .set('Idempotency-Key', `office-${(keys += 1)}`)
    .send({
      participantId: await enrolled(),
      claimType: 'death',
      deathCause: 'natural',
      heir,
      incidentDate: '2027-03-01',
      reportDate: '2027-03-02',
      payout: { method: 'cash', receivedBy: 'Maria Dingu' },
      documents: papers('death-certificate', 'family-card', 'heir-identity-card'),
    });
  expect(response.status).toBe(201);
  expect(response.body.status).toBe('approved');
  return response.body;
}

const pay = (id: string, body: Record<string, unknown>) =>
  as(app, finance)
    .post(`/v1/claims/${id}/payment`)
    .set('Idempotency-Key', `office-pay-${(keys += 1)}`)
    .send({ reference: `TRF-${keys}`, ...body });

describe('the day a claim was paid', () => {
  beforeAll(async () => {
    const [cash, capital] = [await findFundAccount(database.db, '1100'), await findFundAccount(database.db, '3100')];
    const funded = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'office-opening-cash')
      .send({
        entryDate: today,
        description: 'Opening cash of the fund',
        reference: { type: 'opening-balance', id: '2027' },
        postings: [
          { accountId: cash?.id, amount: '100000000.00' },
          { accountId: capital?.id, amount: '-100000000.00' },
        ],
      });
    expect(funded.status).toBe(201);
  });

  it('is the day the claim, its payment entry and the deadline figures show, when finance enters it later', async () => {
    today = '2027-03-12';
    const onTime = await approvedDeath();
    const late = await approvedDeath();
    expect(onTime).toMatchObject({ acceptedOn: '2027-03-12', paymentDueOn: '2027-03-17' });

    today = '2027-03-24';
    const paid = await pay(onTime.id, { paidOn: '2027-03-16' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidOn: '2027-03-16' });
    const entry = await as(app, auditor).get(`/v1/ledger/entries/${paid.body.paymentEntryId}`);
    expect(entry.body.entryDate).toBe('2027-03-16');
    const paidToday = await pay(late.id, {});
    expect(paidToday.body).toMatchObject({ status: 'paid', paidOn: '2027-03-24' });
    expect((await as(app, lpaKey).get(`/v1/claims/${onTime.id}`)).body.paidOn).toBe('2027-03-16');
    expect((await as(app, otherLpaKey).get(`/v1/claims/${onTime.id}`)).status).toBe(404);

    const overdue = await as(app, finance).get('/v1/claims/past-deadline');
    expect(overdue.body.claims.map((claim: { id: string }) => claim.id)).not.toContain(onTime.id);
    // Only the claim paid after its deadline counts against the LPA, though both were entered the same day.
    expect((await lpaFactsOn(database.db, '2027-04-01')).get(lpaId)?.claimsPaidLate).toBe(1);
    const progress = await as(app, lpaKey).get('/v1/reports/lpa-progress?from=2000-01-01&to=2027-03-31');
    expect(progress.status).toBe(200);
    expect(progress.body.rows).toEqual([expect.objectContaining({ claimsPaid: 2, paidOnTime: 1 })]);
    // Promptness reads the day paid: 15 and 23 days from the incident on 1 March
    // (had the day entered counted, 23 and 23), and one death benefit of two
    // paid within its working days.
    const indicators = await as(app, finance).get('/v1/reports/indicators?from=2027-03-01&to=2027-03-31');
    expect(indicators.status).toBe(200);
    expect(indicators.body.rows[0]).toMatchObject({
      'incidentToPayment:8-30': 2,
      'incidentToPayment:median': '19',
      deathBenefitsOnTime: '0.5000',
    });
  });

  it('refuses a day in the future or before the claim was accepted, naming body.paidOn, and writes nothing', async () => {
    today = '2027-03-24';
    const claim = await approvedDeath();
    const entries = await countRows(database.db, 'journal_entries');
    const future = await pay(claim.id, { paidOn: '2027-03-25' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ field: 'body.paidOn', message: 'must not be after today (2027-03-24)' }]);
    const early = await pay(claim.id, { paidOn: '2027-03-23' });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([
      { field: 'body.paidOn', message: 'must not be before the day the claim was accepted (2027-03-24)' },
    ]);
    expect((await pay(claim.id, { paidOn: '24-03-2027' })).body.errors[0].field).toBe('body.paidOn');
    expect((await as(app, auditor).get(`/v1/claims/${claim.id}`)).body.status).toBe('approved');
    expect(await countRows(database.db, 'journal_entries')).toBe(entries);
  });

  it('refuses a day in a month the ledger has closed, as any entry dated there, and pays on a day still open', async () => {
    today = '2027-03-31';
    const claim = await approvedDeath();
    today = '2027-04-02';
    expect((await as(app, finance).post('/v1/ledger/periods/2027-03/close')).status).toBe(200);
    const closed = await pay(claim.id, { paidOn: '2027-03-31' });
    expect(closed.status).toBe(409);
    expect(closed.body.type).toBe('urn:askesos:problem:period-closed');
    expect((await as(app, auditor).get(`/v1/claims/${claim.id}`)).body.status).toBe('approved');
    expect((await pay(claim.id, { paidOn: '2027-04-01' })).body).toMatchObject({ status: 'paid', paidOn: '2027-04-01' });
  });
});

describe('document scans', () => {
  // A minimal PDF and PNG: what the fund checks is their first bytes.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
  const scanPath = (id: string, kind: string) => `/v1/claims/${id}/documents/${kind}/scan`;
  const upload = (id: string, kind: string, bytes: Buffer, type = 'application/pdf', by: TestKey = lpaKey) =>
    as(app, by).post(scanPath(id, kind)).set('Content-Type', type).send(bytes);
  const download = (id: string, kind: string, by: TestKey) => as(app, by).get(scanPath(id, kind)).buffer(true).parse(binaryBody);
  const scans = () => countRows(database.db, 'claim_document_scans');

  it('keeps a scan uploaded with a claim and serves it byte-identical to its LPA, and as a 404 to another LPA', async () => {
    today = '2027-04-05';
    const claim = await approvedDeath();
    const uploaded = await upload(claim.id, 'death-certificate', pdf);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      claimId: claim.id,
      kind: 'death-certificate',
      mediaType: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    for (const reader of [lpaKey, finance, auditor]) {
      const served = await download(claim.id, 'death-certificate', reader);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(served.body as Buffer, pdf)).toBe(0);
    }
    expect((await download(claim.id, 'death-certificate', otherLpaKey)).status).toBe(404);
    expect((await upload(claim.id, 'family-card', png, 'image/png', otherLpaKey)).status).toBe(404);
    expect((await download(claim.id, 'family-card', lpaKey)).status).toBe(404);
    const audited = await database.db('audit_log').where({ action: 'claim.scan', entity_id: claim.id }).count({ n: '*' });
    expect(Number(audited[0]?.n)).toBe(1);
  });

  it('takes the same bytes again as the scan kept, and refuses other bytes for a document that has one', async () => {
    today = '2027-04-05';
    const claim = await approvedDeath();
    // Declared as anything: a PNG sent as octet-stream is kept as a PNG.
    const first = await upload(claim.id, 'family-card', png, 'application/octet-stream');
    expect(first.status).toBe(201);
    expect(first.body.mediaType).toBe('image/png');
    const again = await upload(claim.id, 'family-card', png, 'image/png');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await upload(claim.id, 'family-card', pdf);
    expect(other.status).toBe(409);
    expect(other.body.type).toBe('urn:askesos:problem:scan-exists');
    const served = await download(claim.id, 'family-card', lpaKey);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
  });

  it('keeps one scan when two different files for one document arrive at the same moment', async () => {
    today = '2027-04-05';
    const claim = await approvedDeath();
    const [first, second] = await Promise.all([
      upload(claim.id, 'heir-identity-card', pdf),
      upload(claim.id, 'heir-identity-card', png, 'image/png'),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const kept = first.status === 201 ? pdf : png;
    expect(Buffer.compare((await download(claim.id, 'heir-identity-card', lpaKey)).body as Buffer, kept)).toBe(0);
    // The database holds to the size and the one scan per kind as well.
    await expect(
      database.db('claim_document_scans').insert({
        claim_id: claim.id,
        kind: 'family-card',
        media_type: 'application/pdf',
        bytes: pdf,
        sha256: '0'.repeat(64),
        size: pdf.length + 1,
        uploaded_by: 'test',
      }),
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses a text file named a PDF, a file too large, a kind not filed, and another role, leaving nothing', async () => {
    today = '2027-04-05';
    const claim = await approvedDeath();
    const before = await scans();
    const text = await upload(claim.id, 'death-certificate', Buffer.from('This is my death certificate, honestly.\n'));
    expect(text.status).toBe(422);
    expect(text.body.type).toBe('urn:askesos:problem:scan-type-not-accepted');
    expect(text.body.detail).toMatch(/not a PDF, PNG or JPEG/);
    const tooLarge = await upload(claim.id, 'death-certificate', Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024)]));
    expect(tooLarge.status).toBe(413);
    expect((await upload(claim.id, 'police-report', pdf)).status).toBe(404);
    expect((await upload(claim.id, 'death-certificate', pdf, 'text/plain')).status).toBe(415);
    expect((await upload(claim.id, 'death-certificate', pdf, 'application/pdf', directorate)).status).toBe(403);
    expect((await upload(claim.id, 'Death Certificate', pdf)).body.errors[0].field).toBe('params.kind');
    expect(await scans()).toBe(before);
  });
});

describe('the document checklist', () => {
  const checklist = (query: string, by: TestKey = lpaKey) => as(app, by).get(`/v1/claims/checklist?${query}`);

  it('lists the papers the rules in force ask of a death claim, more for a work accident, and none before 2026.2', async () => {
    today = '2027-04-05';
    const natural = await checklist('claimType=death&deathCause=natural&date=2026-12-15');
    expect(natural.status).toBe(200);
    expect(natural.body).toMatchObject({ scheme: 'standalone', version: '2026.2', date: '2026-12-15', claimType: 'death' });
    expect(natural.body.documents).toEqual(['death-certificate', 'family-card', 'heir-identity-card']);
    const atWork = await checklist('claimType=death&deathCause=work-accident', auditor);
    expect(atWork.body.date).toBe(today);
    expect([...atWork.body.documents].sort()).toEqual(
      ['accident-statement', 'death-certificate', 'family-card', 'heir-identity-card'].sort(),
    );
    expect((await checklist('claimType=accident&date=2026-12-15')).body.documents).toEqual([
      'medical-certificate',
      'accident-statement',
    ]);
    const before = await checklist('claimType=death&deathCause=natural&date=2026-11-30');
    expect(before.body).toMatchObject({ version: '2026.1', documents: [] });
  });

  it('names a missing or stray cause of death and an unknown scheme, and answers 422 where no rules are in force', async () => {
    today = '2027-04-05';
    const noCause = await checklist('claimType=death');
    expect(noCause.status).toBe(400);
    expect(noCause.body.errors).toEqual([{ field: 'query.deathCause', message: 'is required for a death claim' }]);
    expect((await checklist('claimType=sickness&deathCause=natural')).body.errors[0].field).toBe('query.deathCause');
    expect((await checklist('claimType=death&deathCause=natural&scheme=nowhere')).body.errors[0].field).toBe('query.scheme');
    expect((await checklist('claimType=death&deathCause=natural&date=2001-01-01')).status).toBe(422);
  });
});
