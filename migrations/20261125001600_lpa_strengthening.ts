import type { Knex } from 'knex';

// LPA strengthening (penguatan LPA). An LPA submits a progress report for
// each finished month (the figures are the system's; the LPA adds what it
// did); how promptly it reports is one of the facts the lpa rules weigh.
// Each month the rules decide, per LPA, scheme and coverage year of the
// members entering that year, whether a strengthening grant is due: the
// decision keeps its facts, its reasons and the rule version, and a grant
// names the entry that booked it (strengthening expense against the LPA's
// payable). One row per month, LPA, scheme and coverage year: the guard that
// decides nobody twice.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table lpa_progress_reports (
      lpa_id uuid not null references lpas (id),
      period date not null check (extract(day from period) = 1),
      submitted_on date not null check (submitted_on > period),
      notes text not null check (char_length(notes) between 1 and 4000),
      submitted_by text not null,
      submitted_at timestamptz not null default now(),
      primary key (lpa_id, period)
    )
  `);
  await knex.raw(`
    create table lpa_strengthening (
      period date not null check (extract(day from period) = 1),
      lpa_id uuid not null references lpas (id),
      rule_scheme text not null,
      coverage_year integer not null check (coverage_year >= 1),
      participants integer not null check (participants > 0),
      facts jsonb not null,
      granted boolean not null,
      amount numeric(17, 2) not null check (amount >= 0),
      reasons jsonb not null,
      rule_version text not null,
      rule_hash text not null,
      entry_id uuid references journal_entries (id) deferrable initially deferred,
      decided_at timestamptz not null default now(),
      primary key (period, lpa_id, rule_scheme, coverage_year),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      check (granted = (amount > 0)),
      check (granted = (entry_id is not null)),
      check (granted = (jsonb_array_length(reasons) = 0))
    )
  `);
  await knex.raw('create index lpa_strengthening_lpa on lpa_strengthening (lpa_id, period)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table lpa_strengthening');
  await knex.raw('drop table lpa_progress_reports');
}
