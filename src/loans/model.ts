import { z } from 'zod';

// A loan, its instalments and its transactions as the API answers them.

export const loanStatuses = ['refused', 'approved', 'active', 'repaid', 'written-off'] as const;

export const instalmentSchema = z.object({
  number: z.int(),
  dueOn: z.string(),
  principal: z.string(),
  interest: z.string(),
  penalty: z.string(),
  principalPaid: z.string(),
  interestPaid: z.string(),
  interestWaived: z.string(),
  penaltyPaid: z.string(),
  replacedOn: z.string().nullable().meta({
    description: 'The day a rescheduling replaced what was left of it; what was paid of it stays as history.',
  }),
});

export const loanSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  lpaId: z.uuid(),
  status: z.enum(loanStatuses),
  product: z.string(),
  amount: z.string(),
  termMonths: z.int(),
  graceMonths: z.int(),
  method: z.enum(['flat', 'declining-balance']),
  repayment: z.enum(['monthly', 'weekly']),
  monthlyRate: z.string(),
  penaltyMonthlyRate: z.string(),
  purpose: z.string(),
  appliedOn: z.string(),
  reasons: z.array(z.object({ reason: z.string(), explanation: z.string() })).meta({
    description: 'Every reason the rules refused the loan; empty when approved.',
  }),
  facts: z.record(z.string(), z.unknown()).meta({ description: 'What the savings rules were given about the member.' }),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  disbursedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  principalOutstanding: z.string(),
  standing: z
    .object({
      on: z.string(),
      due: z
        .string()
        .meta({ description: 'Unpaid penalties, interest and principal fallen due by the day: what keeps the loan current.' }),
      payoff: z.string().meta({
        description: 'What repays the loan in full that day: the due, the running instalment’s interest, all principal.',
      }),
    })
    .nullable()
    .meta({ description: 'For a disbursed, open loan.' }),
  instalments: z.array(instalmentSchema),
});
export type Loan = z.infer<typeof loanSchema>;

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
