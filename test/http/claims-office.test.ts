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
let serial = 900;
let keys = 0;

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  finance = await makeKey(database.db, { role: 'finance' });
  auditor = await makeKey(database.db, { role: 'auditor' });
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
