import type { Knex } from 'knex';

// Dues are booked whenever they become known, not only by the cycle of their
// month: an enrolment entered after its month's cycle ran, or dated months
// back, still owes each of those months.
// - enrolments.dues_through: the last month (its first day) the premium
//   cycle found owing no due for the enrolment (a one-time assistance's
//   later months, a lapse, a death). With the enrolment's latest due it says
//   where the next cycle starts: each books every month owed since, oldest
//   first. Written only then, not every month: a million-row update a month
//   would cost the cycle more than its dues do.
// - premium_dues.booked_in: the month of the cycle that booked the due. The
//   grace for arrears counts from it, so a month booked late is not overdue
//   the day it becomes known.
// - cover_lapses gains 'scheme-ended': cover in a scheme whose last rule
//   version has ended ends the day after, with that reason.
// - Subsidy and contributions receivable (1200, 1400) must not go negative:
//   what is received never exceeds what is owed, checked by the ledger too.
// - 2600, premium assistance to return: dues cancelled after they were
//   booked (months after a death learnt late) whose assistance the state had
//   already paid; what the fund owes the budget back.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    insert into ledger_chart (code, name, name_id, type, owner_kinds, must_not_go_negative, books)
    values ('2600', 'Premium assistance to return', 'Bantuan iuran yang harus dikembalikan', 'liability', array['fund'], true, 'fund')
    on conflict (code) do nothing
  `);
  await knex.raw(`
    insert into ledger_accounts (code, type, owner_kind, name, must_not_go_negative, opened_by)
    select code, type, 'fund', name, must_not_go_negative, 'migration' from ledger_chart
    where code = '2600' and not exists (select 1 from ledger_accounts where code = '2600' and owner_kind = 'fund')
  `);
  await knex.raw(`alter table enrolments add column dues_through date check (extract(day from dues_through) = 1)`);
  await knex.raw('alter table premium_dues add column booked_in date');
  await knex.raw('update premium_dues set booked_in = period');
  await knex.raw(`alter table premium_dues alter column booked_in set not null,
    add constraint premium_dues_booked_in check (extract(day from booked_in) = 1 and booked_in >= period)`);
  await knex.raw('alter table cover_lapses drop constraint cover_lapses_reason_check');
  await knex.raw(`alter table cover_lapses add constraint cover_lapses_reason_check
    check (reason in ('not-eligible', 'arrears', 'scheme-ended'))`);
  await knex.raw(`update ledger_chart set must_not_go_negative = true where code in ('1200', '1400')`);
  await knex.raw(`update ledger_accounts set must_not_go_negative = true where code in ('1200', '1400')`);
}

export async function down(knex: Knex): Promise<void> {
  // The 2600 account stays: ledger accounts are never deleted.
  await knex.raw(`update ledger_accounts set must_not_go_negative = false where code in ('1200', '1400')`);
  await knex.raw(`update ledger_chart set must_not_go_negative = false where code in ('1200', '1400')`);
  await knex.raw(`update cover_lapses set reason = 'not-eligible' where reason = 'scheme-ended'`);
  await knex.raw('alter table cover_lapses drop constraint cover_lapses_reason_check');
  await knex.raw(
    `alter table cover_lapses add constraint cover_lapses_reason_check check (reason in ('not-eligible', 'arrears'))`,
  );
  await knex.raw('alter table premium_dues drop column booked_in');
  await knex.raw('alter table enrolments drop column dues_through');
}
