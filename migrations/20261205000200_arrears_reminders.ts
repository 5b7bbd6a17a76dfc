import type { Knex } from 'knex';

// A participant whose own share stays unpaid is reminded (the rules say
// after how long) while the cover goes on: a notice of its own kind.
const kinds = (extra: string[]) =>
  [
    'enrolment-accepted',
    'enrolment-refused',
    'card-issued',
    'claim-approved',
    'claim-referred',
    'claim-rejected',
    'claim-paid',
    'cover-ended',
    ...extra,
  ]
    .map((kind) => `'${kind}'`)
    .join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table notices drop constraint notices_kind_check,
    add constraint notices_kind_check check (kind in (${kinds(['arrears-reminder'])}))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from notices where kind = 'arrears-reminder'`);
  await knex.raw(`alter table notices drop constraint notices_kind_check,
    add constraint notices_kind_check check (kind in (${kinds([])}))`);
}
