import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { addDays } from '../dates.ts';
import { type PolicyArea, policyAreas } from './catalogue.ts';
import { type CompiledRules, compileRules } from './compile.ts';
import { caseFileSchema, type Manifest, manifestSchema, type RuleCase, type RuleFile } from './model.ts';
import { jsonPath, type RuleProblem, RuleSetError } from './problems.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import { type Parameters, resolveParameters } from './parameters.ts';
import {
  hashOfContent,
  hasPublicationRecord,
  policyFiles,
  publicationFile,
  type PublicationRecord,
  publicationRecordSchema,
  readPublicationRecord,
} from './publication.ts';
import { fillReferences } from './references.ts';
import { issueMessage, validateRuleFile } from './validate.ts';

export interface RuleVersion {
  readonly scheme: string;
  readonly version: string;
  readonly manifest: Manifest;
  readonly parameters: Parameters;
  readonly effectiveFrom: string;
  // Inclusive. Derived from the next version's start when the manifest gives none.
  readonly effectiveTo: string | null;
  readonly hash: string;
  readonly fileHashes: Readonly<Record<string, string>>;
  // The files as published, in canonical form: what a replay evaluates.
  readonly content: Readonly<Record<string, unknown>>;
  readonly areas: Readonly<Record<PolicyArea, RuleFile>>;
  readonly compiled: Readonly<Record<PolicyArea, CompiledRules>>;
  readonly cases: readonly (RuleCase & { file: string })[];
  // The act that published it; null for a draft.
  readonly publication: PublicationRecord | null;
}

export interface RuleBook {
  // Versions of each scheme, oldest first.
  readonly schemes: ReadonlyMap<string, readonly RuleVersion[]>;
  // Published, then withdrawn before coming into force ("scheme@version"):
  // known to the database, deciding nothing.
  readonly withdrawn?: ReadonlySet<string>;
}

// Which drafts a book holds besides the published versions: none for
// everything that decides (the service, imports, jobs), one when the
// directorate checks or publishes it, all for `rules validate`.
export type DraftSelection = 'none' | 'all' | { readonly scheme: string; readonly version: string };

// Reads the rules/<scheme>/<version>/ folders and checks all of it; any
// problem anywhere refuses the whole book, listing every problem found. A
// folder without a publication record is a draft, left out unless selected.
export function loadRuleBook(rulesDir: string, drafts: DraftSelection = 'none'): RuleBook {
  const problems: RuleProblem[] = [];
  const versions: (Omit<RuleVersion, 'effectiveTo'> & { declaredTo: string | null })[] = [];
  const withdrawn = new Set<string>();
  if (!existsSync(rulesDir)) throw new RuleSetError([{ file: rulesDir, path: '$', message: 'the rules folder does not exist' }]);

  for (const { scheme, version, dir } of versionFolders(rulesDir)) {
    const published = hasPublicationRecord(dir);
    if (!published && !selected(drafts, scheme, version)) continue;
    const loaded = loadVersion(rulesDir, scheme, version, published, problems);
    if (loaded?.publication?.withdrawn !== undefined) withdrawn.add(`${scheme}@${version}`);
    else if (loaded !== null) versions.push(loaded);
  }
  const schemes = new Map<string, RuleVersion[]>();
  for (const scheme of new Set(versions.map((entry) => entry.scheme))) {
    const ordered = versions
      .filter((entry) => entry.scheme === scheme)
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    schemes.set(scheme, linkPeriods(rulesDir, ordered, problems));
  }
  if (problems.length > 0) throw new RuleSetError(problems);
  return { schemes, withdrawn };
}

