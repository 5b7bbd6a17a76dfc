import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../src/ledger/post.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
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
import { type TestDatabase, expectEnrolmentYearsInStep, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';

let database: TestDatabase;
let app: Express;
let lpaKey: TestKey;
let otherLpaKey: TestKey;
let auditor: TestKey;
let finance: TestKey;
let participantId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  app = testApp(database.db);
  const lpaId = await approvedLpa(database.db);
  lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
  otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  auditor = await makeKey(database.db, { role: 'auditor' });
  finance = await makeKey(database.db, { role: 'finance' });
  // In coverage year 4 the participant pays the whole Rp 6,000 a month; a
  // member in year 1 has premium assistance pay all of it.
  const settled = { lpaId, scheme: 'standalone', settledThrough: '2026-09' };
  ({ participantId } = await enrolmentSince(database.db, { ...settled, enrolledOn: '2023-01-05', serial: 700 }));
  await enrolmentSince(database.db, { ...settled, enrolledOn: '2026-02-01', serial: 701 });
  for (const period of ['2026-10', '2026-11'])
    await runPremiumCycle(database.db, shippedRules, period, testActor, async () => {});
});

afterAll(async () => {
  await database.close();
});

const pay = (body: Record<string, unknown>, key: string, by: TestKey = lpaKey) =>
  as(app, by).post(`/v1/participants/${participantId}/contributions`).set('Idempotency-Key', key).send(body);

describe('own contributions', () => {
  it('apply to the oldest dues first, with cash in against contributions receivable', async () => {
    const receivable = (await findFundAccount(database.db, '1400')).balance;
    expect(receivable).toBe('12000.00');
    await expectEnrolmentYearsInStep(database.db);
    const paid = await pay({ amount: '8000.00', paidOn: '2026-11-20', reference: 'KW-0001' }, 'pay-1');
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      amount: '8000.00',
      applied: [
        { period: '2026-10', amount: '6000.00' },
        { period: '2026-11', amount: '2000.00' },
      ],
    });
    expect((await findFundAccount(database.db, '1400')).balance).toBe('4000.00');
    expect((await findFundAccount(database.db, '1100')).balance).toBe('8000.00');
    const dues = await as(app, auditor).get(`/v1/participants/${participantId}/dues`);
    expect(dues.body.dues.map((due: { period: string; outstanding: string }) => [due.period, due.outstanding])).toEqual([
      ['2026-10', '0.00'],
      ['2026-11', '4000.00'],
    ]);

    const retry = await pay({ amount: '8000.00', paidOn: '2026-11-20', reference: 'KW-0001' }, 'pay-1');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(paid.body.id);
    const otherBody = await pay({ amount: '1000.00', paidOn: '2026-11-20', reference: 'KW-0002' }, 'pay-1');
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.type).toBe('urn:askesos:problem:idempotency-key-reused');
    expect((await findFundAccount(database.db, '1100')).balance).toBe('8000.00');
    await expectEnrolmentYearsInStep(database.db);
  });

  it('refuses more than is owed, bad input and another LPA’s participant, writing nothing', async () => {
    const before = await countRows(database.db, 'contributions');
    const tooMuch = await pay({ amount: '4000.01', paidOn: '2026-11-21', reference: 'KW-0003' }, 'pay-2');
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({
      type: 'urn:askesos:problem:contribution-exceeds-dues',
      detail: 'The participant owes Rp 4.000 of their own share; a payment of Rp 4.000,01 is more than that.',
    });
    const asNumber = await pay({ amount: 4000, paidOn: '2026-11-21', reference: 'KW-0004' }, 'pay-3');
    expect(asNumber.status).toBe(400);
    expect(asNumber.body.errors).toContainEqual({
      field: 'body.amount',
      message: 'must be a decimal string such as "250000.00", not a JSON number',
    });
    const future = await pay({ amount: '1000.00', paidOn: '2026-12-01', reference: 'KW-0005' }, 'pay-4');
    expect(future.body.errors).toEqual([{ field: 'body.paidOn', message: `must not be after today (${testToday})` }]);
    expect((await pay({ amount: '1000.00', paidOn: '2026-11-21', reference: 'KW-0006' }, 'pay-5', otherLpaKey)).status).toBe(404);
    expect((await as(app, otherLpaKey).get(`/v1/participants/${participantId}/dues`)).status).toBe(404);
    expect(await countRows(database.db, 'contributions')).toBe(before);
    expect((await findFundAccount(database.db, '1400')).balance).toBe('4000.00');
  });
});

