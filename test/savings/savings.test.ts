import type { Express } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/app/jobs.ts';
import { amount, toAmountString } from '../../src/money/index.ts';
import { lpaFactsOn } from '../../src/lpa/facts.ts';
import { bookSavingsDues } from '../../src/savings/dues.ts';
import { type TestKey, as, countRows, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';

// Savings at the LPA. In the 2003 pattern every participant saved Rp 5,000
// a month (simpanan wajib), which stayed with the LPA until they left;
// voluntary savings (simpanan sukarela) come and go.

let database: TestDatabase;
let app: Express;
let today = '2005-08-20';
let lpaId: string;
let lpaKey: TestKey;
let member: string;
let serial = 900;
const deps = () => ({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta' });
let keyCount = 0;
const move = (direction: 'deposits' | 'withdrawals', participantId: string, body: object, key = `k-${(keyCount += 1)}`) =>
  as(app, lpaKey).post(`/v1/participants/${participantId}/savings/${direction}`).set('Idempotency-Key', key).send(body);
const accounts = (participantId: string) => accountsOf(lpaKey, participantId);
const accountsOf = async (key: TestKey, participantId: string) =>
  (await as(app, key).get(`/v1/participants/${participantId}/savings`)).body.accounts as {
    kind: string;
    balance: string;
    locked: boolean;
    duesTotal: string;
    monthsBehind: number;
    amountBehind: string;
  }[];
const runDues = async (period: string) => {
  const outcome = await jobDefinitions(deps())['savings-dues']!.run(period, testActor);
  if (!outcome.ran) throw new Error(`savings-dues ${period} did not run: ${outcome.why}`);
  return outcome.detail as {
    duesBooked: number;
    bookedLate: number;
    amountDue: string;
    membersBehind: number;
    accountsOpened: number;
  };
};

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  ({ participantId: member } = await enrolmentSince(database.db, {
    lpaId,
    scheme: 'askesos-2003',
    enrolledOn: '2005-03-10',
    serial: (serial += 1),
  }));
});
afterAll(async () => database.close());

describe('mandatory savings under askesos-2003', () => {
  it('accrue Rp 5,000 each month the member is in cover, and mark the months deposits do not cover', async () => {
    // Enrolled on 10 March, the member owes March too: the first run books it, for its month.
    const april = await runDues('2005-04');
    expect(april).toMatchObject({ duesBooked: 2, bookedLate: 1, amountDue: '10000.00', accountsOpened: 1, membersBehind: 1 });
    await runDues('2005-05');
    expect(await accounts(member)).toEqual([
      expect.objectContaining({
        kind: 'mandatory',
        balance: '0.00',
        locked: true,
        duesTotal: '15000.00',
        monthsBehind: 2,
        amountBehind: '10000.00',
      }),
    ]);
    // Two months saved at once, then the June and July dues: the deposit
    // covers March and April, July's due is this month's, so May and June
    // are behind.
    expect(
      (await move('deposits', member, { kind: 'mandatory', amount: '10000.00', date: '2005-05-28', reference: 'KW-001' })).status,
    ).toBe(201);
    await runDues('2005-06');
    await runDues('2005-07');
    expect(await accounts(member)).toEqual([
      expect.objectContaining({ balance: '10000.00', duesTotal: '25000.00', monthsBehind: 2, amountBehind: '10000.00' }),
    ]);
    const dues = await database
      .db('savings_dues')
      .orderBy('period')
      .select('period', 'amount', 'coverage_year', 'rule_scheme', 'rule_version');
    expect(dues).toEqual(
      ['2005-03-01', '2005-04-01', '2005-05-01', '2005-06-01', '2005-07-01'].map((period) => ({
        period,
        amount: '5000.00',
        coverage_year: 1,
        rule_scheme: 'askesos-2003',
        rule_version: '2003.1',
      })),
    );
    // Running a month again books nothing twice.
    expect(await runDues('2005-07')).toMatchObject({ duesBooked: 0, bookedLate: 0 });
    expect(await countRows(database.db, 'savings_dues')).toBe(5);
  });

  it('cannot be withdrawn while the member is in cover, and leave nothing behind when refused', async () => {
    const entries = await countRows(database.db, 'journal_entries');
    const refused = await move('withdrawals', member, {
      kind: 'mandatory',
      amount: '5000.00',
      date: '2005-08-01',
      reference: 'BK-1',
    });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toBe('urn:askesos:problem:mandatory-savings-locked');
    expect(await countRows(database.db, 'journal_entries')).toBe(entries);
  });

  it('are paid out once the member has left the scheme, never more than they saved', async () => {
    await database.db('enrolments').where({ participant_id: member }).update({ status: 'lapsed', lapsed_on: '2005-08-10' });
    expect((await accounts(member))[0]?.locked).toBe(false);
    const tooMuch = await move('withdrawals', member, {
      kind: 'mandatory',
      amount: '10000.01',
      date: '2005-08-15',
      reference: 'BK-2',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.type).toBe('urn:askesos:problem:savings-insufficient');
    const paidOut = await move('withdrawals', member, {
      kind: 'mandatory',
      amount: '10000.00',
      date: '2005-08-15',
      reference: 'BK-3',
    });
    expect(paidOut.status).toBe(201);
    expect(paidOut.body).toMatchObject({ direction: 'withdrawal', balance: '0.00' });
    // In cover for part of August, the member owes its due; out of cover, nothing more.
    expect((await runDues('2005-08')).duesBooked).toBe(1);
    expect((await runDues('2005-09')).duesBooked).toBe(0);
  });

  it('show on the member’s statement with the balance after each movement, in JSON and CSV', async () => {
    const statement = await as(app, lpaKey).get(`/v1/participants/${member}/savings/statement?kind=mandatory`);
    expect(statement.status).toBe(200);
    expect(
      statement.body.rows.map((row: Record<string, string | null>) => [
        row.date,
        row.description?.split(',')[0],
        row.deposit,
        row.withdrawal,
        row.balance,
      ]),
    ).toEqual([
      ['2005-05-28', 'Balance brought forward', null, null, '0.00'],
      ['2005-05-28', `Deposit to mandatory savings of participant ${member}`, '10000.00', null, '10000.00'],
      ['2005-08-15', `Withdrawal from mandatory savings of participant ${member}`, null, '10000.00', '0.00'],
      ['2005-08-15', 'Balance carried forward', null, null, '0.00'],
    ]);
    const csv = await as(app, lpaKey).get(
      `/v1/participants/${member}/savings/statement?kind=mandatory&from=2005-06-01&format=csv`,
    );
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
      'Date,Ledger entry,Reference,Description,Deposit,Withdrawal,Balance',
      '2005-06-01,,,Balance brought forward,,,10000.00',
    ]);
  });
});

