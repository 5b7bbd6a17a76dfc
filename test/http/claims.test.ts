import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import {
  type TestKey,
  as,
  countRows,
  makeKey,
  publishShippedRules,
  shippedRules,
  testActor,
  testApp,
  testToday,
} from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { declaredForNewInitiative, motorbikeTaxiDriver } from '../support/people.ts';

let database: TestDatabase;
let app: Express;
let lpaId: string;
let lpaKey: TestKey;
let otherLpaKey: TestKey;
let auditor: TestKey;
let serial = 100;

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  app = testApp(database.db);
  lpaId = await approvedLpa(database.db);
  lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  auditor = await makeKey(database.db, { role: 'auditor' });
});

afterAll(async () => {
  await database.close();
});

// A participant enrolled under a scheme on a date, as the LPA would have.
async function enrolled(scheme: string, enrolledOn: string): Promise<string> {
  serial += 1;
  const input = participantInputSchema.parse(motorbikeTaxiDriver(serial, { enrolledOn, ...declaredForNewInitiative }));
  const result = await enrolParticipant(
    database.db,
    shippedRules,
    { scheme, lpaId, input, today: testToday, fieldPrefix: '' },
    testActor,
  );
  expect(result.enrolment.status).toBe('active');
  return result.participantId;
}

const bank = { method: 'bank', bankName: 'Bank Kalteng', accountNumber: '0123456789', accountHolder: 'Yohanes Dingu' };
const heir = { name: 'Maria Dingu', relation: 'spouse' };
let keys = 0;

function file(body: Record<string, unknown>, key = `claim-${(keys += 1)}`, by: TestKey = lpaKey) {
  return as(app, by)
    .post('/v1/claims')
    .set('Idempotency-Key', key)
    .send({ payout: bank, ...body });
}

async function decided(participantId: string, incidentDate: string, claim: Record<string, unknown>) {
  const response = await file({ participantId, incidentDate, reportDate: incidentDate, ...claim });
  expect(response.status).toBe(201);
  return response.body as {
    status: string;
    amount: string | null;
    reasons: { reason: string }[];
    rule: { scheme: string; version: string };
  };
}

// Straight to submitClaim, without HTTP: calls made in one tick reach the
// group commit together, so which claims share a batch is known. The first
// three go alone (the batches in flight); the rest wait and go together.
function fileDirect(participantId: string | undefined, idempotencyKey: string, claim: Record<string, unknown>) {
  return submitClaim(
    database.db,
    shippedRules,
    {
      lpaId,
      claim: newClaimSchema.parse({
        participantId,
        incidentDate: '2026-11-01',
        reportDate: '2026-11-01',
        payout: bank,
        ...claim,
      }),
      idempotencyKey,
      today: testToday,
      defaultScheme: 'standalone',
      fieldPrefix: '',
    },
    testActor,
  );
}

// A fault injected where the database writes: rows of the table matching
// the condition fail to insert while the work runs.
async function withFailingInserts<T>(table: string, when: string, message: string, work: () => Promise<T>): Promise<T> {
  await database.db.raw(`
    create function fail_inserts() returns trigger language plpgsql as $$
    begin raise exception '${message}'; end $$`);
  await database.db.raw(
    `create trigger fail_inserts before insert on ${table} for each row when (${when}) execute function fail_inserts()`,
  );
  try {
    return await work();
  } finally {
    await database.db.raw(`drop trigger fail_inserts on ${table}`);
    await database.db.raw('drop function fail_inserts()');
  }
}

