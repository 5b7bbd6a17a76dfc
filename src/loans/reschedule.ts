import type { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError } from '../errors.ts';
import { amount, type Amount, fromNumeric, type RoundingMode, toAmountString } from '../money/index.ts';
import { versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import type { InstalmentState } from './repayment.ts';
import { type InterestMethod, type RepaymentFrequency, repaymentSchedule } from './schedule.ts';
import { insertInstalments, insertTransaction, instalmentsOf, replaceInstalments } from './store.ts';
import { type LoanTransaction } from './model.ts';
import { assertDateWithin, lockedLoanFor, type rescheduleInputSchema } from './transactions.ts';

export interface Rescheduled {
  // Live instalments with anything left open, replaced by the new ones.
  readonly replaced: readonly number[];
  readonly principal: Amount;
  readonly carriedInterest: Amount;
  readonly carriedPenalty: Amount;
  readonly instalments: readonly { number: number; dueOn: string; principal: Amount; interest: Amount; penalty: Amount }[];
}

// Pure: a loan rescheduled on a day. What is left of it (its unpaid
// principal, and the interest and penalties fallen due and unpaid) is
// replaced by a new schedule of the principal over the new term from that
// day, at the loan's rate and method; what fell due and is unpaid is
// carried into the first new instalment, and the interest of instalments
// not yet due is not owed, as it was never earned.
export function reschedule(
  live: readonly InstalmentState[],
  terms: {
    on: string;
    termMonths: number;
    graceMonths: number;
    monthlyRate: Amount;
    method: InterestMethod;
    repayment: RepaymentFrequency;
    rounding: { mode: RoundingMode; decimalPlaces: number };
  },
): Rescheduled | null {
  const zero = amount('0');
  const open = live.filter(
    (instalment) =>
      instalment.principalPaid.lessThan(instalment.principal) ||
      instalment.interestPaid.plus(instalment.interestWaived).lessThan(instalment.interest) ||
      instalment.penaltyPaid.lessThan(instalment.penalty),
  );
  const principal = open.reduce((sum, instalment) => sum.plus(instalment.principal).minus(instalment.principalPaid), zero);
  if (principal.isZero()) return null;
  const carriedInterest = open
    .filter((instalment) => instalment.dueOn <= terms.on)
    .reduce(
      (sum, instalment) => sum.plus(instalment.interest).minus(instalment.interestPaid).minus(instalment.interestWaived),
      zero,
    );
  const carriedPenalty = open.reduce((sum, instalment) => sum.plus(instalment.penalty).minus(instalment.penaltyPaid), zero);
  const firstNumber = Math.max(0, ...live.map((instalment) => instalment.number)) + 1;
  const schedule = repaymentSchedule({ ...terms, principal, disbursedOn: terms.on });
  return {
    replaced: open.map((instalment) => instalment.number),
    principal,
    carriedInterest,
    carriedPenalty,
    instalments: schedule.map((instalment, index) => ({
      number: firstNumber + index,
      dueOn: instalment.dueOn,
      principal: instalment.principal,
      interest: index === 0 ? instalment.interest.plus(carriedInterest) : instalment.interest,
      penalty: index === 0 ? carriedPenalty : zero,
    })),
  };
}

// The LPA reschedules a member's loan, giving its reason; no money moves,
// so the ledger is untouched, and the replaced instalments stay as history.
export async function rescheduleLoan(
  db: Db,
  book: RuleBook,
  request: {
    lpaId: string;
    loanId: string;
    input: z.output<typeof rescheduleInputSchema>;
    idempotencyKey: string;
    today: string;
    fieldPrefix: string;
  },
  actor: Actor,
): Promise<{ transaction: LoanTransaction; replayed: boolean }> {
  const { input } = request;
  return withTransaction(db, async (trx) => {
    const { loan, earlier } = await lockedLoanFor(trx, { ...request, kind: 'reschedule' });
    if (earlier !== null) return { transaction: earlier, replayed: true };
    if (loan.status !== 'active')
      throw new ConflictError('loan-not-active', `Loan ${loan.id} is ${loan.status}; only a disbursed loan is rescheduled.`);
    assertDateWithin(
      `${request.fieldPrefix}rescheduledOn`,
      input.rescheduledOn,
      { label: 'the disbursement', date: loan.disbursed_on ?? '' },
      request.today,
    );
    const result = reschedule(await instalmentsOf(trx, loan.id), {
      on: input.rescheduledOn,
      termMonths: input.termMonths,
      graceMonths: input.graceMonths,
      monthlyRate: fromNumeric(loan.monthly_rate),
      method: loan.method,
      repayment: loan.repayment,
      rounding: versionInForce(book, loan.rule_scheme, loan.applied_on).manifest.rounding,
    });
    if (result === null)
      throw new ConflictError(
        'nothing-to-reschedule',
        `Loan ${loan.id} has no principal left to reschedule; the rest is due now.`,
      );
    await replaceInstalments(trx, loan.id, result.replaced, input.rescheduledOn);
    await insertInstalments(
      trx,
      result.instalments.map((instalment) => ({
        loan_id: loan.id,
        number: instalment.number,
        due_on: instalment.dueOn,
        principal: toAmountString(instalment.principal),
        interest: toAmountString(instalment.interest),
        penalty: toAmountString(instalment.penalty),
      })),
    );
    const transaction = await insertTransaction(trx, {
      loan_id: loan.id,
      kind: 'reschedule',
      transaction_date: input.rescheduledOn,
      amount: toAmountString(result.principal),
      principal: toAmountString(result.principal),
      interest: toAmountString(result.carriedInterest),
      penalty: toAmountString(result.carriedPenalty),
      interest_waived: '0',
      reference: null,
      reason: input.reason,
      entry_id: null,
      idempotency_key: request.idempotencyKey,
      recorded_by: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'loan.reschedule',
      entityType: 'loan',
      entityId: loan.id,
      detail: {
        reason: input.reason,
        termMonths: input.termMonths,
        graceMonths: input.graceMonths,
        replaced: result.replaced,
        principal: toAmountString(result.principal),
      },
    });
    return { transaction, replayed: false };
  });
}
