import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import { fromNumeric, ratioOf } from '../money/index.ts';
import { type ReportColumn, reportOutputQuery, type ReportScope, type ReportTable, totalOf } from '../shared/table.ts';
import { cohortRetention, subsidyCostByMonth } from './store.ts';

// What the premium cycles cost the state and who stays: the figures the
// directorate and finance read month by month, from the dues the cycles
// booked (never recomputed from rules, so they match the ledger).

export const subsidyCostGroupings = ['province', 'regency', 'lpa'] as const;

export const subsidyCostQuerySchema = z
  .strictObject({
    from: monthSchema.meta({ description: 'First month, YYYY-MM.' }),
    to: monthSchema.meta({ description: 'Last month, YYYY-MM.' }),
    by: z.enum(subsidyCostGroupings).default('province'),
    ...reportOutputQuery,
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' });
// What the figures depend on; the format and locale only render them.
export type SubsidyCostQuery = Pick<z.output<typeof subsidyCostQuerySchema>, 'from' | 'to' | 'by'>;

// The dues of each month and area, and what they add up to over the months.
export async function subsidyCostReport(db: Db, query: SubsidyCostQuery, scope: ReportScope): Promise<ReportTable> {
  const found = await subsidyCostByMonth(db, query, scope);
  const columns: ReportColumn[] = [
    { key: 'period', header: 'Month', kind: 'text' },
    { key: 'code', header: query.by === 'lpa' ? 'LPA id' : query.by === 'regency' ? 'Regency' : 'Province', kind: 'text' },
    { key: 'name', header: 'Name', kind: 'text' },
    { key: 'dues', header: 'Enrolments with a due', kind: 'integer' },
    { key: 'premium', header: 'Premium', kind: 'amount' },
    { key: 'subsidy', header: 'Premium assistance', kind: 'amount' },
    { key: 'own', header: 'Own share', kind: 'amount' },
    { key: 'ownPaid', header: 'Own share paid', kind: 'amount' },
  ];
  const rows = found.map((row) => ({
    period: row.period,
    code: row.code,
    name: row.name,
    dues: Number(row.dues),
    premium: row.premium,
    subsidy: row.subsidy,
    own: row.own,
    ownPaid: row.own_paid,
  }));
  return {
    title: `Subsidy cost ${query.from} to ${query.to}`,
    about: {
      months: `${query.from} to ${query.to}`,
      by: query.by,
      dues: 'as the premium cycles booked them; premium assistance is what the state budget carries',
      'own share paid': 'what participants have paid of it so far',
    },
    columns,
    rows,
    totals: [totalOf(columns, rows, { period: 'Total' })],
  };
}

export const retentionQuerySchema = z.strictObject({
  scheme: z.string().min(1).max(100).optional().meta({ description: 'Only enrolments of this scheme.' }),
  ...reportOutputQuery,
});

// Retention and graduation by cohort, as the study follows Gunung Mas (600
// enrolled, 253 still members once the subsidy ended): for each year of
// enrolment and each coverage year, how many still had cover booked, and
// how many of those had moved from premium assistance to paying their own way.
// Read from enrolment_years, which the cycle keeps with the dues it books,
// and the dues still unpaid.
export async function retentionReport(db: Db, scheme: string | undefined, scope: ReportScope): Promise<ReportTable> {
  const found = await cohortRetention(db, scheme, scope);
  return {
    title: 'Retention by cohort',
    about: {
      scheme: scheme ?? 'every scheme',
      cohort: 'the year of enrolment; enrolled counts every accepted enrolment, whatever became of it',
      retained: 'at least one month of cover booked in the coverage year',
      'self-paying':
        'retained with no premium assistance in the year; paid up: every own share of the year paid (graduated, mandiri)',
    },
    columns: [
      { key: 'cohort', header: 'Cohort', kind: 'text' },
      { key: 'coverageYear', header: 'Coverage year', kind: 'integer' },
      { key: 'enrolled', header: 'Enrolled', kind: 'integer' },
      { key: 'retained', header: 'Retained', kind: 'integer' },
      { key: 'retention', header: 'Retention', kind: 'ratio' },
      { key: 'subsidised', header: 'Subsidised', kind: 'integer' },
      { key: 'selfPaying', header: 'Self-paying', kind: 'integer' },
      { key: 'selfPayingPaidUp', header: 'Self-paying and paid up', kind: 'integer' },
    ],
    // A cohort is counted again in each coverage year, so its rows have no total.
    rows: found.map((row) => ({
      cohort: row.cohort,
      coverageYear: row.coverage_year,
      enrolled: Number(row.enrolled),
      retained: Number(row.retained),
      retention: ratioOf(fromNumeric(row.retained), fromNumeric(row.enrolled)),
      subsidised: Number(row.subsidised),
      selfPaying: Number(row.self_paying),
      selfPayingPaidUp: Number(row.self_paying_paid_up),
    })),
  };
}
