import type { Command } from 'commander';
import { operatorActor } from '../access/principal.ts';
import { printTable } from '../shared/cli/output.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { formatRupiah, fromNumeric } from '../money/index.ts';
import { isoDateSchema } from '../dates.ts';
import { closePeriod } from './close.ts';
import { chart } from './chart.ts';
import { chartCodeSchema, monthSchema, type Account } from './model.ts';
import {
  findAccount,
  findAccountByOwner,
  fundOwner,
  ledgerDiscrepancies,
  listAccounts,
  statementPage,
  trialBalance,
} from './store.ts';

const statementLinesMax = 100_000;
const accountsListedMax = 1000;

function option<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: string,
  name: string,
  hint: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError([{ field: name, message: hint }]);
  return parsed.data;
}

const rupiah = (text: string) => formatRupiah(fromNumeric(text));

// An account by id, or the fund's own account by its chart code.
async function accountFor(db: Db, reference: string): Promise<Account> {
  const found = chartCodeSchema.safeParse(reference).success
    ? await findAccountByOwner(db, reference, fundOwner)
    : /^[0-9a-f-]{36}$/i.test(reference)
      ? await findAccount(db, reference)
      : null;
  if (found === null) throw new NotFoundError('ledger account', reference);
  return found;
}

// `askesos ledger …`: what finance reads at month end, from the shell.
export function registerLedgerCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const ledger = program
    .command('ledger')
    .description('The double-entry ledger: trial balance, statements, accounts, month close');
  ledger
    .command('trial-balance')
    .description('Debits and credits by chart code, now or at the end of a day; they must be equal')
    .option('--as-of <date>', 'YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const asOf =
        options.asOf === undefined ? null : option(isoDateSchema, options.asOf, '--as-of', 'must be a date as YYYY-MM-DD');
      const trial = await withDb((db) => trialBalance(db, asOf));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(trial, null, 2)}\n`);
        return;
      }
      process.stdout.write(`Trial balance ${asOf === null ? 'now' : `at the end of ${asOf}`}\n`);
      printTable(
        [
          ...trial.lines.map((line) => ({
            ...line,
            debits: rupiah(line.debits),
            credits: rupiah(line.credits),
            balance: rupiah(line.balance),
          })),
          {
            code: 'total',
            debits: rupiah(trial.totals.debits),
            credits: rupiah(trial.totals.credits),
            balance: rupiah(trial.totals.balance),
          },
        ],
        ['code', 'name', 'type', 'accounts', 'debits', 'credits', 'balance'],
      );
    });
  ledger
    .command('statement')
    .description('An account statement with running balance (debits minus credits)')
    .argument('<account>', `an account id, or a chart code for the fund’s own account (${chart.cashAtBank.code})`)
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action(async (reference: string, options: { from?: string; to?: string; json?: boolean }) => {
      const from =
        options.from === undefined ? undefined : option(isoDateSchema, options.from, '--from', 'must be a date as YYYY-MM-DD');
      const to = options.to === undefined ? undefined : option(isoDateSchema, options.to, '--to', 'must be a date as YYYY-MM-DD');
      const { account, page } = await withDb(async (db) => {
        const found = await accountFor(db, reference);
        return { account: found, page: await statementPage(db, found, { from, to, limit: statementLinesMax }) };
      });
      if (page.next !== null)
        process.stderr.write(`only the first ${statementLinesMax} lines; narrow --from/--to for the rest\n`);
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ account, from: from ?? null, to: to ?? null, ...page }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${account.code} ${account.name} (${account.id})\nOpening balance ${rupiah(page.openingBalance)}\n`);
      printTable(
        page.lines.map((line) => ({
          date: line.entryDate,
          description: line.description,
          reference: `${line.reference.type}:${line.reference.id}`,
          debit: line.debit === null ? '' : rupiah(line.debit),
          credit: line.credit === null ? '' : rupiah(line.credit),
          balance: rupiah(line.runningBalance),
        })),
        ['date', 'description', 'reference', 'debit', 'credit', 'balance'],
      );
    });
  ledger
    .command('accounts')
    .description('Accounts with their balances, optionally of one chart code or one LPA')
    .option('--code <code>', `chart code, such as ${chart.mandatorySavings.code}`)
    .option('--lpa <id>', 'LPA id')
    .action(async (options: { code?: string; lpa?: string }) => {
      const code =
        options.code === undefined ? undefined : option(chartCodeSchema, options.code, '--code', 'must be a 4-digit chart code');
      const accounts = await withDb((db) =>
        listAccounts(db, { code, ...(options.lpa === undefined ? {} : { lpaId: options.lpa }), limit: accountsListedMax }),
      );
      printTable(
        accounts.map((account) => ({ ...account, balance: rupiah(account.balance) })),
        ['id', 'code', 'name', 'ownerKind', 'balance', 'postingsCount'],
      );
    });
  ledger
    .command('check')
    .description('Check the books: every account’s totals equal its postings, and all postings sum to zero')
    .action(async () => {
      const problems = await withDb((db) => ledgerDiscrepancies(db));
      if (problems.length === 0) {
        process.stdout.write('The ledger balances: every account matches its postings, and the postings sum to zero.\n');
        return;
      }
      for (const problem of problems) process.stderr.write(`${problem}\n`);
      process.exit(1);
    });
  ledger
    .command('close')
    .description('Close a month that has ended (and every month before it); entries dated in it are refused after')
    .argument('<month>', 'YYYY-MM')
    .action(async (month: string) => {
      const checked = option(monthSchema, month, 'month', 'must be a month as YYYY-MM');
      const periods = await withDb((db) => closePeriod(db, checked, todayIn(config().TIMEZONE), operatorActor()));
      process.stdout.write(`The ledger is closed through ${periods.closedThrough ?? ''}.\n`);
    });
}
