import type { Db } from '../db/knex.ts';
import { type CodeTotals, totalsByCode } from './store.ts';
import { amount, type Amount, toAmountString, toDecimalString } from '../money/index.ts';
import { dateRangeQuerySchema, type ReportTable } from '../shared/table.ts';

export const fundStatementQuerySchema = dateRangeQuerySchema(
  'First day of the income statement.',
  'Last day of the income statement; the balance sheet is as of its end.',
);

// The fund's statements from the ledger, by chart code (sub-accounts rolled
// up): the income statement for a period, and the balance sheet as of its
// last day, where the result not yet closed into the fund balance shows as
// its own line. A balance sheet that does not balance is a ledger fault, so
// it throws rather than print.
export async function fundStatement(db: Db, from: string, to: string): Promise<ReportTable> {
  const codes = [...(await totalsByCode(db, from, to)).values()];
  const sum = (type: CodeTotals['type'], pick: (line: CodeTotals) => Amount) =>
    codes.filter((line) => line.type === type).reduce((total, line) => total.plus(pick(line)), amount('0'));
  // Shown the way each side reads: assets and expenses as debits, the rest as credits.
  const shown = (line: CodeTotals, value: Amount) => (line.type === 'asset' || line.type === 'expense' ? value : value.negated());

  const income = sum('income', (line) => line.period).negated();
  const expenses = sum('expense', (line) => line.period);
  const assets = sum('asset', (line) => line.balance);
  const liabilities = sum('liability', (line) => line.balance).negated();
  const equity = sum('equity', (line) => line.balance).negated();
  const unclosedResult = sum('income', (line) => line.balance)
    .plus(sum('expense', (line) => line.balance))
    .negated();
  if (!assets.equals(liabilities.plus(equity).plus(unclosedResult)))
    throw new Error(
      `ledger invariant: assets ${toDecimalString(assets)} ≠ liabilities ${toDecimalString(liabilities)} + equity ${toDecimalString(equity)} + result ${toDecimalString(unclosedResult)} as of ${to}`,
    );

  const line = (section: string, code: string, name: string, value: Amount) => ({
    section,
    code,
    name,
    amount: toAmountString(value),
  });
  const byType = (section: string, type: CodeTotals['type'], pick: (line: CodeTotals) => Amount) =>
    codes.filter((code) => code.type === type).map((code) => line(section, code.code, code.name, shown(code, pick(code))));
  return {
    title: `Fund statement ${from} to ${to}`,
    about: { 'income statement': `${from} to ${to}`, 'balance sheet': `as of the end of ${to}` },
    columns: [
      { key: 'section', header: 'Statement', kind: 'text' },
      { key: 'code', header: 'Code', kind: 'text' },
      { key: 'name', header: 'Name', kind: 'text' },
      { key: 'amount', header: 'Amount', kind: 'amount' },
    ],
    rows: [
      ...byType('income statement', 'income', (code) => code.period),
      line('income statement', 'income', 'Total income', income),
      ...byType('income statement', 'expense', (code) => code.period),
      line('income statement', 'expenses', 'Total expenses', expenses),
      line('income statement', 'result', 'Result of the period (surplus or deficit)', income.minus(expenses)),
      ...byType('balance sheet', 'asset', (code) => code.balance),
      line('balance sheet', 'assets', 'Total assets', assets),
      ...byType('balance sheet', 'liability', (code) => code.balance),
      line('balance sheet', 'liabilities', 'Total liabilities', liabilities),
      ...byType('balance sheet', 'equity', (code) => code.balance),
      line('balance sheet', 'result', 'Result not yet closed into the fund balance', unclosedResult),
      line('balance sheet', 'equity', 'Total fund balance and result', equity.plus(unclosedResult)),
    ],
  };
}
