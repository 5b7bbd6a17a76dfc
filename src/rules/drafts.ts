import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyAreas } from './catalogue.ts';
import { decide, RuleNotInForceError } from './evaluate.ts';
import { loadRuleBook, type RuleBook, versionFolders } from './load.ts';
import { type RuleCase, caseFileSchema } from './model.ts';
import { formatProblem, jsonPath, type RuleProblem, RuleSetError } from './problems.ts';
import type { Source } from './source.ts';
import { hasPublicationRecord, policyFiles } from './publication.ts';
import { withUnwrittenAsNull } from './cases.ts';

// A draft is a version folder with no publication record: the directorate's
// work in progress, which nothing decides by until it is published.

export class DraftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftError';
  }
}

export interface NewDraft {
  readonly scheme: string;
  readonly from: string;
  readonly effectiveFrom: string;
  // Named for its year when not given: "2028.1", then "2028.2".
  readonly version?: string;
}

// Copies a version's policy files into a new draft that takes effect on the
// date given, with cases to start from: the source's, and for each area it
// has none of, the latest cases of that area in the scheme, all dated to
// the draft's first day and waiting for `rules cases record`.
export function createDraft(
  rulesDir: string,
  book: RuleBook,
  request: NewDraft,
): { version: string; dir: string; cases: number } {
  const versions = book.schemes.get(request.scheme);
  if (versions === undefined) throw new DraftError(`There is no scheme "${request.scheme}".`);
  const source = versions.find((entry) => entry.version === request.from);
  if (source === undefined)
    throw new DraftError(
      `${request.scheme} has no version ${request.from}; it has ${versions.map((entry) => entry.version).join(', ')}.`,
    );
  const taken = readdirSync(join(rulesDir, request.scheme));
  const version = request.version ?? nextVersionName(taken, request.effectiveFrom);
  if (taken.includes(version)) throw new DraftError(`${request.scheme}/${version} already exists.`);
  const dir = join(rulesDir, request.scheme, version);
  // Made without `recursive`, the folder is claimed at once: of two drafts
  // asked for together under one name, the second is refused, not mixed in.
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DraftError(`${request.scheme}/${version} already exists.`);
    throw error;
  }
  for (const file of policyFiles) cpSync(join(rulesDir, request.scheme, source.version, file), join(dir, file));
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.version = version;
  manifest.effectiveFrom = request.effectiveFrom;
  delete manifest.effectiveTo;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  const older = versions.filter((entry) => entry.effectiveFrom <= source.effectiveFrom).reverse();
  const cases = policyAreas.flatMap((area) => {
    const latest = older.find((entry) => entry.cases.some((ruleCase) => ruleCase.area === area));
    return (latest?.cases ?? [])
      .filter((ruleCase) => ruleCase.area === area && !('error' in ruleCase.expect))
      .map(({ file: _file, ...ruleCase }) => ({
        ...ruleCase,
        date: request.effectiveFrom,
        expect: { version, events: [] },
      }));
  });
  mkdirSync(join(dir, 'cases'), { recursive: true });
  for (const area of policyAreas) {
    const ofArea = cases.filter((ruleCase) => ruleCase.area === area);
    if (ofArea.length > 0) writeFileSync(join(dir, 'cases', `${area}.json`), `${JSON.stringify(ofArea, null, 2)}\n`);
  }
  return { version, dir, cases: cases.length };
}

function nextVersionName(taken: readonly string[], effectiveFrom: string): string {
  const year = effectiveFrom.slice(0, 4);
  const numbers = taken.filter((name) => name.startsWith(`${year}.`)).map((name) => Number(name.slice(5)) || 0);
  return `${year}.${Math.max(0, ...numbers) + 1}`;
}

// Decides each of the draft's cases and writes what was decided as what the
// case expects, for the directorate to read (and diff) before publishing.
// The book must hold the draft.
export function recordCases(
  rulesDir: string,
  book: RuleBook,
  scheme: string,
  version: string,
): { file: string; cases: number; changed: number }[] {
  const casesDir = join(rulesDir, scheme, version, 'cases');
  if (!existsSync(casesDir)) throw new DraftError(`${scheme}/${version} has no cases/ folder.`);
  return readdirSync(casesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(casesDir, file);
      const cases = caseFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      let changed = 0;
      const recorded = cases.map((ruleCase) => {
        const expect = decidedOutcome(book, scheme, ruleCase);
        if (JSON.stringify(expect) !== JSON.stringify(ruleCase.expect)) changed += 1;
        return { ...ruleCase, expect };
      });
      writeFileSync(path, `${JSON.stringify(recorded, null, 2)}\n`);
      return { file: join(scheme, version, 'cases', file), cases: cases.length, changed };
    });
}

