import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccount } from '../../src/ledger/accounts.ts';
import { closePeriod } from '../../src/ledger/close.ts';
import type { EntryDraft } from '../../src/ledger/model.ts';
import { lastDayOfMonth } from '../../src/ledger/periods.ts';
import { postEntry, reverseEntry } from '../../src/ledger/post.ts';
import { findAccount, ledgerDiscrepancies, listPeriods } from '../../src/ledger/store.ts';
import { amount, type Amount, sumAmounts } from '../../src/money/index.ts';
import { testActor } from '../support/api.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';

// The ledger against a plain in-memory model: random sequences of postings,
// retries under the same key, reversals, month closes and batches of
// concurrent writers. After every step each balance equals the model's, no
// account flagged non-negative is below zero, every account's totals equal its
// postings and all postings sum to zero. Runs share one database, so each run
// starts its model from the balances the previous runs left.

const runsCount = 1000;
// Far enough ahead that every month the runs close has ended.
const farToday = '2200-01-01';
const poster = { postedBy: 'model-test', requestId: null };

interface ModelAccount {
  readonly id: string;
  readonly debitNormal: boolean;
  readonly mustNotGoNegative: boolean;
}

let database: TestDatabase;
let accounts: ModelAccount[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  const lpaId = await approvedLpa(database.db);
  const wanted = [
    { code: '1100' },
    { code: '3100' },
    { code: '5100' },
    { code: '2100' },
    { code: '1100', lpaId },
    { code: '2500', lpaId },
    { code: '4200', lpaId },
  ];
  for (const request of wanted) {
    const { account } = await openAccount(database.db, request, testActor);
    accounts.push({
      id: account.id,
      debitNormal: account.type === 'asset' || account.type === 'expense',
      mustNotGoNegative: account.mustNotGoNegative,
    });
  }
  expect(accounts.filter((account) => account.mustNotGoNegative)).toHaveLength(3);
});

afterAll(async () => {
  await database.close();
});

// ---------------------------------------------------------------- operations

interface PostingShape {
  readonly accountIndexes: readonly number[];
  readonly cents: readonly number[];
}
type Op =
  | { kind: 'post'; key: number; shape: PostingShape; dayOffset: number }
  | { kind: 'retry'; of: number }
  | { kind: 'reverse'; of: number; dayOffset: number; key: number }
  | { kind: 'close' };
type WriterOp = Extract<Op, { kind: 'post' | 'retry' }>;
type Step = { kind: 'one'; op: Op } | { kind: 'concurrent'; ops: WriterOp[] };

const shapeArbitrary: fc.Arbitrary<PostingShape> = fc
  .uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 3 })
  .chain((accountIndexes) =>
    fc
      .array(
        fc.integer({ min: -500_000, max: 500_000 }).filter((cents) => cents !== 0),
        {
          minLength: accountIndexes.length - 1,
          maxLength: accountIndexes.length - 1,
        },
      )
      .filter((cents) => cents.reduce((total, value) => total + value, 0) !== 0)
      .map((cents) => ({ accountIndexes, cents: [...cents, -cents.reduce((total, value) => total + value, 0)] })),
  );

// Keys from a small pool, so the same key often comes back with other content.
const postArbitrary = fc.record({
  kind: fc.constant('post' as const),
  key: fc.integer({ min: 0, max: 12 }),
  shape: shapeArbitrary,
  dayOffset: fc.integer({ min: -40, max: 70 }),
});
const retryArbitrary = fc.record({ kind: fc.constant('retry' as const), of: fc.nat(20) });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: postArbitrary },
  { weight: 2, arbitrary: retryArbitrary },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      of: fc.nat(20),
      dayOffset: fc.integer({ min: -10, max: 40 }),
      key: fc.integer({ min: 100, max: 103 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);
const stepsArbitrary: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: opArbitrary.map((op) => ({ kind: 'one' as const, op })) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.oneof(postArbitrary, retryArbitrary), { minLength: 2, maxLength: 6 })
        .map((ops) => ({ kind: 'concurrent' as const, ops })),
    },
  ),
  { minLength: 1, maxLength: 8 },
);

// ---------------------------------------------------------------- the model

function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

function centsToAmount(cents: number): Amount {
  return amount((cents / 100).toFixed(2));
}

class Model {
  readonly balances = new Map<string, Amount>();
  // Key → the draft it posted, and the entry id.
  readonly posted = new Map<string, { draft: EntryDraft; entryId: string }>();
  readonly reversed = new Set<string>();
  readonly drafts: EntryDraft[] = [];
  entriesPosted = 0;

  constructor(
    readonly run: number,
    public closedThrough: string | null,
  ) {}

  firstOpenDay(): string {
    return this.closedThrough === null ? '2027-01-01' : addDays(this.closedThrough, 1);
  }

  isClosed(date: string): boolean {
    return this.closedThrough !== null && date <= this.closedThrough;
  }

