import type { Command } from 'commander';
import { todayIn } from '../clock.ts';
import { failWithInputError, printTable, uuidArgument } from '../cli/output.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { loanOfLpa, toLoan } from '../loans/store.ts';
import { loanPortfolio, loanPortfolioQuerySchema } from '../loans/arrears.ts';
import { transactionsOf } from '../loans/transactions.ts';
import { formatOption, needOutForXlsx, optionIssues, outOption, writeReport } from '../reports/commands.ts';
import { poolOf } from './pool.ts';
import { savingsAccountsOf, savingsStatement, savingsStatementQuerySchema } from './statement.ts';

// `askesos savings …` and `askesos loans …`: what an LPA officer or the
// directorate reads of a member's savings and loans, and an LPA's pool.
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
  savings
    .command('statement')
    .description("A member's savings statement: balance brought forward, each movement with its balance, balance carried forward")
    .argument('<participant>', 'participant id')
    .requiredOption('--kind <kind>', 'mandatory or voluntary')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option(...formatOption)
    .option(...outOption)
    .action(async (participant: string, options: Record<string, string | undefined>) => {
      const { out, ...query } = options;
      const parsed = savingsStatementQuerySchema.safeParse(query);
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
      needOutForXlsx(parsed.data.format, out);
      const id = uuidArgument('participant', participant);
      await writeReport(await withDb((db) => savingsStatement(db, id, parsed.data)), parsed.data.format, out);
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

  const loans = program.command('loans').description('Loans from the LPAs’ pools');
  loans
    .command('show')
    .description('A loan: terms, decision and rule version, schedule with what is paid, and its transactions')
    .argument('<loan>', 'loan id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const loanId = uuidArgument('loan', id);
      const found = await withDb(async (db) => {
        const row = await loanOfLpa(db, null, loanId);
        return row === null ? null : { ...(await toLoan(db, row, today())), transactions: await transactionsOf(db, loanId) };
      });
      if (found === null) {
        process.stderr.write(`No loan ${loanId}.\n`);
        process.exit(1);
      }
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
        return;
      }
      const reasons = found.reasons.map((reason) => reason.reason).join(', ');
      process.stdout.write(
        `Loan ${found.id} (${found.product}, ${found.method}, ${found.monthlyRate} a month): ${found.status}${reasons === '' ? '' : ` (${reasons})`}\n` +
          `  ${found.amount} over ${found.termMonths} months, applied ${found.appliedOn} under ${found.rule.scheme}@${found.rule.version}; principal outstanding ${found.principalOutstanding}\n`,
      );
      printTable(found.instalments, [
        'number',
        'dueOn',
        'principal',
        'interest',
        'penalty',
        'principalPaid',
        'interestPaid',
        'penaltyPaid',
        'interestWaived',
      ]);
    });
  loans
    .command('portfolio')
    .description("Each LPA's loans out, principal outstanding, PAR1 and PAR30, today")
    .option(...formatOption)
    .option(...outOption)
    .action(async (options: Record<string, string | undefined>) => {
      const { out, ...query } = options;
      const parsed = loanPortfolioQuerySchema.safeParse(query);
      if (!parsed.success) failWithInputError(optionIssues(parsed.error.issues));
      needOutForXlsx(parsed.data.format, out);
      await writeReport(await withDb((db) => loanPortfolio(db, today(), {})), parsed.data.format, out);
    });
}
