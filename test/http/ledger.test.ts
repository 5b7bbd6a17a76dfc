import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, countRows, makeKey, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';

describe('ledger API', () => {
  let database: TestDatabase;
  let app: Express;
  let finance: TestKey;
  let auditor: TestKey;
  let directorate: TestKey;
  let dinsos: TestKey;
  let lpaKey: TestKey;
  let otherLpaKey: TestKey;
  let lpaId: string;
  let fund: Record<string, string>;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db);
    finance = await makeKey(database.db, { role: 'finance' });
    auditor = await makeKey(database.db, { role: 'auditor' });
    directorate = await makeKey(database.db, { role: 'directorate' });
    dinsos = await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' });
    lpaId = await approvedLpa(database.db);
    lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    otherLpaKey = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
    const accounts = await as(app, finance).get('/v1/ledger/accounts?ownerKind=fund');
    fund = Object.fromEntries(accounts.body.accounts.map((account: { code: string; id: string }) => [account.code, account.id]));
  });
  afterAll(async () => {
    await database.close();
  });

  // A manual entry: money the state puts into the fund's balance. (Premium
  // assistance received goes through /v1/subsidy-receipts, bounded by what is owed.)
  const capitalReceived = (value: string) => ({
    entryDate: '2026-11-02',
    description: 'Capital from the state budget',
    reference: { type: 'capital', id: 'SP2D-2026-0042' },
    postings: [
      { accountId: fund['1100'], amount: value },
      { accountId: fund['3100'], amount: `-${value}` },
    ],
  });

  it('posts an entry once per Idempotency-Key and answers a retry with the first entry', async () => {
    const first = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'sp2d-42')
      .send(capitalReceived('1250000.00'));
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/v1/ledger/entries/${first.body.id}`);
    expect(first.body).toMatchObject({
      rule: null,
      reversesEntryId: null,
      postings: [{ accountCode: '1100', amount: '1250000.00' }, {}],
    });
    const retry = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'sp2d-42')
      .send(capitalReceived('1250000.00'));
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const other = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'sp2d-42')
      .send(capitalReceived('1.00'));
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ type: 'urn:askesos:problem:idempotency-key-reused' });
    const cash = await as(app, auditor).get(`/v1/ledger/accounts/${fund['1100']}`);
    expect(cash.body).toMatchObject({ balance: '1250000.00', postingsCount: 1 });
  });

  it('keeps each API key’s Idempotency-Keys its own', async () => {
    const otherFinance = await makeKey(database.db, { role: 'finance', name: 'Finance 2' });
    const mine = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'shared-1')
      .send(capitalReceived('2.00'));
    const theirs = await as(app, otherFinance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'shared-1')
      .send(capitalReceived('2.00'));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('names the missing Idempotency-Key, a JSON number for money and an unbalanced entry, and writes nothing', async () => {
    const before = await countRows(database.db, 'journal_entries');
    const noKey = await as(app, finance).post('/v1/ledger/entries').send(capitalReceived('5.00'));
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors).toEqual([{ field: 'header.idempotency-key', message: 'is required' }]);
    const number = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'n-1')
      .send({
        ...capitalReceived('5.00'),
        postings: [
          { accountId: fund['1100'], amount: 5 },
          { accountId: fund['3100'], amount: '-5.00' },
        ],
      });
    expect(number.status).toBe(400);
    expect(number.body.errors).toContainEqual({
      field: 'body.postings.0.amount',
      message: 'must be a decimal string such as "250000.00", not a JSON number',
    });
    const unbalanced = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'u-1')
      .send({
        ...capitalReceived('5.00'),
        postings: [
          { accountId: fund['1100'], amount: '5.00' },
          { accountId: fund['3100'], amount: '-4.99' },
        ],
      });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.errors).toEqual([
      { field: 'body.postings', message: 'debits and credits must sum to zero; these sum to 0.01' },
    ]);
    const unknown = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'x-1')
      .send({
        ...capitalReceived('5.00'),
        postings: [
          { accountId: fund['1100'], amount: '5.00' },
          { accountId: lpaId, amount: '-5.00' },
        ],
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'body.postings.1.accountId', message: 'is not a ledger account' }]);
    expect(await countRows(database.db, 'journal_entries')).toBe(before);
  });

  it('refuses an overdraft with a 409 that names the account', async () => {
    const response = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'claim-pay-1')
      .send({
        entryDate: '2026-11-03',
        description: 'Claim payment',
        reference: { type: 'claim', id: 'C-1' },
        postings: [
          { accountId: fund['2100'], amount: '99000000.00' },
          { accountId: fund['1100'], amount: '-99000000.00' },
        ],
      });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'urn:askesos:problem:balance-would-go-negative',
      detail: expect.stringContaining(String(fund['1100'])),
    });
  });

  it('reverses an entry, once, under its own key', async () => {
    const posted = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'to-undo')
      .send(capitalReceived('10.00'));
    const reversal = await as(app, finance)
      .post(`/v1/ledger/entries/${posted.body.id}/reversal`)
      .set('Idempotency-Key', 'undo-1')
      .send({ description: 'Booked twice' });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ reversesEntryId: posted.body.id, entryDate: '2026-11-25' });
    const original = await as(app, auditor).get(`/v1/ledger/entries/${posted.body.id}`);
    expect(original.body.reversedByEntryId).toBe(reversal.body.id);
    const twice = await as(app, finance)
      .post(`/v1/ledger/entries/${posted.body.id}/reversal`)
      .set('Idempotency-Key', 'undo-2')
      .send({ description: 'Booked twice' });
    expect(twice.status).toBe(409);
    expect(twice.body.type).toBe('urn:askesos:problem:already-reversed');
  });

  it('closes a month for the directorate or finance, and then refuses entries dated in it', async () => {
    expect((await as(app, auditor).post('/v1/ledger/periods/2026-10/close')).status).toBe(403);
    const notEnded = await as(app, finance).post('/v1/ledger/periods/2026-11/close');
    expect(notEnded.status).toBe(409);
    expect(notEnded.body.type).toBe('urn:askesos:problem:month-not-ended');
    const closed = await as(app, directorate).post('/v1/ledger/periods/2026-10/close');
    expect(closed.status).toBe(200);
    expect(closed.body.closedThrough).toBe('2026-10-31');
    const late = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'late-1')
      .send({ ...capitalReceived('3.00'), entryDate: '2026-10-31' });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:askesos:problem:period-closed');
    const badMonth = await as(app, finance).post('/v1/ledger/periods/2026-13/close');
    expect(badMonth.body.errors).toEqual([{ field: 'params.month', message: 'must be a month as YYYY-MM' }]);
  });

  it('shows a trial balance that sums to zero to finance and auditors, not to LPAs or regional offices', async () => {
    const trial = await as(app, auditor).get('/v1/ledger/trial-balance');
    expect(trial.status).toBe(200);
    expect(trial.body.totals.balance).toBe('0.00');
    expect(trial.body.totals.debits).toBe(trial.body.totals.credits);
    expect((await as(app, lpaKey).get('/v1/ledger/trial-balance')).status).toBe(403);
    expect((await as(app, dinsos).get('/v1/ledger/accounts')).status).toBe(403);
    expect(
      (await as(app, auditor).post('/v1/ledger/entries').set('Idempotency-Key', 'a').send(capitalReceived('1.00'))).status,
    ).toBe(403);
  });

  it('shows an LPA its own accounts and entries, and another LPA’s as not found', async () => {
    const opened = await as(app, finance).post('/v1/ledger/accounts').send({ code: '2400', lpaId });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      code: '2400',
      ownerKind: 'lpa',
      lpaId,
      name: 'LPA honorarium payable · Yayasan Betang Tumbang',
    });
    expect((await as(app, finance).post('/v1/ledger/accounts').send({ code: '2400', lpaId })).status).toBe(200);
    const honorarium = await as(app, finance)
      .post('/v1/ledger/entries')
      .set('Idempotency-Key', 'hon-2026-11')
      .send({
        entryDate: '2026-11-20',
        description: 'Honorarium November',
        reference: { type: 'honorarium', id: '2026-11' },
        postings: [
          { accountId: fund['5200'], amount: '130000.00' },
          { accountId: opened.body.id, amount: '-130000.00' },
        ],
      });
    expect(honorarium.status).toBe(201);

    const own = await as(app, lpaKey).get('/v1/ledger/accounts');
    expect(own.body.accounts.map((account: { id: string }) => account.id)).toEqual([opened.body.id]);
    expect((await as(app, lpaKey).get(`/v1/ledger/accounts/${opened.body.id}/statement`)).body.lines).toMatchObject([
      { credit: '130000.00', runningBalance: '-130000.00', reference: { type: 'honorarium', id: '2026-11' } },
    ]);
    expect((await as(app, lpaKey).get(`/v1/ledger/entries/${honorarium.body.id}`)).status).toBe(200);

    expect((await as(app, otherLpaKey).get(`/v1/ledger/accounts/${opened.body.id}`)).status).toBe(404);
    expect((await as(app, otherLpaKey).get(`/v1/ledger/accounts/${opened.body.id}/statement`)).status).toBe(404);
    expect((await as(app, otherLpaKey).get(`/v1/ledger/entries/${honorarium.body.id}`)).status).toBe(404);
    expect((await as(app, otherLpaKey).get(`/v1/ledger/accounts?lpaId=${lpaId}`)).body.accounts).toEqual([]);
    expect((await as(app, lpaKey).get(`/v1/ledger/accounts/${fund['1100']}`)).status).toBe(404);
  });

  it('gives an account as it stood at the end of a day', async () => {
    const past = await as(app, auditor).get(`/v1/ledger/accounts/${fund['1100']}?asOf=2026-11-01`);
    expect(past.body).toMatchObject({ balance: '0.00', postingsCount: 0 });
    const bad = await as(app, auditor).get(`/v1/ledger/accounts/${fund['1100']}?asOf=2026-02-30`);
    expect(bad.body.errors).toEqual([{ field: 'query.asOf', message: 'is not a calendar date' }]);
  });
});
