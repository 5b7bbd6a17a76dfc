import type { Knex } from 'knex';

// The outbox of notices each LPA owes its participants (the study found
// heirs who never knew the deceased was insured). A notice is written in the
// transaction of the decision it tells of, so a decision refused or rolled
// back leaves none; decision_key names that decision, so a replay writes no
// second one. It keeps what was decided (payload) and the rule version that
// decided it; the words are rendered when it is read, in the language asked.
// pending: not yet told; sent: the sender delivered it (phone text);
// handed-over: the LPA gave the paper to the participant or an heir.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table notices (
      id uuid primary key default gen_random_uuid(),
      lpa_id uuid not null references lpas (id),
      participant_id uuid not null references participants (id),
      kind text not null check (kind in ('enrolment-accepted', 'enrolment-refused', 'card-issued', 'claim-approved',
        'claim-referred', 'claim-rejected', 'claim-paid', 'cover-ended')),
      decision_key text not null unique,
      decided_on date not null,
      payload jsonb not null,
      rule_scheme text,
      rule_version text,
      rule_hash text,
      status text not null default 'pending' check (status in ('pending', 'sent', 'handed-over')),
      sent_at timestamptz,
      sent_channel text,
      sent_reference text,
      handed_over_on date,
      handed_over_by text,
      created_at timestamptz not null default now(),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      check ((rule_scheme is null) = (rule_version is null) and (rule_version is null) = (rule_hash is null)),
      -- Only a card may be issued with no rule version in force on its date.
      check (rule_scheme is not null or kind = 'card-issued'),
      check ((sent_at is null) = (sent_channel is null)),
      check ((handed_over_on is null) = (handed_over_by is null)),
      check (status <> 'pending' or (sent_at is null and handed_over_on is null)),
      check (status <> 'sent' or (sent_at is not null and handed_over_on is null)),
      check (status <> 'handed-over' or handed_over_on is not null)
    )
  `);
  // An LPA's outbox by status, paged by id.
  await knex.raw('create index notices_outbox on notices (lpa_id, status, id)');
  await knex.raw('create index notices_participant on notices (participant_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table notices');
}
