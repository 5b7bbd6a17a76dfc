import { type Amount, toAmountString } from '../money/index.ts';
import { sha256Hex } from '../hash.ts';
import type { AccountType, EntryDraft, PostingDraft } from './model.ts';
import { entryProblem, ledgerDecimalPlaces } from './balance.ts';

// Pure rules of a journal entry, used twice: at the edge, to tell a clerk what
// is wrong with the entry they sent, and inside postEntry, as an assertion
// that stops our own bug before it reaches the database (which checks again).

export function assertEntryBalanced(draft: EntryDraft): void {
  const problem = entryProblem(draft.postings);
  if (problem !== null) throw new Error(`ledger invariant: entry ${draft.idempotencyKey}: ${problem}`);
}

// Postings by account: the canonical order of an entry's postings.
export function byAccount(postings: readonly PostingDraft[]): PostingDraft[] {
  return [...postings].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

export function reversalPostings(postings: readonly PostingDraft[]): PostingDraft[] {
  return postings.map((posting) => ({ accountId: posting.accountId, amount: posting.amount.negated() }));
}

// What a retry must repeat for its key to answer the first result: the same
// date, words, reference, rule and postings (in any order).
export function entryFingerprint(draft: EntryDraft): string {
  const canonical = JSON.stringify([
    draft.entryDate,
    draft.description,
    draft.reference.type,
    draft.reference.id,
    draft.rule === null ? null : [draft.rule.scheme, draft.rule.version, draft.rule.hash],
    draft.reversesEntryId ?? null,
    byAccount(draft.postings).map((posting) => [posting.accountId, toAmountString(posting.amount, ledgerDecimalPlaces)]),
  ]);
  return sha256Hex(canonical);
}

// Assets and expenses are debit-normal; the rest credit-normal. The normal
// balance is positive when the account holds value on its own side.
export function normalBalance(type: AccountType, debitsMinusCredits: Amount): Amount {
  return type === 'asset' || type === 'expense' ? debitsMinusCredits : debitsMinusCredits.negated();
}