describe('voluntary savings', () => {
  let saver: string;
  beforeAll(async () => {
    ({ participantId: saver } = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'askesos-2003',
      enrolledOn: '2005-06-01',
      serial: (serial += 1),
    }));
  });

  it('can be withdrawn while in cover; a retried deposit is booked once, a reused key with another body is refused', async () => {
    const body = { kind: 'voluntary', amount: '100000.00', date: '2005-08-18', reference: 'SS-1' };
    const first = await move('deposits', saver, body, 'deposit-once');
    const retry = await move('deposits', saver, body, 'deposit-once');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.entryId).toBe(first.body.entryId);
    const reused = await move('deposits', saver, { ...body, amount: '1.00' }, 'deposit-once');
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('urn:askesos:problem:idempotency-key-reused');
    const taken = await move('withdrawals', saver, {
      kind: 'voluntary',
      amount: '40000.00',
      date: '2005-08-19',
      reference: 'SS-2',
    });
    expect(taken.body).toMatchObject({ balance: '60000.00' });
  });

  it('never go below zero under withdrawals at the same moment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 8 }), async (thousands) => {
        const { participantId } = await enrolmentSince(database.db, {
          lpaId,
          scheme: 'askesos-2003',
          enrolledOn: '2005-06-01',
          serial: (serial += 1),
        });
        await move('deposits', participantId, { kind: 'voluntary', amount: '50000.00', date: '2005-08-19', reference: 'IN' });
        const answers = await Promise.all(
          thousands.map((count, index) =>
            move('withdrawals', participantId, {
              kind: 'voluntary',
              amount: `${count}000.00`,
              date: '2005-08-20',
              reference: `OUT-${index}`,
            }),
          ),
        );
        expect(
          answers.every((answer) => answer.status === 201 || answer.body.type === 'urn:askesos:problem:savings-insufficient'),
        ).toBe(true);
        const paid = thousands.filter((_, index) => answers[index]?.status === 201).reduce((sum, count) => sum + count * 1000, 0);
        expect(paid).toBeLessThanOrEqual(50_000);
        const [voluntary] = await accounts(participantId);
        expect(voluntary?.balance).toBe(`${50_000 - paid}.00`);
      }),
      { numRuns: 8 },
    );
  });

  it('refuse bad input by field, and another LPA’s member is not found', async () => {
    const bad = await move('deposits', saver, { kind: 'weekly', amount: 5000, date: '2005-08-19', reference: 'X' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['body.amount', 'body.kind']);
    const future = await move('deposits', saver, { kind: 'voluntary', amount: '5000.00', date: '2005-08-21', reference: 'X' });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ field: 'body.date', message: 'must not be after today (2005-08-20)' }]);
    const otherLpa = await approvedLpa(database.db, { name: 'Yayasan Lain' });
    const otherKey = await makeKey(database.db, { role: 'lpa', lpaId: otherLpa });
    const foreign = await as(app, otherKey)
      .post(`/v1/participants/${saver}/savings/deposits`)
      .set('Idempotency-Key', 'foreign')
      .send({ kind: 'voluntary', amount: '5000.00', date: '2005-08-19', reference: 'X' });
    expect(foreign.status).toBe(404);
    expect((await as(app, otherKey).get(`/v1/participants/${saver}/savings`)).status).toBe(404);
  });
});

