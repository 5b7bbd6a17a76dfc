import type { Db } from '../db/knex.ts';
import { amount, type Amount, fromNumeric, toAmountString } from '../money/index.ts';
import { type ReportColumn, type ReportTable, totalOf } from '../shared/table.ts';
import { findAccount, statementPage } from '../ledger/store.ts';
import { savingsCodes } from './accounts.ts';
import { type SavingsAccount, savingsKinds, type SavingsStatementQuery } from './model.ts';
import { findSavingsLedgerAccountId, hasExited, listSavingsAccountStandings } from './store.ts';

const statementPageLines = 1_000;

// A member's savings statement (buku tabungan): the balance brought
// forward, each deposit and withdrawal from the ledger with the balance
// after it, and the balance carried forward.
export async function savingsStatement(db: Db, participantId: string, query: SavingsStatementQuery): Promise<ReportTable> {
  const accountId = await findSavingsLedgerAccountId(db, participantId, savingsCodes[query.kind]);
  const found = accountId === null ? null : await findAccount(db, accountId);
  // The ledger's own statement, page by page: a member's savings are a few
  // lines a month, so the whole period is read.
  const lines: Awaited<ReturnType<typeof statementPage>>['lines'][number][] = [];
  let opening = amount('0');
  let after: { entryDate: string; postingId: string } | undefined;
  for (let first = true; found !== null; first = false) {
    const page = await statementPage(db, found, {
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(after === undefined ? {} : { after }),
      limit: statementPageLines,
    });
    if (first) opening = fromNumeric(page.openingBalance).negated();
    lines.push(...page.lines);
    const last = page.lines.at(-1);
    if (page.next === null || last === undefined) break;
    after = { entryDate: last.entryDate, postingId: last.postingId };
  }
  // A liability in credit: a deposit is a credit, and the balance reads on the credit side.
  const movements = lines.map((line) => ({
    date: line.entryDate,
    entry: line.entryId,
    reference: line.reference.id,
    description: line.description,
    deposit: line.credit,
    withdrawal: line.debit,
    balance: toAmountString(fromNumeric(line.runningBalance).negated()),
  }));
  const rows: Record<string, string | null>[] = [
    balanceRow(query.from ?? lines[0]?.entryDate ?? query.to ?? '', 'Balance brought forward', opening),
    ...movements,
  ];
  const closing = lines.length === 0 ? opening : fromNumeric(lines.at(-1)?.runningBalance ?? '0').negated();
  rows.push(balanceRow(query.to ?? rows.at(-1)?.date ?? '', 'Balance carried forward', closing));
  return {
    title: `${query.kind === 'mandatory' ? 'Mandatory' : 'Voluntary'} savings of participant ${participantId}`,
    about: { participant: participantId, kind: query.kind, from: query.from ?? 'opening', to: query.to ?? 'latest' },
    columns: statementColumns,
    rows,
    totals: [totalOf(statementColumns, movements, { description: 'Deposits and withdrawals of the period', balance: null })],
  };
}

const statementColumns: readonly ReportColumn[] = [
  { key: 'date', header: 'Date', kind: 'text' },
  { key: 'entry', header: 'Ledger entry', kind: 'text' },
  { key: 'reference', header: 'Reference', kind: 'text' },
  { key: 'description', header: 'Description', kind: 'text' },
  { key: 'deposit', header: 'Deposit', kind: 'amount' },
  { key: 'withdrawal', header: 'Withdrawal', kind: 'amount' },
  { key: 'balance', header: 'Balance', kind: 'amount' },
];

function balanceRow(date: string, description: string, balance: Amount): Record<string, string | null> {
  return { date, entry: null, reference: null, description, deposit: null, withdrawal: null, balance: toAmountString(balance) };
}

export async function savingsAccountsOf(db: Db, participantId: string, today: string): Promise<SavingsAccount[]> {
  const rows = await listSavingsAccountStandings(db, participantId);
  const exited = await hasExited(db, participantId, today);
  return rows
    .sort((a, b) => savingsKinds.indexOf(a.kind) - savingsKinds.indexOf(b.kind))
    .map((row) => ({
      kind: row.kind,
      ledgerAccountId: row.ledger_account_id,
      openedOn: row.opened_on,
      balance: toAmountString(fromNumeric(row.saved)),
      locked: row.kind === 'mandatory' && !exited,
      duesTotal: toAmountString(fromNumeric(row.dues_total)),
      monthsBehind: row.months_behind,
      amountBehind: toAmountString(fromNumeric(row.amount_behind)),
    }));
}