function loadVersion(
  rulesDir: string,
  scheme: string,
  version: string,
  published: boolean,
  problems: RuleProblem[],
): (Omit<RuleVersion, 'effectiveTo'> & { declaredTo: string | null }) | null {
  const dir = join(rulesDir, scheme, version);
  const name = (file: string) => relative(process.cwd(), join(dir, file)) || join(dir, file);
  const raw: Record<string, unknown> = {};
  for (const file of policyFiles) {
    const parsed = readJson(join(dir, file), name(file), problems);
    if (parsed !== undefined) raw[file] = parsed;
  }
  const unexpected = readdirSync(dir).filter(
    (entry) => !policyFiles.includes(entry) && entry !== 'cases' && entry !== publicationFile,
  );
  for (const entry of unexpected)
    problems.push({
      file: name(entry),
      path: '$',
      message: `unexpected file; a version holds ${policyFiles.join(', ')} and cases/`,
    });
  if (Object.keys(raw).length !== policyFiles.length) return null;

  const manifestResult = manifestSchema.safeParse(raw['manifest.json']);
  if (!manifestResult.success) {
    for (const issue of manifestResult.error.issues)
      problems.push({ file: name('manifest.json'), path: jsonPath(issue.path), message: issueMessage(issue) });
    return null;
  }
  const manifest = manifestResult.data;
  const before = problems.length;
  if (manifest.scheme !== scheme)
    problems.push({ file: name('manifest.json'), path: '$.scheme', message: `must be "${scheme}", the name of its folder` });
  if (manifest.version !== version)
    problems.push({ file: name('manifest.json'), path: '$.version', message: `must be "${version}", the name of its folder` });
  if (manifest.effectiveTo !== undefined && manifest.effectiveTo < manifest.effectiveFrom) {
    problems.push({
      file: name('manifest.json'),
      path: '$.effectiveTo',
      message: `${manifest.effectiveTo} is before effectiveFrom ${manifest.effectiveFrom}`,
    });
  }

  const resolved = resolveParameters(name('manifest.json'), manifest.parameters);
  problems.push(...resolved.problems);
  const { parameters } = resolved;
  const used = new Set<string>();
  const areas: Partial<Record<PolicyArea, RuleFile>> = {};
  for (const area of policyAreas) {
    const filled = fillReferences(name(`${area}.json`), area, raw[`${area}.json`], parameters, used);
    problems.push(...filled.problems);
    if (filled.problems.length > 0) continue;
    const result = validateRuleFile(name(`${area}.json`), area, filled.filled, parameters, used);
    problems.push(...result.problems);
    if (result.rules !== null) areas[area] = result.rules;
  }
  problems.push(...unusedParameters(name('manifest.json'), parameters, used));
  const cases = loadCases(join(dir, 'cases'), name, problems);
  if (problems.length > before) return null;

  const content = Object.fromEntries(policyFiles.map((file) => [file, JSON.parse(canonicalJson(raw[file]))]));
  const hash = hashOfContent(content);
  const publication = published ? checkedPublication(dir, name, { scheme, version, hash, manifest }, problems) : null;
  if (problems.length > before) return null;
  const complete = areas as Record<PolicyArea, RuleFile>;
  return {
    scheme,
    version,
    manifest,
    parameters,
    effectiveFrom: manifest.effectiveFrom,
    declaredTo: manifest.effectiveTo ?? null,
    hash,
    fileHashes: Object.fromEntries(policyFiles.map((file) => [file, sha256Hex(canonicalJson(raw[file]))])),
    content,
    areas: complete,
    compiled: Object.fromEntries(policyAreas.map((area) => [area, compileRules(complete[area].rules)])) as Record<
      PolicyArea,
      CompiledRules
    >,
    cases,
    publication,
  };
}

function selected(drafts: DraftSelection, scheme: string, version: string): boolean {
  if (drafts === 'none') return false;
  if (drafts === 'all') return true;
  return drafts.scheme === scheme && drafts.version === version;
}

// A published version's files must still be the ones published: decisions
// were made under them.
function checkedPublication(
  dir: string,
  name: (file: string) => string,
  version: { scheme: string; version: string; hash: string; manifest: Manifest },
  problems: RuleProblem[],
): PublicationRecord | null {
  const file = name(publicationFile);
  let raw: unknown;
  try {
    raw = readPublicationRecord(dir);
  } catch (error) {
    problems.push({ file, path: '$', message: `not valid JSON: ${(error as Error).message}` });
    return null;
  }
  const parsed = publicationRecordSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ file, path: jsonPath(issue.path), message: issueMessage(issue) });
    return null;
  }
  const record = parsed.data;
  const key = `${version.scheme}@${version.version}`;
  if (record.scheme !== version.scheme || record.version !== version.version)
    problems.push({ file, path: '$', message: `records ${record.scheme}@${record.version}, not ${key}` });
  else if (record.hash !== version.hash)
    problems.push({
      file,
      path: '$.hash',
      message:
        `${key} was published with hash ${record.hash.slice(0, 12)}… and its files have changed since (now ${version.hash.slice(0, 12)}…). ` +
        'A published version is never edited: start a draft with `askesos rules new` and publish that.',
    });
  else if (record.effectiveFrom !== version.manifest.effectiveFrom)
    problems.push({
      file,
      path: '$.effectiveFrom',
      message: `records ${record.effectiveFrom}; the manifest says ${version.manifest.effectiveFrom}`,
    });
  return record;
}