describe('subsidy receipts', () => {
  const receive = (body: Record<string, unknown>, key: string, by: TestKey = finance) =>
    as(app, by).post('/v1/subsidy-receipts').set('Idempotency-Key', key).send(body);

  it('book premium assistance received as cash against subsidy receivable, once per key', async () => {
    const cash = amount((await findFundAccount(database.db, '1100')).balance);
    const receivable = (await findFundAccount(database.db, '1200')).balance;
    const body = { amount: '6000.00', receivedOn: '2026-11-24', reference: 'SP2D 00412/2026', period: '2026-10' };
    const received = await receive(body, 'sp2d-412');
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({
      reference: { type: 'subsidy-receipt', id: 'SP2D 00412/2026' },
      description: 'Premium assistance received from the state budget for 2026-10, SP2D 00412/2026',
      entryDate: '2026-11-24',
    });
    expect((await receive(body, 'sp2d-412')).headers['idempotent-replayed']).toBe('true');
    expect(
      amount((await findFundAccount(database.db, '1100')).balance)
        .minus(cash)
        .toFixed(2),
    ).toBe('6000.00');
    expect(
      amount(receivable)
        .minus((await findFundAccount(database.db, '1200')).balance)
        .toFixed(2),
    ).toBe('6000.00');
  });

  it('are finance’s to record, with the fields named when wrong', async () => {
    expect((await receive({ amount: '1.00', receivedOn: '2026-11-24', reference: 'x' }, 'sp2d-1', lpaKey)).status).toBe(403);
    const bad = await receive({ amount: 6000, receivedOn: '2026-12-24', reference: '', period: '2026-13' }, 'sp2d-2');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['body.amount', 'body.reference', 'body.period']),
    );
    const future = await receive({ amount: '1.00', receivedOn: '2026-12-24', reference: 'SP2D 1' }, 'sp2d-3');
    expect(future.body.errors).toEqual([{ field: 'body.receivedOn', message: `must not be after today (${testToday})` }]);
  });

  it('refuse more than the premium assistance owed, writing nothing, in the service and in the ledger', async () => {
    const owed = (await findFundAccount(database.db, '1200')).balance;
    expect(owed).toBe('6000.00');
    const entries = await countRows(database.db, 'journal_entries');
    const tooMuch = await receive({ amount: '6000.01', receivedOn: '2026-11-25', reference: 'SP2D 00413/2026' }, 'sp2d-413');
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({
      type: 'urn:askesos:problem:receipt-exceeds-receivable',
      detail: 'Premium assistance owed to the fund is Rp 6.000; a receipt of Rp 6.000,01 is more than that.',
    });
    expect(await countRows(database.db, 'journal_entries')).toBe(entries);
    expect((await findFundAccount(database.db, '1200')).balance).toBe('6000.00');
    // Past the service, the ledger refuses it too: the receivable must not go negative.
    const [cash, receivable] = [await findFundAccount(database.db, '1100'), await findFundAccount(database.db, '1200')];
    await expect(
      postEntry(
        database.db,
        {
          entryDate: '2026-11-25',
          description: 'A receipt past the service',
          reference: { type: 'subsidy-receipt', id: 'by hand' },
          rule: null,
          idempotencyKey: 'test:receipt-by-hand',
          postings: [
            { accountId: cash.id, amount: amount('6000.01') },
            { accountId: receivable.id, amount: amount('-6000.01') },
          ],
        },
        { postedBy: 'test', requestId: null },
      ),
    ).rejects.toThrow(/must not go negative|overdra|below zero/i);
    expect(
      (await receive({ amount: '6000.00', receivedOn: '2026-11-25', reference: 'SP2D 00414/2026' }, 'sp2d-414')).status,
    ).toBe(201);
    expect((await findFundAccount(database.db, '1200')).balance).toBe('0.00');
  });
});
