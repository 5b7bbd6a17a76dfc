import type { Knex } from 'knex';

// Each enrolment's coverage years as its dues left them, and whether
// premium assistance carried any of the year: written by the premium cycle
// in the statement that books the dues, so that retention by cohort reads
// one row per enrolment and year, not every due of every month. No foreign
// key: every row comes from a due, which has one, and checking each again
// would cost the cycle seconds per million members.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table enrolment_years (
      enrolment_id uuid not null,
      coverage_year integer not null check (coverage_year >= 1),
      subsidised boolean not null,
      primary key (enrolment_id, coverage_year)
    )
  `);
  await knex.raw(`
    insert into enrolment_years (enrolment_id, coverage_year, subsidised)
    select enrolment_id, coverage_year, bool_or(subsidy_share > 0) from premium_dues group by enrolment_id, coverage_year
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table enrolment_years');
}
