import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/app/jobs.ts';
import { type TestKey, as, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { amount, toAmountString } from '../../src/money/index.ts';
import { approvedLpa } from '../support/lpa.ts';
import { poolBooksBalance } from '../support/pool.ts';

// Loans from an LPA's savings-and-loans pool under standalone 2027.3 (from
// 1 July 2027): business capital (modal-usaha) at 1 % a month flat. Three
// members borrow Rp 1,000,000 over 10 months (Rp 100,000 principal and
// Rp 10,000 interest an instalment) and repay as the scenario needs; on
// 20 December 2027 the portfolio is read by hand.

let database: TestDatabase;
let app: Express;
const today = '2027-12-20';
let lpaId: string;
let lpaKey: TestKey;
let serial = 1200;
const deps = () => ({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => today });
let keys = 0;
const post = (path: string, body: object, key: TestKey = lpaKey) =>
  as(app, key)
    .post(path)
    .set('Idempotency-Key', `loan-test-${(keys += 1)}`)
    .send(body);
const member = async () =>
  (
    await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2026-06-10',
      serial: (serial += 1),
      // Savings dues began with May 2027's run.
      savingsSettledThrough: '2027-04',
    })
  ).participantId;
const saveMandatory = (participantId: string, amount: string) =>
  post(`/v1/participants/${participantId}/savings/deposits`, { kind: 'mandatory', amount, date: '2027-07-30', reference: 'SW' });
const apply = (participantId: string, changes: object = {}) =>
  post(`/v1/participants/${participantId}/loans`, {
    product: 'modal-usaha',
    amount: '1000000.00',
    termMonths: 10,
    purpose: 'Stock for a warung',
    appliedOn: '2027-08-01',
    ...changes,
  });
const repay = (loanId: string, amount: string, paidOn: string) =>
  post(`/v1/loans/${loanId}/repayments`, { amount, paidOn, reference: `KW-${paidOn}` });
const pool = async () => {
  const lines = (await as(app, lpaKey).get(`/v1/lpas/${lpaId}/pool`)).body.lines as { code: string; balance: string }[];
  return Object.fromEntries(lines.map((line) => [line.code, line.balance]));
};

let borrowers: string[];
let newcomer: string;
const loans: Record<'current' | 'late' | 'recent', string> = { current: '', late: '', recent: '' };

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  borrowers = [await member(), await member(), await member()];
  newcomer = await member();
  for (const period of ['2027-05', '2027-06', '2027-07', '2027-08'])
    await jobDefinitions(deps())['savings-dues']!.run(period, testActor);
  for (const borrower of borrowers) expect((await saveMandatory(borrower, '20000.00')).status).toBe(201);
});
afterAll(async () => database.close());

