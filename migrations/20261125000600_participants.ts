import type { Knex } from 'knex';

// A participant (peserta) is one person, known by NIK across the whole fund.
// Each submission by an LPA is an enrolment decision, kept whether eligible or
// not, with the rule version, hash, facts and events that made it. At most
// one enrolment per participant is active at a time.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table participants (
      id uuid primary key default gen_random_uuid(),
      nik text not null unique check (nik ~ '^[0-9]{16}$'),
      kk text not null check (kk ~ '^[0-9]{16}$'),
      lpa_id uuid not null references lpas (id),
      name text not null check (char_length(name) between 2 and 100),
      birth_date date not null,
      sex text not null check (sex in ('male', 'female')),
      marital_status text not null check (marital_status in ('single', 'married', 'divorced', 'widowed')),
      is_head_of_family boolean not null,
      occupation text not null,
      welfare_status text not null check (welfare_status in ('poor', 'near-poor', 'vulnerable', 'not-poor', 'unknown')),
      welfare_decile integer check (welfare_decile between 1 and 10),
      address text not null check (char_length(address) between 5 and 300),
      phone text check (phone ~ '^[+]{0,1}[0-9]{6,15}$'),
      card_number text unique,
      card_issued_on date,
      card_delivered_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (card_delivered_on is null or (card_issued_on is not null and card_delivered_on >= card_issued_on)),
      check ((card_number is null) = (card_issued_on is null))
    )
  `);
  await knex.raw('create index participants_lpa on participants (lpa_id)');
  await knex.raw(`
    create table heirs (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references participants (id),
      name text not null check (char_length(name) between 2 and 100),
      nik text check (nik ~ '^[0-9]{16}$'),
      relation text not null check (relation in ('spouse', 'child', 'parent', 'sibling', 'other'))
    )
  `);
  await knex.raw('create index heirs_participant on heirs (participant_id)');
  await knex.raw('create index heirs_nik on heirs (nik) where nik is not null');
  await knex.raw(`
    create table enrolments (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references participants (id),
      lpa_id uuid not null references lpas (id),
      enrolled_on date not null,
      status text not null check (status in ('active', 'rejected', 'lapsed')),
      reasons jsonb not null,
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      facts jsonb not null,
      events jsonb not null,
      decided_at timestamptz not null default now(),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version)
    )
  `);
  await knex.raw(`create unique index enrolments_one_active on enrolments (participant_id) where status = 'active'`);
  await knex.raw('create index enrolments_lpa on enrolments (lpa_id, status)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table enrolments');
  await knex.raw('drop table heirs');
  await knex.raw('drop table participants');
}