describe('Table 1 of the study, through the API', () => {
  it('askesos-2003: Rp 250,000 for sickness or accident, at most 3, and death by coverage year', async () => {
    const worker = await enrolled('askesos-2003', '2004-01-10');
    expect(await decided(worker, '2004-05-01', { claimType: 'sickness', sicknessDays: 7 })).toMatchObject({
      status: 'approved',
      amount: '250000.00',
      rule: { scheme: 'askesos-2003', version: '2003.1' },
    });
    expect((await decided(worker, '2004-06-01', { claimType: 'sickness', sicknessDays: 4 })).reasons).toEqual([
      expect.objectContaining({ reason: 'sickness_days_outside_5_10' }),
    ]);
    expect(await decided(worker, '2004-07-01', { claimType: 'accident' })).toMatchObject({
      status: 'approved',
      amount: '250000.00',
    });
    expect(await decided(worker, '2005-02-01', { claimType: 'sickness', sicknessDays: 10 })).toMatchObject({
      status: 'approved',
    });
    expect(await decided(worker, '2005-03-01', { claimType: 'accident' })).toMatchObject({
      status: 'rejected',
      reasons: [expect.objectContaining({ reason: 'claim_limit_reached' })],
    });

    const deaths: [string, string | null][] = [
      ['2004-12-01', '400000.00'],
      ['2005-03-01', '600000.00'],
      ['2006-03-01', '800000.00'],
      ['2007-03-01', null],
    ];
    for (const [incidentDate, paid] of deaths) {
      const deceased = await enrolled('askesos-2003', '2004-01-10');
      const decision = await decided(deceased, incidentDate, { claimType: 'death', deathCause: 'natural', heir });
      expect(decision.amount).toBe(paid);
      if (paid === null) expect(decision.reasons).toEqual([expect.objectContaining({ reason: 'coverage_ended' })]);
    }
  });

  it('askesos-ni-2012: medical and dentures up to their ceilings, disability by wage, death Rp 21 or 48 million', async () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ claimType: 'accident-medical', costClaimed: '25000000.00' }, '20000000.00'],
      [{ claimType: 'accident-medical', costClaimed: '3500000.00' }, '3500000.00'],
      [{ claimType: 'dentures', costClaimed: '2500000.00' }, '2000000.00'],
      // 70 % × 80 × 600,000 + 200,000 × 24: a wage below the insured wage pays on itself.
      [{ claimType: 'disability', monthlyWage: '600000.00', disabilityPercent: 40 }, '38400000.00'],
      // Declared at Rp 100,000,000 a month: paid on the insured wage of Rp 800,000,
      // 70 % × 80 × 800,000 + 200,000 × 24 = 44,800,000 + 4,800,000.
      [{ claimType: 'disability', monthlyWage: '100000000.00', disabilityPercent: 40 }, '49600000.00'],
      [{ claimType: 'death', deathCause: 'natural', heir }, '21000000.00'],
      [{ claimType: 'death', deathCause: 'work-accident', heir }, '48000000.00'],
      [{ claimType: 'sickness', sicknessDays: 6 }, null],
    ];
    for (const [claim, paid] of cases) {
      const decision = await decided(await enrolled('askesos-ni-2012', '2012-03-01'), '2012-09-15', claim);
      expect(decision.amount).toBe(paid);
      expect(decision.rule.scheme).toBe('askesos-ni-2012');
      if (paid === null) expect(decision.reasons).toEqual([expect.objectContaining({ reason: 'benefit_not_in_scheme' })]);
    }
  });

  it('standalone: the declared low ceilings', async () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ claimType: 'sickness', sicknessDays: 6 }, '500000.00'],
      [{ claimType: 'accident' }, '500000.00'],
      [{ claimType: 'accident-medical', costClaimed: '9000000.00' }, '5000000.00'],
      [{ claimType: 'death', deathCause: 'natural', heir }, '5000000.00'],
      [{ claimType: 'death', deathCause: 'work-accident', heir }, '10000000.00'],
      [{ claimType: 'dentures', costClaimed: '100000.00' }, null],
    ];
    for (const [claim, paid] of cases) {
      const decision = await decided(await enrolled('standalone', '2026-01-15'), '2026-10-01', claim);
      expect(decision.amount).toBe(paid);
    }
  });
});