describe('a loan application', () => {
  it('is refused by the rules, with every reason and the facts, for a member who has not saved', async () => {
    const refused = await apply(newcomer);
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({
      status: 'refused',
      rule: { scheme: 'standalone', version: '2027.3' },
      facts: { savingsMonthsPaid: 0, savingsMonthsBehind: 3, loansOutstanding: 0 },
    });
    expect(refused.body.reasons.map((reason: { reason: string }) => reason.reason)).toEqual([
      'too_few_savings_months',
      'savings_behind',
    ]);
  });

  it('names each term outside what the product allows, and keeps nothing', async () => {
    const before = await database.db('loans').count<{ count: string }[]>({ count: '*' });
    const wrong = await apply(borrowers[0] as string, { amount: '5000000.00', termMonths: 36, graceMonths: 1 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.amount',
      'body.termMonths',
      'body.graceMonths',
    ]);
    expect((await apply(borrowers[0] as string, { product: 'kredit-mobil' })).body.errors).toEqual([
      { field: 'body.product', message: 'is not offered; the products are modal-usaha, modal-kerja, usaha-mingguan' },
    ]);
    expect(await database.db('loans').count<{ count: string }[]>({ count: '*' })).toEqual(before);
  });

  it('is approved for members who saved, and disbursed only from cash the pool holds', async () => {
    const approved = [];
    for (const borrower of borrowers) approved.push((await apply(borrower)).body);
    expect(approved.map((loan) => [loan.status, loan.facts.savingsMonthsPaid, loan.reasons])).toEqual(
      Array(3).fill(['approved', 4, []]),
    );
    [loans.current, loans.late, loans.recent] = approved.map((loan) => loan.id as string) as [string, string, string];
    // The pool holds the three members' Rp 60,000 of savings: not enough.
    const short = await post(`/v1/loans/${loans.current}/disbursement`, { disbursedOn: '2027-08-01', reference: 'BKK-1' });
    expect(short.status).toBe(422);
    expect(short.body.type).toBe('urn:askesos:problem:pool-cash-insufficient');
    const saver = await member();
    await post(`/v1/participants/${saver}/savings/deposits`, {
      kind: 'voluntary',
      amount: '5000000.00',
      date: '2027-07-30',
      reference: 'SS-1',
    });
    for (const [loan, day] of [
      [loans.current, '2027-08-01'],
      [loans.late, '2027-08-01'],
      [loans.recent, '2027-08-10'],
    ] as const)
      expect((await post(`/v1/loans/${loan}/disbursement`, { disbursedOn: day, reference: `BKK-${loan}` })).status).toBe(201);
    expect(await pool()).toMatchObject({ '1500': '2060000.00', '1300': '3000000.00', '2500': '60000.00', '2510': '5000000.00' });
    const otherLpa = await approvedLpa(database.db, { name: 'Yayasan Tetangga' });
    const otherKey = await makeKey(database.db, { role: 'lpa', lpaId: otherLpa });
    expect((await as(app, otherKey).get(`/v1/loans/${loans.current}`)).status).toBe(404);
    expect(
      (await post(`/v1/loans/${loans.current}/repayments`, { amount: '1.00', paidOn: today, reference: 'X' }, otherKey)).status,
    ).toBe(404);
    const second = await apply(borrowers[0] as string, { appliedOn: '2027-08-02' });
    expect(second.body.reasons.map((reason: { reason: string }) => reason.reason)).toEqual(['loan_outstanding']);
  });
});