  draftOf(op: Extract<Op, { kind: 'post' }>): EntryDraft {
    return {
      entryDate: addDays(this.firstOpenDay(), op.dayOffset),
      description: `model run ${this.run}`,
      reference: { type: 'model-test', id: String(this.run) },
      rule: null,
      idempotencyKey: `model:${this.run}:${op.key}`,
      postings: op.shape.accountIndexes.map((index, position) => ({
        accountId: (accounts[index] as ModelAccount).id,
        amount: centsToAmount(op.shape.cents[position] as number),
      })),
    };
  }

  // Would these postings take a flagged account below zero from here?
  overdraws(draft: EntryDraft): boolean {
    return draft.postings.some((posting) => {
      const account = accounts.find((candidate) => candidate.id === posting.accountId) as ModelAccount;
      if (!account.mustNotGoNegative) return false;
      const after = (this.balances.get(account.id) as Amount).plus(posting.amount);
      // decimal.js counts zero as positive: compare with zero instead.
      return account.debitNormal ? after.lessThan(0) : after.greaterThan(0);
    });
  }

  apply(draft: EntryDraft, entryId: string): void {
    for (const posting of draft.postings)
      this.balances.set(posting.accountId, (this.balances.get(posting.accountId) as Amount).plus(posting.amount));
    this.posted.set(draft.idempotencyKey, { draft, entryId });
    this.entriesPosted += 1;
  }
}

function sameContent(a: EntryDraft, b: EntryDraft): boolean {
  const postings = (draft: EntryDraft) =>
    JSON.stringify(draft.postings.map((posting) => [posting.accountId, posting.amount.toFixed(2)]).sort());
  return a.entryDate === b.entryDate && postings(a) === postings(b);
}

type Outcome = { ok: true; entryId: string; replayed: boolean } | { ok: false; code: string };

async function attempt(work: () => Promise<{ entry: { id: string }; replayed: boolean }>): Promise<Outcome> {
  try {
    const posted = await work();
    return { ok: true, entryId: posted.entry.id, replayed: posted.replayed };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[a-z-]+$/.test(code)) return { ok: false, code };
    if ((error as Error).name === 'InputError') return { ok: false, code: 'input' };
    throw error;
  }
}

// What a single post, run alone, must answer.
function expectedPost(model: Model, draft: EntryDraft): string {
  const earlier = model.posted.get(draft.idempotencyKey);
  if (earlier !== undefined) return sameContent(earlier.draft, draft) ? 'replayed' : 'idempotency-key-reused';
  if (model.isClosed(draft.entryDate)) return 'period-closed';
  if (model.overdraws(draft)) return 'balance-would-go-negative';
  return 'posted';
}

function outcomeName(outcome: Outcome): string {
  return outcome.ok ? (outcome.replayed ? 'replayed' : 'posted') : outcome.code;
}

async function runOne(model: Model, op: Op): Promise<void> {
  const db = database.db;
  switch (op.kind) {
    case 'post':
    case 'retry': {
      const draft = op.kind === 'post' ? model.draftOf(op) : model.drafts[op.of % Math.max(model.drafts.length, 1)];
      if (draft === undefined) return;
      const expected = expectedPost(model, draft);
      const outcome = await attempt(() => postEntry(db, draft, poster));
      expect(outcomeName(outcome)).toBe(expected);
      if (outcome.ok && !outcome.replayed) model.apply(draft, outcome.entryId);
      if (outcome.ok && outcome.replayed) expect(outcome.entryId).toBe(model.posted.get(draft.idempotencyKey)?.entryId);
      model.drafts.push(draft);
      return;
    }
    case 'reverse': {
      const originals = [...model.posted.values()].filter(({ draft }) => draft.reversesEntryId === undefined);
      const original = originals[op.of % Math.max(originals.length, 1)];
      if (original === undefined) return;
      const key = `model:${model.run}:${op.key}`;
      const entryDate = addDays(model.firstOpenDay(), op.dayOffset);
      const draft: EntryDraft = {
        ...original.draft,
        entryDate,
        idempotencyKey: key,
        reversesEntryId: original.entryId,
        postings: original.draft.postings.map((posting) => ({ ...posting, amount: posting.amount.negated() })),
      };
      const earlier = model.posted.get(key);
      const expected =
        earlier !== undefined
          ? earlier.draft.reversesEntryId === original.entryId
            ? 'replayed'
            : 'idempotency-key-reused'
          : model.reversed.has(original.entryId)
            ? 'already-reversed'
            : entryDate < original.draft.entryDate
              ? 'input'
              : model.isClosed(entryDate)
                ? 'period-closed'
                : model.overdraws(draft)
                  ? 'balance-would-go-negative'
                  : 'posted';
      const outcome = await attempt(() =>
        reverseEntry(db, { entryId: original.entryId, entryDate, description: 'model reversal', idempotencyKey: key }, poster),
      );
      expect(outcomeName(outcome)).toBe(expected);
      if (outcome.ok && !outcome.replayed) {
        model.apply(draft, outcome.entryId);
        model.reversed.add(original.entryId);
      }
      return;
    }
    case 'close': {
      const month = model.firstOpenDay().slice(0, 7);
      await closePeriod(db, month, farToday, testActor);
      model.closedThrough = lastDayOfMonth(month);
      return;
    }
    default: {
      const unreachable: never = op;
      throw new Error(`unknown op ${JSON.stringify(unreachable)}`);
    }
  }
}

