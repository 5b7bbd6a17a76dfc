import { Command } from 'commander';
import { registerKeyCommands } from '../auth/commands.ts';
import { registerUserCommands } from '../auth/user-commands.ts';
import { accountSettings, ConfigError, type Config, loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../database.ts';
import type { Db } from '../db/knex.ts';
import { DataDirBusyError } from '../db/lock.ts';
import { migrationStatus } from '../db/migrate.ts';
import { registerClaimCommands } from '../claims/commands.ts';
import { registerJobCommands } from './job-commands.ts';
import { registerLedgerCommands } from '../ledger/commands.ts';
import { registerReportCommands } from '../reports/commands.ts';
import { registerReserveCommands } from '../reserves/commands.ts';
import { registerImportCommands, registerRegionCommands } from '../registry/commands.ts';
import { registerRuleCommands } from '../rules/commands.ts';
import { decisionsChangedSince } from '../impact/retroactive.ts';
import { registerDraftCommands, registerWithdrawCommand } from '../rules/draft-commands.ts';
import { DraftError } from '../rules/drafts.ts';
import { registerImpactCommand } from '../impact/commands.ts';
import { registerSavingsCommands } from '../savings/commands.ts';
import { registerLoanCommands } from '../loans/commands.ts';
import { registerNoticeCommands } from '../notices/commands.ts';
import { RuleSetError } from '../rules/problems.ts';
import { ConflictError, InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import { failWithInputError } from '../shared/cli/output.ts';
import { ImportFileError } from '../registry/import.ts';
import { main as serve } from './main.ts';
import { serviceVersion } from '../version.ts';

function config(): Config {
  return loadConfig(process.env);
}

// Opens the configured database (migrating it), runs one piece of work, and
// closes it again, so a CLI command never leaves the embedded database locked.
async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config());
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

// Piping into head closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('askesos')
  .description('askesos-core: policy administration for a standalone Askesos fund')
  .version(serviceVersion)
  .showHelpAfterError();

program.command('serve').description('Run the HTTP service and the scheduler (what "npm start" does)').action(serve);

program
  .command('migrate')
  .description('Apply pending database migrations and list them')
  .action(async () => {
    const database = await openConfiguredDatabase(config());
    try {
      const status = await migrationStatus(database.db);
      process.stdout.write(
        database.applied.length === 0
          ? `Database is up to date (${status.completed.length} migrations, ${database.backend}).\n`
          : `Applied ${database.applied.length} migrations on ${database.backend}:\n${database.applied.map((name) => `  ${name}\n`).join('')}`,
      );
    } finally {
      await database.close();
    }
  });

registerKeyCommands(program, withDb);
registerUserCommands(program, withDb, () => accountSettings(config()));
registerRuleCommands(program, () => config().RULES_DIR);
// `rules impact` and `rules publish` read and write the database, which the rules' file commands never do: they join the group from here.
const ruleCommands = program.commands.find((command) => command.name() === 'rules');
if (ruleCommands === undefined) throw new Error('the rules command group was not registered');
registerImpactCommand(ruleCommands, config, withDb);
registerDraftCommands(ruleCommands, config, withDb, (books, request) =>
  withDb((db) => decisionsChangedSince(db, books, request)),
);
registerWithdrawCommand(ruleCommands, config, withDb);
registerImportCommands(program, config, withDb);
registerRegionCommands(program, config, withDb);
registerJobCommands(program, config, withDb);
registerLedgerCommands(program, config, withDb);
registerClaimCommands(program, config, withDb);
registerReportCommands(program, withDb);
registerReserveCommands(program, config, withDb);
registerSavingsCommands(program, config, withDb);
registerLoanCommands(program, config, withDb);
registerNoticeCommands(program, config, withDb);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirBusyError ||
    error instanceof NotFoundError ||
    error instanceof RuleSetError ||
    error instanceof DraftError ||
    error instanceof ImportFileError ||
    error instanceof ConflictError ||
    error instanceof UnprocessableError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof InputError) failWithInputError(error);
  throw error;
}
