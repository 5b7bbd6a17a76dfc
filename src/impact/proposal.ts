import { InputError } from '../errors.ts';
import type { RuleBook, RuleVersion } from '../rules/load.ts';

// Finds the version a change proposes, in a book loaded with that draft (or a
// published version, to see what it changed).
export function proposedVersion(book: RuleBook, scheme: string, version: string): RuleVersion {
  const versions = book.schemes.get(scheme) ?? [];
  const found = versions.find((entry) => entry.version === version);
  if (found !== undefined) return found;
  const known = [...book.schemes.values()].flat().map((entry) => `${entry.scheme}/${entry.version}`);
  throw new InputError([{ field: 'version', message: `no rule version ${scheme}/${version}; known: ${known.join(', ')}` }]);
}

// A book in which the proposed version decides every date of its scheme, from
// the day the scheme's first version began, with no end: replaying the
// portfolio on it shows what the proposal would have decided and would
// decide, beside the book as it is in force. Other schemes are untouched.
export function withProposedInForce(book: RuleBook, proposed: RuleVersion): RuleBook {
  const versions = book.schemes.get(proposed.scheme) ?? [];
  const firstFrom = versions.reduce(
    (earliest, version) => (version.effectiveFrom < earliest ? version.effectiveFrom : earliest),
    proposed.effectiveFrom,
  );
  const schemes = new Map(book.schemes);
  schemes.set(proposed.scheme, [{ ...proposed, effectiveFrom: firstFrom, effectiveTo: null }]);
  return { schemes };
}

// The book in force before the proposal: the proposal is taken out, and the
// version before it runs on to where it would have ended. A proposal from
// elsewhere leaves the book as it is.
export function withoutProposal(book: RuleBook, proposed: RuleVersion): RuleBook {
  const versions = book.schemes.get(proposed.scheme) ?? [];
  const index = versions.findIndex((version) => version.version === proposed.version);
  if (index === -1) return book;
  const kept = versions.map((version, at) => (at === index - 1 ? { ...version, effectiveTo: proposed.effectiveTo } : version));
  const schemes = new Map(book.schemes);
  schemes.set(
    proposed.scheme,
    kept.filter((_, at) => at !== index),
  );
  return { schemes };
}
