import type { Knex } from 'knex';

// Every time cover ended before its term, and why: a yearly re-check found
// the person no longer eligible, or their own share fell into arrears past
// the grace period their rules give. A lapse for arrears can be undone by
// paying everything owed within the time the rules allow: the row then
// keeps the day cover resumed and the contribution that paid up, so the gap
// between stays uncovered (claims for incidents in it are refused). Each
// decision names the rule version that made it. One open lapse per
// enrolment; enrolments.lapsed_on mirrors the open one.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table cover_lapses (
      id uuid primary key default gen_random_uuid(),
      enrolment_id uuid not null references enrolments (id),
      reason text not null check (reason in ('not-eligible', 'arrears')),
      lapsed_on date not null,
      -- For arrears: the own share unpaid when cover lapsed, and the month of the oldest due unpaid.
      arrears numeric(17, 2) check (arrears > 0),
      arrears_since date,
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      reinstated_on date,
      reinstated_by uuid references contributions (id),
      reinstate_rule_version text,
      reinstate_rule_hash text,
      recorded_at timestamptz not null default now(),
      unique (enrolment_id, lapsed_on),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      foreign key (rule_scheme, reinstate_rule_version) references rule_versions (scheme, version),
      check ((reason = 'arrears') = (arrears is not null and arrears_since is not null)),
      check (reinstated_on is null or (reason = 'arrears' and reinstated_on >= lapsed_on)),
      check ((reinstated_on is null) = (reinstated_by is null)),
      check ((reinstated_on is null) = (reinstate_rule_version is null and reinstate_rule_hash is null))
    )
  `);
  await knex.raw('create unique index cover_lapses_open on cover_lapses (enrolment_id) where reinstated_on is null');
  // Lapses the re-check made before this table: their checks name the rules.
  await knex.raw(`
    insert into cover_lapses (enrolment_id, reason, lapsed_on, rule_scheme, rule_version, rule_hash)
    select e.id, 'not-eligible', e.lapsed_on, c.rule_scheme, c.rule_version, c.rule_hash
    from enrolments e
    join lateral (select * from eligibility_checks where enrolment_id = e.id and outcome = 'lapsed'
                  order by checked_on desc limit 1) c on true
    where e.status = 'lapsed'
  `);
  // What the cycle reads to find arrears: only dues not fully paid.
  await knex.raw('create index premium_dues_unpaid on premium_dues (enrolment_id, period) where own_paid < own_share');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index premium_dues_unpaid');
  await knex.raw('drop table cover_lapses');
}