describe('repayments and arrears', () => {
  it('give a portfolio at risk that matches the scenario worked by hand', async () => {
    // current: four instalments paid; late: two, nothing since 1 November;
    // recent (from 10 August): three, none of the one due 10 December.
    for (const paidOn of ['2027-09-01', '2027-10-01', '2027-11-01', '2027-12-01'])
      expect((await repay(loans.current, '110000.00', paidOn)).status).toBe(201);
    for (const paidOn of ['2027-09-01', '2027-10-01']) await repay(loans.late, '110000.00', paidOn);
    for (const paidOn of ['2027-09-10', '2027-10-10', '2027-11-10']) await repay(loans.recent, '110000.00', paidOn);
    const report = await as(app, lpaKey).get('/v1/reports/loan-portfolio');
    expect(report.status).toBe(200);
    // Outstanding 600,000 + 800,000 + 700,000 = 2,100,000. In arrears: late
    // (49 days, 800,000) and recent (10 days, 700,000). PAR1 = 1,500,000 /
    // 2,100,000 = 0.7143; PAR30 = 800,000 / 2,100,000 = 0.3810.
    expect(report.body.rows).toEqual([
      expect.objectContaining({
        loans: 3,
        outstanding: '2100000.00',
        loansAtRisk1: 2,
        atRisk1: '1500000.00',
        par1: '0.7143',
        loansAtRisk30: 1,
        atRisk30: '800000.00',
        par30: '0.3810',
      }),
    ]);
  });

  it('charge a penalty on an instalment a whole month overdue, and collect it first', async () => {
    const aged = await jobDefinitions(deps())['loan-arrears']!.run(today, testActor);
    // Only the late loan's November instalment is a whole month overdue: 1 % of 110,000.
    expect(aged).toMatchObject({ ran: true, detail: { loansInArrears: 2, instalmentsCharged: 1, penalties: '1100.00' } });
    const paid = await repay(loans.late, '61100.00', today);
    expect(paid.body).toMatchObject({ penalty: '1100.00', interest: '20000.00', principal: '40000.00', interestWaived: '0.00' });
    const loan = (await as(app, lpaKey).get(`/v1/loans/${loans.late}`)).body;
    expect(
      loan.instalments.slice(2, 4).map((row: Record<string, string>) => [row.penaltyPaid, row.interestPaid, row.principalPaid]),
    ).toEqual([
      ['1100.00', '10000.00', '40000.00'],
      ['0.00', '10000.00', '0.00'],
    ]);
  });

  it('refuse more than the payoff; the payoff closes the loan and waives the interest not yet earned', async () => {
    // Current loan on 20 December: 600,000 principal and the running January instalment's 10,000.
    const tooMuch = await repay(loans.current, '610000.01', today);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.type).toBe('urn:askesos:problem:repayment-exceeds-payoff');
    const settled = await repay(loans.current, '610000.00', today);
    expect(settled.body).toMatchObject({ principal: '600000.00', interest: '10000.00', interestWaived: '50000.00' });
    expect((await as(app, lpaKey).get(`/v1/loans/${loans.current}`)).body).toMatchObject({
      status: 'repaid',
      closedOn: today,
      principalOutstanding: '0.00',
    });
    const again = await repay(loans.current, '1.00', today);
    expect(again.status).toBe(409);
  });

  it('are written off by the directorate only, as a loss in the LPA’s books that still balance', async () => {
    const writeOff = { writtenOffOn: today, reason: 'The member left the village; the LPA could not reach them.' };
    expect((await post(`/v1/loans/${loans.late}/write-off`, writeOff)).status).toBe(403);
    const directorate = await makeKey(database.db, { role: 'directorate' });
    const written = await post(`/v1/loans/${loans.late}/write-off`, writeOff, directorate);
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ kind: 'write-off', principal: '760000.00', reason: writeOff.reason });
    const books = await pool();
    // Loans out: recent 700,000 only. Interest collected: current 40,000 +
    // 10,000 at the payoff, late 20,000 + 20,000, recent 30,000; penalty
    // 1,100; written off 760,000.
    expect(books).toMatchObject({ '1300': '700000.00', '4200': '120000.00', '4300': '1100.00', '5400': '760000.00' });
    expect(poolBooksBalance(books)).toBe(true);
  });

  it('are rescheduled by the LPA with a reason: what is left over a new term, out of arrears, nothing moved in the ledger', async () => {
    const entries = await database.db('journal_entries').count<{ count: string }[]>({ count: '*' });
    const body = { rescheduledOn: today, termMonths: 7, reason: 'Flood in November: the warung was closed for a month.' };
    const rescheduled = await post(`/v1/loans/${loans.recent}/reschedule`, body);
    expect(rescheduled.status).toBe(201);
    // 700,000 left; the December instalment's 10,000 of interest fell due unpaid and is carried.
    expect(rescheduled.body).toMatchObject({ kind: 'reschedule', principal: '700000.00', interest: '10000.00', penalty: '0.00' });
    const loan = (await as(app, lpaKey).get(`/v1/loans/${loans.recent}`)).body;
    const live = loan.instalments.filter((row: { replacedOn: string | null }) => row.replacedOn === null);
    // Flat 1 % on 700,000 over 7 months: 100,000 principal and 7,000 interest a month, from 20 January.
    expect(live.slice(3).map((row: Record<string, string>) => [row.number, row.dueOn, row.principal, row.interest])).toEqual([
      [11, '2028-01-20', '100000.00', '17000.00'],
      [12, '2028-02-20', '100000.00', '7000.00'],
      [13, '2028-03-20', '100000.00', '7000.00'],
      [14, '2028-04-20', '100000.00', '7000.00'],
      [15, '2028-05-20', '100000.00', '7000.00'],
      [16, '2028-06-20', '100000.00', '7000.00'],
      [17, '2028-07-20', '100000.00', '7000.00'],
    ]);
    expect(loan.instalments.filter((row: { replacedOn: string | null }) => row.replacedOn === today)).toHaveLength(7);
    expect(loan.principalOutstanding).toBe('700000.00');
    expect(await database.db('journal_entries').count<{ count: string }[]>({ count: '*' })).toEqual(entries);
    const report = await as(app, lpaKey).get('/v1/reports/loan-portfolio');
    expect(report.body.rows[0]).toMatchObject({ loans: 1, outstanding: '700000.00', loansAtRisk1: 0, par1: '0.0000' });
    const badTerm = await post(`/v1/loans/${loans.recent}/reschedule`, { ...body, termMonths: 2, graceMonths: 2 });
    expect(badTerm.status).toBe(400);
    expect(badTerm.body.errors).toEqual([{ field: 'body.graceMonths', message: 'must be fewer than termMonths' }]);
  });

  it('earn the LPA income it may set aside as its claim reserve, never more than was earned', async () => {
    const grow = (body: object) => post(`/v1/lpas/${lpaId}/claim-reserve`, { date: today, reference: 'CK-1', ...body });
    const before = await pool();
    expect(before).toMatchObject({ '4200': '120000.00', '4300': '1100.00', '3200': '0.00' });
    expect((await grow({ amount: '121100.01', from: 'loan-income' })).body.type).toBe(
      'urn:askesos:problem:reserve-exceeds-loan-income',
    );
    const growOnce = (body: object) =>
      as(app, lpaKey)
        .post(`/v1/lpas/${lpaId}/claim-reserve`)
        .set('Idempotency-Key', 'reserve-from-income')
        .send({ date: today, reference: 'CK-1', ...body });
    const fromIncome = await growOnce({ amount: '121000.00', from: 'loan-income' });
    expect(fromIncome.status).toBe(201);
    // A retry answers the same entry, though the income it drew on is gone; another amount under the key is refused.
    const retry = await growOnce({ amount: '121000.00', from: 'loan-income' });
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id]).toEqual([201, 'true', fromIncome.body.id]);
    expect((await growOnce({ amount: '1.00', from: 'loan-income' })).status).toBe(422);
    // Interest first, then penalties.
    expect(
      fromIncome.body.postings.map((line: { accountCode: string; amount: string }) => [line.accountCode, line.amount]),
    ).toEqual([
      ['4200', '120000.00'],
      ['4300', '1000.00'],
      ['3200', '-121000.00'],
    ]);
    expect((await grow({ amount: '50000.00', from: 'cash' })).status).toBe(201);
    expect(await pool()).toMatchObject({
      '4200': '0.00',
      '4300': '100.00',
      '3200': '171000.00',
      '1500': toAmountString(amount(before['1500'] ?? '0').plus(50_000)),
    });
  });

  it('show in the LPA progress report as of the period’s end', async () => {
    const progress = await as(app, lpaKey).get(`/v1/reports/lpa-progress?from=2027-08-01&to=${today}`);
    // Savers: the three borrowers (20,000 each) and the member who brought 5,000,000;
    // of the three loans only the rescheduled one is still out.
    expect(progress.body.rows[0]).toMatchObject({
      savers: 4,
      savings: '5060000.00',
      loansDisbursed: 3,
      amountDisbursed: '3000000.00',
      loansOutstanding: '700000.00',
    });
    const july = await as(app, lpaKey).get('/v1/reports/lpa-progress?from=2027-07-01&to=2027-07-31');
    expect(july.body.rows[0]).toMatchObject({ savers: 4, loansDisbursed: 0, loansOutstanding: '0.00' });
  });
});
