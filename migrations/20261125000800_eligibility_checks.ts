import type { Knex } from 'knex';

// The yearly re-check: at each anniversary of an enrolment the eligibility
// rules in force that day decide again, on the criteria, not only age. Each
// check is kept with its reasons and the rule version that made it; one per
// enrolment and coverage year, so a re-run checks nobody twice. A failed
// check lapses the enrolment.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table eligibility_checks (
      id uuid primary key default gen_random_uuid(),
      enrolment_id uuid not null references enrolments (id),
      coverage_year integer not null check (coverage_year >= 2),
      checked_on date not null,
      outcome text not null check (outcome in ('kept', 'lapsed')),
      reasons jsonb not null,
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      facts jsonb not null,
      events jsonb not null,
      checked_at timestamptz not null default now(),
      unique (enrolment_id, coverage_year),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version)
    )
  `);
  await knex.raw('alter table enrolments add column lapsed_on date');
  await knex.raw(
    `alter table enrolments add constraint enrolments_lapse_date check ((status = 'lapsed') = (lapsed_on is not null))`,
  );
  // Scheduled work, one row per job and period: a period done is never done
  // again, and a live runner's heartbeat keeps a second one from starting.
  await knex.raw(`
    create table job_runs (
      job text not null,
      period text not null,
      status text not null check (status in ('running', 'done', 'failed')),
      started_at timestamptz not null default now(),
      heartbeat_at timestamptz not null default now(),
      finished_at timestamptz,
      detail jsonb not null default '{}'::jsonb,
      failure text,
      primary key (job, period)
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table job_runs');
  await knex.raw('alter table enrolments drop constraint enrolments_lapse_date');
  await knex.raw('alter table enrolments drop column lapsed_on');
  await knex.raw('drop table eligibility_checks');
}
