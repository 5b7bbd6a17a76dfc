import type { Knex } from 'knex';

// Mandatory savings dues are booked whenever they become known, and the
// savings-dues job's month costs the same in year five as in month two.
// - savings_dues_settled: per enrolment, the last month (its first day)
//   whose savings dues the job has settled, booked or found not owed; no row
//   is nothing settled yet. Per enrolment and not per member, so a member who
//   enrols again, dated back into months settled as not owed, still owes
//   them. Apart from enrolments, because the premium cycle settles premiums
//   on its own watermark and schedule.
// - savings_dues.due_to_date and months_to_date: the account's dues up to
//   and including this one, in period order, as an amount and a count. Dues
//   only grow, so the dues a balance covers are those whose due_to_date it
//   reaches: a prefix, found by one probe of savings_dues_covered.
// - savings_accounts.dues_through, dues_total and dues_months: the period
//   and running totals of the account's latest due, from which the job
//   carries the totals on, and knows the dues before its month, without
//   reading the dues kept.
// - A month's dues go to every account at once, so an index led by the
//   account takes them all over its leaves, more of them each month kept:
//   savings_dues_covered is the only one, for what is asked of one account.
//   The primary key (one due per account and month) is led by the month
//   instead, so a month's dues land together at its end, and it serves what
//   savings_dues_period did.
// - savings_dues_settled and savings_accounts have most rows rewritten each
//   month: pages half full let a row's new version stay on its page, with no
//   new index entries (a HOT update), so neither grows with the months.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table savings_dues_settled (
      enrolment_id uuid primary key references enrolments (id),
      dues_through date not null check (extract(day from dues_through) = 1)
    ) with (fillfactor = 50)
  `);
  await knex.raw('alter table savings_accounts set (fillfactor = 50)');
  await knex.raw('alter table savings_dues add column due_to_date numeric(17, 2), add column months_to_date integer');
  await knex.raw(`
    update savings_dues d set due_to_date = running.due_to_date, months_to_date = running.months_to_date
    from (select account_id, period, sum(amount) over w as due_to_date, row_number() over w as months_to_date
          from savings_dues window w as (partition by account_id order by period)) as running
    where d.account_id = running.account_id and d.period = running.period
  `);
  await knex.raw(`alter table savings_dues alter column due_to_date set not null, alter column months_to_date set not null,
    add constraint savings_dues_running check (months_to_date >= 1 and due_to_date >= amount)`);
  await knex.raw(`alter table savings_accounts add column dues_through date check (extract(day from dues_through) = 1),
    add column dues_total numeric(17, 2) not null default 0 check (dues_total >= 0),
    add column dues_months integer not null default 0 check (dues_months >= 0),
    add constraint savings_accounts_dues check ((dues_through is null) = (dues_months = 0))`);
  await knex.raw(`
    update savings_accounts s set dues_through = latest.period, dues_total = latest.due_to_date, dues_months = latest.months_to_date
    from (select distinct on (account_id) account_id, period, due_to_date, months_to_date
          from savings_dues order by account_id, period desc) as latest
    where latest.account_id = s.id
  `);
  await knex.raw('create index savings_dues_covered on savings_dues (account_id, due_to_date) include (months_to_date, period)');
  await knex.raw('alter table savings_dues drop constraint savings_dues_pkey, add primary key (period, account_id)');
  await knex.raw('drop index savings_dues_period');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index savings_dues_period on savings_dues (period)');
  await knex.raw('alter table savings_dues drop constraint savings_dues_pkey, add primary key (account_id, period)');
  await knex.raw('drop index savings_dues_covered');
  await knex.raw('alter table savings_accounts drop column dues_months, drop column dues_total, drop column dues_through');
  await knex.raw('alter table savings_dues drop column months_to_date, drop column due_to_date');
  await knex.raw('drop table savings_dues_settled');
  await knex.raw('alter table savings_accounts reset (fillfactor)');
}
