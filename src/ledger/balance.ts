import { type Amount, isZero, sumAmounts, toDecimalString } from '../money/index.ts';

// What makes a journal entry whole, checked at the edge (the schema tells a
// clerk what is wrong) and again inside postEntry as an assertion.

// The decimal places the ledger's numeric columns hold.
export const ledgerDecimalPlaces = 2;

export function entryProblem(postings: readonly { readonly accountId: string; readonly amount: Amount }[]): string | null {
  if (postings.length < 2) return 'an entry needs at least two postings';
  if (postings.some((posting) => isZero(posting.amount))) return 'no posting may be zero';
  if (postings.some((posting) => posting.amount.decimalPlaces() > ledgerDecimalPlaces))
    return `amounts have at most ${ledgerDecimalPlaces} decimal places`;
  if (new Set(postings.map((posting) => posting.accountId)).size !== postings.length)
    return 'each account appears at most once in an entry';
  const total = sumAmounts(postings.map((posting) => posting.amount));
  if (!isZero(total)) return `debits and credits must sum to zero; these sum to ${toDecimalString(total)}`;
  return null;
}
