import type { Knex } from 'knex';

// Implementing agencies (Lembaga Pelaksana Askesos). A dinsos office proposes
// one for its regency; the directorate approves, suspends or closes it.
// (Patterns avoid '?': knex.raw would take it for a binding.)
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table lpas (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 2 and 200),
      type text not null check (type in ('social-organisation', 'foundation', 'customary-body', 'association')),
      regency_code text not null references regencies (code),
      contact_name text not null check (char_length(contact_name) between 2 and 100),
      contact_phone text not null check (contact_phone ~ '^[+]{0,1}[0-9]{6,15}$'),
      bank_name text not null check (char_length(bank_name) between 2 and 100),
      bank_account_number text not null check (bank_account_number ~ '^[0-9]{5,20}$'),
      accreditation text not null check (accreditation in ('none', 'provisional', 'accredited')),
      accredited_on date,
      status text not null default 'proposed' check (status in ('proposed', 'approved', 'suspended', 'closed')),
      status_reason text,
      status_changed_at timestamptz not null default now(),
      proposed_by text not null,
      created_at timestamptz not null default now(),
      check ((accreditation = 'none') = (accredited_on is null))
    )
  `);
  await knex.raw('create index lpas_regency on lpas (regency_code, status)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table lpas');
}
