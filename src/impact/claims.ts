import { adjudicateClaim } from '../claims/index.ts';
import { amount, type Amount } from '../money/index.ts';
import type { RuleBook } from '../rules/load.ts';
import type { ClaimRow, ClaimsImpact, ClaimTally, Place } from './model.ts';
import { lpaLabel, placeOf, provinceLabel, regencyLabel } from './places.ts';

export interface Outcome {
  readonly status: 'approved' | 'rejected' | 'referred';
  // What the rules would pay: the amount approved, or proposed for review; zero when rejected.
  readonly amount: Amount;
}

// Pure: a claim judged again as of its incident, by each book, in the cover
// it was filed under and with the earlier claims that still stand counted as
// they stand (a claim the proposal would approve does not count against the
// limit of a later one: both rule sets see the same history).
export function readjudicate(
  books: { readonly inForce: RuleBook; readonly proposed: RuleBook },
  row: ClaimRow,
): { inForce: Outcome; proposed: Outcome } {
  const outcome = (book: RuleBook): Outcome => {
    const adjudication = adjudicateClaim(book, row.claim, row.cover, row.history, row.cover.scheme);
    return { status: adjudication.status, amount: adjudication.amount ?? amount('0') };
  };
  return { inForce: outcome(books.inForce), proposed: outcome(books.proposed) };
}

interface Tally {
  claims: number;
  changed: number;
  inForce: Amount;
  proposed: Amount;
}

// Tallies the replayed claims: every status change, and what each rule set
// pays, in total and by claim type, region and LPA.
export function claimsTally(places: ReadonlyMap<string, Place>): {
  add(row: ClaimRow, outcomes: { inForce: Outcome; proposed: Outcome }): void;
  result(): ClaimsImpact;
} {
  let replayed = 0;
  const statusChanges = new Map<string, number>();
  const total = emptyTally();
  const groups = {
    byClaimType: new Map<string, Tally>(),
    byProvince: new Map<string, Tally>(),
    byRegency: new Map<string, Tally>(),
    byLpa: new Map<string, Tally>(),
  };
  return {
    add(row, { inForce, proposed }) {
      replayed += 1;
      const changed = inForce.status !== proposed.status || !inForce.amount.equals(proposed.amount);
      if (inForce.status !== proposed.status) {
        const key = `${inForce.status} → ${proposed.status}`;
        statusChanges.set(key, (statusChanges.get(key) ?? 0) + 1);
      }
      const place = placeOf(places, row.lpaId);
      const keys: [Map<string, Tally>, string][] = [
        [groups.byClaimType, row.claim.claimType],
        [groups.byProvince, provinceLabel(place)],
        [groups.byRegency, regencyLabel(place)],
        [groups.byLpa, lpaLabel(place)],
      ];
      for (const tally of [total, ...keys.map(([map, key]) => tallyOf(map, key))]) {
        tally.claims += 1;
        if (changed) tally.changed += 1;
        tally.inForce = tally.inForce.plus(inForce.amount);
        tally.proposed = tally.proposed.plus(proposed.amount);
      }
    },
    result: () => ({ replayed, statusChanges, total: total as ClaimTally, ...groups }),
  };
}

function emptyTally(): Tally {
  return { claims: 0, changed: 0, inForce: amount('0'), proposed: amount('0') };
}

function tallyOf(map: Map<string, Tally>, key: string): Tally {
  const known = map.get(key);
  if (known !== undefined) return known;
  const tally = emptyTally();
  map.set(key, tally);
  return tally;
}
