import { factCatalogue, type PolicyArea } from './catalogue.ts';
import { decide, RuleNotInForceError } from './evaluate.ts';
import { canonicalJson } from '../hash.ts';
import type { RuleBook } from './load.ts';
import type { RuleCase } from './model.ts';

export interface CaseResult {
  readonly scheme: string;
  readonly folder: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly problem: string | null;
}

// A version's cases/ are its own tests, in the directorate's words. A case is
// decided through the whole book by its date, so a case dated before its
// version starts checks that the previous version still decides it.
export function runCases(book: RuleBook): CaseResult[] {
  const results: CaseResult[] = [];
  for (const [scheme, versions] of book.schemes) {
    for (const version of versions) {
      for (const ruleCase of version.cases) {
        const base = { scheme, folder: version.version, file: ruleCase.file, name: ruleCase.name };
        results.push({ ...base, ...check(book, scheme, ruleCase) });
      }
    }
  }
  return results;
}

function check(book: RuleBook, scheme: string, ruleCase: RuleCase): { passed: boolean; problem: string | null } {
  try {
    return decideCase(book, scheme, ruleCase);
  } catch (error) {
    if (error instanceof RuleNotInForceError && 'error' in ruleCase.expect) return { passed: true, problem: null };
    return { passed: false, problem: (error as Error).message };
  }
}

function decideCase(book: RuleBook, scheme: string, ruleCase: RuleCase): { passed: boolean; problem: string | null } {
  const facts = withUnwrittenAsNull(ruleCase.area, ruleCase.facts);
  const decision = decide(book, { scheme, area: ruleCase.area, date: ruleCase.date, facts });
  if ('error' in ruleCase.expect)
    return { passed: false, problem: `expected no version in force, but ${decision.version} decided` };
  if (decision.version !== ruleCase.expect.version) {
    return { passed: false, problem: `decided by version ${decision.version}, expected ${ruleCase.expect.version}` };
  }
  const actual = decision.events.map((event) => canonicalJson({ type: event.type, params: event.params })).sort();
  const expected = ruleCase.expect.events.map((event) => canonicalJson(event)).sort();
  if (canonicalJson(actual) === canonicalJson(expected)) return { passed: true, problem: null };
  return { passed: false, problem: `events were ${actual.join(' ') || 'none'}; expected ${expected.join(' ') || 'none'}` };
}

// Cases written before a fact joined the catalogue stay true as written: a
// fact that may be null and that a case leaves out is given as null, which
// is what the code gives when nothing is known of it (a declaration the LPA
// never took). A fact that may not be null must still be written.
export function withUnwrittenAsNull(
  area: PolicyArea,
  facts: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const unwritten = Object.entries(factCatalogue[area])
    .filter(([name, spec]) => spec.nullable && !(name in facts))
    .map(([name]) => [name, null]);
  return unwritten.length === 0 ? facts : { ...facts, ...Object.fromEntries(unwritten) };
}
