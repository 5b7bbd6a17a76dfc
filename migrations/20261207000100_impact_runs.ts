import type { Knex } from 'knex';

// A rule change's impact asked for over HTTP: the run is kept so the caller
// can poll it, and its table so it can be downloaded again, in any format,
// exactly as it was computed. A run is running until it succeeds (with its
// table) or fails (with its error); a run whose process stopped is marked
// failed by the next reader.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table impact_runs (
      id uuid primary key,
      scheme text not null,
      version text not null,
      version_hash text not null check (version_hash ~ '^[0-9a-f]{64}$'),
      today date not null,
      status text not null check (status in ('running', 'succeeded', 'failed')),
      progress jsonb,
      result jsonb,
      error text,
      requested_by text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((status = 'running') = (finished_at is null)),
      check ((status = 'succeeded') = (result is not null)),
      check ((status = 'failed') = (error is not null))
    )
  `);
  await knex.raw('create index impact_runs_started on impact_runs (started_at desc)');
  await knex.raw("create index impact_runs_running on impact_runs (id) where status = 'running'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table impact_runs');
}
