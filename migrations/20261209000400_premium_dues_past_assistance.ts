import type { Knex } from 'knex';

// The dues of months premium assistance no longer carries, by month: the
// graduation indicator reads only these, which are few while the fund is
// young and one month's worth of a report however old it grows, instead of
// scanning every due of the period.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index premium_dues_past_assistance on premium_dues (period) where subsidy_share = 0');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index premium_dues_past_assistance');
}
