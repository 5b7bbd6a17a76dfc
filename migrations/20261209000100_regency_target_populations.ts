import type { Knex } from 'knex';

// The people a regency declares it aims to cover (its informal workers, for
// example), as of a day and with where the figure comes from: data the
// regency gives, not policy, so it lives here and not in the rule files. A
// declaration for a day already declared replaces it; a later day adds one,
// so the coverage ratio of a past period reads the figure declared by then.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table regency_target_populations (
      regency_code text not null references regencies (code),
      as_of date not null,
      target_population integer not null check (target_population > 0),
      source text not null check (char_length(source) between 3 and 300),
      declared_by text not null,
      declared_at timestamptz not null default now(),
      primary key (regency_code, as_of)
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table regency_target_populations');
}
