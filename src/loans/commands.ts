import type { Command } from 'commander';
import { todayIn } from '../clock.ts';
import { printTable, uuidArgument } from '../shared/cli/output.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { emitReport, parseReportOptions, withReportOptions } from '../shared/cli/report.ts';
import { reportOutputSchema } from '../shared/table.ts';
import { loanPortfolio } from './arrears.ts';
import { loanOfLpa, toLoan, transactionsOf } from './store.ts';

// `askesos loans …`: a loan as its LPA and the directorate read it, and the
// portfolio at risk.
export function registerLoanCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const today = () => todayIn(config().TIMEZONE);
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
  withReportOptions(
    loans.command('portfolio').description("Each LPA's loans out, principal outstanding, PAR1 and PAR30, today"),
  ).action(async (options: Record<string, string | boolean | undefined>) => {
    const { destinations } = parseReportOptions(reportOutputSchema, options);
    await emitReport(await withDb((db) => loanPortfolio(db, today(), {})), destinations);
  });
}
