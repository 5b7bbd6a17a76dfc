import { type FactSpec, factCatalogue, factValueProblem, type PolicyArea } from './catalogue.ts';
import type { FiredEvent, RuleTrace } from './compile.ts';
import type { RuleBook, RuleVersion } from './load.ts';
import type { FieldIssue } from '../errors.ts';

export class RuleNotInForceError extends Error {
  constructor(
    readonly scheme: string,
    readonly date: string,
  ) {
    super(`No version of scheme "${scheme}" is in force on ${date}.`);
    this.name = 'RuleNotInForceError';
  }
}

export class UnknownSchemeError extends Error {
  constructor(readonly scheme: string) {
    super(`There is no scheme "${scheme}".`);
    this.name = 'UnknownSchemeError';
  }
}

export class FactsError extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super('The facts do not match what the rules read.');
    this.name = 'FactsError';
  }
}

export interface Decision {
  readonly scheme: string;
  readonly version: string;
  readonly hash: string;
  readonly area: PolicyArea;
  readonly date: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly events: readonly FiredEvent[];
  readonly trace: readonly RuleTrace[];
}

// The version in force is chosen by the date of the event being decided (an
// incident, an enrolment, a premium period), never by today's date.
export function versionInForce(book: RuleBook, scheme: string, date: string): RuleVersion {
  const versions = book.schemes.get(scheme);
  if (versions === undefined) throw new UnknownSchemeError(scheme);
  const version = versions.find(
    (entry) => entry.effectiveFrom <= date && (entry.effectiveTo === null || date <= entry.effectiveTo),
  );
  if (version === undefined) throw new RuleNotInForceError(scheme, date);
  return version;
}

// A scheme ends when its last version declares an end: from the day after,
// nothing of it is in force. The last version, when the date is past its end.
export function schemeEndedBy(book: RuleBook, scheme: string, date: string): RuleVersion | null {
  const versions = book.schemes.get(scheme);
  if (versions === undefined) throw new UnknownSchemeError(scheme);
  const last = versions.at(-1);
  return last !== undefined && last.effectiveTo !== null && last.effectiveTo < date ? last : null;
}

// A version by its name, for reading what a stored decision was made under.
export function versionNamed(book: RuleBook, scheme: string, version: string): RuleVersion {
  const found = book.schemes.get(scheme)?.find((entry) => entry.version === version);
  if (found === undefined) throw new Error(`rule version ${scheme}@${version} is not in the rule book`);
  return found;
}

export function decide(
  book: RuleBook,
  request: { scheme: string; area: PolicyArea; date: string; facts: Readonly<Record<string, unknown>> },
): Decision {
  const version = versionInForce(book, request.scheme, request.date);
  checkFacts(request.area, request.facts);
  const { events, trace } = version.compiled[request.area].explain(request.facts);
  return {
    scheme: version.scheme,
    version: version.version,
    hash: version.hash,
    area: request.area,
    date: request.date,
    facts: request.facts,
    events,
    trace,
  };
}

// Every fact the area's rules may read must be given (null where the
// catalogue allows it), with the right type; json-rules-engine would
// otherwise treat a missing fact as a failed condition, silently.
export function checkFacts(area: PolicyArea, facts: Readonly<Record<string, unknown>>): void {
  const catalogue = factCatalogue[area];
  const issues: FieldIssue[] = [];
  for (const [name, spec] of Object.entries(catalogue)) {
    if (!(name in facts)) issues.push({ field: `facts.${name}`, message: `is required (${spec.description})` });
    else {
      const problem = factProblem(spec, facts[name]);
      if (problem !== null) issues.push({ field: `facts.${name}`, message: problem });
    }
  }
  for (const name of Object.keys(facts)) {
    if (!(name in catalogue)) issues.push({ field: `facts.${name}`, message: `is not a fact of ${area}` });
  }
  if (issues.length > 0) throw new FactsError(issues);
}

function factProblem(spec: FactSpec, value: unknown): string | null {
  if (value === null) return spec.nullable ? null : 'must not be null';
  return factValueProblem(spec, value);
}
