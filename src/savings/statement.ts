import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { amount, type Amount, toAmountString } from '../money/index.ts';
import { reportFormatSchema, type ReportTable } from '../reports/table.ts';
import { isoDateSchema } from '../rules/model.ts';
import { hasExited, type SavingsKind, savingsKindSchema, savingsKinds } from './accounts.ts';

export const savingsStatementQuerySchema = z
  .strictObject({
    kind: savingsKindSchema,
    from: isoDateSchema.optional().meta({ description: 'First day; from the account’s opening when left out.' }),
    to: isoDateSchema.optional().meta({ description: 'Last day; to the latest movement when left out.' }),
    format: reportFormatSchema,
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before from',
  });
export type SavingsStatementQuery = z.output<typeof savingsStatementQuerySchema>;

// A member's savings statement (buku tabungan): the balance brought
// forward, each deposit and withdrawal from the ledger with the balance
// after it, and the balance carried forward.
export async function savingsStatement(db: Db, participantId: string, query: SavingsStatementQuery): Promise<ReportTable> {
  const kindCode = query.kind === 'mandatory' ? '2500' : '2510';
  const from = query.from ?? '0001-01-01';
  const to = query.to ?? '9999-12-31';
  const lines = await db.raw<{
    rows: { entry_date: string; sequence: string; reference_id: string; description: string; amount: string }[];
  }>(
    `select e.entry_date, e.sequence, e.reference_id, e.description, -p.amount as amount
     from ledger_accounts a
     join journal_postings p on p.account_id = a.id
     join journal_entries e on e.id = p.entry_id
     where a.code = ? and a.owner_kind = 'participant' and a.participant_id = ? and p.entry_date <= ?::date
     order by e.entry_date, e.sequence`,
    [kindCode, participantId, to],
  );
  let balance = amount('0');
  const rows: Record<string, string | null>[] = [];
  for (const line of lines.rows) {
    const moved = amount(line.amount);
    if (line.entry_date < from) {
      balance = balance.plus(moved);
      continue;
    }
    if (rows.length === 0) rows.push(balanceRow(query.from ?? line.entry_date, 'Balance brought forward', balance));
    balance = balance.plus(moved);
    rows.push({
      date: line.entry_date,
      entry: line.sequence,
      reference: line.reference_id,
      description: line.description,
      deposit: moved.isPositive() ? toAmountString(moved) : null,
      withdrawal: moved.isNegative() ? toAmountString(moved.negated()) : null,
      balance: toAmountString(balance),
    });
  }
  if (rows.length === 0) rows.push(balanceRow(query.from ?? query.to ?? '', 'Balance brought forward', balance));
  rows.push(balanceRow(query.to ?? rows.at(-1)?.date ?? '', 'Balance carried forward', balance));
  return {
    title: `${query.kind === 'mandatory' ? 'Mandatory' : 'Voluntary'} savings of participant ${participantId}`,
    about: { participant: participantId, kind: query.kind, from: query.from ?? 'opening', to: query.to ?? 'latest' },
    columns: [
      { key: 'date', header: 'Date', kind: 'text' },
      { key: 'entry', header: 'Ledger entry', kind: 'text' },
      { key: 'reference', header: 'Reference', kind: 'text' },
      { key: 'description', header: 'Description', kind: 'text' },
      { key: 'deposit', header: 'Deposit', kind: 'amount' },
      { key: 'withdrawal', header: 'Withdrawal', kind: 'amount' },
      { key: 'balance', header: 'Balance', kind: 'amount' },
    ],
    rows,
  };
}

function balanceRow(date: string, description: string, balance: Amount): Record<string, string | null> {
  return { date, entry: null, reference: null, description, deposit: null, withdrawal: null, balance: toAmountString(balance) };
}

export const savingsAccountSchema = z.object({
  kind: savingsKindSchema,
  ledgerAccountId: z.uuid(),
  openedOn: z.string(),
  balance: z.string(),
  locked: z.boolean().meta({ description: 'Mandatory savings are locked while the member is in cover.' }),
  duesTotal: z.string().meta({ description: 'Mandatory savings due to date (0.00 for voluntary savings).' }),
  monthsBehind: z.int().meta({ description: 'Months before the last savings-dues run not covered by deposits.' }),
  amountBehind: z.string(),
});
export type SavingsAccount = z.infer<typeof savingsAccountSchema>;

export async function savingsAccountsOf(db: Db, participantId: string, today: string): Promise<SavingsAccount[]> {
  const rows = await db('savings_accounts as s')
    .join('ledger_accounts as a', 'a.id', 's.ledger_account_id')
    .where('s.participant_id', participantId)
    .select<
      {
        kind: SavingsKind;
        ledger_account_id: string;
        opened_on: string;
        saved: string;
        months_behind: number;
        amount_behind: string;
        dues: string | null;
      }[]
    >(
      's.kind',
      's.ledger_account_id',
      's.opened_on',
      db.raw('a.credits_posted - a.debits_posted as saved'),
      's.months_behind',
      's.amount_behind',
      db.raw('(select sum(d.amount) from savings_dues d where d.account_id = s.id) as dues'),
    );
  const exited = await hasExited(db, participantId, today);
  return rows
    .sort((a, b) => savingsKinds.indexOf(a.kind) - savingsKinds.indexOf(b.kind))
    .map((row) => ({
      kind: row.kind,
      ledgerAccountId: row.ledger_account_id,
      openedOn: row.opened_on,
      balance: toAmountString(amount(row.saved)),
      locked: row.kind === 'mandatory' && !exited,
      duesTotal: toAmountString(amount(row.dues ?? '0')),
      monthsBehind: row.months_behind,
      amountBehind: toAmountString(amount(row.amount_behind)),
    }));
}
