import type { Knex } from 'knex';

// Every POST that moves money or creates a claim takes an Idempotency-Key.
// One row per key and API key: the request it was first used for (as a
// fingerprint), whether that request is still being answered, and the answer
// to repeat to a retry.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table idempotent_requests (
      api_key_id uuid not null references api_keys (id),
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      state text not null check (state in ('in-flight', 'answered')),
      held_until timestamptz not null,
      response_status integer check (response_status between 200 and 299),
      response_headers jsonb,
      response_body jsonb,
      created_at timestamptz not null default now(),
      answered_at timestamptz,
      primary key (api_key_id, idempotency_key),
      check ((state = 'answered') = (response_status is not null and answered_at is not null))
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table idempotent_requests');
}
