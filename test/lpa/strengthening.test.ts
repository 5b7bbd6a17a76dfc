import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/app/jobs.ts';
import { findAccountByOwner, findFundAccount } from '../../src/ledger/store.ts';
import { decideStrengthening } from '../../src/lpa/strengthening.ts';
import { type TestKey, as, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { fundCapital } from '../support/fund.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';

// Standalone members entering coverage year 2 bring their LPA a
// strengthening grant. Under 2027.1 every LPA gets it; from 2027.2 (1 April
// 2027) the rules hold it back from an LPA that does not serve its members
// well, and say every reason why.

let database: TestDatabase;
let app: Express;
let today = '2027-03-15';
let poorLpa: string; // not accredited, no cards delivered, a death benefit left unpaid, no progress report
let poorKey: TestKey;
let goodLpa: string;
let goodKey: TestKey;
let serial = 700;
const deps = () => ({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => today });
const unpaidDeathClaim = async (participantId: string) =>
  as(app, poorKey)
    .post('/v1/claims')
    .set('Idempotency-Key', 'death-left-unpaid')
    .send({
      participantId,
      claimType: 'death',
      deathCause: 'natural',
      incidentDate: '2027-03-10',
      reportDate: '2027-03-11',
      heir: { name: 'Maria Dingu', relation: 'spouse' },
      documents: ['death-certificate', 'family-card', 'heir-identity-card'].map((kind) => ({
        kind,
        number: `${kind}-1`,
        date: '2027-03-11',
      })),
      payout: { method: 'cash', receivedBy: 'Maria Dingu' },
    });

beforeAll(async () => {
  ({ database, app, lpaId: poorLpa, lpaKey: poorKey } = await openLpaFixture(() => today));
  goodLpa = await approvedLpa(database.db, { name: 'Yayasan Maju', accreditation: 'accredited', accreditedOn: '2026-09-01' });
  goodKey = await makeKey(database.db, { role: 'lpa', lpaId: goodLpa });
  const enrol = (lpaId: string, enrolledOn: string) =>
    enrolmentSince(database.db, { lpaId, scheme: 'standalone', enrolledOn, serial: (serial += 1), settledThrough: '2027-02' });
  // Entering year 2 in March 2027 (under 2027.1) and in May 2027 (under 2027.2);
  // June enrolments are still in year 1 in May.
  for (const enrolledOn of ['2026-03-10', '2026-05-10', '2026-05-11']) await enrol(poorLpa, enrolledOn);
  const dies = await enrol(poorLpa, '2026-06-15');
  for (const enrolledOn of ['2026-05-10', '2026-05-20', '2026-06-10']) await enrol(goodLpa, enrolledOn);
  await database
    .db('participants')
    .where({ lpa_id: goodLpa })
    .update({
      card_number: database.db.raw(`'KPA-' || substr(id::text, 1, 8)`),
      card_issued_on: '2026-07-01',
      card_delivered_on: '2026-07-15',
    });
  // Accepted on Monday 15 March, due three working days later, never paid.
  const death = await unpaidDeathClaim(dies.participantId);
  expect(death.body).toMatchObject({ status: 'approved', paymentDueOn: '2027-03-18' });
});

afterAll(async () => {
  await database.close();
});

describe('progress reports', () => {
  it('are filed by the LPA for a finished month, once', async () => {
    today = '2027-04-12';
    const filing = (key: TestKey, lpaId: string, period: string) =>
      as(app, key).post(`/v1/lpas/${lpaId}/progress-reports`).send({ period, notes: 'Cards handed out at the village hall.' });
    const filed = await filing(goodKey, goodLpa, '2027-03');
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ lpaId: goodLpa, period: '2027-03', submittedOn: '2027-04-12' });
    expect((await filing(goodKey, goodLpa, '2027-03')).status).toBe(409);
    const early = await filing(goodKey, goodLpa, '2027-04');
    expect(early.status).toBe(422);
    expect(early.body.detail).toContain('2027-04 is not finished yet');
    expect((await filing(poorKey, goodLpa, '2027-02')).status).toBe(404);
    const missingNotes = await as(app, goodKey).post(`/v1/lpas/${goodLpa}/progress-reports`).send({ period: '2027-02' });
    expect(missingNotes.status).toBe(400);
    expect(missingNotes.body.errors).toEqual([expect.objectContaining({ field: 'body.notes' })]);
    const listed = await as(app, goodKey).get(`/v1/lpas/${goodLpa}/progress-reports`);
    expect(listed.body.reports.map((report: { period: string }) => report.period)).toEqual(['2027-03']);
  });
});

