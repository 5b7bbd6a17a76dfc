import type { Knex } from 'knex';

// A rule version is published the first time a database loads it: its hash,
// each file's hash and its full content are kept, so a decision made years
// ago can be replayed from what was in force, not from today's files.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table rule_versions (
      scheme text not null,
      version text not null,
      hash text not null check (hash ~ '^[0-9a-f]{64}$'),
      file_hashes jsonb not null,
      content jsonb not null,
      effective_from date not null,
      published_at timestamptz not null default now(),
      primary key (scheme, version)
    )
  `);
  await knex.raw(`
    create function rule_versions_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'published rule versions are immutable: % refused', tg_op;
    end
    $$
  `);
  await knex.raw(`
    create trigger rule_versions_immutable before update or delete on rule_versions
    for each row execute function rule_versions_refuse_change()
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table rule_versions');
  await knex.raw('drop function rule_versions_refuse_change()');
}
