import type { Knex } from 'knex';

// The monthly premium cycle. For each enrolment in cover in a month, one due
// when its rules set one: the premium for that month of cover (or the
// assistance given once for years of cover, in its first month), split
// into the share premium assistance pays (subsidi) and the participant's own
// (iuran mandiri), with the rule version that split it. One row per
// enrolment and month is the guard that books nobody twice, however often
// the cycle runs or resumes; the ledger entry that booked a due commits with
// it, and names the same rule version (its foreign key checks the version is
// published: a million dues a month pay one check per entry, not per row).
// What participants owe is kept in a fund account of its own, and what they
// pay is applied to their oldest dues.
export async function up(knex: Knex): Promise<void> {
  // Ledger accounts are never deleted, so after a rollback the account is
  // still there: added only where missing.
  await knex.raw(`
    insert into ledger_chart (code, name, name_id, type, owner_kinds, must_not_go_negative)
    values ('1400', 'Contributions receivable', 'Piutang iuran peserta', 'asset', array['fund'], false)
    on conflict (code) do nothing
  `);
  await knex.raw(`
    insert into ledger_accounts (code, type, owner_kind, name, must_not_go_negative, opened_by)
    select code, type, 'fund', name, must_not_go_negative, 'migration' from ledger_chart
    where code = '1400' and not exists (select 1 from ledger_accounts where code = '1400' and owner_kind = 'fund')
  `);
  await knex.raw(`
    create table premium_dues (
      enrolment_id uuid not null references enrolments (id),
      -- The first day of the month the premium covers.
      period date not null check (extract(day from period) = 1),
      -- The enrolment's LPA, for reports by LPA; the enrolment's own foreign key checks it.
      lpa_id uuid not null,
      coverage_year integer not null check (coverage_year >= 1),
      month_of_cover integer not null check (month_of_cover >= 1),
      premium numeric(17, 2) not null check (premium > 0),
      subsidy_share numeric(17, 2) not null check (subsidy_share >= 0),
      own_share numeric(17, 2) not null check (own_share >= 0),
      -- What the participant has paid of the own share, oldest dues first.
      own_paid numeric(17, 2) not null default 0,
      -- Months over which the premium is earned: 1 for a monthly premium, 36
      -- for an assistance given once for three years of cover.
      earn_months integer not null check (earn_months between 1 and 600),
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      entry_id uuid not null references journal_entries (id) deferrable initially deferred,
      booked_at timestamptz not null default now(),
      primary key (enrolment_id, period),
      check (premium = subsidy_share + own_share),
      check (own_paid >= 0 and own_paid <= own_share)
    )
  `);
  await knex.raw('create index premium_dues_period on premium_dues (period, lpa_id)');
  // What an LPA collected from a participant (iuran mandiri), with how it was
  // applied to the participant's dues; the entry booked it as cash against
  // contributions receivable. A retried key answers the first.
  await knex.raw(`
    create table contributions (
      id uuid primary key,
      participant_id uuid not null references participants (id),
      lpa_id uuid not null references lpas (id),
      amount numeric(17, 2) not null check (amount > 0),
      paid_on date not null,
      reference text not null check (length(reference) between 1 and 100),
      applied jsonb not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      entry_id uuid not null references journal_entries (id) deferrable initially deferred,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      request_id text,
      unique (lpa_id, idempotency_key)
    )
  `);
  await knex.raw('create index contributions_participant on contributions (participant_id, paid_on)');
  // The months that have dues and how long their premiums take to earn: what
  // the cycle reads to find months still earning, without reading every due.
  await knex.raw(`
    create table premium_periods (
      period date primary key check (extract(day from period) = 1),
      earn_months_max integer not null check (earn_months_max between 1 and 600)
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  // The contributions receivable account stays: ledger accounts are never deleted.
  await knex.raw('drop table contributions');
  await knex.raw('drop table premium_periods');
  await knex.raw('drop table premium_dues');
}