describe('money and explanations', () => {
  it('pays a death benefit once: later claims for the same participant are rejected with the reason', async () => {
    const deceased = await enrolled('standalone', '2026-02-01');
    expect((await decided(deceased, '2026-10-10', { claimType: 'death', deathCause: 'natural', heir })).status).toBe('approved');
    expect((await decided(deceased, '2026-10-10', { claimType: 'death', deathCause: 'work-accident', heir })).reasons).toEqual([
      expect.objectContaining({ reason: 'death_benefit_already_approved' }),
    ]);
  });

  it('judges a claim filed after a death as of its incident: an accident before the death pays, one after it does not', async () => {
    const deceased = await enrolled('standalone', '2026-02-01');
    expect((await decided(deceased, '2026-10-10', { claimType: 'death', deathCause: 'natural', heir })).status).toBe('approved');
    const before = await decided(deceased, '2026-09-20', { claimType: 'accident' });
    expect(before).toMatchObject({ status: 'approved', amount: '500000.00', reasons: [] });
    expect((await decided(deceased, '2026-10-11', { claimType: 'accident' })).reasons).toEqual([
      expect.objectContaining({ reason: 'incident_after_death' }),
    ]);
  });

  it('books the case reserve of an approved claim in the ledger, with the rule version that set it', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const payable = await findFundAccount(database.db, '2100');
    const response = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-03',
      claimType: 'accident',
    });
    expect(response.body.reserveEntryId).toEqual(expect.any(String));
    const entry = await as(app, auditor).get(`/v1/ledger/entries/${response.body.reserveEntryId}`);
    expect(entry.body).toMatchObject({
      reference: { type: 'claim', id: response.body.id },
      rule: { scheme: 'standalone', version: '2026.1', hash: response.body.rule.hash },
      entryDate: testToday,
    });
    expect(entry.body.postings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountCode: '5100', amount: '500000.00' }),
        expect.objectContaining({ accountCode: '2100', amount: '-500000.00' }),
      ]),
    );
    const after = await findFundAccount(database.db, '2100');
    expect(amount(after.normalBalance).minus(payable.normalBalance).toFixed(2)).toBe('500000.00');
  });

  it('explains a refusal in words, with the condition that failed and the value it saw', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const response = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-02',
      claimType: 'sickness',
      sicknessDays: 3,
    });
    const explanation = await as(app, lpaKey).get(`/v1/claims/${response.body.id}/explanation`);
    expect(explanation.status).toBe(200);
    expect(explanation.body.summary).toBe('Rejected: The sickness allowance is for 5 to 10 days of sickness.');
    expect(explanation.body.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Decided by standalone version 2026\.1 \(rules hash [0-9a-f]{12}\), the version in force on the incident date 2026-11-01\.$/,
        ),
        'Rule “sickness of 5 to 10 days pays Rp 500.000” did not apply: sicknessDays was 3, and the rule needs it to be at least 5.',
      ]),
    );
    expect(explanation.body.facts).toMatchObject({ claimType: 'sickness', sicknessDays: 3, coverageYear: 1, priorPaidClaims: 0 });
  });
});

describe('payment', () => {
  let finance: TestKey;
  beforeAll(async () => {
    finance = await makeKey(database.db, { role: 'finance' });
  });

  const pay = (id: string, key: string, by: TestKey = finance) =>
    as(app, by)
      .post(`/v1/claims/${id}/payment`)
      .set('Idempotency-Key', key)
      .send({ reference: `TRF-${key}` });

  it('pays an approved claim once, from cash to claims payable, and refuses what cannot be paid', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const approved = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-01',
      claimType: 'accident',
    });
    const noCash = await pay(approved.body.id, 'pay-0');
    expect(noCash.status).toBe(409);
    expect(noCash.body.type).toBe('urn:askesos:problem:balance-would-go-negative');
    expect((await as(app, auditor).get(`/v1/claims/${approved.body.id}`)).body.status).toBe('approved');

    const cash = await findFundAccount(database.db, '1100');
    const capital = await findFundAccount(database.db, '3100');
    const funded = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'opening-cash')
      .send({
        entryDate: '2026-11-02',
        description: 'Opening cash of the fund',
        reference: { type: 'opening-balance', id: '2026' },
        postings: [
          { accountId: cash?.id, amount: '10000000.00' },
          { accountId: capital?.id, amount: '-10000000.00' },
        ],
      });
    expect(funded.status).toBe(201);

    expect((await pay(approved.body.id, 'pay-1', lpaKey)).status).toBe(403);
    const paid = await pay(approved.body.id, 'pay-1');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', paidOn: testToday, payoutReference: 'TRF-pay-1', amount: '500000.00' });
    const entry = await as(app, auditor).get(`/v1/ledger/entries/${paid.body.paymentEntryId}`);
    expect(entry.body.postings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountCode: '2100', amount: '500000.00' }),
        expect.objectContaining({ accountCode: '1100', amount: '-500000.00' }),
      ]),
    );
    expect((await as(app, auditor).get(`/v1/ledger/accounts/${cash?.id}`)).body.balance).toBe('9500000.00');
    const booked = await as(app, auditor).get(`/v1/ledger/entries?referenceType=claim&referenceId=${approved.body.id}`);
    expect(booked.body.entries.map((booking: { id: string }) => booking.id)).toEqual([
      approved.body.reserveEntryId,
      paid.body.paymentEntryId,
    ]);

    const retry = await pay(approved.body.id, 'pay-1');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await pay(approved.body.id, 'pay-2')).body.type).toBe('urn:askesos:problem:already-paid');
    expect((await as(app, auditor).get(`/v1/ledger/accounts/${cash?.id}`)).body.balance).toBe('9500000.00');

    const rejected = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-01',
      claimType: 'dentures',
      costClaimed: '1.00',
    });
    expect((await pay(rejected.body.id, 'pay-3')).body.type).toBe('urn:askesos:problem:claim-not-payable');
    expect((await as(app, finance).get('/v1/claims?status=paid')).body.claims.map((claim: { id: string }) => claim.id)).toEqual([
      approved.body.id,
    ]);
  });
});