// Writers at once. Which of two overdrafts wins depends on timing, so the
// model takes what committed and checks that every refusal was for a reason
// that could hold in some order.
async function runConcurrently(model: Model, ops: WriterOp[]): Promise<void> {
  const drafts = ops
    .map((op) => (op.kind === 'post' ? model.draftOf(op) : model.drafts[op.of % Math.max(model.drafts.length, 1)]))
    .filter((draft): draft is EntryDraft => draft !== undefined);
  // Every writer finishes before anything is judged: a run that fails must not
  // leave writes in flight to land in the next run (fast-check's shrinking).
  const settled = await Promise.allSettled(drafts.map((draft) => attempt(() => postEntry(database.db, draft, poster))));
  const crashed = settled.find((result) => result.status === 'rejected');
  if (crashed !== undefined) throw crashed.reason;
  const outcomes = settled.map((result) => (result as PromiseFulfilledResult<Outcome>).value);
  const postedNow = new Map<string, string>();
  drafts.forEach((draft, index) => {
    const outcome = outcomes[index] as Outcome;
    const before = model.posted.get(draft.idempotencyKey);
    if (outcome.ok && !outcome.replayed) {
      // A key posts once, however many writers race with it.
      expect(before).toBeUndefined();
      expect(postedNow.has(draft.idempotencyKey)).toBe(false);
      postedNow.set(draft.idempotencyKey, outcome.entryId);
      model.apply(draft, outcome.entryId);
    }
  });
  drafts.forEach((draft, index) => {
    const outcome = outcomes[index] as Outcome;
    const winner = model.posted.get(draft.idempotencyKey);
    if (outcome.ok && outcome.replayed) {
      expect(winner).toBeDefined();
      expect(outcome.entryId).toBe(winner?.entryId);
      expect(sameContent(winner?.draft as EntryDraft, draft)).toBe(true);
    } else if (!outcome.ok) {
      if (outcome.code === 'idempotency-key-reused') expect(sameContent(winner?.draft as EntryDraft, draft)).toBe(false);
      else if (outcome.code === 'period-closed') expect(model.isClosed(draft.entryDate)).toBe(true);
      else if (outcome.code === 'balance-would-go-negative')
        expect(
          draft.postings.some((posting) => {
            const account = accounts.find((candidate) => candidate.id === posting.accountId) as ModelAccount;
            return (
              account.mustNotGoNegative && (account.debitNormal ? posting.amount.lessThan(0) : posting.amount.greaterThan(0))
            );
          }),
        ).toBe(true);
      else throw new Error(`unexpected refusal ${outcome.code}`);
    }
    model.drafts.push(draft);
  });
}

async function checkInvariants(model: Model): Promise<void> {
  for (const account of accounts) {
    const stored = await findAccount(database.db, account.id);
    expect(stored?.balance).toBe((model.balances.get(account.id) as Amount).toFixed(2));
    if (account.mustNotGoNegative) expect(amount(stored?.normalBalance ?? '-1').lessThan(0)).toBe(false);
  }
}

async function startModel(run: number): Promise<Model> {
  const model = new Model(run, (await listPeriods(database.db)).closedThrough);
  for (const account of accounts) {
    const stored = await findAccount(database.db, account.id);
    model.balances.set(account.id, amount(stored?.balance ?? '0'));
  }
  return model;
}

describe('the ledger against an in-memory model', () => {
  it(`keeps every balance, flag and key true over ${runsCount} random runs`, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(stepsArbitrary, async (steps) => {
        run += 1;
        const model = await startModel(run);
        for (const step of steps) {
          if (step.kind === 'one') await runOne(model, step.op);
          else await runConcurrently(model, step.ops);
          await checkInvariants(model);
        }
        expect(await ledgerDiscrepancies(database.db)).toEqual([]);
        const stored = await database
          .db('journal_entries')
          .where('idempotency_key', 'like', `model:${run}:%`)
          .count({ count: '*' });
        expect(Number(stored[0]?.count)).toBe(model.entriesPosted);
        // These seven accounts are the only ones posted to in this database.
        expect(sumAmounts([...model.balances.values()]).isZero()).toBe(true);
      }),
      { numRuns: runsCount },
    );
  }, 900_000);
});
