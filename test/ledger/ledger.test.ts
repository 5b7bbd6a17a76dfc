import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccount } from '../../src/ledger/accounts.ts';
import { closePeriod } from '../../src/ledger/close.ts';
import type { Account, EntryDraft } from '../../src/ledger/model.ts';
import { postEntry, reverseEntry } from '../../src/ledger/post.ts';
import { findAccount, listPeriods, statementPage, trialBalance } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { countRows, testActor } from '../support/api.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';

const poster = { postedBy: 'test', requestId: null };
let database: TestDatabase;
let cash: Account;
let equity: Account;
let expense: Account;
let lpaSavings: Account;
let lpaCash: Account;
let lpaId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  lpaId = await approvedLpa(database.db);
  const open = async (code: string, owner: { lpaId?: string } = {}) =>
    (await openAccount(database.db, { code, ...owner }, testActor)).account;
  cash = await open('1100');
  equity = await open('3100');
  expense = await open('5100');
  lpaCash = await open('1100', { lpaId });
  lpaSavings = await open('2500', { lpaId });
});

afterAll(async () => {
  await database.close();
});

let keys = 0;
function transfer(debit: Account, credit: Account, value: string, entryDate = '2026-03-10', key = `k${(keys += 1)}`): EntryDraft {
  return {
    entryDate,
    description: `transfer ${value}`,
    reference: { type: 'test', id: key },
    rule: null,
    idempotencyKey: key,
    postings: [
      { accountId: debit.id, amount: amount(value) },
      { accountId: credit.id, amount: amount(value).negated() },
    ],
  };
}

async function balanceOf(account: Account, asOf?: string): Promise<string | undefined> {
  return (await findAccount(database.db, account.id, asOf))?.balance;
}

// SQL typed by hand, bypassing the code: an entry with the given postings.
async function rawEntry(key: string, postings: { accountId: string; amount: string; entryDate?: string }[]): Promise<void> {
  await database.db.transaction(async (trx) => {
    const inserted = await trx.raw<{ rows: { id: string }[] }>(
      `insert into journal_entries (entry_date, description, reference_type, reference_id, idempotency_key, fingerprint, postings_count, posted_by)
       values ('2026-03-01', 'by hand', 'manual', '1', ?, repeat('0', 64), ?, 'psql') returning id`,
      [key, Math.max(2, postings.length)],
    );
    const id = inserted.rows[0]?.id;
    for (const posting of postings)
      await trx('journal_postings').insert({
        entry_id: id,
        account_id: posting.accountId,
        entry_date: posting.entryDate ?? '2026-03-01',
        amount: posting.amount,
      });
  });
}

