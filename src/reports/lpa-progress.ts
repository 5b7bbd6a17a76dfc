import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { dateRangeQuerySchema, type ReportScope, type ReportTable } from '../shared/table.ts';

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
  const rows = await db.raw<{
    rows: {
      lpa_id: string;
      lpa: string;
      regency_code: string;
      members: string;
      lapsed: string;
      cards_issued: string;
      cards_delivered: string;
      claims_filed: string;
      claims_accepted: string;
      claims_paid: string;
      paid_on_time: string;
      amount_paid: string;
      savers: string;
      savings: string;
      loans_disbursed: string;
      amount_disbursed: string;
      loans_outstanding: string;
      willing_to_save: string;
      saving_undeclared: string;
      attends_meeting: string;
      meeting_undeclared: string;
    }[];
  }>(
    `with enrolled as (
       select e.lpa_id, e.lapsed_on, p.willing_to_save, p.attends_monthly_meeting,
         e.enrolled_on <= ?::date and (e.lapsed_on is null or e.lapsed_on > ?::date) as in_cover
       from enrolments e join participants p on p.id = e.participant_id
       where e.status in ('active', 'lapsed')
     ), members as (
       select lpa_id,
         count(*) filter (where in_cover) as members,
         count(*) filter (where lapsed_on <= ?::date) as lapsed,
         count(*) filter (where in_cover and willing_to_save) as willing_to_save,
         count(*) filter (where in_cover and willing_to_save is null) as saving_undeclared,
         count(*) filter (where in_cover and attends_monthly_meeting) as attends_meeting,
         count(*) filter (where in_cover and attends_monthly_meeting is null) as meeting_undeclared
       from enrolled group by lpa_id
     ), cards as (
       select lpa_id, count(*) filter (where card_issued_on <= ?::date) as cards_issued,
         count(*) filter (where card_delivered_on <= ?::date) as cards_delivered
       from participants group by lpa_id
     ), filed as (
       select lpa_id, count(*) as claims_filed,
         count(*) filter (where accepted_on is not null) as claims_accepted,
         count(*) filter (where paid_on <= ?::date) as claims_paid,
         count(*) filter (where paid_on <= ?::date and (payment_due_on is null or paid_on <= payment_due_on)) as paid_on_time,
         coalesce(sum(amount) filter (where paid_on <= ?::date), 0) as amount_paid
       from claims where submitted_at::date between ?::date and ?::date group by lpa_id
     ), saved as (
       select a.lpa_id, a.participant_id, -sum(p.amount) as saved
       from ledger_accounts a join journal_postings p on p.account_id = a.id and p.entry_date <= ?::date
       where a.code in (?, ?) and a.owner_kind = 'participant'
       group by a.lpa_id, a.participant_id
     ), savings as (
       select lpa_id, count(*) filter (where saved > 0) as savers, sum(saved) as savings from saved group by lpa_id
     ), lent as (
       select lpa_id, count(*) as loans_disbursed, sum(amount) as amount_disbursed
       from loans where disbursed_on between ?::date and ?::date group by lpa_id
     ), owed as (
       select a.lpa_id, sum(p.amount) as loans_outstanding
       from ledger_accounts a join journal_postings p on p.account_id = a.id and p.entry_date <= ?::date
       where a.code = ? group by a.lpa_id
     )
     select l.id as lpa_id, l.name as lpa, l.regency_code,
       coalesce(m.members, 0) as members, coalesce(m.lapsed, 0) as lapsed,
       coalesce(c.cards_issued, 0) as cards_issued, coalesce(c.cards_delivered, 0) as cards_delivered,
       coalesce(f.claims_filed, 0) as claims_filed, coalesce(f.claims_accepted, 0) as claims_accepted,
       coalesce(f.claims_paid, 0) as claims_paid, coalesce(f.paid_on_time, 0) as paid_on_time,
       coalesce(f.amount_paid, 0) as amount_paid,
       coalesce(s.savers, 0) as savers, coalesce(s.savings, 0) as savings,
       coalesce(lent.loans_disbursed, 0) as loans_disbursed, coalesce(lent.amount_disbursed, 0) as amount_disbursed,
       coalesce(owed.loans_outstanding, 0) as loans_outstanding,
       coalesce(m.willing_to_save, 0) as willing_to_save, coalesce(m.saving_undeclared, 0) as saving_undeclared,
       coalesce(m.attends_meeting, 0) as attends_meeting, coalesce(m.meeting_undeclared, 0) as meeting_undeclared
     from lpas l
     left join members m on m.lpa_id = l.id
     left join cards c on c.lpa_id = l.id
     left join filed f on f.lpa_id = l.id
     left join savings s on s.lpa_id = l.id
     left join lent on lent.lpa_id = l.id
     left join owed on owed.lpa_id = l.id
     where l.status = 'approved' and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     order by l.regency_code, l.name, l.id`,
    [
      to,
      to,
      to,
      to,
      to,
      to,
      to,
      to,
      from,
      to,
      to,
      chart.mandatorySavings.code,
      chart.voluntarySavings.code,
      from,
      to,
      to,
      chart.loansReceivable.code,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return {
    title: `LPA progress ${from} to ${to}`,
    about: {
      members: `in cover at the end of ${to}; lapsed by then`,
      claims: `filed from ${from} to ${to}; paid by ${to}`,
      'savings and loans': `savings and principal outstanding at the end of ${to}; loans disbursed from ${from} to ${to}`,
      declarations: `of the members in cover at the end of ${to}, as each one's latest record says: declared willing to save at a bank or cooperative, declared to attend a capacity-building meeting monthly, and not declared (never asked)`,
    },
    columns: [
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
    ],
    rows: rows.rows.map((row) => ({
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
    })),
  };
}
