import type { Knex } from 'knex';

// The LPA honorarium of a month: for each LPA, the premium assistance
// channelled for its participants (the subsidy shares of the month's dues),
// the rate the lpa rules in force for the month set, and the honorarium,
// with the rule version and the ledger entry that booked it (honorarium
// expense against the LPA's honorarium payable). One row per month, scheme,
// coverage year and LPA: the guard that books nobody twice.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table lpa_honoraria (
      period date not null check (extract(day from period) = 1),
      rule_scheme text not null,
      coverage_year integer not null check (coverage_year >= 1),
      lpa_id uuid not null references lpas (id),
      participants integer not null check (participants > 0),
      subsidy numeric(17, 2) not null check (subsidy > 0),
      rate numeric(9, 6) not null check (rate >= 0 and rate <= 1),
      honorarium numeric(17, 2) not null check (honorarium >= 0),
      rule_version text not null,
      rule_hash text not null,
      entry_id uuid not null references journal_entries (id) deferrable initially deferred,
      booked_at timestamptz not null default now(),
      primary key (period, rule_scheme, coverage_year, lpa_id),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version)
    )
  `);
  await knex.raw('create index lpa_honoraria_lpa on lpa_honoraria (lpa_id, period)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table lpa_honoraria');
}
