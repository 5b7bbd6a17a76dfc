import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { amountSchema } from '../money/index.ts';
import { reportOutputQuery } from '../shared/table.ts';

// The shapes of savings: what routes and commands take in and answer, and
// what the dues run reports. Types come from the schemas.

// A member's savings are of two kinds: mandatory (simpanan wajib) and
// voluntary (simpanan sukarela).
export const savingsKinds = ['mandatory', 'voluntary'] as const;
export type SavingsKind = (typeof savingsKinds)[number];
export const savingsKindSchema = z.enum(savingsKinds);

export const savingsMovementInputSchema = z.strictObject({
  kind: savingsKindSchema.meta({ description: 'mandatory (simpanan wajib) or voluntary (simpanan sukarela).' }),
  amount: amountSchema({ allowZero: false }),
  date: isoDateSchema.meta({ description: 'The day the LPA took in or paid out the cash.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The LPA’s receipt or voucher number.' }),
});
export type SavingsMovementInput = z.output<typeof savingsMovementInputSchema>;

export const savingsMovementSchema = z.object({
  entryId: z.uuid(),
  participantId: z.uuid(),
  kind: savingsKindSchema,
  direction: z.enum(['deposit', 'withdrawal']),
  amount: z.string(),
  date: z.string(),
  reference: z.string(),
  balance: z.string().meta({ description: 'The account’s balance now, after this and anything since.' }),
});
export type SavingsMovement = z.infer<typeof savingsMovementSchema>;

export const savingsStatementQuerySchema = z
  .strictObject({
    kind: savingsKindSchema,
    from: isoDateSchema.optional().meta({ description: 'First day; from the account’s opening when left out.' }),
    to: isoDateSchema.optional().meta({ description: 'Last day; to the latest movement when left out.' }),
    ...reportOutputQuery,
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['to'],
    message: 'must not be before from',
  });
export type SavingsStatementQuery = z.output<typeof savingsStatementQuerySchema>;

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

export const poolLineSchema = z.object({
  code: z.string(),
  name: z.string(),
  balance: z.string().meta({ description: 'On the account’s own side: cash and loans as debits, the rest as credits.' }),
});
export const poolSchema = z.object({
  lpaId: z.uuid(),
  lines: z.array(poolLineSchema),
  available: z.string().meta({ description: 'Cash the pool can lend or pay out now.' }),
});
export type Pool = z.infer<typeof poolSchema>;

export const claimReserveInputSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  date: isoDateSchema,
  from: z.enum(['loan-income', 'cash']).meta({
    description: 'loan-income: what the pool’s loans earned (interest, then penalties); cash: money the LPA brings in.',
  }),
  reference: z.string().trim().min(1).max(100),
});
export type ClaimReserveInput = z.output<typeof claimReserveInputSchema>;

export interface SavingsDuesSummary {
  readonly period: string;
  readonly membersInCover: number;
  readonly duesBooked: number;
  readonly amountDue: string;
  // Of the dues booked, those for months before this one: members entered
  // after their month's run, or dated back.
  readonly bookedLate: number;
  readonly accountsOpened: number;
  // Mandatory accounts with a month before this one not covered by deposits.
  readonly membersBehind: number;
}
