import type { Knex } from 'knex';

// Each enrolment's coverage years as its dues left them: whether premium
// assistance carried any of the year, how many dues it had and how many of
// them still have an own share unpaid. Kept in step by the writers of dues
// (the premium cycle inserts, a contribution pays) so that retention by
// cohort reads one row per enrolment and year, not every due of every month.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table enrolment_years (
      enrolment_id uuid not null references enrolments (id),
      coverage_year integer not null check (coverage_year >= 1),
      subsidised boolean not null,
      dues integer not null check (dues > 0),
      own_unpaid integer not null check (own_unpaid >= 0 and own_unpaid <= dues),
      primary key (enrolment_id, coverage_year)
    )
  `);
  await knex.raw(`
    insert into enrolment_years (enrolment_id, coverage_year, subsidised, dues, own_unpaid)
    select enrolment_id, coverage_year, bool_or(subsidy_share > 0), count(*), count(*) filter (where own_paid < own_share)
    from premium_dues group by enrolment_id, coverage_year
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table enrolment_years');
}