describe('the database keeps the ledger balanced even against SQL that bypasses the code', () => {
  it('refuses an entry whose postings do not sum to zero', async () => {
    const before = await countRows(database.db, 'journal_entries');
    await expect(
      rawEntry('raw-unbalanced', [
        { accountId: cash.id, amount: '100.00' },
        { accountId: equity.id, amount: '-99.99' },
      ]),
    ).rejects.toThrow(/does not balance: its postings sum to 0.01/);
    expect(await countRows(database.db, 'journal_entries')).toBe(before);
    expect(await balanceOf(cash)).toBe('0.00');
  });

  it('refuses an entry with fewer than two postings, or postings dated apart from it', async () => {
    await expect(rawEntry('raw-empty', [])).rejects.toThrow(/has 0 posting\(s\)/);
    await expect(rawEntry('raw-single', [{ accountId: cash.id, amount: '5.00' }])).rejects.toThrow(/has 1 posting\(s\)/);
    await expect(
      rawEntry('raw-dates', [
        { accountId: cash.id, amount: '5.00' },
        { accountId: equity.id, amount: '-5.00', entryDate: '2026-03-02' },
      ]),
    ).rejects.toThrow(/dated apart/);
  });

  it('refuses postings added later to a posted entry, even a balanced pair', async () => {
    const { entry } = await postEntry(database.db, transfer(cash, equity, '10.00'), poster);
    await expect(
      database
        .db('journal_postings')
        .insert({ entry_id: entry.id, account_id: cash.id, entry_date: entry.entryDate, amount: '1.00' }),
    ).rejects.toThrow(/declares 2 postings but has 3/);
    await expect(
      database.db('journal_postings').insert([
        { entry_id: entry.id, account_id: cash.id, entry_date: entry.entryDate, amount: '1.00' },
        { entry_id: entry.id, account_id: equity.id, entry_date: entry.entryDate, amount: '-1.00' },
      ]),
    ).rejects.toThrow(/declares 2 postings but has 4/);
    await postEntry(database.db, { ...transfer(equity, cash, '10.00'), description: 'undo' }, poster);
  });

  it('refuses to update or delete entries and postings, or to set account totals by hand', async () => {
    await expect(database.db('journal_postings').update({ amount: '1.00' })).rejects.toThrow(/append-only/);
    await expect(database.db('journal_entries').delete()).rejects.toThrow(/append-only/);
    await expect(database.db('ledger_accounts').where({ id: cash.id }).update({ debits_posted: '1000000.00' })).rejects.toThrow(
      /only by posting/,
    );
    await expect(database.db('ledger_accounts').where({ id: cash.id }).delete()).rejects.toThrow(/never deleted/);
    await expect(
      database.db('ledger_accounts').insert({
        code: '1100',
        type: 'asset',
        owner_kind: 'lpa',
        lpa_id: lpaId,
        name: 'by hand',
        must_not_go_negative: true,
        opened_by: 'psql',
        debits_posted: '1000000.00',
      }),
    ).rejects.toThrow(/opens with nothing posted/);
  });

  it('refuses an overdraft of an account flagged non-negative', async () => {
    await expect(
      rawEntry('raw-overdraft', [
        { accountId: cash.id, amount: '-1.00' },
        { accountId: equity.id, amount: '1.00' },
      ]),
    ).rejects.toThrow(/ledger_accounts_must_not_go_negative/);
  });
});

describe('postEntry', () => {
  it('moves balances on both sides and answers a retried key with the first entry', async () => {
    const draft = transfer(cash, equity, '250000.00');
    const first = await postEntry(database.db, draft, poster);
    const again = await postEntry(database.db, draft, poster);
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, entry: { id: first.entry.id } });
    expect(await balanceOf(cash)).toBe('250000.00');
    expect(await balanceOf(equity)).toBe('-250000.00');
    expect((await findAccount(database.db, equity.id))?.normalBalance).toBe('250000.00');
  });

  it('refuses the same key with different content', async () => {
    const draft = transfer(cash, equity, '1.00');
    await postEntry(database.db, draft, poster);
    await expect(postEntry(database.db, { ...draft, description: 'other' }, poster)).rejects.toMatchObject({
      code: 'idempotency-key-reused',
    });
  });

  it('refuses an overdraft with the account named, and leaves nothing behind', async () => {
    const before = await countRows(database.db, 'journal_entries');
    await expect(postEntry(database.db, transfer(expense, cash, '9999999.00'), poster)).rejects.toMatchObject({
      code: 'balance-would-go-negative',
      message: expect.stringContaining(`1100 Cash at bank (${cash.id})`),
    });
    expect(await countRows(database.db, 'journal_entries')).toBe(before);
  });

  it('lets a member withdraw savings only up to what was saved, however many withdraw at once', async () => {
    await postEntry(database.db, transfer(lpaCash, lpaSavings, '50000.00'), poster);
    const withdrawals = Array.from({ length: 12 }, () =>
      postEntry(database.db, transfer(lpaSavings, lpaCash, '5000.00'), poster),
    );
    const outcomes = await Promise.allSettled(withdrawals);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'balance-would-go-negative' });
    expect(await balanceOf(lpaSavings)).toBe('0.00');
    expect(await balanceOf(lpaCash)).toBe('0.00');
  });

  it('posts entries that arrive together in one batch, and still refuses exactly the bad one among them', async () => {
    const expenseBefore = await balanceOf(expense);
    const good = Array.from({ length: 10 }, () => transfer(expense, equity, '1.00'));
    const overdraft = transfer(expense, cash, '999999999.00');
    const outcomes = await Promise.allSettled(
      [...good, overdraft, good[0] as EntryDraft].map((draft) => postEntry(database.db, draft, poster)),
    );
    const posted = outcomes.slice(0, 10).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null));
    expect(posted.every((entry) => entry !== null && !entry.replayed)).toBe(true);
    expect(outcomes[10]).toMatchObject({ status: 'rejected', reason: { code: 'balance-would-go-negative' } });
    expect(outcomes[11]).toMatchObject({ status: 'fulfilled', value: { replayed: true, entry: { id: posted[0]?.entry.id } } });
    expect(
      amount((await balanceOf(expense)) ?? '')
        .minus(amount(expenseBefore ?? ''))
        .toFixed(2),
    ).toBe('10.00');
  });

  it('asserts, before the database sees it, that an entry balances', async () => {
    const draft = transfer(cash, equity, '1.00');
    await expect(
      postEntry(
        database.db,
        { ...draft, postings: [...draft.postings, { accountId: expense.id, amount: amount('0.01') }] },
        poster,
      ),
    ).rejects.toThrow(/ledger invariant: .* sum to 0.01/);
  });

  it('names the posting whose account does not exist', async () => {
    const draft = transfer(cash, equity, '1.00');
    const postings = [draft.postings[0], { accountId: '00000000-0000-4000-8000-000000000009', amount: amount('-1.00') }];
    await expect(postEntry(database.db, { ...draft, postings } as EntryDraft, poster, 'body.')).rejects.toMatchObject({
      issues: [{ field: 'body.postings.1.accountId', message: 'is not a ledger account' }],
    });
  });
});