// The hash a version folder's policy files have now, whatever state they are
// in: what `rules publish` records.
export function versionFolderHash(versionDir: string): string {
  return hashOfContent(
    Object.fromEntries(
      policyFiles.map((file) => [file, JSON.parse(canonicalJson(JSON.parse(readFileSync(join(versionDir, file), 'utf8'))))]),
    ),
  );
}

// A parameter no rule reads, directly or through a formula, is a value the
// directorate might change believing it does something.
function unusedParameters(file: string, parameters: Parameters, used: ReadonlySet<string>): RuleProblem[] {
  const reached = new Set<string>();
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const input of parameters.get(name)?.inputs ?? []) reach(input);
  };
  for (const name of used) reach(name);
  return [...parameters.keys()]
    .filter((name) => !reached.has(name))
    .map((name) => ({ file, path: jsonPath(['parameters', name]), message: 'no rule refers to it: remove it, or refer to it' }));
}

// Versions of a scheme must tile time: each starts the day after the one
// before ends. A version without effectiveTo ends when the next one starts,
// so a new policy is a new folder and the published one is never edited.
function linkPeriods(
  rulesDir: string,
  ordered: readonly (Omit<RuleVersion, 'effectiveTo'> & { declaredTo: string | null })[],
  problems: RuleProblem[],
): RuleVersion[] {
  return ordered.map((entry, index) => {
    const { declaredTo, ...version } = entry;
    const next = ordered[index + 1];
    const file = relative(process.cwd(), join(rulesDir, entry.scheme, entry.version, 'manifest.json'));
    if (next === undefined) return { ...version, effectiveTo: declaredTo };
    const dayBeforeNext = addDays(next.effectiveFrom, -1);
    if (next.effectiveFrom === entry.effectiveFrom) {
      problems.push({
        file,
        path: '$.effectiveFrom',
        message: `${entry.scheme}@${entry.version} and @${next.version} both start on ${entry.effectiveFrom}`,
      });
    } else if (declaredTo !== null && declaredTo > dayBeforeNext) {
      problems.push({
        file,
        path: '$.effectiveTo',
        message: `overlaps ${entry.scheme}@${next.version}, which starts ${next.effectiveFrom}`,
      });
    } else if (declaredTo !== null && declaredTo < dayBeforeNext) {
      problems.push({
        file,
        path: '$.effectiveTo',
        message: `leaves a gap from ${addDays(declaredTo, 1)} to ${dayBeforeNext} before ${entry.scheme}@${next.version}`,
      });
    }
    return { ...version, effectiveTo: dayBeforeNext };
  });
}

function loadCases(dir: string, name: (file: string) => string, problems: RuleProblem[]): (RuleCase & { file: string })[] {
  if (!existsSync(dir)) return [];
  const cases: (RuleCase & { file: string })[] = [];
  for (const entry of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const file = name(join('cases', entry));
    const raw = readJson(join(dir, entry), file, problems);
    if (raw === undefined) continue;
    const parsed = caseFileSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ file, path: jsonPath(issue.path), message: issueMessage(issue) });
      continue;
    }
    cases.push(...parsed.data.map((ruleCase) => ({ ...ruleCase, file })));
  }
  return cases;
}

function readJson(path: string, file: string, problems: RuleProblem[]): unknown {
  if (!existsSync(path)) {
    problems.push({ file, path: '$', message: 'the file is missing' });
    return undefined;
  }
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push({ file, path: '$', message: `not valid JSON: ${(error as Error).message}${lineOf(text, error as Error)}` });
    return undefined;
  }
}

function lineOf(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  return ` (line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')})`;
}

// Every rules/<scheme>/<version>/ folder, published or draft.
export function versionFolders(rulesDir: string): { scheme: string; version: string; dir: string }[] {
  return subfolders(rulesDir).flatMap((scheme) =>
    subfolders(join(rulesDir, scheme)).map((version) => ({ scheme, version, dir: join(rulesDir, scheme, version) })),
  );
}

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith('.') && statSync(join(dir, entry)).isDirectory())
    .sort();
}
