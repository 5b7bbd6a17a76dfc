import { createWriteStream, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { operatorActor } from '../access/principal.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { loadRuleBook } from '../rules/load.ts';
import { isoDateSchema } from '../dates.ts';
import { recordPublishedVersions } from '../rules/store.ts';
import { regencyCodeSchema, uuidSchema } from '../ids.ts';
import { importParticipants } from './import.ts';
import { importErrorLines } from './import-store.ts';
import { declareTargetPopulation, importRegions, parseRegionsCsv } from './regions.ts';
import { targetPopulationInputSchema } from './model.ts';
import { failWithInputError } from '../shared/cli/output.ts';
import { optionIssues } from '../shared/cli/report.ts';
import { InputError } from '../errors.ts';

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

// `askesos import participants FILE --lpa ID`: the bulk enrolment an LPA runs
// from a welfare-data extract, with progress on stderr and a summary on stdout.
export function registerRegionCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const regions = program.command('regions').description('Regions: provinces and regencies by official code');
  regions
    .command('import')
    .description('Add or rename provinces and regencies from a CSV with the header code,name')
    .argument('<file>', 'CSV file')
    .action(async (file: string) => {
      const rows = parseRegionsCsv(readFileSync(file, 'utf8'));
      const counts = await withDb((db) => importRegions(db, rows, operatorActor(), (index) => `line ${index + 2}`));
      process.stdout.write(`Imported ${counts.provinces} provinces and ${counts.regencies} regencies.\n`);
    });
  regions
    .command('target-population')
    .description(
      'Declare the people a regency aims to cover (e.g. its informal workers) as of a day: the coverage ratio divides by it',
    )
    .argument('<regency>', 'the 4-digit regency code')
    .requiredOption('--population <n>', 'the target population, a whole number')
    .requiredOption('--source <text>', 'where the figure comes from')
    .requiredOption('--as-of <date>', 'the day it holds for, YYYY-MM-DD')
    .action(async (regency: string, options: { population: string; source: string; asOf: string }) => {
      const code = regencyCodeSchema.safeParse(regency);
      if (!code.success) failWithInputError(new InputError([{ field: 'regency', message: code.error.issues[0]?.message ?? '' }]));
      const input = targetPopulationInputSchema.safeParse({
        targetPopulation: /^\d+$/.test(options.population) ? Number(options.population) : options.population,
        source: options.source,
        asOf: options.asOf,
      });
      if (!input.success) failWithInputError(optionIssues(input.error.issues, { targetPopulation: '--population' }));
      const today = todayIn(config().TIMEZONE);
      const saved = await withDb((db) =>
        declareTargetPopulation(db, code.data, input.data, operatorActor(), { today, asOfField: '--as-of' }),
      );
      process.stdout.write(
        `Regency ${saved.regencyCode}: target population ${saved.targetPopulation} as of ${saved.asOf} (${saved.source}).\n`,
      );
    });
}

export function registerImportCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const imports = program.command('import').description('Bulk imports');
  imports
    .command('participants')
    .description(
      'Enrol participants from a CSV extract (UTF-8, header line); bad rows go to an error file with line, column and reason',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--lpa <id>', 'the approved LPA enrolling them')
    .option('--date <date>', 'enrolment date, YYYY-MM-DD (default: today)')
    .option('--errors <file>', 'where to write the bad rows (default: <file>.errors.csv)')
    .action(async (file: string, options: { lpa: string; date?: string; errors?: string }) => {
      const settings = config();
      const today = todayIn(settings.TIMEZONE);
      const enrolledOn = options.date ?? today;
      if (!uuidSchema.safeParse(options.lpa).success) usage('--lpa: must be an LPA id (a UUID)');
      if (!isoDateSchema.safeParse(enrolledOn).success)
        usage(`--date: must be a date as YYYY-MM-DD, got ${JSON.stringify(enrolledOn)}`);
      const book = loadRuleBook(settings.RULES_DIR);
      const errorsFile = options.errors ?? `${file}.errors.csv`;
      await withDb(async (db) => {
        await recordPublishedVersions(db, book, settings.RULES_DIR);
        const progress = (read: number, total: number) => {
          if (process.stderr.isTTY)
            process.stderr.write(
              `\r  ${read.toLocaleString('en')} of ${total.toLocaleString('en')} rows (${Math.floor((read / Math.max(total, 1)) * 100)} %)`,
            );
        };
        const summary = await importParticipants(
          db,
          book,
          {
            lpaId: options.lpa,
            filePath: file,
            fileName: file,
            enrolledOn,
            today,
            scheme: settings.DEFAULT_SCHEME,
            onProgress: progress,
          },
          operatorActor(),
        );
        if (process.stderr.isTTY) process.stderr.write('\n');
        let errorCount = 0;
        if (summary.rowsInvalid > 0) {
          const out = createWriteStream(errorsFile);
          for await (const line of importErrorLines(db, summary.importId)) {
            out.write(line);
            errorCount += 1;
          }
          await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
        }
        process.stdout.write(
          [
            summary.reused
              ? `This file was already imported for this LPA on ${enrolledOn} (import ${summary.importId}); nothing changed.`
              : `Import ${summary.importId}: ${summary.status}.`,
            `  enrolled:             ${summary.rowsEnrolled}`,
            `  rejected by the rules: ${summary.rowsRejected}`,
            `  invalid rows:         ${summary.rowsInvalid}${summary.rowsInvalid > 0 && !summary.reused ? ` (${errorCount - 1} problems in ${errorsFile})` : ''}`,
            `  skipped (already enrolled or unchanged): ${summary.rowsSkipped}`,
            '',
          ].join('\n'),
        );
      });
    });
}
