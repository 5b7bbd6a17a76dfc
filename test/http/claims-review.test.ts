import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { type TestKey, as, countRows, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';
import * as reviewMigration from '../../migrations/20261125001100_claim_review.ts';

// Standalone 2026.2, in force from 1 December 2026, adds the documents each
// claim type needs, the directorate's review of late reports and of medical
// bills near the ceiling, and the 3-working-day deadline of death benefits.
// The fund's clock is moved into 2027 so that incidents fall under it.

let database: TestDatabase;
let app: Express;
let today = '2027-03-15'; // a Monday
let lpaKey: TestKey;
let otherLpaKey: TestKey;
let directorate: TestKey;
let finance: TestKey;
let lpaId: string;
let serial = 500;
let keys = 0;

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  directorate = await makeKey(database.db, { role: 'directorate' });
  finance = await makeKey(database.db, { role: 'finance' });
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

const cash = { method: 'cash', receivedBy: 'Yohanes Dingu' };
const heir = { name: 'Maria Dingu', relation: 'spouse' };
const paper = (kind: string) => ({ kind, number: `${kind.toUpperCase()}-1`, date: '2027-01-12' });
const papers = (...kinds: string[]) => kinds.map(paper);

function file(body: Record<string, unknown>, by: TestKey = lpaKey) {
  return as(app, by)
    .post('/v1/claims')
    .set('Idempotency-Key', `review-${(keys += 1)}`)
    .send({ payout: cash, incidentDate: '2027-01-10', reportDate: '2027-01-11', ...body });
}

const review = (id: string, outcome: string, key: string, by: TestKey = directorate) =>
  as(app, by)
    .post(`/v1/claims/${id}/review`)
    .set('Idempotency-Key', key)
    .send({ outcome, reason: 'Receipts checked with the clinic' });

const entriesOf = async (id: string) =>
  (await as(app, finance).get(`/v1/ledger/entries?referenceType=claim&referenceId=${id}`)).body.entries as {
    id: string;
    postings: { accountCode: string; amount: string }[];
  }[];

describe('documents the rules ask for', () => {
  it('refuses a claim without them, naming each one missing, and approves it with them', async () => {
    const worker = await enrolled();
    const without = await file({
      participantId: worker,
      claimType: 'death',
      deathCause: 'work-accident',
      heir,
      documents: papers('death-certificate'),
    });
    expect(without.status).toBe(201);
    expect(without.body).toMatchObject({
      status: 'rejected',
      amount: null,
      reserveEntryId: null,
      rule: { scheme: 'standalone', version: '2027.1' },
      reasons: [
        {
          reason: 'documents_missing',
          explanation:
            'The claim needs documents that were not filed: family-card, heir-identity-card, accident-statement. File it again with them.',
        },
      ],
    });

    const complete = await file({
      participantId: worker,
      claimType: 'death',
      deathCause: 'work-accident',
      heir,
      documents: papers('death-certificate', 'family-card', 'heir-identity-card', 'accident-statement'),
    });
    expect(complete.body).toMatchObject({ status: 'approved', amount: '10000000.00', acceptedOn: today });
  });

  it('asks nothing of a claim whose incident falls under 2026.1, which has no checklist', async () => {
    const worker = await enrolled();
    const response = await file({
      participantId: worker,
      claimType: 'sickness',
      sicknessDays: 6,
      incidentDate: '2026-11-20',
      reportDate: '2026-11-21',
    });
    expect(response.body).toMatchObject({ status: 'approved', rule: { version: '2026.1' }, paymentDueOn: null });
  });
});

describe('referral and review', () => {
  const nearCeiling = (participantId: string) =>
    file({
      participantId,
      claimType: 'accident-medical',
      costClaimed: '4800000.00',
      documents: papers('medical-certificate', 'receipt'),
    });

  it('refers medical bills near the ceiling with the amount the rules would pay, and books nothing yet', async () => {
    const worker = await enrolled();
    const referred = await nearCeiling(worker);
    expect(referred.status).toBe(201);
    expect(referred.body).toMatchObject({
      status: 'referred',
      amount: '4800000.00',
      benefit: 'accident-medical',
      reserveEntryId: null,
      acceptedOn: null,
      review: null,
      reasons: [expect.objectContaining({ reason: 'cost_near_ceiling' })],
    });
    expect(await entriesOf(referred.body.id)).toEqual([]);
    const explanation = await as(app, lpaKey).get(`/v1/claims/${referred.body.id}/explanation`);
    expect(explanation.body.summary).toBe(
      'Referred to the directorate for review: The medical bills come to Rp 4.500.000 or more, within 10 % of the ceiling; the directorate checks the receipts. The rules would pay Rp 4.800.000 (accident-medical).',
    );
    expect(explanation.body.lines).toContain(
      "Rule “medical care after an accident needs the doctor's certificate and the receipts” applied: the claim needs medical-certificate, receipt.",
    );
    const queue = await as(app, directorate).get('/v1/claims?status=referred');
    expect(queue.body.claims.map((claim: { id: string }) => claim.id)).toContain(referred.body.id);
  });

  it('lets the directorate approve it once: the reserve is booked then, and the review is audited', async () => {
    const worker = await enrolled();
    const referred = await nearCeiling(worker);
    const payable = await findFundAccount(database.db, '2100');

    expect((await review(referred.body.id, 'approved', 'rv-1', lpaKey)).status).toBe(403);
    expect((await review(referred.body.id, 'approved', 'rv-1', finance)).status).toBe(403);
    const approved = await review(referred.body.id, 'approved', 'rv-1');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      amount: '4800000.00',
      acceptedOn: today,
      paymentDueOn: null,
      review: {
        outcome: 'approved',
        reason: 'Receipts checked with the clinic',
        reviewedBy: expect.stringContaining('directorate'),
      },
    });
    const [reserve] = await entriesOf(referred.body.id);
    expect(reserve?.id).toBe(approved.body.reserveEntryId);
    expect(reserve?.postings).toEqual(
      expect.arrayContaining(
        [
          { accountCode: '5100', amount: '4800000.00' },
          { accountCode: '2100', amount: '-4800000.00' },
        ].map((posting) => expect.objectContaining(posting)),
      ),
    );
    const after = await findFundAccount(database.db, '2100');
    expect(amount(after.normalBalance).minus(payable.normalBalance).toFixed(2)).toBe('4800000.00');

    const retry = await review(referred.body.id, 'approved', 'rv-1');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const otherBody = await review(referred.body.id, 'rejected', 'rv-1');
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.type).toBe('urn:askesos:problem:idempotency-key-reused');
    const again = await review(referred.body.id, 'rejected', 'rv-2');
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:askesos:problem:already-reviewed');
    expect(await entriesOf(referred.body.id)).toHaveLength(1);

    const audit = await database.db('audit_log').where({ entity_id: referred.body.id }).orderBy('id').select('action');
    expect(audit.map((row: { action: string }) => row.action)).toEqual(['claim.refer', 'claim.review.approve']);
    const explanation = await as(app, lpaKey).get(`/v1/claims/${referred.body.id}/explanation`);
    expect(explanation.body.summary).toBe('Approved: Rp 4.800.000 (accident-medical).');
    expect(explanation.body.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^The directorate approved it on review \(.*\): Receipts checked with the clinic$/),
      ]),
    );
  });

  it('lets the directorate reject it: nothing is booked and nothing is payable', async () => {
    const worker = await enrolled();
    const referred = await nearCeiling(worker);
    const rejected = await review(referred.body.id, 'rejected', 'rv-3');
    expect(rejected.body).toMatchObject({ status: 'rejected', amount: null, benefit: null, reserveEntryId: null });
    expect(await entriesOf(referred.body.id)).toEqual([]);
    const payment = await as(app, finance)
      .post(`/v1/claims/${referred.body.id}/payment`)
      .set('Idempotency-Key', 'rv-pay-3')
      .send({ reference: 'TRF-RV-3' });
    expect(payment.body.type).toBe('urn:askesos:problem:claim-not-payable');
    const explanation = await as(app, lpaKey).get(`/v1/claims/${referred.body.id}/explanation`);
    expect(explanation.body.summary).toBe('Rejected on review: Receipts checked with the clinic');
  });

  it('reviews only referred claims, and answers bad input with the field', async () => {
    const worker = await enrolled();
    const approved = await file({
      participantId: worker,
      claimType: 'accident',
      documents: papers('medical-certificate', 'accident-statement'),
    });
    expect(approved.body.status).toBe('approved');
    const refused = await review(approved.body.id, 'approved', 'rv-4');
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:askesos:problem:claim-not-referred');
    const before = await countRows(database.db, 'audit_log');
    const bad = await as(app, directorate)
      .post(`/v1/claims/${approved.body.id}/review`)
      .set('Idempotency-Key', 'rv-5')
      .send({ outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['body.outcome', 'body.reason']),
    );
    expect((await review('00000000-0000-4000-8000-000000000009', 'approved', 'rv-6')).status).toBe(404);
    expect(await countRows(database.db, 'audit_log')).toBe(before);
  });

  it('approves a claim once when two reviewers act at the same moment', async () => {
    const worker = await enrolled();
    const referred = await nearCeiling(worker);
    const answers = await Promise.all([
      review(referred.body.id, 'approved', 'rv-7'),
      review(referred.body.id, 'approved', 'rv-8'),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await entriesOf(referred.body.id)).toHaveLength(1);
  });

  it('refers a late report, holds its place under the limit, and frees it when rejected', async () => {
    const worker = await enrolled();
    const sickness = (incidentDate: string, reportDate: string) =>
      file({
        participantId: worker,
        claimType: 'sickness',
        sicknessDays: 6,
        incidentDate,
        reportDate,
        documents: papers('medical-certificate'),
      });
    const late = await sickness('2026-12-05', '2027-03-10');
    expect(late.body).toMatchObject({ status: 'referred', reasons: [expect.objectContaining({ reason: 'late_report' })] });
    expect((await sickness('2027-01-05', '2027-01-06')).body.status).toBe('approved');
    expect((await sickness('2027-02-05', '2027-02-06')).body.status).toBe('approved');
    expect((await sickness('2027-03-01', '2027-03-02')).body.reasons).toEqual([
      expect.objectContaining({ reason: 'claim_limit_reached' }),
    ]);
    expect((await review(late.body.id, 'rejected', 'rv-9')).body.status).toBe('rejected');
    expect((await sickness('2027-03-01', '2027-03-02')).body.status).toBe('approved');
  });
});