describe('statements, balances as of a date, and the trial balance', () => {
  it('gives a running balance, page by page, and the balance at the end of any day', async () => {
    const { account: saving } = await openAccount(
      database.db,
      { code: '2500', lpaId: await approvedLpa(database.db) },
      testActor,
    );
    const { account: till } = await openAccount(database.db, { code: '1100', lpaId: saving.lpaId ?? '' }, testActor);
    await postEntry(database.db, transfer(till, saving, '100.00', '2026-04-01'), poster);
    await postEntry(database.db, transfer(till, saving, '50.00', '2026-04-15'), poster);
    await postEntry(database.db, transfer(saving, till, '30.00', '2026-04-20'), poster);
    // Posted last, dated first: a statement is in date order.
    await postEntry(database.db, transfer(till, saving, '7.00', '2026-03-31'), poster);

    const first = await statementPage(database.db, saving, { limit: 2 });
    expect(first.lines.map((line) => [line.entryDate, line.debit, line.credit, line.runningBalance])).toEqual([
      ['2026-03-31', null, '7.00', '-7.00'],
      ['2026-04-01', null, '100.00', '-107.00'],
    ]);
    const [entryDate = '', postingId = ''] = (first.next ?? '').split('~');
    const second = await statementPage(database.db, saving, { limit: 2, after: { entryDate, postingId } });
    expect(second.openingBalance).toBe('-107.00');
    expect(second.lines.map((line) => line.runningBalance)).toEqual(['-157.00', '-127.00']);
    expect(second.next).toBeNull();

    const april = await statementPage(database.db, saving, { from: '2026-04-10', to: '2026-04-30', limit: 10 });
    expect(april.openingBalance).toBe('-107.00');
    expect(april.lines.map((line) => line.runningBalance)).toEqual(['-157.00', '-127.00']);

    expect(await balanceOf(saving, '2026-03-31')).toBe('-7.00');
    expect(await balanceOf(saving, '2026-04-16')).toBe('-157.00');
    expect(await balanceOf(saving)).toBe('-127.00');
  });

  it('balances: debits equal credits now and at any past date', async () => {
    const now = await trialBalance(database.db, null);
    expect(now.totals.debits).toBe(now.totals.credits);
    expect(now.totals.balance).toBe('0.00');
    expect(now.lines.find((line) => line.code === '2500')?.accounts).toBe(2);
    const past = await trialBalance(database.db, '2026-03-31');
    expect(past.totals.balance).toBe('0.00');
    expect(amount(past.totals.debits).lessThan(amount(now.totals.debits))).toBe(true);
  });
});

