import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { monthSchema } from '../ledger/model.ts';
import type { ReportScope } from '../shared/table.ts';

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

const groupings = {
  province: { code: 'r.province_code', name: 'p.name' },
  regency: { code: 'l.regency_code', name: 'r.name' },
  lpa: { code: 'l.id::text', name: 'l.name' },
} as const;

export async function subsidyCost(db: Db, query: SubsidyCostQuery, scope: ReportScope): Promise<SubsidyCostRow[]> {
  const group = groupings[query.by];
  const rows = await db.raw<{
    rows: {
      period: string;
      code: string;
      name: string;
      dues: string;
      premium: string;
      subsidy: string;
      own: string;
      own_paid: string;
    }[];
  }>(
    // Summed by month and LPA first (one pass over the dues), named after.
    `with sums as (
       select d.period, d.lpa_id, count(*) as dues, sum(d.premium) as premium, sum(d.subsidy_share) as subsidy,
         sum(d.own_share) as own, sum(d.own_paid) as own_paid
       from premium_dues d
       where d.period between ?::date and ?::date and (?::uuid is null or d.lpa_id = ?::uuid)
       group by d.period, d.lpa_id
     )
     select to_char(d.period, 'YYYY-MM') as period, ${group.code} as code, ${group.name} as name, sum(d.dues) as dues,
       sum(d.premium) as premium, sum(d.subsidy) as subsidy, sum(d.own) as own, sum(d.own_paid) as own_paid
     from sums d
     join lpas l on l.id = d.lpa_id
     join regencies r on r.code = l.regency_code
     join provinces p on p.code = r.province_code
     where (?::text is null or l.regency_code = ?::text)
     group by 1, 2, 3
     order by 1, 2`,
    [
      `${query.from}-01`,
      `${query.to}-01`,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
    ],
  );
  return rows.rows.map((row) => ({
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
  const rows = await db.raw<{
    rows: {
      cohort: string;
      coverage_year: number;
      enrolled: string;
      retained: string;
      subsidised: string;
      self_paying: string;
      self_paying_paid_up: string;
    }[];
  }>(
    `with cohort_enrolments as (
       select e.id, to_char(e.enrolled_on, 'YYYY') as cohort
       from enrolments e join lpas l on l.id = e.lpa_id
       where e.status in ('active', 'lapsed') and (?::text is null or e.rule_scheme = ?::text)
         and (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     ), cohort_sizes as (
       select cohort, count(*) as enrolled from cohort_enrolments group by cohort
     ), unpaid as (
       -- Few dues are unpaid: one filtered pass finds them.
       select distinct enrolment_id, coverage_year from premium_dues where own_paid < own_share
     )
     select c.cohort, y.coverage_year, s.enrolled, count(*) as retained,
       count(*) filter (where y.subsidised) as subsidised,
       count(*) filter (where not y.subsidised) as self_paying,
       count(*) filter (where not y.subsidised and u.enrolment_id is null) as self_paying_paid_up
     from enrolment_years y join cohort_enrolments c on c.id = y.enrolment_id join cohort_sizes s on s.cohort = c.cohort
     left join unpaid u on u.enrolment_id = y.enrolment_id and u.coverage_year = y.coverage_year
     group by c.cohort, y.coverage_year, s.enrolled
     order by c.cohort, y.coverage_year`,
    [
      scheme ?? null,
      scheme ?? null,
      scope.regencyCode ?? null,
      scope.regencyCode ?? null,
      scope.lpaId ?? null,
      scope.lpaId ?? null,
    ],
  );
  return rows.rows.map((row) => ({
    cohort: row.cohort,
    coverageYear: row.coverage_year,
    enrolled: Number(row.enrolled),
    retained: Number(row.retained),
    subsidised: Number(row.subsidised),
    selfPaying: Number(row.self_paying),
    selfPayingPaidUp: Number(row.self_paying_paid_up),
  }));
}
