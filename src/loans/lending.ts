import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { openAccount } from '../ledger/accounts.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { postEntry } from '../ledger/post.ts';
import { amount, type Amount, formatRupiah, fromNumeric, toAmountString, toDecimalString } from '../money/index.ts';
import { versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { poolCashAccountId } from '../savings/index.ts';
import { assertPoolCashCovers } from '../savings/index.ts';
import { payoffOn, splitRepayment } from './repayment.ts';
import { repaymentSchedule } from './schedule.ts';
import {
  closeLoan,
  insertInstalments,
  insertTransaction,
  instalmentsOf,
  type LoanRow,
  markLoanDisbursed,
  recordInstalmentPayments,
} from './store.ts';
import { type LoanTransaction } from './model.ts';
import {
  assertDateWithin,
  type disbursementInputSchema,
  lockedLoanFor,
  type repaymentInputSchema,
  type writeOffInputSchema,
} from './transactions.ts';

// Money moves on a loan only through the LPA's books: disbursed from the
// pool's cash (1500) into the member's loan receivable (1300); repaid into
// cash, principal off the receivable, interest and penalties as the LPA's
// income (4200, 4300) when collected; written off as a loss (5400).

interface LoanRequest<Input> {
  readonly lpaId: string | null;
  readonly loanId: string;
  readonly input: Input;
  readonly idempotencyKey: string;
  readonly today: string;
  readonly fieldPrefix: string;
}

const poster = (actor: Actor) => ({ postedBy: actor.actor, requestId: actor.requestId });

// The pool lends only what it holds: its cash account is locked while the
// disbursement is checked and booked, and the ledger refuses an overdraft.
export async function disburseLoan(
  db: Db,
  book: RuleBook,
  request: LoanRequest<z.output<typeof disbursementInputSchema>>,
  actor: Actor,
): Promise<{ transaction: LoanTransaction; replayed: boolean }> {
  const { input } = request;
  return withTransaction(db, async (trx) => {
    const { loan, earlier } = await lockedLoanFor(trx, { ...request, kind: 'disbursement' });
    if (earlier !== null) return { transaction: earlier, replayed: true };
    if (loan.status !== 'approved')
      throw new ConflictError('loan-not-approved', `Loan ${loan.id} is ${loan.status}; only an approved loan is disbursed.`);
    assertDateWithin(
      `${request.fieldPrefix}disbursedOn`,
      input.disbursedOn,
      { label: 'the application', date: loan.applied_on },
      request.today,
    );
    const lent = fromNumeric(loan.amount);
    const cash = await poolCashAccountId(trx, loan.lpa_id, actor);
    await assertPoolCashCovers(trx, cash, lent, 'A loan');
    const { rounding } = versionInForce(book, loan.rule_scheme, loan.applied_on).manifest;
    const schedule = repaymentSchedule({
      principal: lent,
      monthlyRate: fromNumeric(loan.monthly_rate),
      termMonths: loan.term_months,
      graceMonths: loan.grace_months,
      method: loan.method,
      repayment: loan.repayment,
      disbursedOn: input.disbursedOn,
      rounding,
    });
    await insertInstalments(
      trx,
      schedule.map((instalment) => ({
        loan_id: loan.id,
        number: instalment.number,
        due_on: instalment.dueOn,
        principal: toAmountString(instalment.principal),
        interest: toAmountString(instalment.interest),
      })),
    );
    const receivable = await loanReceivable(trx, loan, actor);
    const posted = await postEntry(
      trx,
      loanEntry(loan, {
        date: input.disbursedOn,
        what: `Loan disbursed (${loan.product})`,
        reference: input.reference,
        key: `loan:${loan.id}:disbursement`,
        postings: [
          { accountId: receivable, amount: lent },
          { accountId: cash, amount: lent.negated() },
        ],
      }),
      poster(actor),
      request.fieldPrefix,
    );
    await markLoanDisbursed(trx, loan.id, input.disbursedOn);
    const transaction = await insertTransaction(trx, {
      loan_id: loan.id,
      kind: 'disbursement',
      transaction_date: input.disbursedOn,
      amount: toAmountString(lent),
      principal: toAmountString(lent),
      interest: '0',
      penalty: '0',
      interest_waived: '0',
      reference: input.reference,
      reason: null,
      entry_id: posted.entry.id,
      idempotency_key: request.idempotencyKey,
      recorded_by: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'loan.disburse',
      entityType: 'loan',
      entityId: loan.id,
      detail: { amount: loan.amount },
    });
    return { transaction, replayed: false };
  });
}

// A repayment is split penalty → interest → principal (repayment.ts) and
// can never be more than the payoff on its day; the one that repays the
// last of the principal closes the loan.
export async function repayLoan(
  db: Db,
  request: LoanRequest<z.output<typeof repaymentInputSchema>>,
  actor: Actor,
): Promise<{ transaction: LoanTransaction; replayed: boolean }> {
  const { input } = request;
  return withTransaction(db, async (trx) => {
    const { loan, earlier } = await lockedLoanFor(trx, { ...request, kind: 'repayment' });
    if (earlier !== null) return { transaction: earlier, replayed: true };
    if (loan.status !== 'active')
      throw new ConflictError('loan-not-active', `Loan ${loan.id} is ${loan.status}; only a disbursed loan is repaid.`);
    assertDateWithin(
      `${request.fieldPrefix}paidOn`,
      input.paidOn,
      { label: 'the disbursement', date: loan.disbursed_on ?? '' },
      request.today,
    );
    const instalments = await instalmentsOf(trx, loan.id);
    const payoff = payoffOn(instalments, input.paidOn);
    if (input.amount.greaterThan(payoff))
      throw new UnprocessableError(
        'repayment-exceeds-payoff',
        `Everything owed on loan ${loan.id} on ${input.paidOn} is ${formatRupiah(payoff)}; a repayment of ${formatRupiah(input.amount)} is more than that.`,
      );
    const split = splitRepayment(instalments, input.amount, input.paidOn);
    await recordInstalmentPayments(
      trx,
      loan.id,
      split.instalments.map((part) => ({
        number: part.number,
        principal: toDecimalString(part.principal),
        interest: toDecimalString(part.interest),
        penalty: toDecimalString(part.penalty),
        waived: toDecimalString(part.interestWaived),
      })),
    );
    const income = async (code: string, part: Amount) =>
      part.isZero()
        ? []
        : [{ accountId: (await openAccount(trx, { code, lpaId: loan.lpa_id }, actor)).account.id, amount: part.negated() }];
    const posted = await postEntry(
      trx,
      loanEntry(loan, {
        date: input.paidOn,
        what: 'Loan repayment',
        reference: input.reference,
        // Retries are answered from loan_transactions before this point.
        key: `loan:${loan.id}:repayment:${randomUUID()}`,
        postings: [
          { accountId: await poolCashAccountId(trx, loan.lpa_id, actor), amount: input.amount },
          ...(split.principal.isZero()
            ? []
            : [{ accountId: await loanReceivable(trx, loan, actor), amount: split.principal.negated() }]),
          ...(await income(chart.loanInterestIncome.code, split.interest)),
          ...(await income(chart.loanPenaltyIncome.code, split.penalty)),
        ],
      }),
      poster(actor),
      request.fieldPrefix,
    );
    if (split.repaid) await closeLoan(trx, loan.id, 'repaid', input.paidOn);
    await recordAudit(trx, actor, {
      action: 'loan.repay',
      entityType: 'loan',
      entityId: loan.id,
      detail: { amount: toAmountString(input.amount), reference: input.reference, repaid: split.repaid },
    });
    const transaction = await insertTransaction(trx, {
      loan_id: loan.id,
      kind: 'repayment',
      transaction_date: input.paidOn,
      amount: toAmountString(input.amount),
      principal: toAmountString(split.principal),
      interest: toAmountString(split.interest),
      penalty: toAmountString(split.penalty),
      interest_waived: toAmountString(split.interestWaived),
      reference: input.reference,
      reason: null,
      entry_id: posted.entry.id,
      idempotency_key: request.idempotencyKey,
      recorded_by: actor.actor,
    });
    return { transaction, replayed: false };
  });
}

// The directorate gives up on what is left of a loan's principal: a loss in
// the LPA's books, with the reason kept. Interest and penalties never
// collected were never income, so nothing else moves.
export async function writeOffLoan(
  db: Db,
  request: LoanRequest<z.output<typeof writeOffInputSchema>>,
  actor: Actor,
): Promise<{ transaction: LoanTransaction; replayed: boolean }> {
  const { input } = request;
  return withTransaction(db, async (trx) => {
    const { loan, earlier } = await lockedLoanFor(trx, { ...request, kind: 'write-off' });
    if (earlier !== null) return { transaction: earlier, replayed: true };
    if (loan.status !== 'active')
      throw new ConflictError('loan-not-active', `Loan ${loan.id} is ${loan.status}; only a disbursed loan is written off.`);
    assertDateWithin(
      `${request.fieldPrefix}writtenOffOn`,
      input.writtenOffOn,
      { label: 'the disbursement', date: loan.disbursed_on ?? '' },
      request.today,
    );
    const outstanding = (await instalmentsOf(trx, loan.id)).reduce(
      (sum, instalment) => sum.plus(instalment.principal).minus(instalment.principalPaid),
      amount('0'),
    );
    const loss = (await openAccount(trx, { code: chart.loansWrittenOff.code, lpaId: loan.lpa_id }, actor)).account.id;
    const posted = await postEntry(
      trx,
      loanEntry(loan, {
        date: input.writtenOffOn,
        what: 'Loan written off',
        reference: `write-off:${loan.id}`,
        key: `loan:${loan.id}:write-off`,
        postings: [
          { accountId: loss, amount: outstanding },
          { accountId: await loanReceivable(trx, loan, actor), amount: outstanding.negated() },
        ],
      }),
      poster(actor),
      request.fieldPrefix,
    );
    await closeLoan(trx, loan.id, 'written-off', input.writtenOffOn);
    const transaction = await insertTransaction(trx, {
      loan_id: loan.id,
      kind: 'write-off',
      transaction_date: input.writtenOffOn,
      amount: toAmountString(outstanding),
      principal: toAmountString(outstanding),
      interest: '0',
      penalty: '0',
      interest_waived: '0',
      reference: null,
      reason: input.reason,
      entry_id: posted.entry.id,
      idempotency_key: request.idempotencyKey,
      recorded_by: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'loan.write-off',
      entityType: 'loan',
      entityId: loan.id,
      detail: { principal: toAmountString(outstanding), reason: input.reason },
    });
    return { transaction, replayed: false };
  });
}

async function loanReceivable(trx: Knex.Transaction, loan: LoanRow, actor: Actor): Promise<string> {
  return (await openAccount(trx, { code: chart.loansReceivable.code, participantId: loan.participant_id }, actor)).account.id;
}

function loanEntry(
  loan: LoanRow,
  entry: { date: string; what: string; reference: string; key: string; postings: EntryDraft['postings'] },
): EntryDraft {
  return {
    entryDate: entry.date,
    description: `${entry.what}, loan ${loan.id} of participant ${loan.participant_id}, ${entry.reference}`,
    reference: { type: 'loan', id: loan.id },
    rule: { scheme: loan.rule_scheme, version: loan.rule_version, hash: loan.rule_hash },
    idempotencyKey: entry.key,
    postings: entry.postings,
  };
}
