import type { Knex } from 'knex';
import { z } from 'zod';
import { IdempotencyKeyReusedError, InputError, NotFoundError } from '../errors.ts';
import { amountSchema } from '../money/index.ts';
import { isoDateSchema, refuseFutureDates } from '../dates.ts';
import { type LoanRow, loanOfLpa, transactionByIdempotencyKey } from './store.ts';
import { type LoanTransaction } from './model.ts';

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

// The loan, locked, with any transaction its key already recorded: a retry
// answers that transaction. The same key on another kind of transaction is
// a conflict, not a replay.
export async function lockedLoanFor(
  trx: Knex.Transaction,
  request: { lpaId: string | null; loanId: string; idempotencyKey: string; kind: LoanTransaction['kind'] },
): Promise<{ loan: LoanRow; earlier: LoanTransaction | null }> {
  const loan = await loanOfLpa(trx, request.lpaId, request.loanId, true);
  if (loan === null) throw new NotFoundError('loan', request.loanId);
  const earlier = await transactionByIdempotencyKey(trx, loan.id, request.idempotencyKey);
  if (earlier !== null && earlier.kind !== request.kind)
    throw new IdempotencyKeyReusedError(request.idempotencyKey, `a ${earlier.kind} of this loan`);
  return { loan, earlier };
}

export function assertDateWithin(field: string, date: string, from: { label: string; date: string }, today: string): void {
  refuseFutureDates(today, { [field]: date });
  if (date < from.date) throw new InputError([{ field, message: `must not be before ${from.label} (${from.date})` }]);
}