describe('strengthening grants', () => {
  it('are decided from the LPA’s service by the rules in force for the month, with every reason, and booked', async () => {
    today = '2027-05-02';
    const cycle = jobDefinitions(deps())['premium-cycle']!;
    const lpaJob = jobDefinitions(deps())['lpa-honorarium']!;
    for (const period of ['2027-03', '2027-04', '2027-05']) {
      expect(await cycle.run(period, testActor)).toMatchObject({ ran: true });
      expect(await lpaJob.run(period, testActor)).toMatchObject({ ran: true });
    }
    const decisions = await database
      .db('lpa_strengthening')
      .orderBy(['period', 'lpa_id'])
      .select('period', 'lpa_id', 'coverage_year', 'participants', 'granted', 'amount', 'reasons', 'facts', 'rule_version');
    const poorMay = {
      period: '2027-05-01',
      lpa_id: poorLpa,
      coverage_year: 2,
      participants: 2,
      granted: false,
      amount: '0.00',
      reasons: ['lpa_not_accredited', 'cards_not_delivered', 'claims_paid_late', 'progress_report_late'].map((reason) => ({
        reason,
        explanation: expect.any(String),
      })),
      facts: {
        coverageYear: 2,
        accreditation: 'none',
        cardDeliveryRate: '0.0000',
        claimsPaidLate: 1,
        progressReportDelayDays: 31,
        // No savings dues booked in this file: nobody owes mandatory savings.
        savingsParticipationRate: null,
      },
      rule_version: '2027.2',
    };
    const goodMay = {
      period: '2027-05-01',
      lpa_id: goodLpa,
      coverage_year: 2,
      participants: 2,
      granted: true,
      amount: '50000.00',
      reasons: [],
      facts: {
        coverageYear: 2,
        accreditation: 'accredited',
        cardDeliveryRate: '1.0000',
        claimsPaidLate: 0,
        progressReportDelayDays: 12,
        savingsParticipationRate: null,
      },
      rule_version: '2027.2',
    };
    // March falls under 2027.1, which asks nothing of the LPA.
    const poorMarch = { period: '2027-03-01', lpa_id: poorLpa, participants: 1, granted: true, amount: '25000.00', reasons: [] };
    expect(decisions).toEqual(
      expect.arrayContaining([expect.objectContaining({ ...poorMarch, rule_version: '2027.1' }), poorMay, goodMay]),
    );
    expect(decisions).toHaveLength(3);

    // Strengthening expense against each LPA's payable, next to its honorarium.
    expect((await findFundAccount(database.db, '5300')).balance).toBe('75000.00');
    const honorarium = async (lpaId: string) =>
      (await database.db('lpa_honoraria').where({ lpa_id: lpaId }).sum<{ sum: string }[]>('honorarium'))[0]?.sum;
    const payable = async (lpaId: string) =>
      (await findAccountByOwner(database.db, '2400', { kind: 'lpa', lpaId, participantId: null }))?.normalBalance;
    expect(await payable(goodLpa)).toBe((Number(await honorarium(goodLpa)) + 50_000).toFixed(2));
    expect(await payable(poorLpa)).toBe((Number(await honorarium(poorLpa)) + 25_000).toFixed(2));
    expect(await lpaJob.run('2027-05', testActor)).toEqual({ ran: false, why: 'done' });
  });

  it('are shown to the LPA with their reasons, and to no other LPA', async () => {
    const own = await as(app, poorKey).get(`/v1/lpas/${poorLpa}/strengthening`);
    expect(own.status).toBe(200);
    expect(own.body.decisions[0]).toMatchObject({
      period: '2027-05',
      granted: false,
      amount: '0.00',
      rule: { scheme: 'standalone', version: '2027.2' },
      entryId: null,
    });
    expect(own.body.decisions[0].reasons[3]).toEqual({
      reason: 'progress_report_late',
      explanation:
        "The LPA's progress report for the month before last was filed more than 20 days after that month ended, or not at all.",
    });
    expect(own.body.decisions[1]).toMatchObject({
      period: '2027-03',
      granted: true,
      amount: '25000.00',
      entryId: expect.any(String),
    });
    expect((await as(app, poorKey).get(`/v1/lpas/${goodLpa}/strengthening`)).status).toBe(404);
  });

  it('appear in the month’s honorarium report', async () => {
    const finance = await makeKey(database.db, { role: 'finance' });
    const report = await as(app, finance).get('/v1/reports/honorarium?period=2027-05');
    expect(report.status).toBe(200);
    const grants = Object.fromEntries(report.body.rows.map((row: { lpaId: string; grants: string }) => [row.lpaId, row.grants]));
    expect(grants).toEqual({ [poorLpa]: '0.00', [goodLpa]: '50000.00' });
    expect(report.body.about['rule versions']).toBe('standalone@2027.2');
  });

  it('are paid by finance into the LPA’s savings-and-loans pool as capital, never more than was granted', async () => {
    const finance = await makeKey(database.db, { role: 'finance' });
    const pay = (amount: string, key: string, as_ = finance) =>
      as(app, as_)
        .post(`/v1/lpas/${goodLpa}/strengthening-payments`)
        .set('Idempotency-Key', key)
        .send({ amount, paidOn: '2027-05-02', reference: `SP2D-${key}` });
    await fundCapital(database.db, '1000000.00', '2027-05-02', 'budget-may');
    expect((await pay('30000.00', 'grant-1', goodKey)).status).toBe(403);
    const tooMuch = await pay('50000.01', 'grant-2');
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.type).toBe('urn:askesos:problem:payment-exceeds-strengthening');
    expect((await pay('30000.00', 'grant-3')).status).toBe(201);
    expect((await pay('20000.01', 'grant-4')).status).toBe(422);
    const pool = (await as(app, goodKey).get(`/v1/lpas/${goodLpa}/pool`)).body;
    const line = (code: string) => pool.lines.find((entry: { code: string }) => entry.code === code)?.balance;
    expect([line('1500'), line('3300'), pool.available]).toEqual(['30000.00', '30000.00', '30000.00']);
    // The poor LPA had its grant held back in May; March's 25,000 is still owed to it.
    const poorPay = await as(app, finance)
      .post(`/v1/lpas/${poorLpa}/strengthening-payments`)
      .set('Idempotency-Key', 'grant-poor')
      .send({ amount: '25000.01', paidOn: '2027-05-02', reference: 'SP2D-poor' });
    expect(poorPay.status).toBe(422);
  });
});

describe('deciding a grant', () => {
  const facts = {
    accreditation: 'accredited',
    cardDeliveryRate: '0.90',
    claimsPaidLate: 0,
    progressReportDelayDays: 5,
    savingsParticipationRate: null,
  };
  it('is nothing to say for members entering a year the rules give no grant for', () => {
    expect(
      decideStrengthening(shippedRules, {
        scheme: 'standalone',
        date: '2027-05-01',
        participants: 3,
        facts: { coverageYear: 3, ...facts },
      }),
    ).toBeNull();
  });
  it('is the amount per member times the members, rounded as the version says', () => {
    const decision = decideStrengthening(shippedRules, {
      scheme: 'standalone',
      date: '2027-05-01',
      participants: 3,
      facts: { coverageYear: 2, ...facts },
    });
    expect(decision).toMatchObject({ version: '2027.2', granted: true, reasons: [] });
    expect(decision?.amount.toFixed(2)).toBe('75000.00');
  });
});
