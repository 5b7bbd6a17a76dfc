import type { Db } from '../db/knex.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { lpaProgressOf } from './store.ts';
import { dateRangeQuerySchema, type ReportColumn, type ReportScope, type ReportTable, totalOf } from '../shared/table.ts';

export const lpaProgressQuerySchema = dateRangeQuerySchema(
  'First day of the period claims are counted in.',
  'Last day; members and cards are counted as of its end.',
);

// The LPA's progress report, a duty the study gives every LPA, for its
// regency's social office and the directorate: members in cover and lapsed,
// membership cards issued and delivered, and the claims of the period: filed,
// accepted, paid, and paid by their deadline; and its savings and loans:
// members with savings and what they hold, loans disbursed in the period,
// and principal still out, from the ledger as of the period's end. Last, of
// the members in cover, how many declared they will save at a bank or
// cooperative and attend the monthly capacity-building meeting (the 2012
// programme rules' criteria), and how many were never asked: an LPA that
// leaves them undeclared sees it here, and so does the directorate.
export async function lpaProgressReport(db: Db, from: string, to: string, scope: ReportScope): Promise<ReportTable> {
  const lines = (await lpaProgressOf(db, from, to, scope)).map((row) => ({
    lpaId: row.lpa_id,
    lpa: row.lpa,
    regencyCode: row.regency_code,
    members: Number(row.members),
    lapsed: Number(row.lapsed),
    cardsIssued: Number(row.cards_issued),
    cardsDelivered: Number(row.cards_delivered),
    claimsFiled: Number(row.claims_filed),
    claimsAccepted: Number(row.claims_accepted),
    claimsPaid: Number(row.claims_paid),
    paidOnTime: Number(row.paid_on_time),
    amountPaid: toAmountString(fromNumeric(row.amount_paid)),
    savers: Number(row.savers),
    savings: toAmountString(fromNumeric(row.savings)),
    loansDisbursed: Number(row.loans_disbursed),
    amountDisbursed: toAmountString(fromNumeric(row.amount_disbursed)),
    loansOutstanding: toAmountString(fromNumeric(row.loans_outstanding)),
    willingToSave: Number(row.willing_to_save),
    savingUndeclared: Number(row.saving_undeclared),
    attendsMeeting: Number(row.attends_meeting),
    meetingUndeclared: Number(row.meeting_undeclared),
  }));
  return {
    title: `LPA progress ${from} to ${to}`,
    about: {
      members: `in cover at the end of ${to}; lapsed by then`,
      claims: `filed from ${from} to ${to}; paid by ${to}`,
      'savings and loans': `savings and principal outstanding at the end of ${to}; loans disbursed from ${from} to ${to}`,
      declarations: `of the members in cover at the end of ${to}, as each one's latest record says: declared willing to save at a bank or cooperative, declared to attend a capacity-building meeting monthly, and not declared (never asked)`,
    },
    columns: lpaProgressColumns,
    rows: lines,
    totals: [totalOf(lpaProgressColumns, lines, { lpa: 'Total' })],
  };
}

const lpaProgressColumns: readonly ReportColumn[] = [
  { key: 'lpaId', header: 'LPA id', kind: 'text' },
  { key: 'lpa', header: 'LPA', kind: 'text' },
  { key: 'regencyCode', header: 'Regency', kind: 'text' },
  { key: 'members', header: 'Members in cover', kind: 'integer' },
  { key: 'lapsed', header: 'Lapsed', kind: 'integer' },
  { key: 'cardsIssued', header: 'Cards issued', kind: 'integer' },
  { key: 'cardsDelivered', header: 'Cards delivered', kind: 'integer' },
  { key: 'claimsFiled', header: 'Claims filed', kind: 'integer' },
  { key: 'claimsAccepted', header: 'Claims accepted', kind: 'integer' },
  { key: 'claimsPaid', header: 'Claims paid', kind: 'integer' },
  { key: 'paidOnTime', header: 'Paid by the deadline', kind: 'integer' },
  { key: 'amountPaid', header: 'Amount paid', kind: 'amount' },
  { key: 'savers', header: 'Members with savings', kind: 'integer' },
  { key: 'savings', header: 'Savings held', kind: 'amount' },
  { key: 'loansDisbursed', header: 'Loans disbursed', kind: 'integer' },
  { key: 'amountDisbursed', header: 'Amount disbursed', kind: 'amount' },
  { key: 'loansOutstanding', header: 'Loan principal outstanding', kind: 'amount' },
  // Added last, so a spreadsheet that reads the columns above by position still reads them.
  { key: 'willingToSave', header: 'Willing to save at a bank or cooperative', kind: 'integer' },
  { key: 'savingUndeclared', header: 'Saving not declared', kind: 'integer' },
  { key: 'attendsMeeting', header: 'At the monthly meeting', kind: 'integer' },
  { key: 'meetingUndeclared', header: 'Monthly meeting not declared', kind: 'integer' },
];
