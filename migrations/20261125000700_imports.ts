import type { Knex } from 'knex';

// A bulk import of participants from a welfare-data extract. One row per
// (LPA, file content, enrolment date): importing the same file again finds
// its first import instead of enrolling anyone twice, and an import cut off
// half-way resumes after the last line it committed.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table imports (
      id uuid primary key default gen_random_uuid(),
      lpa_id uuid not null references lpas (id),
      file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
      file_name text not null,
      enrolled_on date not null,
      status text not null check (status in ('running', 'done', 'failed')),
      lines_committed integer not null default 0,
      rows_enrolled integer not null default 0,
      rows_rejected integer not null default 0,
      rows_invalid integer not null default 0,
      rows_skipped integer not null default 0,
      failure text,
      created_by text not null,
      started_at timestamptz not null default now(),
      -- Written with every chunk: a running import whose heartbeat is recent
      -- has a live runner, and a second one must not start beside it.
      heartbeat_at timestamptz not null default now(),
      finished_at timestamptz,
      unique (lpa_id, file_sha256, enrolled_on)
    )
  `);
  await knex.raw(`
    create table import_errors (
      import_id uuid not null references imports (id),
      line integer not null,
      column_name text not null,
      reason text not null,
      primary key (import_id, line, column_name)
    )
  `);
  await knex.raw('alter table enrolments add column import_id uuid references imports (id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table enrolments drop column import_id');
  await knex.raw('drop table import_errors');
  await knex.raw('drop table imports');
}
