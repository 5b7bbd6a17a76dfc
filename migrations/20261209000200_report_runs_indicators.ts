import type { Knex } from 'knex';

// The month-end job keeps the performance indicators too (the month and the
// year to date), beside the honorarium, reserves and fund statement.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table report_runs drop constraint report_runs_kind_check');
  await knex.raw(`
    alter table report_runs add constraint report_runs_kind_check
      check (kind in ('honorarium', 'reserves', 'fund-statement', 'indicators'))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from report_runs where kind = 'indicators'`);
  await knex.raw('alter table report_runs drop constraint report_runs_kind_check');
  await knex.raw(`
    alter table report_runs add constraint report_runs_kind_check
      check (kind in ('honorarium', 'reserves', 'fund-statement'))
  `);
}
