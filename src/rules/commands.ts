import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { printTable } from '../shared/cli/output.ts';
import { type PolicyArea, policyAreas } from './catalogue.ts';
import type { TraceNode } from './compile.ts';
import { runCases } from './cases.ts';
import { diffVersions } from './diff.ts';
import { sourcesOf } from './sources.ts';
import { decide, FactsError } from './evaluate.ts';
import { loadRuleBook, type RuleBook, type RuleVersion } from './load.ts';
import { isoDateSchema } from '../dates.ts';
import { policyValuesCommand, policyValuesFile, renderPolicyValues } from './policy-values.ts';

// `askesos rules …`: what the directorate runs before and after editing a
// rule file. Files only: none of these touches the database. Validate, list,
// test and diff see the drafts too; sources and docs only what is
// published, and explain what is published unless it is given a draft.
export function registerRuleCommands(program: Command, rulesDir: () => string): void {
  const rules = program.command('rules').description('Policy rule sets: validate, list, test, diff, sources, docs, explain');
  const book = () => loadRuleBook(rulesDir());
  // The working copy: the published versions and every draft beside them.
  const withDrafts = () => loadRuleBook(rulesDir(), 'all');

  rules
    .command('validate')
    .description('Check every version of every scheme; print each problem with its file and JSON path')
    .action(() => {
      const loaded = withDrafts();
      const drafts = [...loaded.schemes.values()].flat().filter((version) => version.publication === null).length;
      process.stdout.write(
        `OK: ${loaded.schemes.size} schemes, ${versionCount(loaded)} versions (${drafts} drafts) in ${rulesDir()}\n`,
      );
    });

  rules
    .command('list')
    .description('Schemes and versions, with the periods they are in force and their hashes')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rows = [...withDrafts().schemes.values()].flat().map((version) => ({
        scheme: version.scheme,
        version: version.version,
        status: version.publication === null ? 'draft' : 'published',
        from: version.effectiveFrom,
        to: version.effectiveTo ?? 'open',
        hash: options.json === true ? version.hash : version.hash.slice(0, 12),
        title: version.manifest.title,
      }));
      if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else printTable(rows, ['scheme', 'version', 'status', 'from', 'to', 'hash', 'title']);
    });

  rules
    .command('test')
    .description("Run every version's cases/ and print pass or fail for each")
    .action(() => {
      const results = runCases(withDrafts());
      for (const result of results) {
        const where = `${result.scheme}@${result.folder}`;
        process.stdout.write(`${result.passed ? 'PASS' : 'FAIL'}  ${where}  ${result.name}\n`);
        if (result.problem !== null) process.stdout.write(`        ${result.file}: ${result.problem}\n`);
      }
      const failed = results.filter((result) => !result.passed).length;
      process.stdout.write(`\n${results.length - failed} passed, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });

  rules
    .command('diff')
    .description('What changed between two versions, in words and amounts')
    .argument('<from>', 'scheme@version, e.g. askesos-ni-2012@2012.1')
    .argument('<to>', 'scheme@version, e.g. askesos-ni-2012@2013.1')
    .action((from: string, to: string) => {
      const loaded = withDrafts();
      process.stdout.write(`${diffVersions(findVersion(loaded, from), findVersion(loaded, to)).join('\n')}\n`);
    });

  rules
    .command('sources')
    .description(
      'Every value of a scheme (or one version) with its source; the illustrative ones, which the study gives no figure for, first',
    )
    .argument('<scheme>', 'scheme, or scheme/version, e.g. standalone or standalone/2027.3')
    .option('--json', 'print JSON')
    .action((reference: string, options: { json?: boolean }) => {
      const [scheme = '', version] = reference.split(/[/@]/);
      const versions = book().schemes.get(scheme);
      if (versions === undefined)
        return usage(`no scheme ${JSON.stringify(scheme)}; known: ${[...book().schemes.keys()].join(', ')}`);
      const chosen = version === undefined ? versions : versions.filter((entry) => entry.version === version);
      if (chosen.length === 0)
        return usage(
          `no version ${JSON.stringify(version)} of ${scheme}; known: ${versions.map((entry) => entry.version).join(', ')}`,
        );
      const values = sourcesOf(chosen);
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(values, null, 2)}\n`);
        return;
      }
      const illustrative = values.filter((value) => value.source.illustrative === true);
      const sections = [
        [`Illustrative: the document gives no figure; decide these before going live (${illustrative.length})`, illustrative],
        [`From a document (${values.length - illustrative.length})`, values.slice(illustrative.length)],
      ] as const;
      for (const [heading, list] of sections) {
        process.stdout.write(`${heading}\n\n`);
        for (const value of list) {
          process.stdout.write(`  ${value.scheme} ${versionRange(value.versions, chosen)}  ${value.file} ${value.path}\n`);
          process.stdout.write(`    ${value.value}\n`);
          process.stdout.write(`    source: ${value.source.document}; ${value.source.place}\n`);
          if (value.source.reason !== undefined) process.stdout.write(`    why illustrative: ${value.source.reason}\n`);
        }
        process.stdout.write('\n');
      }
    });

  rules
    .command('docs')
    .description('Write every value of every version with its source as markdown (docs/policy-values.md), from the rule files')
    .option('--out <file>', 'the file to write, or to check', policyValuesFile)
    .option('--check', 'write nothing; exit 1 if the file differs from what the rule files give')
    .action((options: { out: string; check?: boolean }) => {
      const loaded = book();
      const markdown = renderPolicyValues(loaded);
      if (options.check === true) {
        if (existsSync(options.out) && readFileSync(options.out, 'utf8') === markdown) {
          process.stdout.write(`${options.out} is up to date with ${rulesDir()}\n`);
          return;
        }
        const command = options.out === policyValuesFile ? policyValuesCommand : `${policyValuesCommand} --out ${options.out}`;
        const state = existsSync(options.out) ? 'differs from' : 'is missing; it is generated from';
        process.stderr.write(`${options.out} ${state} the rule files in ${rulesDir()}: run "${command}" and commit the result\n`);
        process.exitCode = 1;
        return;
      }
      try {
        writeFileSync(options.out, markdown);
      } catch (error) {
        process.stderr.write(`--out: cannot write ${options.out}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`Wrote ${options.out}: ${loaded.schemes.size} schemes, ${versionCount(loaded)} versions\n`);
    });

  rules
    .command('explain')
    .description('Evaluate one area on facts from a JSON file as of a date, and show why each rule fired or not')
    .argument('<scheme>', 'scheme name, e.g. standalone')
    .requiredOption('--date <date>', 'date of the event decided, YYYY-MM-DD')
    .requiredOption('--area <area>', policyAreas.join(' | '))
    .requiredOption('--facts <file>', 'JSON file with the facts')
    .option('--draft <version>', 'decide with this draft of the scheme in the book, as if published')
    .option('--json', 'print the decision as JSON')
    .action((scheme: string, options: { date: string; area: string; facts: string; draft?: string; json?: boolean }) => {
      if (!isoDateSchema.safeParse(options.date).success)
        return usage(`--date: must be a date as YYYY-MM-DD, got ${JSON.stringify(options.date)}`);
      if (!(policyAreas as readonly string[]).includes(options.area))
        return usage(`--area: must be one of ${policyAreas.join(', ')}`);
      let facts: Record<string, unknown>;
      try {
        facts = JSON.parse(readFileSync(options.facts, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        return usage(`--facts: cannot read ${options.facts} as JSON: ${(error as Error).message}`);
      }
      try {
        const deciding = options.draft === undefined ? book() : loadRuleBook(rulesDir(), { scheme, version: options.draft });
        const decision = decide(deciding, { scheme, area: options.area as PolicyArea, date: options.date, facts });
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${decision.scheme}@${decision.version} (hash ${decision.hash.slice(0, 12)}…), ${decision.area} on ${decision.date}\n\n`,
        );
        process.stdout.write(decision.events.length === 0 ? 'No events.\n' : 'Events:\n');
        for (const event of decision.events) process.stdout.write(`  ${event.type} ${JSON.stringify(event.params)}\n`);
        process.stdout.write('\nRules:\n');
        for (const rule of decision.trace) {
          process.stdout.write(`  ${rule.fired ? '✔ fired' : '✘ not fired'}  "${rule.rule}" (priority ${rule.priority})\n`);
          process.stdout.write(traceLines(rule.conditions, 6).join('\n') + '\n');
        }
      } catch (error) {
        if (error instanceof FactsError) return usage(error.issues.map((issue) => `${issue.field}: ${issue.message}`).join('\n'));
        throw error;
      }
    });
}