describe('reversal', () => {
  let finance: TestKey;
  let directorate: TestKey;
  beforeAll(async () => {
    finance = await makeKey(database.db, { role: 'finance' });
    directorate = await makeKey(database.db, { role: 'directorate' });
  });
  const allowance = (participantId: string) =>
    file({ participantId, incidentDate: '2026-10-01', reportDate: '2026-10-01', claimType: 'sickness', sicknessDays: 6 });
  const reverse = (id: string, key: string, by: TestKey = finance) =>
    as(app, by).post(`/v1/claims/${id}/reversal`).set('Idempotency-Key', key).send({ reason: 'Filed twice for one illness' });
  const entriesOf = async (id: string) =>
    (await as(app, auditor).get(`/v1/ledger/entries?referenceType=claim&referenceId=${id}`)).body.entries as {
      description: string;
      reversesEntryId: string | null;
    }[];

  it('counts paid claims against the limit, and gives the place back when one is reversed', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const approved = [await allowance(worker), await allowance(worker), await allowance(worker)];
    expect(approved.map((response) => response.body.status)).toEqual(['approved', 'approved', 'approved']);
    const paid = await as(app, finance)
      .post(`/v1/claims/${approved[0]?.body.id}/payment`)
      .set('Idempotency-Key', 'rev-pay-1')
      .send({ reference: 'TRF-REV-1' });
    expect(paid.body.status).toBe('paid');
    expect((await allowance(worker)).body.reasons).toEqual([expect.objectContaining({ reason: 'claim_limit_reached' })]);

    expect((await reverse(approved[1]?.body.id, 'rev-1', lpaKey)).status).toBe(403);
    const throughLedger = await as(app, finance)
      .post(`/v1/ledger/entries/${approved[1]?.body.reserveEntryId}/reversal`)
      .set('Idempotency-Key', 'ledger-rev-1')
      .send({ description: 'undo the reserve only' });
    expect(throughLedger.status).toBe(409);
    expect(throughLedger.body.type).toBe('urn:askesos:problem:reverse-the-claim');
    const reversed = await reverse(approved[1]?.body.id, 'rev-1', directorate);
    expect(reversed.status).toBe(200);
    expect(reversed.body).toMatchObject({
      status: 'reversed',
      reversedOn: testToday,
      reversalReason: 'Filed twice for one illness',
    });
    const entries = await entriesOf(approved[1]?.body.id);
    expect(entries).toHaveLength(2);
    expect(entries[1]?.reversesEntryId).toBe(approved[1]?.body.reserveEntryId);
    expect((await reverse(approved[1]?.body.id, 'rev-1', directorate)).headers['idempotent-replayed']).toBe('true');
    expect((await reverse(approved[1]?.body.id, 'rev-2')).body.type).toBe('urn:askesos:problem:already-reversed');

    expect((await allowance(worker)).body.status).toBe('approved');
  });

  it('reverses a paid claim: the payment first, then the reserve, and the cash comes back', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const claim = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-01',
      claimType: 'accident',
    });
    await as(app, finance)
      .post(`/v1/claims/${claim.body.id}/payment`)
      .set('Idempotency-Key', 'rev-pay-2')
      .send({ reference: 'TRF-REV-2' });
    const cash = await findFundAccount(database.db, '1100');
    const reversed = await reverse(claim.body.id, 'rev-3');
    expect(reversed.body.status).toBe('reversed');
    const after = await findFundAccount(database.db, '1100');
    expect(amount(after.balance).minus(cash.balance).toFixed(2)).toBe('500000.00');
    const entries = await entriesOf(claim.body.id);
    expect(entries.map((entry) => entry.reversesEntryId)).toEqual([
      null,
      null,
      reversed.body.paymentEntryId,
      reversed.body.reserveEntryId,
    ]);

    const rejected = await file({
      participantId: worker,
      incidentDate: '2026-11-01',
      reportDate: '2026-11-01',
      claimType: 'dentures',
      costClaimed: '1.00',
    });
    expect((await reverse(rejected.body.id, 'rev-4')).body.type).toBe('urn:askesos:problem:claim-not-reversible');
  });
});

