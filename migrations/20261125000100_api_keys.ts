import type { Knex } from 'knex';

// API keys are stored only as a SHA-256 of the secret: the secret is shown once
// and cannot be recovered from the database. The scope columns must match the
// role, so a dinsos key without a regency (seeing everything) cannot exist.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 1 and 100),
      role text not null check (role in ('directorate', 'dinsos', 'lpa', 'finance', 'auditor')),
      regency_code text check (regency_code ~ '^[0-9]{4}$'),
      lpa_id uuid,
      secret_sha256 text not null unique check (secret_sha256 ~ '^[0-9a-f]{64}$'),
      secret_prefix text not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      revoked_at timestamptz,
      last_used_at timestamptz,
      constraint api_keys_dinsos_scope check ((role = 'dinsos') = (regency_code is not null)),
      constraint api_keys_lpa_scope check ((role = 'lpa') = (lpa_id is not null))
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table api_keys');
}
