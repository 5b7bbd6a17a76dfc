import type { Knex } from 'knex';
import { type Loan, type loanStatuses, type LoanTransaction } from './model.ts';
import type { Db } from '../db/knex.ts';
import type { ReportScope } from '../shared/table.ts';
import { boundsSql, inCoverSql } from '../premiums/index.ts';
import { amount, fromNumeric, toAmountString, toDecimalString } from '../money/index.ts';
import { dueOn, type InstalmentState, payoffOn } from './repayment.ts';

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

// ---------------------------------------------------------------- transactions

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

function toTransaction(row: TransactionRow): LoanTransaction {
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

// The transaction of the loan an idempotency key already recorded, of
// whatever kind: the caller tells a replay from a reused key.
export async function transactionByIdempotencyKey(
  trx: Knex.Transaction,
  loanId: string,
  idempotencyKey: string,
): Promise<LoanTransaction | null> {
  const earlier = await trx('loan_transactions')
    .where({ loan_id: loanId, idempotency_key: idempotencyKey })
    .first<TransactionRow | undefined>('*');
  return earlier === undefined ? null : toTransaction(earlier);
}

// ---------------------------------------------------------------- applications

// The loan an LPA already recorded under an idempotency key.
export async function loanByIdempotencyKey(
  trx: Knex.Transaction,
  lpaId: string,
  idempotencyKey: string,
): Promise<LoanRow | null> {
  return (await trx('loans').where({ lpa_id: lpaId, idempotency_key: idempotencyKey }).first<LoanRow | undefined>('*')) ?? null;
}

// The member's latest enrolment in cover on the day: its scheme's savings
// rules decide the application.
export async function enrolmentInCover(
  trx: Knex.Transaction,
  participantId: string,
  date: string,
): Promise<{ rule_scheme: string; enrolled_on: string } | null> {
  const enrolment = await trx.raw<{ rows: { rule_scheme: string; enrolled_on: string }[] }>(
    `select e.rule_scheme, e.enrolled_on from enrolments e, ${boundsSql}
       where e.participant_id = ? and ${inCoverSql} order by e.enrolled_on desc limit 1`,
    [date, date, participantId],
  );
  return enrolment.rows[0] ?? null;
}

export async function insertLoan(
  trx: Knex.Transaction,
  loan: Omit<LoanRow, 'id' | 'facts' | 'reasons' | 'disbursed_on' | 'closed_on'> & {
    facts: string;
    reasons: string;
    idempotency_key: string;
    recorded_by: string;
  },
): Promise<LoanRow> {
  const [row] = await trx('loans').insert(loan).returning<LoanRow[]>('*');
  if (row === undefined) throw new Error('loans insert returned no row');
  return row;
}

// Months of mandatory savings a member's deposits cover on a day (oldest
// due first), and those before the month not covered.
export async function savingsStandingOn(
  trx: Knex.Transaction | Db,
  participantId: string,
  date: string,
): Promise<{ monthsPaid: number; monthsBehind: number }> {
  const savings = await trx.raw<{ rows: { paid: string; behind: string }[] }>(
    `select count(*) filter (where due_to_date <= saved) as paid,
       count(*) filter (where period < date_trunc('month', ?::date) and due_to_date > saved) as behind
     from (select d.period, sum(d.amount) over (order by d.period) as due_to_date, la.credits_posted - la.debits_posted as saved
           from savings_accounts s
           join savings_dues d on d.account_id = s.id and d.period <= ?::date
           join ledger_accounts la on la.id = s.ledger_account_id
           where s.participant_id = ? and s.kind = 'mandatory') standing`,
    [date, date, participantId],
  );
  return { monthsPaid: Number(savings.rows[0]?.paid ?? 0), monthsBehind: Number(savings.rows[0]?.behind ?? 0) };
}

// A member's loans approved or out on a day, and the days the oldest unpaid
// instalment among them is past due.
export async function loanStandingOn(
  trx: Knex.Transaction | Db,
  participantId: string,
  date: string,
): Promise<{ outstanding: number; daysInArrears: number }> {
  const loans = await trx.raw<{ rows: { outstanding: string; arrears: number | null }[] }>(
    `select count(*) filter (where l.status in ('approved', 'active')) as outstanding,
       max(?::date - (select min(i.due_on) from loan_instalments i
                      where i.loan_id = l.id and i.replaced_on is null and i.due_on < ?::date
                        and (i.principal_paid < i.principal or i.interest_paid + i.interest_waived < i.interest))) as arrears
     from loans l where l.participant_id = ? and l.status in ('approved', 'active')`,
    [date, date, participantId],
  );
  return { outstanding: Number(loans.rows[0]?.outstanding ?? 0), daysInArrears: Number(loans.rows[0]?.arrears ?? 0) };
}

// ---------------------------------------------------------------- a loan's life

// A schedule's instalments as written: a disbursement's carry no penalty
// yet, a rescheduling's carry what was unpaid of the replaced ones.
export async function insertInstalments(
  trx: Knex.Transaction,
  instalments: readonly {
    loan_id: string;
    number: number;
    due_on: string;
    principal: string;
    interest: string;
    penalty?: string;
  }[],
): Promise<void> {
  await trx('loan_instalments').insert(instalments);
}

export async function markLoanDisbursed(trx: Knex.Transaction, loanId: string, disbursedOn: string): Promise<void> {
  await trx('loans').where({ id: loanId }).update({ status: 'active', disbursed_on: disbursedOn });
}

export async function closeLoan(
  trx: Knex.Transaction,
  loanId: string,
  status: 'repaid' | 'written-off',
  closedOn: string,
): Promise<void> {
  await trx('loans').where({ id: loanId }).update({ status, closed_on: closedOn });
}

// What a repayment paid of each instalment, added to what was paid before.
export async function recordInstalmentPayments(
  trx: Knex.Transaction,
  loanId: string,
  payments: readonly { number: number; principal: string; interest: string; penalty: string; waived: string }[],
): Promise<void> {
  await trx.raw(
    `update loan_instalments i set principal_paid = i.principal_paid + paid.principal,
         interest_paid = i.interest_paid + paid.interest, penalty_paid = i.penalty_paid + paid.penalty,
         interest_waived = i.interest_waived + paid.waived
       from jsonb_to_recordset(?::jsonb) as paid (number integer, principal numeric, interest numeric, penalty numeric, waived numeric)
       where i.loan_id = ? and i.number = paid.number`,
    [JSON.stringify(payments), loanId],
  );
}

// A rescheduling keeps the instalments it replaces as history, marked with
// its day.
export async function replaceInstalments(
  trx: Knex.Transaction,
  loanId: string,
  numbers: readonly number[],
  replacedOn: string,
): Promise<void> {
  await trx('loan_instalments')
    .where({ loan_id: loanId })
    .whereIn('number', [...numbers])
    .update({ replaced_on: replacedOn });
}

// ---------------------------------------------------------------- arrears

export interface OverdueInstalment {
  readonly loan_id: string;
  readonly number: number;
  readonly unpaid: string;
  readonly months: number;
  readonly penalty_months: number;
  readonly penalty_rate: string;
  readonly rule_scheme: string;
  readonly applied_on: string;
}

// Live instalments of active loans unpaid after their due day, with the
// whole months since, locked while their penalties are charged.
export async function lockOverdueInstalments(trx: Knex.Transaction, date: string): Promise<OverdueInstalment[]> {
  const overdue = await trx.raw<{
    rows: OverdueInstalment[];
  }>(
    `select i.loan_id, i.number, i.penalty_months, l.penalty_rate, l.rule_scheme, l.applied_on,
       (i.principal - i.principal_paid) + (i.interest - i.interest_paid - i.interest_waived) as unpaid,
       (extract(year from age(?::date, i.due_on)) * 12 + extract(month from age(?::date, i.due_on)))::int as months
     from loan_instalments i join loans l on l.id = i.loan_id
     where l.status = 'active' and i.replaced_on is null and i.due_on < ?::date
       and (i.principal_paid < i.principal or i.interest_paid + i.interest_waived < i.interest)
     order by i.loan_id, i.number
     for update of i`,
    [date, date, date],
  );
  return overdue.rows;
}

// Each charge adds its penalty to the instalment and records the months
// charged so far, so a month is never charged twice.
export async function chargeInstalmentPenalties(
  trx: Knex.Transaction,
  charges: readonly { loan_id: string; number: number; months: number; penalty: string }[],
): Promise<void> {
  await trx.raw(
    `update loan_instalments i set penalty = i.penalty + c.penalty, penalty_months = c.months
     from jsonb_to_recordset(?::jsonb) as c (loan_id uuid, number integer, months integer, penalty numeric)
     where i.loan_id = c.loan_id and i.number = c.number`,
    [JSON.stringify(charges)],
  );
}

export interface LpaPortfolioRow {
  readonly lpa_id: string;
  readonly lpa: string;
  readonly regency_code: string;
  readonly loans: string;
  readonly outstanding: string;
  readonly at_risk_1: string;
  readonly loans_at_risk_1: string;
  readonly at_risk_30: string;
  readonly loans_at_risk_30: string;
}

// Each LPA's active loans on a day: principal outstanding, and that of
// loans with an instalment unpaid 1+ and 30+ days after it fell due.
export async function portfolioOfLpas(db: Db, today: string, scope: ReportScope): Promise<LpaPortfolioRow[]> {
  const rows = await db.raw<{ rows: LpaPortfolioRow[] }>(
    `with loan_standing as (
       select l.id, l.lpa_id,
         sum(i.principal - i.principal_paid) as outstanding,
         coalesce(?::date - min(i.due_on) filter (
           where i.due_on < ?::date and (i.principal_paid < i.principal or i.interest_paid + i.interest_waived < i.interest)), 0) as days
       from loans l join loan_instalments i on i.loan_id = l.id and i.replaced_on is null
       where l.status = 'active'
       group by l.id, l.lpa_id
     )
     select s.lpa_id, p.name as lpa, p.regency_code, count(*) as loans, sum(s.outstanding) as outstanding,
       coalesce(sum(s.outstanding) filter (where s.days >= 1), 0) as at_risk_1, count(*) filter (where s.days >= 1) as loans_at_risk_1,
       coalesce(sum(s.outstanding) filter (where s.days >= 30), 0) as at_risk_30, count(*) filter (where s.days >= 30) as loans_at_risk_30
     from loan_standing s join lpas p on p.id = s.lpa_id
     where (?::text is null or p.regency_code = ?) and (?::uuid is null or p.id = ?::uuid)
     group by s.lpa_id, p.name, p.regency_code order by p.regency_code, p.name`,
    [today, today, scope.regencyCode ?? null, scope.regencyCode ?? null, scope.lpaId ?? null, scope.lpaId ?? null],
  );
  return rows.rows;
}
