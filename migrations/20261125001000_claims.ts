import type { Knex } from 'knex';

// Claims filed by an LPA for a participant or their heirs. Each claim keeps
// the decision that answered it: outcome, amount, reasons, and the rule
// version, hash, facts, events and trace that made it, so it can be
// explained and replayed years later. An approved claim points at the journal
// entry that booked its case reserve; a paid one also at the entry that paid
// it (claims payable against cash), with the payout reference. Each claim and
// its entry commit together; the entry is written last, just before the
// commit, so the fund's account rows it locks are held as briefly as can be
// (hence the deferred foreign keys). A reversal keeps the claim and its
// decision, marks it reversed, and posts the mirror of its entries.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table claims (
      id uuid primary key default gen_random_uuid(),
      lpa_id uuid not null references lpas (id),
      participant_id uuid not null references participants (id),
      enrolment_id uuid references enrolments (id),
      claim_type text not null check (claim_type in ('sickness', 'accident', 'accident-medical', 'dentures', 'disability', 'death')),
      incident_date date not null,
      report_date date not null check (report_date >= incident_date),
      details jsonb not null,
      status text not null constraint claims_status check (status in ('approved', 'rejected', 'paid', 'reversed')),
      amount numeric(17, 2) check (amount > 0),
      benefit text,
      reasons jsonb not null,
      coverage_year integer check (coverage_year >= 1),
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      facts jsonb not null,
      events jsonb not null,
      trace jsonb not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      reserve_entry_id uuid references journal_entries (id) deferrable initially deferred,
      paid_on date,
      payout_reference text check (length(payout_reference) between 1 and 100),
      payment_entry_id uuid references journal_entries (id) deferrable initially deferred,
      payment_idempotency_key text,
      paid_by text,
      reversed_on date,
      reversal_reason text check (length(reversal_reason) between 3 and 500),
      reversal_idempotency_key text,
      reversed_by text,
      submitted_at timestamptz not null default now(),
      submitted_by text not null,
      request_id text,
      unique (lpa_id, idempotency_key),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      constraint claims_decided check ((status in ('approved', 'paid', 'reversed')) = (amount is not null and benefit is not null and reserve_entry_id is not null)),
      constraint claims_paid check (
        num_nulls(paid_on, payout_reference, payment_entry_id, payment_idempotency_key, paid_by) in (0, 5)
        and (status <> 'paid' or paid_on is not null)
        and (status in ('paid', 'reversed') or paid_on is null)),
      constraint claims_reversed check (
        num_nulls(reversed_on, reversal_reason, reversal_idempotency_key, reversed_by) in (0, 4)
        and (status = 'reversed') = (reversed_on is not null))
    )
  `);
  await knex.raw('create index claims_participant on claims (participant_id, claim_type, status)');
  await knex.raw('create index claims_enrolment on claims (enrolment_id, status)');
  await knex.raw('create index claims_lpa on claims (lpa_id, submitted_at, id)');
  await knex.raw(`create index claims_unpaid on claims (submitted_at) where status = 'approved'`);
  // A claim finds the enrolment whose cover it falls under by participant.
  await knex.raw('create index enrolments_participant on enrolments (participant_id, enrolled_on)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index enrolments_participant');
  await knex.raw('drop table claims');
}
