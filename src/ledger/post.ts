import type { Knex } from 'knex';
import { constraintViolated, type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, IdempotencyKeyReusedError, InputError, NotFoundError } from '../errors.ts';
import { assertEntryBalanced, entryFingerprint, reversalPostings } from './entry.ts';
import { ledgerDecimalPlaces } from './balance.ts';
import type { Entry, EntryDraft, Posted } from './model.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { createEntryBatcher, type EntryBatcher } from './batch.ts';
import {
  type EntryToInsert,
  findEntry,
  findEntryByKey,
  type InsertedEntry,
  insertEntries,
  type Poster,
  postingAccounts,
  type PostingAccount,
} from './store.ts';

// The one way money moves. Inside a caller's transaction (a claim's decision
// and its entry commit together) it posts there, behind a savepoint so a
// refusal leaves the caller's transaction usable. Otherwise it joins the
// entries other requests are posting at the same moment: one statement, one
// commit for all of them (see batch.ts).
//
// Every rule is checked here first and again by the database: the entry
// balances (assertion: an unbalanced draft is our bug), each account exists,
// the month is open, no flagged account goes below zero, and a retried key
// answers the first entry instead of posting twice.
export async function postEntry(db: Db | Knex.Transaction, draft: EntryDraft, poster: Poster, fieldPrefix = ''): Promise<Posted> {
  assertEntryBalanced(draft);
  const entry: EntryToInsert = { draft, fingerprint: entryFingerprint(draft), poster };
  if (db.isTransaction) return postAlone(db, entry, fieldPrefix);
  let batcher = batchers.get(db);
  if (batcher === undefined) {
    batcher = createEntryBatcher(db, { alone: postAlone, posted: postedEntry });
    batchers.set(db, batcher);
  }
  return batcher(entry, fieldPrefix);
}

// In the caller's transaction as its last statement, without a savepoint:
// for entries nothing but a bug can refuse (case reserves, new keys, dated
// today, to the fund's own accounts), a savepoint's two round trips buy
// nothing, as a refusal ends the transaction anyway. Every check still runs,
// and all the entries go in one statement.
export async function postLastEntries(
  trx: Knex.Transaction,
  entries: readonly { readonly draft: EntryDraft; readonly poster: Poster }[],
): Promise<void> {
  if (entries.length === 0) return;
  for (const { draft } of entries) assertEntryBalanced(draft);
  let inserted: Map<string, InsertedEntry>;
  try {
    inserted = await insertEntries(
      trx,
      entries.map(({ draft, poster }) => ({ draft, fingerprint: entryFingerprint(draft), poster })),
    );
  } catch (error) {
    if (constraintViolated(error, 'journal_entries_period_open'))
      throw periodClosed(error, entries.map(({ draft }) => draft.entryDate).sort()[0] ?? '');
    throw error;
  }
  for (const { draft } of entries)
    if (!inserted.has(draft.idempotencyKey))
      throw new Error(
        `ledger invariant: the new key ${draft.idempotencyKey} was already taken; nothing of this transaction stands`,
      );
}

// The database names the day the ledger is closed through; the answer says it.
function periodClosed(error: unknown, entryDate: string): ConflictError {
  const closedThrough = /closed through (\d{4}-\d{2}-\d{2})/.exec((error as Error).message)?.[1] ?? 'a later date';
  return new ConflictError(
    'period-closed',
    `The ledger is closed through ${closedThrough}; an entry dated ${entryDate} belongs to a closed month.`,
  );
}

// One batcher per database handle: entries posted through the same pool share commits.
const batchers = new WeakMap<Db, EntryBatcher>();

// One entry in a statement of its own: the way a refusal is told precisely.
async function postAlone(db: Db | Knex.Transaction, entry: EntryToInsert, fieldPrefix: string): Promise<Posted> {
  const { draft, fingerprint } = entry;
  let inserted: Map<string, InsertedEntry>;
  try {
    inserted = db.isTransaction
      ? await withTransaction(db, (savepoint) => insertEntries(savepoint, [entry]))
      : await insertEntries(db, [entry]);
  } catch (error) {
    if (constraintViolated(error, 'journal_entries_period_open')) {
      // A retry of an entry posted before its month was closed is still a retry.
      const earlier = await findEntryByKey(db, draft.idempotencyKey);
      if (earlier !== null) return replayOf(earlier, draft.idempotencyKey, fingerprint);
      throw periodClosed(error, draft.entryDate);
    }
    throw await refusal(db, error, draft, fieldPrefix);
  }
  const row = inserted.get(draft.idempotencyKey);
  if (row === undefined) {
    const earlier = await findEntryByKey(db, draft.idempotencyKey);
    if (earlier === null)
      throw new Error(`ledger invariant: idempotency key ${draft.idempotencyKey} conflicted but no entry has it`);
    return replayOf(earlier, draft.idempotencyKey, fingerprint);
  }
  return postedEntry(entry, row);
}

