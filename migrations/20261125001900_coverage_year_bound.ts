import type { Knex } from 'knex';

// Coverage years fit in 62: cover is for heads of family of working age,
// and the retention report packs an enrolment's years into the bits of a
// bigint. A due past that would be a bug upstream, refused here.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table premium_dues add constraint premium_dues_coverage_year_bits check (coverage_year <= 62)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table premium_dues drop constraint premium_dues_coverage_year_bits');
}
