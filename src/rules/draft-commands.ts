import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { operatorActor } from '../access/principal.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import { isoDateSchema } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { createDraft, recordCases } from './drafts.ts';
import { loadRuleBook } from './load.ts';
import { checkPublication, type DecisionsChanged, checkWithdrawal, publicationRecordOf, withdrawalRecordOf } from './publish.ts';
import { publishVersion, withdrawVersion } from './store.ts';

// `askesos rules new | cases record | publish`: the directorate's journey from
// a draft to an act. Only publishing touches the database.

const referenceSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}[/@][0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, 'must be scheme/version');

export function registerDraftCommands(
  rules: Command,
  config: () => Pick<Config, 'RULES_DIR' | 'TIMEZONE'>,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
  decisionsChanged: DecisionsChanged,
): void {
  rules
    .command('new')
    .description('Start a draft from a version: its policy files, and cases to record, taking effect on a date')
    .argument('<scheme>', 'scheme, e.g. standalone')
    .requiredOption('--from <version>', 'the version to start from, e.g. 2027.3')
    .requiredOption('--effective <date>', 'the day the draft would take effect, YYYY-MM-DD')
    .option('--name <version>', 'the draft’s version name (default: the year and the next number, e.g. 2028.1)')
    .action((scheme: string, options: { from: string; effective: string; name?: string }) => {
      if (!isoDateSchema.safeParse(options.effective).success) return usage(`--effective: must be a date as YYYY-MM-DD`);
      const { RULES_DIR } = config();
      const draft = createDraft(RULES_DIR, loadRuleBook(RULES_DIR), {
        scheme,
        from: options.from,
        effectiveFrom: options.effective,
        ...(options.name === undefined ? {} : { version: options.name }),
      });
      process.stdout.write(
        `Draft ${scheme}/${draft.version} in ${draft.dir}, from ${options.from}, taking effect ${options.effective}, with ${draft.cases} cases to record.\n` +
          `Next: change its manifest's parameters, run "askesos rules cases record ${scheme}/${draft.version}", read the cases, ` +
          `"askesos rules diff ${scheme}@${options.from} ${scheme}@${draft.version}", then "askesos rules publish ${scheme}/${draft.version} --dry-run".\n`,
      );
    });

  rules
    .command('cases')
    .description('A draft’s cases')
    .command('record')
    .description('Decide each of a draft’s cases with the draft and write the outcome as what the case expects, for review')
    .argument('<version>', 'scheme/version, e.g. standalone/2028.1')
    .action((reference: string) => {
      const [scheme, version] = parseReference(reference);
      const { RULES_DIR } = config();
      const book = loadRuleBook(RULES_DIR, { scheme, version });
      for (const file of recordCases(RULES_DIR, book, scheme, version))
        process.stdout.write(`${file.file}: ${file.cases} cases, ${file.changed} outcomes written\n`);
      process.stdout.write('Read the outcomes (git diff shows them) before publishing: they are what the draft decides.\n');
    });

  rules
    .command('publish')
    .description(
      'Publish a draft: validate it, run every case, show the diff and the end it sets to the version before, record the act in the audit log',
    )
    .argument('<version>', 'scheme/version, e.g. standalone/2028.1')
    .option('--dry-run', 'show everything and write nothing')
    .option('--retroactive', 'allow a date before today: lists every decision already made that it would have made otherwise')
    .option('--reason <text>', 'why it takes effect before today (with --retroactive)')
    .option('--keep-decisions', 'keep the decisions it lists as they were made (with --retroactive)')
    .action(
      async (
        reference: string,
        options: { dryRun?: boolean; retroactive?: boolean; reason?: string; keepDecisions?: boolean },
      ) => {
        const [scheme, version] = parseReference(reference);
        if (options.retroactive === true && (options.reason ?? '').trim().length < 3)
          return usage('--retroactive needs --reason "…": why the version takes effect before the day it is published');
        const settings = config();
        if (!existsSync(join(settings.RULES_DIR, scheme, version)))
          return usage(`${scheme}/${version}: no such folder in ${settings.RULES_DIR}`);
        const today = todayIn(settings.TIMEZONE);
        const withDraft = loadRuleBook(settings.RULES_DIR, { scheme, version });
        const published = loadRuleBook(settings.RULES_DIR);
        const effectiveFrom = withDraft.schemes.get(scheme)?.find((entry) => entry.version === version)?.effectiveFrom ?? today;
        const retroactive =
          options.retroactive === true && effectiveFrom < today
            ? {
                reason: (options.reason ?? '').trim(),
                keepDecisions: options.keepDecisions === true,
                changed: await decisionsChanged(
                  { inForce: published, proposed: withDraft },
                  { scheme, from: effectiveFrom, through: today },
                ),
              }
            : undefined;
        const check = checkPublication(withDraft, published, {
          scheme,
          version,
          today,
          ...(retroactive === undefined ? {} : { retroactive }),
        });
        const out = (line: string) => process.stdout.write(`${line}\n`);
        out(`${scheme}@${version} (hash ${check.draft.hash.slice(0, 12)}…), in force from ${check.draft.effectiveFrom}`);
        out(`Cases: ${check.cases.passed} passed, ${check.cases.failed.length} failed`);
        for (const failure of check.cases.failed)
          out(`  FAIL ${failure.scheme}@${failure.folder} ${failure.name} (${failure.file}; \`askesos rules test\` shows why)`);
        out('Diff against the version in force before it:');
        for (const line of check.diff) out(`  ${line}`);
        if (retroactive !== undefined) {
          out(`Decisions made since ${effectiveFrom} that it would have made otherwise: ${retroactive.changed.length}`);
          for (const decision of retroactive.changed)
            out(
              `  ${decision.kind} ${decision.id} (${decision.who}) on ${decision.date}: ${decision.before} → ${decision.after}`,
            );
        }
        for (const end of check.ended)
          out(
            `Ends ${scheme}@${end.version} on ${end.effectiveTo} (it was ${end.wasEffectiveTo === null ? 'open-ended' : `to end ${end.wasEffectiveTo}`})`,
          );
        if (check.refusals.length > 0) {
          for (const refusal of check.refusals) process.stderr.write(`Refused: ${refusal}\n`);
          process.exitCode = 1;
          return;
        }
        const actor = operatorActor();
        const record = publicationRecordOf(check, actor.actor, new Date().toISOString(), retroactive);
        if (options.dryRun === true) {
          out(`Dry run: ${scheme}@${version} may be published; nothing was written.`);
          return;
        }
        await withDb((db) =>
          publishVersion(db, check.draft, record, join(settings.RULES_DIR, scheme, version), actor, retroactive?.changed),
        );
        out(`Published ${scheme}@${version} by ${record.publishedBy} at ${record.publishedAt}; the act is in the audit log.`);
        out('Commit its publication.json with the rules. A running service on this folder takes it up within 30 seconds.');
      },
    );
}

