import type { Knex } from 'knex';

// Reports as they were produced: the table (rows, columns and what they rest
// on: rule versions, ledger entries) kept as JSON, so a report handed to the
// directorate or an auditor can be downloaded again, in any format, exactly
// as it was, whatever the ledger has taken in since. One per kind and
// parameters: producing it again answers the stored one.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table report_runs (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('honorarium', 'reserves', 'fund-statement')),
      parameters jsonb not null,
      title text not null,
      report jsonb not null,
      produced_by text not null,
      produced_at timestamptz not null default now(),
      unique (kind, parameters)
    )
  `);
  await knex.raw('create index report_runs_produced on report_runs (produced_at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table report_runs');
}