function traceLines(node: TraceNode, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const mark = node.result ? '✔' : '✘';
  if ('all' in node) return [`${pad}${mark} all of:`, ...node.all.flatMap((child) => traceLines(child, indent + 2))];
  if ('any' in node) return [`${pad}${mark} any of:`, ...node.any.flatMap((child) => traceLines(child, indent + 2))];
  if ('not' in node) return [`${pad}${mark} not:`, ...traceLines(node.not, indent + 2)];
  return [`${pad}${mark} ${node.fact} ${node.operator} ${JSON.stringify(node.value)}  (was ${JSON.stringify(node.factValue)})`];
}

// "2026.1–2027.3" when three or more versions run on without a gap, else a list.
function versionRange(versions: readonly string[], all: readonly RuleVersion[]): string {
  const start = all.findIndex((entry) => entry.version === versions[0]);
  const runOn = versions.every((version, index) => all[start + index]?.version === version);
  return runOn && versions.length > 2 ? `${versions[0]}–${versions[versions.length - 1]}` : versions.join(', ');
}

function versionCount(book: RuleBook): number {
  return [...book.schemes.values()].reduce((count, list) => count + list.length, 0);
}

function findVersion(book: RuleBook, reference: string): RuleVersion {
  const [scheme = '', version = ''] = reference.split('@');
  const found = (book.schemes.get(scheme) ?? []).find((entry) => entry.version === version);
  if (found === undefined) {
    const known = [...book.schemes.values()].flat().map((entry) => `${entry.scheme}@${entry.version}`);
    return usage(`no rule version ${JSON.stringify(reference)}; known: ${known.join(', ')}`);
  }
  return found;
}

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
