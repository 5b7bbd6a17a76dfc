import type { Knex } from 'knex';

// Every write leaves a row here. Rows are never changed or removed: the
// database refuses UPDATE and DELETE, so not even a bug in our code can
// rewrite who did what.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor text not null,
      actor_role text not null,
      actor_key_id uuid references api_keys (id),
      action text not null,
      entity_type text not null,
      entity_id text not null,
      request_id text,
      detail jsonb not null default '{}'::jsonb
    )
  `);
  await knex.raw('create index audit_log_entity on audit_log (entity_type, entity_id)');
  await knex.raw(`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op;
    end
    $$
  `);
  await knex.raw(`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change()
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table audit_log');
  await knex.raw('drop function audit_log_refuse_change()');
}
