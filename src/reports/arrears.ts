import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { wholeNumberQuery } from '../shared/http/query.ts';
import { amount, fromNumeric, toAmountString } from '../money/index.ts';
import { ownShareArrears } from './store.ts';
import { type ReportColumn, reportOutputQuery, type ReportScope, type ReportTable, totalOf } from '../shared/table.ts';

export const arrearsReportQuerySchema = z.strictObject({
  monthsAtLeast: wholeNumberQuery(
    1,
    600,
    1,
    'Only participants with at least this many months unpaid; 1 (the default) lists everyone behind.',
  ),
  ...reportOutputQuery,
});
export type ArrearsReportQuery = z.output<typeof arrearsReportQuerySchema>;

// The arrears list (daftar tunggakan iuran) an LPA works from: every
// participant with an own share booked and unpaid, the oldest month unpaid,
// how many months and how much, whether the cover still stands (it does,
// unless their rules lapse for arrears or the re-check ended it) and when
// they were last reminded. Read from the dues as they stand today.
export async function arrearsReport(db: Db, query: ArrearsReportQuery, scope: ReportScope): Promise<ReportTable> {
  const rows = await ownShareArrears(db, query.monthsAtLeast, scope);
  const lines = rows.map((row) => ({
    lpa: row.lpa,
    participantId: row.participant_id,
    name: row.name,
    cardNumber: row.card_number,
    phone: row.phone,
    scheme: row.scheme,
    status: row.status,
    arrearsSince: row.arrears_since,
    monthsUnpaid: Number(row.months_unpaid),
    arrears: row.arrears,
    remindedOn: row.reminded_on,
  }));
  const total = rows.reduce((sum, row) => sum.plus(fromNumeric(row.arrears)), amount('0'));
  return {
    title: 'Own share in arrears',
    about: {
      asOf: 'the dues booked and paid today',
      monthsAtLeast: String(query.monthsAtLeast),
      participants: String(rows.length),
      arrears: toAmountString(total),
    },
    columns: arrearsColumns,
    rows: lines,
    totals: [totalOf(arrearsColumns, lines, { lpa: 'Total' })],
  };
}

const arrearsColumns: readonly ReportColumn[] = [
  { key: 'lpa', header: 'LPA', kind: 'text' },
  { key: 'participantId', header: 'Participant', kind: 'text' },
  { key: 'name', header: 'Name', kind: 'text' },
  { key: 'cardNumber', header: 'Card number', kind: 'text' },
  { key: 'phone', header: 'Phone', kind: 'text' },
  { key: 'scheme', header: 'Scheme', kind: 'text' },
  { key: 'status', header: 'Cover', kind: 'text' },
  { key: 'arrearsSince', header: 'Oldest month unpaid', kind: 'text' },
  { key: 'monthsUnpaid', header: 'Months unpaid', kind: 'integer' },
  { key: 'arrears', header: 'Own share unpaid', kind: 'amount' },
  { key: 'remindedOn', header: 'Last reminded', kind: 'text' },
];
