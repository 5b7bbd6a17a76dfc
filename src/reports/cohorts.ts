import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import type { ReportScope } from '../shared/table.ts';
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
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be before from' });
export type SubsidyCostQuery = z.output<typeof subsidyCostQuerySchema>;

export const subsidyCostRowSchema = z.object({
  period: z.string().meta({ description: 'The month, YYYY-MM.' }),
  code: z.string().meta({ description: 'Province (2 digits) or regency (4 digits) code, or the LPA id.' }),
  name: z.string(),
  dues: z.int().meta({ description: 'Enrolments with a due that month.' }),
  premium: z.string(),
  subsidy: z.string().meta({ description: 'What premium assistance (the state budget) carries.' }),
  own: z.string().meta({ description: 'The participants’ own share.' }),
  ownPaid: z.string().meta({ description: 'Of the own share, what participants have paid so far.' }),
});
export type SubsidyCostRow = z.infer<typeof subsidyCostRowSchema>;

export async function subsidyCost(db: Db, query: SubsidyCostQuery, scope: ReportScope): Promise<SubsidyCostRow[]> {
  const rows = await subsidyCostByMonth(db, query, scope);
  return rows.map((row) => ({
    period: row.period,
    code: row.code,
    name: row.name,
    dues: Number(row.dues),
    premium: row.premium,
    subsidy: row.subsidy,
    own: row.own,
    ownPaid: row.own_paid,
  }));
}

export const retentionQuerySchema = z.strictObject({
  scheme: z.string().min(1).max(100).optional().meta({ description: 'Only enrolments of this scheme.' }),
});

export const retentionRowSchema = z.object({
  cohort: z.string().meta({ description: 'The year of enrolment.' }),
  coverageYear: z.int(),
  enrolled: z.int().meta({ description: 'Enrolments of the cohort (accepted, whatever became of them).' }),
  retained: z.int().meta({ description: 'Of them, those with at least one month of cover booked in this coverage year.' }),
  subsidised: z.int().meta({ description: 'Retained with premium assistance carrying part of a month’s premium.' }),
  selfPaying: z.int().meta({ description: 'Retained with no premium assistance in the year: they carry the whole premium.' }),
  selfPayingPaidUp: z.int().meta({ description: 'Self-paying with every own share of the year paid: graduated (mandiri).' }),
});
export type RetentionRow = z.infer<typeof retentionRowSchema>;

// Retention and graduation by cohort, as the study follows Gunung Mas (600
// enrolled, 253 still members once the subsidy ended): for each year of
// enrolment and each coverage year, how many still had cover booked, and
// how many of those had moved from premium assistance to paying their own way.
// Read from enrolment_years, which the cycle keeps with the dues it books,
// and the dues still unpaid.
export async function retentionByCohort(db: Db, scheme: string | undefined, scope: ReportScope): Promise<RetentionRow[]> {
  const rows = await cohortRetention(db, scheme, scope);
  return rows.map((row) => ({
    cohort: row.cohort,
    coverageYear: row.coverage_year,
    enrolled: Number(row.enrolled),
    retained: Number(row.retained),
    subsidised: Number(row.subsidised),
    selfPaying: Number(row.self_paying),
    selfPayingPaidUp: Number(row.self_paying_paid_up),
  }));
}
