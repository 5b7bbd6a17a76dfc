import type { Express } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amount } from '../../src/money/index.ts';
import { bookSavingsDues } from '../../src/savings/dues.ts';
import { type TestKey, as, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { poolBooksBalance } from '../support/pool.ts';

// The pool lends what it holds and no more, however many disbursements
// arrive at once; and whatever members repay, the LPA's books balance and
// the loans receivable are the principal the schedules still show.

let database: TestDatabase;
let app: Express;
const today = '2029-12-31';
let lpaId: string;
let lpaKey: TestKey;
let serial = 2400;
let keys = 0;
const post = (path: string, body: object) =>
  as(app, lpaKey)
    .post(path)
    .set('Idempotency-Key', `pool-test-${(keys += 1)}`)
    .send(body);

// A member with four months of mandatory savings by August 2027, approved for a loan.
type Product = 'modal-usaha' | 'modal-kerja' | 'usaha-mingguan';
const terms: Record<Product, { termMonths: number; graceMonths: number }> = {
  'modal-usaha': { termMonths: 10, graceMonths: 0 },
  'modal-kerja': { termMonths: 18, graceMonths: 2 },
  'usaha-mingguan': { termMonths: 6, graceMonths: 0 },
};

async function approvedBorrower(amountLent: string, product: Product = 'modal-usaha') {
  const { participantId } = await enrolmentSince(database.db, {
    lpaId,
    scheme: 'standalone',
    enrolledOn: '2026-06-10',
    serial: (serial += 1),
    savingsSettledThrough: '2027-04',
  });
  for (const period of ['2027-05', '2027-06', '2027-07', '2027-08'])
    await bookSavingsDues(database.db, shippedRules, period, testActor);
  await post(`/v1/participants/${participantId}/savings/deposits`, {
    kind: 'mandatory',
    amount: '20000.00',
    date: '2027-07-30',
    reference: 'SW',
  });
  const loan = await post(`/v1/participants/${participantId}/loans`, {
    product,
    amount: amountLent,
    ...terms[product],
    purpose: 'Seed and fertiliser',
    appliedOn: '2027-08-01',
  });
  expect(loan.body.status).toBe('approved');
  return { participantId, loanId: loan.body.id as string };
}

const pool = async () => {
  const lines = (await as(app, lpaKey).get(`/v1/lpas/${lpaId}/pool`)).body.lines as { code: string; balance: string }[];
  return Object.fromEntries(lines.map((line) => [line.code, amount(line.balance)]));
};

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
});
afterAll(async () => database.close());

describe('the pool', () => {
  it('disburses at once only the loans its cash covers', async () => {
    const borrowers = [];
    for (let count = 0; count < 6; count += 1) borrowers.push(await approvedBorrower('1000000.00'));
    const { participantId: saver } = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2026-06-10',
      serial: (serial += 1),
      savingsSettledThrough: '2027-04',
    });
    await post(`/v1/participants/${saver}/savings/deposits`, {
      kind: 'voluntary',
      amount: '2000000.00',
      date: '2027-07-30',
      reference: 'SS',
    });
    // Cash: 6 × 20,000 of mandatory savings and 2,000,000 voluntary.
    expect((await pool())['1500']?.toFixed(2)).toBe('2120000.00');
    const answers = await Promise.all(
      borrowers.map(({ loanId }) => post(`/v1/loans/${loanId}/disbursement`, { disbursedOn: '2027-08-01', reference: loanId })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 422, 422, 422, 422]);
    expect(
      answers.filter((answer) => answer.status === 422).every((answer) => answer.body.type.endsWith('pool-cash-insufficient')),
    ).toBe(true);
    const books = await pool();
    expect([books['1500']?.toFixed(2), books['1300']?.toFixed(2)]).toEqual(['120000.00', '2000000.00']);
  });

  it('keeps its books balanced and its receivable equal to the schedules, whatever is repaid and when', async () => {
    await post(
      `/v1/participants/${(await enrolmentSince(database.db, { lpaId, scheme: 'standalone', enrolledOn: '2026-06-10', serial: (serial += 1), savingsSettledThrough: '2027-04' })).participantId}/savings/deposits`,
      {
        kind: 'voluntary',
        amount: '50000000.00',
        date: '2027-07-30',
        reference: 'SS-big',
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lent: fc.integer({ min: 5, max: 10 }).map((hundreds) => `${hundreds}00000.00`),
          product: fc.constantFrom<Product>('modal-usaha', 'modal-kerja', 'usaha-mingguan'),
          repayments: fc.array(fc.record({ days: fc.integer({ min: 1, max: 90 }), percent: fc.integer({ min: 1, max: 100 }) }), {
            minLength: 1,
            maxLength: 8,
          }),
        }),
        async ({ lent, product, repayments }) => {
          const { loanId } = await approvedBorrower(product === 'usaha-mingguan' ? '500000.00' : lent, product);
          expect((await post(`/v1/loans/${loanId}/disbursement`, { disbursedOn: '2027-08-05', reference: loanId })).status).toBe(
            201,
          );
          let day = new Date('2027-08-05T00:00:00Z');
          for (const { days, percent } of repayments) {
            day = new Date(day.getTime() + days * 86_400_000);
            const paidOn = day.toISOString().slice(0, 10);
            const loan = (await as(app, lpaKey).get(`/v1/loans/${loanId}?on=${paidOn}`)).body;
            if (loan.status !== 'active') break;
            const payoff = amount(loan.standing.payoff);
            const tooMuch = await post(`/v1/loans/${loanId}/repayments`, {
              amount: payoff.plus('0.01').toFixed(2),
              paidOn,
              reference: 'X',
            });
            expect(tooMuch.status).toBe(422);
            const pay = payoff.times(percent).dividedBy(100).ceil();
            const paid = await post(`/v1/loans/${loanId}/repayments`, { amount: pay.toFixed(2), paidOn, reference: paidOn });
            expect(paid.status).toBe(201);
            expect(amount(paid.body.principal).plus(paid.body.interest).plus(paid.body.penalty).equals(pay)).toBe(true);
          }
          const loan = (await as(app, lpaKey).get(`/v1/loans/${loanId}`)).body;
          const receivable = await database
            .db('ledger_accounts')
            .where({ code: '1300', participant_id: loan.participantId })
            .first<{ balance: string }>(database.db.raw('debits_posted - credits_posted as balance'));
          expect(amount(receivable?.balance ?? '0').toFixed(2)).toBe(loan.principalOutstanding);
          const books = await pool();
          expect(poolBooksBalance(books)).toBe(true);
          const [unbalanced] = await database.db('journal_postings').sum<{ sum: string }[]>({ sum: 'amount' });
          expect(amount(unbalanced?.sum ?? '0').isZero()).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });
});