// The entry as posted, without reading it back.
function postedEntry({ draft, poster }: EntryToInsert, inserted: InsertedEntry): Posted {
  const accountOf = (id: string) => {
    const account = inserted.accounts.get(id);
    if (account === undefined)
      throw new Error(`ledger invariant: entry ${inserted.id} posted to account ${id}, which was not read back`);
    return account;
  };
  return {
    replayed: false,
    entry: {
      id: inserted.id,
      sequence: inserted.sequence,
      entryDate: draft.entryDate,
      description: draft.description,
      reference: draft.reference,
      rule: draft.rule,
      idempotencyKey: draft.idempotencyKey,
      reversesEntryId: draft.reversesEntryId ?? null,
      reversedByEntryId: null,
      postedAt: inserted.postedAt.toISOString(),
      postedBy: poster.postedBy,
      postings: draft.postings.map((posting) => ({
        accountId: posting.accountId,
        accountCode: accountOf(posting.accountId).code,
        accountName: accountOf(posting.accountId).name,
        amount: toAmountString(posting.amount, ledgerDecimalPlaces),
      })),
    },
  };
}

// What the database refused, in the words of the rule that refused it. Only
// reached on a refusal, so the extra reads cost nothing on the way that posts.
async function refusal(db: Db | Knex.Transaction, error: unknown, draft: EntryDraft, fieldPrefix: string): Promise<unknown> {
  const accounts = () =>
    postingAccounts(
      db,
      draft.postings.map((posting) => posting.accountId),
    );
  if (constraintViolated(error, 'journal_postings_account_id_fkey')) {
    const known = await accounts();
    const unknown = draft.postings.findIndex((posting) => !known.has(posting.accountId));
    return new InputError([{ field: `${fieldPrefix}postings.${unknown}.accountId`, message: 'is not a ledger account' }]);
  }
  if (constraintViolated(error, 'ledger_accounts_must_not_go_negative')) return overdraft(draft, await accounts());
  if (constraintViolated(error, 'journal_entries_reverses_entry_id_key'))
    return new ConflictError('already-reversed', `Entry ${draft.reversesEntryId ?? ''} has already been reversed.`);
  return error;
}

function replayOf(earlier: { entry: Entry; fingerprint: string }, idempotencyKey: string, fingerprint: string): Posted {
  if (earlier.fingerprint !== fingerprint)
    throw new IdempotencyKeyReusedError(idempotencyKey, `entry ${earlier.entry.id}, with other content`);
  return { entry: earlier.entry, replayed: true };
}

function overdraft(draft: EntryDraft, accounts: ReadonlyMap<string, PostingAccount>): ConflictError {
  const reduced = draft.postings
    .map((posting) => ({ posting, account: accounts.get(posting.accountId) as PostingAccount }))
    .filter(
      ({ posting, account }) =>
        account.mustNotGoNegative &&
        (account.type === 'asset' || account.type === 'expense' ? posting.amount.lessThan(0) : posting.amount.greaterThan(0)),
    )
    .map(({ account }) => `${account.code} ${account.name} (${account.id})`);
  return new ConflictError(
    'balance-would-go-negative',
    `The entry would take an account that must not go negative below zero: ${reduced.join(', ')}.`,
  );
}

export interface ReversalRequest {
  readonly entryId: string;
  readonly entryDate: string;
  readonly description: string;
  readonly idempotencyKey: string;
}

// A correction never edits: it posts the mirror image of the entry, naming it,
// on a date in an open month (today unless the caller says otherwise).
export async function reverseEntry(
  db: Db | Knex.Transaction,
  request: ReversalRequest,
  poster: Poster,
  fieldPrefix = '',
): Promise<Posted> {
  const earlier = await findEntryByKey(db, request.idempotencyKey);
  if (earlier !== null) {
    if (earlier.entry.reversesEntryId === request.entryId) return { entry: earlier.entry, replayed: true };
    throw new IdempotencyKeyReusedError(request.idempotencyKey, `entry ${earlier.entry.id}`);
  }
  const original = await findEntry(db, request.entryId);
  if (original === null) throw new NotFoundError('journal entry', request.entryId);
  const { entry } = original;
  if (entry.reversesEntryId !== null)
    throw new ConflictError('cannot-reverse-a-reversal', `Entry ${entry.id} is itself a reversal; post a new entry instead.`);
  if (entry.reversedByEntryId !== null)
    throw new ConflictError('already-reversed', `Entry ${entry.id} was already reversed by entry ${entry.reversedByEntryId}.`);
  if (request.entryDate < entry.entryDate)
    throw new InputError([
      { field: `${fieldPrefix}entryDate`, message: `must not be before the entry it reverses (${entry.entryDate})` },
    ]);
  return postEntry(
    db,
    {
      entryDate: request.entryDate,
      description: request.description,
      reference: entry.reference,
      rule: entry.rule,
      idempotencyKey: request.idempotencyKey,
      reversesEntryId: entry.id,
      postings: reversalPostings(
        entry.postings.map((posting) => ({ accountId: posting.accountId, amount: fromNumeric(posting.amount) })),
      ),
    },
    poster,
    fieldPrefix,
  );
}