describe('the death-benefit deadline', () => {
  it('is 3 working days from acceptance, and a claim unpaid after it is listed until it is paid', async () => {
    const deceased = await enrolled();
    today = '2027-03-12'; // a Friday: the weekend does not count
    const death = await file({
      participantId: deceased,
      claimType: 'death',
      deathCause: 'natural',
      heir,
      documents: papers('death-certificate', 'family-card', 'heir-identity-card'),
    });
    expect(death.body).toMatchObject({ status: 'approved', acceptedOn: '2027-03-12', paymentDueOn: '2027-03-17' });
    const explanation = await as(app, lpaKey).get(`/v1/claims/${death.body.id}/explanation`);
    expect(explanation.body.lines).toContain('Accepted on 2027-03-12; to be paid by 2027-03-17.');

    const overdue = async (by: TestKey) =>
      (await as(app, by).get('/v1/claims/past-deadline')).body.claims as { id: string; daysOverdue: number }[];
    today = '2027-03-17';
    expect((await overdue(finance)).map((claim) => claim.id)).not.toContain(death.body.id);
    today = '2027-03-19';
    expect(await overdue(finance)).toContainEqual(expect.objectContaining({ id: death.body.id, daysOverdue: 2 }));
    expect((await overdue(lpaKey)).map((claim) => claim.id)).toContain(death.body.id);
    expect((await overdue(otherLpaKey)).map((claim) => claim.id)).not.toContain(death.body.id);

    const [fundCash, capital] = [await findFundAccount(database.db, '1100'), await findFundAccount(database.db, '3100')];
    const funded = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'review-opening-cash')
      .send({
        entryDate: today,
        description: 'Opening cash of the fund',
        reference: { type: 'opening-balance', id: '2027' },
        postings: [
          { accountId: fundCash.id, amount: '50000000.00' },
          { accountId: capital.id, amount: '-50000000.00' },
        ],
      });
    expect(funded.status).toBe(201);
    const paid = await as(app, finance)
      .post(`/v1/claims/${death.body.id}/payment`)
      .set('Idempotency-Key', 'death-pay-1')
      .send({ reference: 'TRF-DEATH-1' });
    expect(paid.body.status).toBe('paid');
    expect((await overdue(finance)).map((claim) => claim.id)).not.toContain(death.body.id);
    today = '2027-03-15';
  });
});