describe('reliability', () => {
  it('files one claim for 50 concurrent submissions under one key: the rest are told it is at work or given its answer', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const body = { participantId: worker, incidentDate: '2026-11-01', reportDate: '2026-11-01', claimType: 'accident' };
    const responses = await Promise.all(Array.from({ length: 50 }, () => file(body, 'same-key-50')));
    const filed = responses.filter(
      (response) => response.status === 201 && response.headers['idempotent-replayed'] === undefined,
    );
    expect(filed).toHaveLength(1);
    const claimId = filed[0]?.body.id as string;
    for (const response of responses.filter((candidate) => candidate !== filed[0])) {
      if (response.status === 409) expect(response.body.type).toBe('urn:askesos:problem:idempotency-key-in-flight');
      else expect([response.status, response.headers['idempotent-replayed'], response.body.id]).toEqual([201, 'true', claimId]);
    }
    expect(await database.db('claims').where({ idempotency_key: 'same-key-50' }).count({ count: '*' })).toEqual([{ count: '1' }]);
    const retry = await file(body, 'same-key-50');
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id]).toEqual([201, 'true', claimId]);
    const other = await file({ ...body, incidentDate: '2026-11-02', reportDate: '2026-11-02' }, 'same-key-50');
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('urn:askesos:problem:idempotency-key-reused');
  });

  it('approves exactly 3 of 100 concurrent allowance claims for one participant', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        file({
          participantId: worker,
          incidentDate: '2026-10-01',
          reportDate: '2026-10-02',
          claimType: 'sickness',
          sicknessDays: 5 + (index % 6),
        }),
      ),
    );
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(responses.filter((response) => response.body.status === 'approved')).toHaveLength(3);
    expect(responses.filter((response) => response.body.reasons[0]?.reason === 'claim_limit_reached')).toHaveLength(97);
  });

  it('counts claims decided in the same batch against the limit, and a death granted in it', async () => {
    const [first, second, third, sick, deceased] = await Promise.all(
      Array.from({ length: 5 }, () => enrolled('standalone', '2026-02-01')),
    );
    const filing = (participantId: string | undefined, index: number, claim: Record<string, unknown>) =>
      fileDirect(participantId, `same-batch-${index}`, claim);
    const decided = await Promise.all([
      ...[first, second, third].map((participantId, index) => filing(participantId, index, { claimType: 'accident' })),
      ...Array.from({ length: 5 }, (_, index) => filing(sick, 10 + index, { claimType: 'sickness', sicknessDays: 6 })),
      ...Array.from({ length: 2 }, (_, index) =>
        filing(deceased, 20 + index, {
          claimType: 'death',
          deathCause: 'natural',
          heir: { name: 'Maria Dingu', relation: 'spouse' },
        }),
      ),
    ]);
    expect(decided.slice(3, 8).map(({ claim }) => claim.status)).toEqual([
      'approved',
      'approved',
      'approved',
      'rejected',
      'rejected',
    ]);
    expect(decided[6]?.claim.reasons).toEqual([expect.objectContaining({ reason: 'claim_limit_reached' })]);
    expect(decided.slice(8).map(({ claim }) => claim.status)).toEqual(['approved', 'rejected']);
    expect(decided[9]?.claim.reasons).toEqual([expect.objectContaining({ reason: 'death_benefit_already_approved' })]);
  });

  it('files the good claims of a batch that fails as a whole, and answers the failure for its own claim only', async () => {
    const workers = await Promise.all(Array.from({ length: 10 }, () => enrolled('standalone', '2026-02-01')));
    // In the middle, where the claims filed at the same moment share its batch.
    const unlucky = workers[6];
    const claimsBefore = await countRows(database.db, 'claims');
    const entriesBefore = await countRows(database.db, 'journal_entries');
    const outcomes = await withFailingInserts(
      'claims',
      `new.participant_id = '${unlucky}'`,
      'disk failure while writing one claim',
      () =>
        Promise.allSettled(
          workers.map((participantId, index) => fileDirect(participantId, `batch-fails-${index}`, { claimType: 'accident' })),
        ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      ...Array(6).fill('fulfilled'),
      'rejected',
      ...Array(3).fill('fulfilled'),
    ]);
    expect(String((outcomes[6] as PromiseRejectedResult).reason)).toContain('disk failure while writing one claim');
    expect(
      outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.claim.status === 'approved'),
    ).toHaveLength(9);
    expect(await countRows(database.db, 'claims')).toBe(claimsBefore + 9);
    expect(await countRows(database.db, 'journal_entries')).toBe(entriesBefore + 9);
  });

  it('leaves neither claim nor entry when the ledger fails after the decision', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const claimsBefore = await countRows(database.db, 'claims');
    const entriesBefore = await countRows(database.db, 'journal_entries');
    const response = await withFailingInserts(
      'journal_entries',
      "new.reference_type = 'claim'",
      'disk failure while booking the reserve',
      () => file({ participantId: worker, incidentDate: '2026-11-01', reportDate: '2026-11-01', claimType: 'accident' }),
    );
    expect(response.status).toBe(500);
    expect(await countRows(database.db, 'claims')).toBe(claimsBefore);
    expect(await countRows(database.db, 'journal_entries')).toBe(entriesBefore);
  });
});

