import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { entrySequenceRange, honorariaOfLpas, honorariumRuleVersions } from './store.ts';
import {
  type ReportColumn,
  reportOutputQuery,
  type ReportRow,
  type ReportScope,
  type ReportTable,
  totalOf,
} from '../shared/table.ts';

export const honorariumReportQuerySchema = z.strictObject({
  period: monthSchema.meta({ description: 'The month, YYYY-MM.' }),
  ...reportOutputQuery,
});

// The honorarium of a month, LPA by LPA: members served, premium assistance
// channelled, the rate, the honorarium and strengthening grants booked, what finance paid the LPA in
// the month and what it was still owed at the month's end (from the ledger).
export async function honorariumReport(db: Db, period: string, scope: ReportScope): Promise<ReportTable> {
  const periodEnd = lastDayOfMonth(period);
  const lines = (await honorariaOfLpas(db, period, scope)).map(line);
  const versions = await honorariumRuleVersions(db, period);
  const entries = await entrySequenceRange(db, { referenceTypes: ['lpa-honorarium', 'lpa-strengthening'], referenceId: period });
  return {
    title: `LPA honorarium ${period}`,
    about: {
      period,
      'rule versions': versions ?? 'none',
      'ledger entries (sequence)': entries === null ? 'none' : `${entries.first} to ${entries.last}`,
      'paid and outstanding': `payments dated in ${period}; what the LPA was owed at the end of ${periodEnd}`,
    },
    columns: honorariumColumns,
    rows: lines,
    totals: [totalOf(honorariumColumns, lines, { lpa: 'Total' })],
  };
}

const honorariumColumns: readonly ReportColumn[] = [
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
];

function line(row: Awaited<ReturnType<typeof honorariaOfLpas>>[number]): ReportRow {
  return {
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
  };
}
