import type { Command } from 'commander';
import { todayIn } from '../clock.ts';
import { printTable, uuidArgument } from '../shared/cli/output.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { emitReport, parseReportOptions, withReportOptions } from '../shared/cli/report.ts';
import { poolOf } from './pool.ts';
import { savingsStatementQuerySchema } from './model.ts';
import { savingsAccountsOf, savingsStatement } from './statement.ts';

// `askesos savings …`: what an LPA officer or the directorate reads of a
// member's savings, and of an LPA's pool.
export function registerSavingsCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const today = () => todayIn(config().TIMEZONE);
  const savings = program.command('savings').description("Members' savings at their LPA, and the LPA's savings-and-loans pool");
  savings
    .command('show')
    .description("A member's savings accounts: balance, locked or not, mandatory dues to date and how far behind")
    .argument('<participant>', 'participant id')
    .option('--json', 'print JSON')
    .action(async (participant: string, options: { json?: boolean }) => {
      const accounts = await withDb((db) => savingsAccountsOf(db, uuidArgument('participant', participant), today()));
      if (options.json === true) process.stdout.write(`${JSON.stringify(accounts, null, 2)}\n`);
      else printTable(accounts, ['kind', 'balance', 'locked', 'duesTotal', 'monthsBehind', 'amountBehind', 'openedOn']);
    });
  const statement = savings
    .command('statement')
    .description("A member's savings statement: balance brought forward, each movement with its balance, balance carried forward")
    .argument('<participant>', 'participant id')
    .requiredOption('--kind <kind>', 'mandatory or voluntary')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD');
  withReportOptions(statement).action(async (participant: string, options: Record<string, string | boolean | undefined>) => {
    const { query, destinations } = parseReportOptions(savingsStatementQuerySchema, options);
    const id = uuidArgument('participant', participant);
    await emitReport(await withDb((db) => savingsStatement(db, id, query)), destinations);
  });
  savings
    .command('pool')
    .description("An LPA's savings-and-loans books: cash, savings, loans out, reserve, capital, loan income and losses")
    .argument('<lpa>', 'LPA id')
    .option('--json', 'print JSON')
    .action(async (lpa: string, options: { json?: boolean }) => {
      const pool = await withDb((db) => poolOf(db, uuidArgument('lpa', lpa)));
      if (options.json === true) process.stdout.write(`${JSON.stringify(pool, null, 2)}\n`);
      else printTable(pool.lines, ['code', 'name', 'balance']);
    });
}