function decidedOutcome(book: RuleBook, scheme: string, ruleCase: RuleCase): RuleCase['expect'] {
  try {
    const decision = decide(book, {
      scheme,
      area: ruleCase.area,
      date: ruleCase.date,
      facts: withUnwrittenAsNull(ruleCase.area, ruleCase.facts),
    });
    return { version: decision.version, events: decision.events.map((event) => ({ type: event.type, params: event.params })) };
  } catch (error) {
    if (error instanceof RuleNotInForceError) return { error: 'rule_not_in_force' };
    throw error;
  }
}

export interface DraftSummary {
  readonly scheme: string;
  readonly version: string;
  readonly effectiveFrom: string | null;
  readonly hash: string | null;
  readonly problems: readonly string[];
}

// Every draft in the rules folder, with why it does not load when it does
// not: one broken draft neither hides the others nor stops the service.
export function listDrafts(rulesDir: string): DraftSummary[] {
  return versionFolders(rulesDir)
    .filter(({ dir }) => !hasPublicationRecord(dir))
    .map(({ scheme, version }) => {
      try {
        const loaded = loadRuleBook(rulesDir, { scheme, version })
          .schemes.get(scheme)
          ?.find((entry) => entry.version === version);
        return { scheme, version, effectiveFrom: loaded?.effectiveFrom ?? null, hash: loaded?.hash ?? null, problems: [] };
      } catch (error) {
        if (!(error instanceof RuleSetError)) throw error;
        return { scheme, version, effectiveFrom: null, hash: null, problems: error.problems.map(formatProblem) };
      }
    });
}

// A draft made in one step, as the console and the API make it: a version's
// files copied, the values changed, validated by the loader as any rule file
// is, and its cases recorded with what it decides. Refused, it leaves no
// folder behind; the problems name the manifest's JSON paths.
export interface DraftWithValues extends NewDraft {
  // New values of the source version's declared parameters, as the manifest writes them ("6000000.00", "0.15", "60").
  readonly values: Readonly<Record<string, string>>;
  // The decision that sets the changed values: their source from now on.
  readonly source: Source;
  // Why, in a sentence, added to the manifest's notes.
  readonly note: string;
  // What the version is, for people; the source version's when not given.
  readonly title?: string;
}

export function makeDraftWithValues(
  rulesDir: string,
  book: RuleBook,
  request: DraftWithValues,
): { version: string; hash: string; effectiveFrom: string; changed: readonly string[]; cases: number } {
  const from = book.schemes.get(request.scheme)?.find((entry) => entry.version === request.from);
  const manifestOf = (version: string) => join(rulesDir, request.scheme, version, 'manifest.json');
  const problems: RuleProblem[] = [];
  // No such version: createDraft names the versions there are.
  const changed = Object.entries(request.values).flatMap(([name, value]) => {
    const parameter = from?.parameters.get(name);
    if (from === undefined) return [];
    if (parameter === undefined) {
      problems.push({ file: manifestOf(request.from), path: jsonPath(['parameters', name]), message: 'no such parameter' });
      return [];
    }
    const written = parameter.formula === null ? parameter.value : `=${parameter.formula}`;
    if (value === written) return [];
    if (parameter.formula !== null)
      problems.push({
        file: manifestOf(request.from),
        path: jsonPath(['parameters', name, parameter.kind]),
        message: `is worked out from others (=${parameter.formula}): change those`,
      });
    return [{ name, value, kind: parameter.kind }];
  });
  if (problems.length > 0) throw new RuleSetError(problems);

  const draft = createDraft(rulesDir, book, request);
  try {
    const path = manifestOf(draft.version);
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
      title: string;
      parameters: Record<string, Record<string, unknown>>;
      notes: string[];
    };
    if (request.title !== undefined) manifest.title = request.title;
    for (const { name, value, kind } of changed) manifest.parameters[name] = { [kind]: value, source: request.source };
    manifest.notes = [...manifest.notes, request.note];
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
    const withDraft = loadRuleBook(rulesDir, { scheme: request.scheme, version: draft.version });
    recordCases(rulesDir, withDraft, request.scheme, draft.version);
    const loaded = withDraft.schemes.get(request.scheme)?.find((entry) => entry.version === draft.version);
    if (loaded === undefined) throw new Error(`${request.scheme}/${draft.version} is not in the book it was loaded into`);
    return {
      version: draft.version,
      hash: loaded.hash,
      effectiveFrom: loaded.effectiveFrom,
      changed: changed.map(({ name }) => name),
      cases: draft.cases,
    };
  } catch (error) {
    rmSync(draft.dir, { recursive: true, force: true });
    throw error;
  }
}
