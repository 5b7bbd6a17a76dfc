import type { Knex } from 'knex';

// The IBNR reserve (claims incurred but not reported) each scheme holds at a
// month's end, by the method its rules in force then declare: the premium
// earned that the estimate is a share of, the estimate, what was held
// before, and the entry that moved the difference between claims expense
// (5100) and the IBNR reserve (2200); none when nothing moved. One row per
// month and scheme: the guard that estimates nobody twice.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table ibnr_estimates (
      period date not null check (extract(day from period) = 1),
      rule_scheme text not null,
      method text not null check (method in ('earned-premium-share', 'none')),
      rate numeric(9, 6) check (rate >= 0 and rate <= 1),
      months integer check (months > 0),
      earned numeric(17, 2) not null check (earned >= 0),
      ibnr numeric(17, 2) not null check (ibnr >= 0),
      held_before numeric(17, 2) not null,
      rule_version text,
      rule_hash text,
      entry_id uuid references journal_entries (id) deferrable initially deferred,
      estimated_at timestamptz not null default now(),
      primary key (period, rule_scheme),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      check ((method = 'none') = (rate is null) and (rate is null) = (months is null)),
      check ((rule_version is null) = (rule_hash is null)),
      check ((entry_id is null) = (ibnr = held_before))
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table ibnr_estimates');
}
