import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { amount, fromNumeric, ratioOf, roundAmount, toAmountString, toDecimalString } from '../money/index.ts';
import { versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { chargeInstalmentPenalties, lockOverdueInstalments, portfolioOfLpas } from './store.ts';
import { type ReportColumn, type ReportScope, type ReportTable, totalOf } from '../shared/table.ts';

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
    const overdue = await lockOverdueInstalments(trx, date);
    const charges = overdue.flatMap((row) => {
      const months = row.months - row.penalty_months;
      if (months <= 0 || fromNumeric(row.penalty_rate).isZero()) return [];
      const { rounding } = versionInForce(book, row.rule_scheme, row.applied_on).manifest;
      const perMonth = roundAmount(fromNumeric(row.unpaid).times(row.penalty_rate), rounding.mode, rounding.decimalPlaces);
      return [{ loan_id: row.loan_id, number: row.number, months: row.months, penalty: toDecimalString(perMonth.times(months)) }];
    });
    if (charges.length > 0) await chargeInstalmentPenalties(trx, charges);
    const summary: LoanArrearsSummary = {
      date,
      loansInArrears: new Set(overdue.map((row) => row.loan_id)).size,
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

// Each LPA's loan portfolio today: loans out, principal outstanding, and
// portfolio at risk: the principal outstanding of loans with an instalment
// unpaid 1 or more days (PAR1) and 30 or more days (PAR30) after it fell
// due, as a share of all principal outstanding.
export async function loanPortfolio(db: Db, today: string, scope: ReportScope): Promise<ReportTable> {
  const rows = await portfolioOfLpas(db, today, scope);
  const lines = rows.map((row) => {
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
  });
  // PAR of the whole portfolio: what is at risk of all that is out, not an average of the LPAs' ratios.
  const total = totalOf(portfolioColumns, lines, { lpa: 'Total' });
  const shareOfOutstanding = (key: string) => ratioOf(fromNumeric(String(total[key])), fromNumeric(String(total.outstanding)));
  return {
    title: `Loan portfolio on ${today}`,
    about: {
      'as of': today,
      'portfolio at risk':
        'principal outstanding of loans with an instalment unpaid 1+ days (PAR1) or 30+ days (PAR30) after it fell due',
    },
    columns: portfolioColumns,
    rows: lines,
    totals: [{ ...total, par1: shareOfOutstanding('atRisk1'), par30: shareOfOutstanding('atRisk30') }],
  };
}

const portfolioColumns: readonly ReportColumn[] = [
  { key: 'regencyCode', header: 'Regency', kind: 'text' },
  { key: 'lpa', header: 'LPA', kind: 'text' },
  { key: 'loans', header: 'Loans out', kind: 'integer' },
  { key: 'outstanding', header: 'Principal outstanding', kind: 'amount' },
  { key: 'loansAtRisk1', header: 'Loans in arrears', kind: 'integer' },
  { key: 'atRisk1', header: 'At risk 1+ days', kind: 'amount' },
  { key: 'par1', header: 'PAR1', kind: 'ratio' },
  { key: 'loansAtRisk30', header: 'Loans 30+ days in arrears', kind: 'integer' },
  { key: 'atRisk30', header: 'At risk 30+ days', kind: 'amount' },
  { key: 'par30', header: 'PAR30', kind: 'ratio' },
];