describe('the review migration', () => {
  it('refuses to roll back over reviews, and rolls back and forward taking acceptance days from the reserve entries', async () => {
    const worker = await enrolled();
    const approved = await file({
      participantId: worker,
      claimType: 'accident',
      documents: papers('medical-certificate', 'accident-statement'),
    });
    expect(approved.body.acceptedOn).toBe(today);
    await expect(database.db.transaction((trx) => reviewMigration.down(trx))).rejects.toThrow(/referred to review/);

    // Undone inside a transaction that is rolled back, so the test database keeps its claims.
    const rolledBack = new Error('rolled back on purpose');
    await expect(
      database.db.transaction(async (trx) => {
        await trx('claims').where('status', 'referred').orWhereNotNull('reviewed_at').delete();
        await reviewMigration.down(trx);
        const { rows } = await trx.raw(
          `select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'claims'`,
        );
        expect(rows.map((row: { column_name: string }) => row.column_name)).not.toContain('accepted_on');
        await reviewMigration.up(trx);
        const backfilled = await trx('claims').where({ id: approved.body.id }).first('accepted_on', 'payment_due_on');
        expect(backfilled).toEqual({ accepted_on: today, payment_due_on: null });
        expect(await trx('claims').whereNotNull('reserve_entry_id').whereNull('accepted_on').count({ count: '*' })).toEqual([
          { count: '0' },
        ]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect((await as(app, lpaKey).get(`/v1/claims/${approved.body.id}`)).body.acceptedOn).toBe(today);
  });
});
