import type { Knex } from 'knex';

// Two criteria of the New Initiative's programme rules (2012) are what the
// person declares to the LPA: willing to save at a bank or a cooperative,
// and to attend a capacity-building meeting at least once a month. Null
// means not declared. People registered before these columns were never
// asked, so they stay null: the rules of the schemes that read them refuse
// that, and no answer is made up for anyone.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table participants
    add column willing_to_save boolean,
    add column attends_monthly_meeting boolean`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table participants
    drop column willing_to_save,
    drop column attends_monthly_meeting`);
}