describe('reversals and closed months', () => {
  // Its own database: closing months here must not touch the other tests' dates.
  let closing: TestDatabase;
  let bank: Account;
  let fund: Account;
  beforeAll(async () => {
    closing = await openTestDatabase();
    bank = (await openAccount(closing.db, { code: '1100' }, testActor)).account;
    fund = (await openAccount(closing.db, { code: '3100' }, testActor)).account;
  });
  afterAll(async () => {
    await closing.close();
  });

  it('closes ended months only, in order, and refuses entries dated in them', async () => {
    const september = await postEntry(closing.db, transfer(bank, fund, '500.00', '2026-09-30', 'sep'), poster);
    await expect(closePeriod(closing.db, '2026-11', '2026-11-25', testActor)).rejects.toMatchObject({ code: 'month-not-ended' });
    const periods = await closePeriod(closing.db, '2026-09', '2026-11-25', testActor);
    expect(periods.closedThrough).toBe('2026-09-30');
    await expect(closePeriod(closing.db, '2026-08', '2026-11-25', testActor)).rejects.toMatchObject({ code: 'already-closed' });
    await expect(postEntry(closing.db, transfer(bank, fund, '1.00', '2026-09-30'), poster)).rejects.toMatchObject({
      code: 'period-closed',
      message: expect.stringContaining('closed through 2026-09-30'),
    });
    // A retry of an entry posted before the close still answers it.
    expect(await postEntry(closing.db, transfer(bank, fund, '500.00', '2026-09-30', 'sep'), poster)).toMatchObject({
      replayed: true,
      entry: { id: september.entry.id },
    });
    await postEntry(closing.db, transfer(bank, fund, '1.00', '2026-10-01'), poster);
    expect((await listPeriods(closing.db)).closes).toHaveLength(1);
  });

  it('reverses an entry of a closed month into the open one, once', async () => {
    const original = await postEntry(closing.db, transfer(bank, fund, '40.00', '2026-10-05', 'oct'), poster);
    await closePeriod(closing.db, '2026-10', '2026-11-25', testActor);
    const request = { entryId: original.entry.id, entryDate: '2026-10-31', description: 'wrong amount', idempotencyKey: 'rev-1' };
    await expect(reverseEntry(closing.db, request, poster)).rejects.toMatchObject({ code: 'period-closed' });
    const reversal = await reverseEntry(closing.db, { ...request, entryDate: '2026-11-02', idempotencyKey: 'rev-2' }, poster);
    expect(reversal.entry).toMatchObject({
      reversesEntryId: original.entry.id,
      entryDate: '2026-11-02',
      reference: original.entry.reference,
    });
    expect(reversal.entry.postings.map((posting) => posting.amount).sort()).toEqual(['-40.00', '40.00']);
    expect(
      await reverseEntry(closing.db, { ...request, entryDate: '2026-11-03', idempotencyKey: 'rev-2' }, poster),
    ).toMatchObject({
      replayed: true,
      entry: { id: reversal.entry.id },
    });
    await expect(
      reverseEntry(closing.db, { ...request, entryDate: '2026-11-03', idempotencyKey: 'rev-3' }, poster),
    ).rejects.toMatchObject({
      code: 'already-reversed',
    });
    await expect(
      reverseEntry(
        closing.db,
        { ...request, entryId: reversal.entry.id, entryDate: '2026-11-03', idempotencyKey: 'rev-4' },
        poster,
      ),
    ).rejects.toMatchObject({ code: 'cannot-reverse-a-reversal' });
    expect((await findAccount(closing.db, bank.id, '2026-10-31'))?.balance).toBe('541.00');
    expect((await findAccount(closing.db, bank.id))?.balance).toBe('501.00');
  });

  it('opens sub-accounts only for owners the chart allows', async () => {
    await expect(
      openAccount(closing.db, { code: '5100', lpaId: await approvedLpa(closing.db) }, testActor, 'body.'),
    ).rejects.toMatchObject({
      issues: [{ field: 'body.code', message: '5100 Claims expense is held by the fund, not by an LPA' }],
    });
    await expect(openAccount(closing.db, { code: '9999' }, testActor, 'body.')).rejects.toMatchObject({
      issues: [{ field: 'body.code', message: 'is not in the chart of accounts' }],
    });
    const again = await openAccount(closing.db, { code: '1100' }, testActor);
    expect(again).toMatchObject({ opened: false, account: { id: bank.id } });
  });
});
