import type { Knex } from 'knex';
import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { IdempotencyKeyReusedError, InputError, NotFoundError } from '../errors.ts';
import { amountSchema, fromNumeric, toAmountString } from '../money/index.ts';
import { isoDateSchema, refuseFutureDates } from '../dates.ts';
import { type LoanRow, loanOfLpa } from './store.ts';

export const loanTransactionKinds = ['disbursement', 'repayment', 'reschedule', 'write-off'] as const;

export const loanTransactionSchema = z.object({
  id: z.uuid(),
  loanId: z.uuid(),
  kind: z.enum(loanTransactionKinds),
  date: z.string(),
  amount: z.string(),
  principal: z.string(),
  interest: z.string(),
  penalty: z.string(),
  interestWaived: z.string().meta({ description: 'Interest not yet earned, released when the loan is repaid early.' }),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  entryId: z.uuid().nullable(),
});
export type LoanTransaction = z.infer<typeof loanTransactionSchema>;

export const disbursementInputSchema = z.strictObject({
  disbursedOn: isoDateSchema,
  reference: z.string().trim().min(1).max(100).meta({ description: 'The LPA’s voucher number.' }),
});
export const repaymentInputSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  paidOn: isoDateSchema,
  reference: z.string().trim().min(1).max(100).meta({ description: 'The LPA’s receipt number.' }),
});
export const rescheduleInputSchema = z
  .strictObject({
    rescheduledOn: isoDateSchema,
    termMonths: z.int().min(1).max(120).meta({ description: 'Months over which what is left is repaid from the day.' }),
    graceMonths: z.int().min(0).max(24).default(0),
    reason: z.string().trim().min(3).max(500).meta({ description: 'Why the LPA reschedules: harvest failed, illness.' }),
  })
  .refine((input) => input.graceMonths < input.termMonths, { path: ['graceMonths'], message: 'must be fewer than termMonths' });
export const writeOffInputSchema = z.strictObject({
  writtenOffOn: isoDateSchema,
  reason: z.string().trim().min(1).max(500).meta({ description: 'Why the directorate gives up on the loan.' }),
});

interface TransactionRow {
  id: string;
  loan_id: string;
  kind: LoanTransaction['kind'];
  transaction_date: string;
  amount: string;
  principal: string;
  interest: string;
  penalty: string;
  interest_waived: string;
  reference: string | null;
  reason: string | null;
  entry_id: string | null;
}

export function toTransaction(row: TransactionRow): LoanTransaction {
  const text = (value: string) => toAmountString(fromNumeric(value));
  return {
    id: row.id,
    loanId: row.loan_id,
    kind: row.kind,
    date: row.transaction_date,
    amount: text(row.amount),
    principal: text(row.principal),
    interest: text(row.interest),
    penalty: text(row.penalty),
    interestWaived: text(row.interest_waived),
    reference: row.reference,
    reason: row.reason,
    entryId: row.entry_id,
  };
}

export async function insertTransaction(
  trx: Knex.Transaction,
  row: Omit<TransactionRow, 'id'> & { idempotency_key: string | null; recorded_by: string },
): Promise<LoanTransaction> {
  const [inserted] = await trx('loan_transactions').insert(row).returning<TransactionRow[]>('*');
  if (inserted === undefined) throw new Error('loan_transactions insert returned no row');
  return toTransaction(inserted);
}

export async function transactionsOf(db: Db, loanId: string): Promise<LoanTransaction[]> {
  const rows = await db('loan_transactions')
    .where({ loan_id: loanId })
    .orderBy(['transaction_date', 'recorded_at'])
    .select<TransactionRow[]>('*');
  return rows.map(toTransaction);
}

// The loan, locked, with any transaction its key already recorded: a retry
// answers that transaction. The same key on another kind of transaction is
// a conflict, not a replay.
export async function lockedLoanFor(
  trx: Knex.Transaction,
  request: { lpaId: string | null; loanId: string; idempotencyKey: string; kind: LoanTransaction['kind'] },
): Promise<{ loan: LoanRow; earlier: LoanTransaction | null }> {
  const loan = await loanOfLpa(trx, request.lpaId, request.loanId, true);
  if (loan === null) throw new NotFoundError('loan', request.loanId);
  const earlier = await trx('loan_transactions')
    .where({ loan_id: loan.id, idempotency_key: request.idempotencyKey })
    .first<TransactionRow | undefined>('*');
  if (earlier !== undefined && earlier.kind !== request.kind)
    throw new IdempotencyKeyReusedError(request.idempotencyKey, `a ${earlier.kind} of this loan`);
  return { loan, earlier: earlier === undefined ? null : toTransaction(earlier) };
}

export function assertDateWithin(field: string, date: string, from: { label: string; date: string }, today: string): void {
  refuseFutureDates(today, { [field]: date });
  if (date < from.date) throw new InputError([{ field, message: `must not be before ${from.label} (${from.date})` }]);
}
