import type { Knex } from 'knex';
import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { amount, fromNumeric, toAmountString, toDecimalString } from '../money/index.ts';
import { dueOn, type InstalmentState, payoffOn } from './repayment.ts';

export const loanStatuses = ['refused', 'approved', 'active', 'repaid', 'written-off'] as const;

export interface LoanRow {
  readonly id: string;
  readonly participant_id: string;
  readonly lpa_id: string;
  readonly status: (typeof loanStatuses)[number];
  readonly product: string;
  readonly amount: string;
  readonly term_months: number;
  readonly grace_months: number;
  readonly method: 'flat' | 'declining-balance';
  readonly repayment: 'monthly' | 'weekly';
  readonly monthly_rate: string;
  readonly penalty_rate: string;
  readonly purpose: string;
  readonly applied_on: string;
  readonly facts: Record<string, unknown>;
  readonly reasons: { reason: string; explanation: string }[];
  readonly rule_scheme: string;
  readonly rule_version: string;
  readonly rule_hash: string;
  readonly disbursed_on: string | null;
  readonly closed_on: string | null;
  readonly fingerprint: string;
}

interface InstalmentRow {
  readonly number: number;
  readonly due_on: string;
  readonly principal: string;
  readonly interest: string;
  readonly penalty: string;
  readonly principal_paid: string;
  readonly interest_paid: string;
  readonly interest_waived: string;
  readonly penalty_paid: string;
  readonly replaced_on: string | null;
}

// The loan of an LPA, locked when asked for in a transaction that will
// change it; another LPA's loan is not found.
export async function loanOfLpa(
  db: Db | Knex.Transaction,
  lpaId: string | null,
  loanId: string,
  lock = false,
): Promise<LoanRow | null> {
  const query = db('loans').where({ id: loanId });
  if (lpaId !== null) query.where({ lpa_id: lpaId });
  if (lock) query.forUpdate();
  return (await query.first<LoanRow | undefined>('*')) ?? null;
}

// The instalments a loan is repaid by now: those a rescheduling replaced
// are history, read with scheduleHistory.
export async function instalmentsOf(db: Db | Knex.Transaction, loanId: string): Promise<InstalmentState[]> {
  return (await scheduleHistory(db, loanId)).filter((instalment) => instalment.replacedOn === null);
}

async function scheduleHistory(
  db: Db | Knex.Transaction,
  loanId: string,
): Promise<(InstalmentState & { replacedOn: string | null })[]> {
  const rows = await db('loan_instalments').where({ loan_id: loanId }).orderBy('number').select<InstalmentRow[]>('*');
  return rows.map((row) => ({
    number: row.number,
    dueOn: row.due_on,
    principal: fromNumeric(row.principal),
    interest: fromNumeric(row.interest),
    penalty: fromNumeric(row.penalty),
    principalPaid: fromNumeric(row.principal_paid),
    interestPaid: fromNumeric(row.interest_paid),
    interestWaived: fromNumeric(row.interest_waived),
    penaltyPaid: fromNumeric(row.penalty_paid),
    replacedOn: row.replaced_on,
  }));
}

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

export async function toLoan(db: Db | Knex.Transaction, row: LoanRow, standingOn: string): Promise<Loan> {
  const history = await scheduleHistory(db, row.id);
  const instalments = history.filter((instalment) => instalment.replacedOn === null);
  const outstanding =
    row.status === 'active'
      ? instalments.reduce((sum, instalment) => sum.plus(instalment.principal).minus(instalment.principalPaid), amount('0'))
      : amount('0');
  return {
    id: row.id,
    participantId: row.participant_id,
    lpaId: row.lpa_id,
    status: row.status,
    product: row.product,
    amount: toAmountString(fromNumeric(row.amount)),
    termMonths: row.term_months,
    graceMonths: row.grace_months,
    method: row.method,
    repayment: row.repayment,
    monthlyRate: toDecimalString(fromNumeric(row.monthly_rate)),
    penaltyMonthlyRate: toDecimalString(fromNumeric(row.penalty_rate)),
    purpose: row.purpose,
    appliedOn: row.applied_on,
    reasons: row.reasons,
    facts: row.facts,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    disbursedOn: row.disbursed_on,
    closedOn: row.closed_on,
    principalOutstanding: toAmountString(outstanding),
    standing:
      row.status === 'active'
        ? {
            on: standingOn,
            due: toAmountString(dueOn(instalments, standingOn)),
            payoff: toAmountString(payoffOn(instalments, standingOn)),
          }
        : null,
    instalments: history.map((instalment) => ({
      number: instalment.number,
      dueOn: instalment.dueOn,
      principal: toAmountString(instalment.principal),
      interest: toAmountString(instalment.interest),
      penalty: toAmountString(instalment.penalty),
      principalPaid: toAmountString(instalment.principalPaid),
      interestPaid: toAmountString(instalment.interestPaid),
      interestWaived: toAmountString(instalment.interestWaived),
      penaltyPaid: toAmountString(instalment.penaltyPaid),
      replacedOn: instalment.replacedOn,
    })),
  };
}

export async function loansOfParticipant(db: Db, participantId: string, today: string): Promise<Loan[]> {
  const rows = await db('loans').where({ participant_id: participantId }).orderBy('applied_on', 'desc').select<LoanRow[]>('*');
  return Promise.all(rows.map((row) => toLoan(db, row, today)));
}