describe('the LPA pool', () => {
  it('holds the cash its members saved, in the LPA’s books and not in the fund statement', async () => {
    const pool = await as(app, lpaKey).get(`/v1/lpas/${lpaId}/pool`);
    expect(pool.status).toBe(200);
    const line = (code: string) => pool.body.lines.find((entry: { code: string }) => entry.code === code)?.balance;
    const cash = line('1500');
    expect(cash).toBe(pool.body.available);
    // Cash is what members hold in savings: nothing is lent yet.
    expect(amount(cash).greaterThan(0)).toBe(true);
    expect(toAmountString(amount(line('2500')).plus(line('2510')))).toBe(cash);
    const finance = await makeKey(database.db, { role: 'finance' });
    const statement = await as(app, finance).get(`/v1/reports/fund-statement?from=2005-01-01&to=${today}`);
    expect(statement.status).toBe(200);
    expect(statement.body.rows.map((row: { code: string }) => row.code)).not.toContain('1500');
    expect(statement.body.rows.map((row: { code: string }) => row.code)).not.toContain('2510');
  });
});

describe('savings participation', () => {
  it('is a fact the lpa rules are given: the share of members owing mandatory savings who are not behind', async () => {
    const saversLpa = await approvedLpa(database.db, { name: 'Koperasi Tabungan Warga' });
    const saversKey = await makeKey(database.db, { role: 'lpa', lpaId: saversLpa });
    const enrol = async () =>
      (
        await enrolmentSince(database.db, {
          lpaId: saversLpa,
          scheme: 'askesos-2003',
          enrolledOn: '2005-03-10',
          serial: (serial += 1),
        })
      ).participantId;
    const [keeps, lags] = [await enrol(), await enrol()];
    for (const period of ['2005-04', '2005-05']) await bookSavingsDues(database.db, shippedRules, period, testActor);
    // March, April and May: March was caught up by April's run.
    await as(app, saversKey)
      .post(`/v1/participants/${keeps}/savings/deposits`)
      .set('Idempotency-Key', 'keeps-up')
      .send({ kind: 'mandatory', amount: '15000.00', date: '2005-05-31', reference: 'KW-7' });
    await bookSavingsDues(database.db, shippedRules, '2005-06', testActor);
    expect((await accountsOf(saversKey, lags))[0]).toMatchObject({ monthsBehind: 3, amountBehind: '15000.00' });
    const facts = await lpaFactsOn(database.db, '2005-06-15');
    expect(facts.get(saversLpa)?.savingsParticipationRate).toBe('0.5000');
  });

  it('adopt a mandatory savings ledger account opened by hand before the first due', async () => {
    const { participantId } = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'askesos-2003',
      enrolledOn: '2005-03-10',
      serial: (serial += 1),
    });
    const finance = await makeKey(database.db, { role: 'finance' });
    const opened = await as(app, finance).post('/v1/ledger/accounts').send({ code: '2500', participantId });
    expect(opened.status).toBe(201);
    const summary = await bookSavingsDues(database.db, shippedRules, '2005-07', testActor);
    expect(summary.accountsOpened).toBe(1);
    expect(
      await database.db('savings_accounts').where({ participant_id: participantId }).select('ledger_account_id', 'opened_on'),
    ).toEqual([{ ledger_account_id: opened.body.id, opened_on: '2005-03-01' }]);
    // Its first run books every month since its enrolment in March.
    expect((await accounts(participantId))[0]).toMatchObject({ kind: 'mandatory', duesTotal: '25000.00' });
  });
});
