import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { monthSchema } from '../ledger/model.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { entrySequenceRange, lpaAccountTotals } from '../ledger/store.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { reportFormatSchema, type ReportScope, type ReportTable } from '../shared/table.ts';

export const honorariumReportQuerySchema = z.strictObject({
  period: monthSchema.meta({ description: 'The month, YYYY-MM.' }),
  format: reportFormatSchema,
});

// The honorarium of a month, LPA by LPA: members served, premium assistance
// channelled, the rate, the honorarium and strengthening grants booked, what finance paid the LPA in
// the month and what it was still owed at the month's end (from the ledger).
export async function honorariumReport(db: Db, period: string, scope: ReportScope): Promise<ReportTable> {
  const periodStart = `${period}-01`;
  const periodEnd = lastDayOfMonth(period);
  const rows = await db.raw<{
    rows: {
      lpa_id: string;
      lpa: string;
      regency_code: string;
      rates: string;
      participants: string;
      subsidy: string;
      honorarium: string;
      paid: string | null;
      outstanding: string | null;
      grants: string | null;
    }[];
  }>(
    `with payable as (?)
     select l.id as lpa_id, l.name as lpa, l.regency_code, string_agg(distinct trim_scale(h.rate)::text, '; ') as rates,
       sum(h.participants) as participants, sum(h.subsidy) as subsidy, sum(h.honorarium) as honorarium,
       max(payable.moved) as paid, -max(payable.balance) as outstanding,
       (select sum(s.amount) from lpa_strengthening s where s.lpa_id = l.id and s.period = ?::date) as grants
     from lpa_honoraria h
     join lpas l on l.id = h.lpa_id
     left join payable on payable.lpa_id = l.id
     where h.period = ?::date and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     group by l.id, l.name, l.regency_code
     order by l.regency_code, l.name, l.id`,
    [
      lpaAccountTotals(db, {
        code: chart.lpaHonorariumPayable.code,
        movedBy: 'lpa-honorarium-payment',
        from: periodStart,
        to: periodEnd,
      }),
      periodStart,
      periodStart,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  const versions = await db.raw<{ rows: { versions: string | null }[] }>(
    `select string_agg(distinct rule_scheme || '@' || rule_version, ', ') as versions
     from (select rule_scheme, rule_version from lpa_honoraria where period = ?::date
           union select rule_scheme, rule_version from lpa_strengthening where period = ?::date) decided`,
    [periodStart, periodStart],
  );
  const entries = await entrySequenceRange(db, { referenceTypes: ['lpa-honorarium', 'lpa-strengthening'], referenceId: period });
  return {
    title: `LPA honorarium ${period}`,
    about: {
      period,
      'rule versions': versions.rows[0]?.versions ?? 'none',
      'ledger entries (sequence)': entries === null ? 'none' : `${entries.first} to ${entries.last}`,
      'paid and outstanding': `payments dated in ${period}; what the LPA was owed at the end of ${periodEnd}`,
    },
    columns: [
      { key: 'lpaId', header: 'LPA id', kind: 'text' },
      { key: 'lpa', header: 'LPA', kind: 'text' },
      { key: 'regencyCode', header: 'Regency', kind: 'text' },
      { key: 'participants', header: 'Participants', kind: 'integer' },
      { key: 'subsidy', header: 'Premium assistance channelled', kind: 'amount' },
      { key: 'rate', header: 'Rate', kind: 'text' },
      { key: 'honorarium', header: 'Honorarium', kind: 'amount' },
      { key: 'grants', header: 'Strengthening grants', kind: 'amount' },
      { key: 'paid', header: 'Paid in the month', kind: 'amount' },
      { key: 'outstanding', header: 'Outstanding at month end', kind: 'amount' },
    ],
    rows: rows.rows.map((row) => ({
      lpaId: row.lpa_id,
      lpa: row.lpa,
      regencyCode: row.regency_code,
      participants: Number(row.participants),
      subsidy: row.subsidy,
      rate: row.rates,
      honorarium: row.honorarium,
      grants: toAmountString(fromNumeric(row.grants ?? '0')),
      paid: toAmountString(fromNumeric(row.paid ?? '0')),
      outstanding: toAmountString(fromNumeric(row.outstanding ?? '0')),
    })),
  };
}