describe('bad input', () => {
  it('answers an unknown or another LPA’s participant with 404', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const claim = { incidentDate: '2026-11-01', reportDate: '2026-11-01', claimType: 'accident' };
    expect((await file({ ...claim, participantId: '00000000-0000-4000-8000-000000000001' })).status).toBe(404);
    expect((await file({ ...claim, participantId: worker }, 'foreign-1', otherLpaKey)).status).toBe(404);
  });

  it('takes a participant id in capitals as the same person', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    expect(await decided(worker.toUpperCase(), '2026-11-01', { claimType: 'accident' })).toMatchObject({
      status: 'approved',
      participantId: worker,
    });
  });

  it('rejects, with the reason, an incident before the enrolment', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    expect(await decided(worker, '2026-01-20', { claimType: 'accident' })).toMatchObject({
      status: 'rejected',
      reasons: [{ reason: 'incident_before_enrolment', explanation: 'The incident happened before the enrolment date.' }],
    });
  });

  it('names each bad field, and writes nothing', async () => {
    const worker = await enrolled('standalone', '2026-02-01');
    const before = await countRows(database.db, 'claims');
    const cases: [Record<string, unknown>, { field: string; message: string }][] = [
      [
        { claimType: 'accident', incidentDate: '2026-12-01', reportDate: '2026-12-01' },
        { field: 'body.incidentDate', message: `must not be after today (${testToday})` },
      ],
      [
        { claimType: 'accident', incidentDate: '2026-11-01', reportDate: '2026-10-30' },
        { field: 'body.reportDate', message: 'must not be before the incident date' },
      ],
      [
        { claimType: 'sickness', sicknessDays: 0, incidentDate: '2026-11-01', reportDate: '2026-11-01' },
        { field: 'body.sicknessDays', message: 'Too small: expected number to be >=1' },
      ],
      [
        { claimType: 'accident-medical', costClaimed: 1500000, incidentDate: '2026-11-01', reportDate: '2026-11-01' },
        { field: 'body.costClaimed', message: 'must be a decimal string such as "250000.00", not a JSON number' },
      ],
      [
        { claimType: 'death', deathCause: 'natural', incidentDate: '2026-11-01', reportDate: '2026-11-01' },
        { field: 'body.heir', message: 'is required' },
      ],
    ];
    for (const [claim, issue] of cases) {
      const response = await file({ participantId: worker, ...claim });
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual(issue);
    }
    expect((await as(app, lpaKey).post('/v1/claims').send({ participantId: worker })).body.errors).toContainEqual({
      field: 'header.idempotency-key',
      message: 'is required',
    });
    expect(await countRows(database.db, 'claims')).toBe(before);
  });
});