export function registerWithdrawCommand(
  rules: Command,
  config: () => Pick<Config, 'RULES_DIR' | 'TIMEZONE'>,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  rules
    .command('withdraw')
    .description('Withdraw a published version before it comes into force, with the reason; the act is recorded in the audit log')
    .argument('<version>', 'scheme/version, e.g. standalone/2028.1')
    .requiredOption('--reason <text>', 'why it is withdrawn')
    .option('--dry-run', 'show what it would do and write nothing')
    .action(async (reference: string, options: { reason: string; dryRun?: boolean }) => {
      const [scheme, version] = parseReference(reference);
      if (options.reason.trim().length < 3) return usage('--reason: say why the version is withdrawn');
      const settings = config();
      const check = checkWithdrawal(loadRuleBook(settings.RULES_DIR), { scheme, version, today: todayIn(settings.TIMEZONE) });
      const out = (line: string) => process.stdout.write(`${line}\n`);
      for (const restored of check.restored)
        out(
          `${scheme}@${restored.version} runs on ${restored.effectiveTo === null ? 'open-ended' : `to ${restored.effectiveTo}`} (it was to end ${restored.wasEffectiveTo})`,
        );
      const withdrawn = check.version;
      const publication = withdrawn?.publication ?? null;
      if (check.refusals.length > 0 || withdrawn === null || publication === null) {
        for (const refusal of check.refusals) process.stderr.write(`Refused: ${refusal}\n`);
        process.exitCode = 1;
        return;
      }
      if (options.dryRun === true) {
        out(`Dry run: ${scheme}@${version} may be withdrawn; nothing was written.`);
        return;
      }
      const actor = operatorActor();
      const record = withdrawalRecordOf(publication, check, {
        by: actor.actor,
        at: new Date().toISOString(),
        reason: options.reason.trim(),
      });
      await withDb((db) => withdrawVersion(db, withdrawn, record, join(settings.RULES_DIR, scheme, version), actor));
      out(`Withdrew ${scheme}@${version}; the act is in the audit log. Commit its publication.json with the rules.`);
    });
}

function parseReference(reference: string): [string, string] {
  if (!referenceSchema.safeParse(reference).success) return usage(`<version>: must be scheme/version, e.g. standalone/2028.1`);
  const [scheme = '', version = ''] = reference.split(/[/@]/);
  return [scheme, version];
}

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
