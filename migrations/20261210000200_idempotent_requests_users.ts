import type { Knex } from 'knex';

// A signed-in person sends Idempotency-Keys as an API key does, and their
// keys are their own: a row belongs to exactly one API key or one user. The
// primary key gives way to two unique pairs, since a primary key cannot
// hold a column that is null for one kind of caller.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table idempotent_requests
      drop constraint idempotent_requests_pkey,
      alter column api_key_id drop not null,
      add column user_id uuid references users (id) on delete cascade,
      add constraint idempotent_requests_one_caller check ((api_key_id is null) <> (user_id is null)),
      add constraint idempotent_requests_api_key_unique unique (api_key_id, idempotency_key),
      add constraint idempotent_requests_user_unique unique (user_id, idempotency_key)
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('delete from idempotent_requests where user_id is not null');
  await knex.raw(`
    alter table idempotent_requests
      drop constraint idempotent_requests_user_unique,
      drop constraint idempotent_requests_api_key_unique,
      drop constraint idempotent_requests_one_caller,
      drop column user_id,
      alter column api_key_id set not null,
      add primary key (api_key_id, idempotency_key)
  `);
}
