import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { amount, fromNumeric, ratioOf, roundAmount, toAmountString, toDecimalString } from '../money/index.ts';
import { versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { reportFormatSchema, type ReportScope, type ReportTable } from '../shared/table.ts';

export interface LoanArrearsSummary {
  readonly date: string;
  readonly loansInArrears: number;
  readonly instalmentsCharged: number;
  readonly penalties: string;
}

// The daily arrears aging: an instalment still unpaid a whole month after
// it fell due is charged the loan's penalty rate on what is unpaid of it,
// once for each whole month, rounded as the loan's rules round. A penalty
// is what the member owes, not income: the LPA books it when collected.
export async function chargeLoanPenalties(db: Db, book: RuleBook, date: string, actor: Actor): Promise<LoanArrearsSummary> {
  return withTransaction(db, async (trx) => {
    const overdue = await trx.raw<{
      rows: {
        loan_id: string;
        number: number;
        unpaid: string;
        months: number;
        penalty_months: number;
        penalty_rate: string;
        rule_scheme: string;
        applied_on: string;
      }[];
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
    const charges = overdue.rows.flatMap((row) => {
      const months = row.months - row.penalty_months;
      if (months <= 0 || fromNumeric(row.penalty_rate).isZero()) return [];
      const { rounding } = versionInForce(book, row.rule_scheme, row.applied_on).manifest;
      const perMonth = roundAmount(fromNumeric(row.unpaid).times(row.penalty_rate), rounding.mode, rounding.decimalPlaces);
      return [{ loan_id: row.loan_id, number: row.number, months: row.months, penalty: toDecimalString(perMonth.times(months)) }];
    });
    if (charges.length > 0)
      await trx.raw(
        `update loan_instalments i set penalty = i.penalty + c.penalty, penalty_months = c.months
         from jsonb_to_recordset(?::jsonb) as c (loan_id uuid, number integer, months integer, penalty numeric)
         where i.loan_id = c.loan_id and i.number = c.number`,
        [JSON.stringify(charges)],
      );
    const summary: LoanArrearsSummary = {
      date,
      loansInArrears: new Set(overdue.rows.map((row) => row.loan_id)).size,
      instalmentsCharged: charges.length,
      penalties: toAmountString(charges.reduce((sum, charge) => sum.plus(charge.penalty), amount('0'))),
    };
    await recordAudit(trx, actor, {
      action: 'loan.arrears.charge',
      entityType: 'job',
      entityId: `loan-arrears:${date}`,
      detail: { ...summary },
    });
    return summary;
  });
}

export const loanPortfolioQuerySchema = z.strictObject({ format: reportFormatSchema });

// Each LPA's loan portfolio today: loans out, principal outstanding, and
// portfolio at risk: the principal outstanding of loans with an instalment
// unpaid 1 or more days (PAR1) and 30 or more days (PAR30) after it fell
// due, as a share of all principal outstanding.
export async function loanPortfolio(db: Db, today: string, scope: ReportScope): Promise<ReportTable> {
  const rows = await db.raw<{
    rows: {
      lpa_id: string;
      lpa: string;
      regency_code: string;
      loans: string;
      outstanding: string;
      at_risk_1: string;
      loans_at_risk_1: string;
      at_risk_30: string;
      loans_at_risk_30: string;
    }[];
  }>(
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
  return {
    title: `Loan portfolio on ${today}`,
    about: {
      'as of': today,
      'portfolio at risk':
        'principal outstanding of loans with an instalment unpaid 1+ days (PAR1) or 30+ days (PAR30) after it fell due',
    },
    columns: [
      { key: 'regencyCode', header: 'Regency', kind: 'text' },
      { key: 'lpa', header: 'LPA', kind: 'text' },
      { key: 'loans', header: 'Loans out', kind: 'integer' },
      { key: 'outstanding', header: 'Principal outstanding', kind: 'amount' },
      { key: 'loansAtRisk1', header: 'Loans in arrears', kind: 'integer' },
      { key: 'atRisk1', header: 'At risk 1+ days', kind: 'amount' },
      { key: 'par1', header: 'PAR1', kind: 'text' },
      { key: 'loansAtRisk30', header: 'Loans 30+ days in arrears', kind: 'integer' },
      { key: 'atRisk30', header: 'At risk 30+ days', kind: 'amount' },
      { key: 'par30', header: 'PAR30', kind: 'text' },
    ],
    rows: rows.rows.map((row) => {
      const outstanding = fromNumeric(row.outstanding);
      return {
        regencyCode: row.regency_code,
        lpaId: row.lpa_id,
        lpa: row.lpa,
        loans: Number(row.loans),
        outstanding: toAmountString(outstanding),
        loansAtRisk1: Number(row.loans_at_risk_1),
        atRisk1: toAmountString(fromNumeric(row.at_risk_1)),
        par1: ratioOf(fromNumeric(row.at_risk_1), outstanding),
        loansAtRisk30: Number(row.loans_at_risk_30),
        atRisk30: toAmountString(fromNumeric(row.at_risk_30)),
        par30: ratioOf(fromNumeric(row.at_risk_30), outstanding),
      };
    }),
  };
}
