import type { Knex } from 'knex';

// Claims the rules refer to the directorate wait, as "referred", with the
// amount the rules would pay but no case reserve; the directorate approves
// (booking the reserve then) or rejects, with a reason, once. An accepted
// claim keeps the day it was accepted and, when its rules set a payment
// deadline in working days (the death benefit), the day it must be paid by,
// so that claims past their deadline can be listed.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table claims
      drop constraint claims_status,
      drop constraint claims_decided,
      add column accepted_on date,
      add column payment_due_on date,
      add column reviewed_at timestamptz,
      add column reviewed_by text,
      add column review_outcome text check (review_outcome in ('approved', 'rejected')),
      add column review_reason text check (length(review_reason) between 3 and 500),
      add column review_idempotency_key text
  `);
  await knex.raw(`
    update claims set accepted_on = journal_entries.entry_date
      from journal_entries where journal_entries.id = claims.reserve_entry_id
  `);
  await knex.raw(`
    alter table claims
      add constraint claims_status check (status in ('approved', 'rejected', 'referred', 'paid', 'reversed')),
      add constraint claims_decided check (
        (status in ('approved', 'paid', 'reversed')) = (reserve_entry_id is not null)
        and (status in ('approved', 'paid', 'reversed', 'referred')) = (amount is not null)
        and (amount is null) = (benefit is null)),
      add constraint claims_accepted check (
        (accepted_on is null) = (reserve_entry_id is null)
        and (payment_due_on is null or payment_due_on >= accepted_on)),
      add constraint claims_reviewed check (
        num_nulls(reviewed_at, reviewed_by, review_outcome, review_reason, review_idempotency_key) in (0, 5)
        and (status <> 'referred' or reviewed_at is null))
  `);
  await knex.raw(`create index claims_referred on claims (submitted_at) where status = 'referred'`);
  await knex.raw(`create index claims_due on claims (payment_due_on) where status = 'approved' and payment_due_on is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index claims_due');
  await knex.raw('drop index claims_referred');
  // Referred and reviewed claims have no place in the older shape; their
  // reviews are not thrown away. (Due dates go; their rules' events keep them.)
  await knex.raw(`
    do $$ begin
      if exists (select 1 from claims where status = 'referred' or reviewed_at is not null) then
        raise exception 'claims were referred to review: this migration cannot be rolled back without losing their reviews';
      end if;
    end $$
  `);
  await knex.raw(`
    alter table claims
      drop constraint claims_reviewed,
      drop constraint claims_accepted,
      drop constraint claims_decided,
      drop constraint claims_status,
      drop column review_idempotency_key,
      drop column review_reason,
      drop column review_outcome,
      drop column reviewed_by,
      drop column reviewed_at,
      drop column payment_due_on,
      drop column accepted_on
  `);
  await knex.raw(`
    alter table claims
      add constraint claims_status check (status in ('approved', 'rejected', 'paid', 'reversed')),
      add constraint claims_decided check ((status in ('approved', 'paid', 'reversed')) = (amount is not null and benefit is not null and reserve_entry_id is not null))
  `);
}
