import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { wholeNumberQuery } from '../shared/http/query.ts';
import { amount, fromNumeric, toAmountString } from '../money/index.ts';
import { reportFormatSchema, type ReportScope, type ReportTable } from '../shared/table.ts';

export const arrearsReportQuerySchema = z.strictObject({
  monthsAtLeast: wholeNumberQuery(
    1,
    600,
    1,
    'Only participants with at least this many months unpaid; 1 (the default) lists everyone behind.',
  ),
  format: reportFormatSchema,
});
export type ArrearsReportQuery = z.output<typeof arrearsReportQuerySchema>;

// The arrears list (daftar tunggakan iuran) an LPA works from: every
// participant with an own share booked and unpaid, the oldest month unpaid,
// how many months and how much, whether the cover still stands (it does,
// unless their rules lapse for arrears or the re-check ended it) and when
// they were last reminded. Read from the dues as they stand today.
export async function arrearsReport(db: Db, query: ArrearsReportQuery, scope: ReportScope): Promise<ReportTable> {
  const rows = await db.raw<{
    rows: {
      lpa: string;
      participant_id: string;
      name: string;
      card_number: string | null;
      phone: string | null;
      scheme: string;
      status: string;
      arrears_since: string;
      months_unpaid: string;
      arrears: string;
      reminded_on: string | null;
    }[];
  }>(
    `with behind as (
       select d.enrolment_id, min(d.period) as arrears_since, count(*) as months_unpaid, sum(d.own_share - d.own_paid) as arrears
       from premium_dues d
       where d.own_paid < d.own_share and (?::uuid is null or d.lpa_id = ?::uuid)
       group by d.enrolment_id having count(*) >= ?
     )
     select l.name as lpa, p.id as participant_id, p.name, p.card_number, p.phone, e.rule_scheme as scheme,
       case when exists (select 1 from claims c where c.participant_id = p.id and c.claim_type = 'death'
                          and c.status in ('approved', 'paid')) then 'died'
         when e.status = 'active' then 'in cover' else 'cover ended' end as status,
       to_char(b.arrears_since, 'YYYY-MM') as arrears_since, b.months_unpaid, b.arrears::text as arrears,
       (select to_char(max(n.decided_on), 'YYYY-MM-DD') from notices n
         where n.participant_id = p.id and n.kind = 'arrears-reminder') as reminded_on
     from behind b
     join enrolments e on e.id = b.enrolment_id
     join participants p on p.id = e.participant_id
     join lpas l on l.id = e.lpa_id
     where (?::text is null or l.regency_code = ?::text)
     order by l.name, b.months_unpaid desc, b.arrears_since, p.name, p.id`,
    [scope.lpaId ?? null, scope.lpaId ?? null, query.monthsAtLeast, scope.regencyCode ?? null, scope.regencyCode ?? null],
  );
  const total = rows.rows.reduce((sum, row) => sum.plus(fromNumeric(row.arrears)), amount('0'));
  return {
    title: 'Own share in arrears',
    about: {
      asOf: 'the dues booked and paid today',
      monthsAtLeast: String(query.monthsAtLeast),
      participants: String(rows.rows.length),
      arrears: toAmountString(total),
    },
    columns: [
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
    ],
    rows: rows.rows.map((row) => ({
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
    })),
  };
}
