import type { Knex } from 'knex';

// The scan of a document filed with a claim (the death certificate, the
// receipts), kept in the database beside the claim so that a backup of the
// one holds the other. One scan per document kind of a claim: the kind is
// the checklist's word, and a second scan would leave open which one the
// fund judged. The media type is the one its content showed, never what the
// sender declared; size and hash are kept to check the bytes against.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table claim_document_scans (
      claim_id uuid not null references claims (id),
      kind text not null check (kind ~ '^[a-z][a-z0-9-]{1,49}$'),
      media_type text not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg')),
      bytes bytea not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size integer not null check (size > 0 and size = octet_length(bytes)),
      uploaded_by text not null,
      uploaded_at timestamptz not null default now(),
      primary key (claim_id, kind)
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table claim_document_scans');
}
