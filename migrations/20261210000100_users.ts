import type { Knex } from 'knex';

// People who sign in with a password, beside the API keys systems use. A
// user's role and scope are an API key's, held by the same constraints. The
// password is kept only as a scrypt hash with its salt and parameters
// ('scrypt$ln=15,r=8,p=1$<salt>$<hash>'), so the parameters can be raised
// later without locking anyone out. Consecutive failures and the lock they
// lead to live on the row, so every process counts the same failures.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
      display_name text not null check (char_length(display_name) between 1 and 100),
      role text not null check (role in ('directorate', 'dinsos', 'lpa', 'finance', 'auditor')),
      regency_code text check (regency_code ~ '^[0-9]{4}$'),
      lpa_id uuid,
      locale text not null default 'id' check (locale in ('id', 'en')),
      password_hash text not null check (password_hash ~ '^scrypt\\$ln=[0-9]+,r=[0-9]+,p=[0-9]+\\$[A-Za-z0-9_-]+\\$[A-Za-z0-9_-]+$'),
      password_changed_at timestamptz not null,
      failed_sign_ins integer not null default 0 check (failed_sign_ins >= 0),
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      created_by text not null,
      disabled_at timestamptz,
      constraint users_dinsos_scope check ((role = 'dinsos') = (regency_code is not null)),
      constraint users_lpa_scope check ((role = 'lpa') = (lpa_id is not null))
    )
  `);
  // Only a SHA-256 of a session's token is kept: the token itself is in the
  // person's cookie alone. Idle and absolute expiry are both checked on use.
  await knex.raw(`
    create table user_sessions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      token_sha256 text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      check (last_seen_at >= created_at and expires_at > created_at)
    )
  `);
  await knex.raw('create index user_sessions_user on user_sessions (user_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table user_sessions');
  await knex.raw('drop table users');
}
