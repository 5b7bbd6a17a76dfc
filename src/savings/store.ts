import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { fromNumeric, toAmountString } from '../money/index.ts';
import { type Bounds, boundsSql, inCoverSql } from '../premiums/index.ts';
import { coverageYearOfMonthSql, monthOfCoverStartingInSql } from '../registry/index.ts';
import type { SavingsKind } from './model.ts';

// The savings tables (savings_accounts, savings_dues, savings_dues_settled)
// and what savings read of the ledger's accounts and the LPA's pool.

type Runner = Db | Knex.Transaction;

// ---------------------------------------------------------------- accounts

export interface SavingsAccountRow {
  readonly id: string;
  readonly participant_id: string;
  readonly kind: SavingsKind;
  readonly ledger_account_id: string;
  readonly opened_on: string;
  readonly months_behind: number;
  readonly amount_behind: string;
}

// The member's account of a kind, locked for the rest of the transaction:
// movements on one account queue.
export async function lockSavingsAccount(
  trx: Knex.Transaction,
  participantId: string,
  kind: SavingsKind,
): Promise<SavingsAccountRow | undefined> {
  return trx('savings_accounts')
    .where({ participant_id: participantId, kind })
    .forUpdate()
    .first<SavingsAccountRow | undefined>('*');
}

// The id of the account opened, or null when another opened it first.
export async function insertSavingsAccount(
  trx: Knex.Transaction,
  account: { participantId: string; kind: SavingsKind; ledgerAccountId: string; openedOn: string },
): Promise<string | null> {
  const [opened] = await trx('savings_accounts')
    .insert({
      participant_id: account.participantId,
      kind: account.kind,
      ledger_account_id: account.ledgerAccountId,
      opened_on: account.openedOn,
    })
    .onConflict(['participant_id', 'kind'])
    .ignore()
    .returning<{ id: string }[]>('id');
  return opened?.id ?? null;
}

// A member has left the scheme on a day when no enrolment of theirs is in
// cover that day (it lapsed, or they died): only then does their mandatory
// savings unlock.
export async function hasExited(db: Runner, participantId: string, date: string): Promise<boolean> {
  const inCover = await db.raw<{ rows: unknown[] }>(
    `select 1 from enrolments e, ${boundsSql} where e.participant_id = ? and ${inCoverSql} limit 1`,
    [date, date, participantId],
  );
  return inCover.rows.length === 0;
}

// The ledger account holding the member's savings of a code, or null.
export async function findSavingsLedgerAccountId(db: Runner, participantId: string, code: string): Promise<string | null> {
  const account = await db('ledger_accounts')
    .where({ code, owner_kind: 'participant', participant_id: participantId })
    .first<{ id: string } | undefined>('id');
  return account?.id ?? null;
}

export interface SavingsAccountStanding {
  readonly kind: SavingsKind;
  readonly ledger_account_id: string;
  readonly opened_on: string;
  readonly saved: string;
  readonly months_behind: number;
  readonly amount_behind: string;
  readonly dues_total: string;
}

// The member's accounts with what each holds (a liability: credits less
// debits) and how far behind its dues it is.
export async function listSavingsAccountStandings(db: Db, participantId: string): Promise<SavingsAccountStanding[]> {
  return db('savings_accounts as s')
    .join('ledger_accounts as a', 'a.id', 's.ledger_account_id')
    .where('s.participant_id', participantId)
    .select<SavingsAccountStanding[]>(
      's.kind',
      's.ledger_account_id',
      's.opened_on',
      db.raw('a.credits_posted - a.debits_posted as saved'),
      's.months_behind',
      's.amount_behind',
      's.dues_total',
    );
}

// ---------------------------------------------------------------- the pool

// Every line of the chart kept in the LPA's books, with the LPA's debit
// balance on it (zero for a line it has no account of), in code order.
export async function poolBalances(
  db: Db,
  lpaId: string,
): Promise<{ code: string; name: string; type: string; balance: string }[]> {
  const rows = await db.raw<{ rows: { code: string; name: string; type: string; balance: string }[] }>(
    `select c.code, c.name, c.type, coalesce(sum(a.debits_posted - a.credits_posted), 0) as balance
     from ledger_chart c left join ledger_accounts a on a.code = c.code and a.lpa_id = ?
     where c.books = 'lpa' group by c.code, c.name, c.type order by c.code`,
    [lpaId],
  );
  return rows.rows;
}

// ---------------------------------------------------------------- dues

// Scans and index probes a row at a time: compiling them costs more than
// it saves, and the planner's estimates, growing with the dues kept, would
// turn it on some month and make that month dearer than the one before.
export async function turnJitOff(trx: Knex.Transaction): Promise<void> {
  await trx.raw('set local jit = off');
}

export async function countMembersInCover(trx: Knex.Transaction, month: Bounds): Promise<number> {
  const inCover = await trx.raw<{ rows: { members: string }[] }>(
    `select count(*) as members from enrolments e, ${boundsSql} where ${inCoverSql}`,
    [month.periodStart, month.periodEnd],
  );
  return Number(inCover.rows[0]?.members ?? 0);
}

// The enrolments not settled up to the month (savings_unsettled), and the
// months their members owe (savings_owed): from the month after the one an
// enrolment is settled to, or its enrolment's month, up to this one, every
// month its cover was in force on at least one day (not lapsed before the
// month began, its participant not dead before it). One row per member and
// month: a member lapsed and enrolled again in a month owes once, under the
// later enrolment.
export async function collectOwed(trx: Knex.Transaction, month: Bounds): Promise<void> {
  await trx.raw(
    `create temp table savings_unsettled on commit drop as
     select e.id, e.participant_id, e.lpa_id, e.rule_scheme, e.enrolled_on, e.lapsed_on, owed.owed_from
     from enrolments e
     left join savings_dues_settled s on s.enrolment_id = e.id
     cross join lateral (
       select coalesce(s.dues_through + interval '1 month', date_trunc('month', e.enrolled_on))::date as owed_from
     ) as owed
     where e.status in ('active', 'lapsed') and e.enrolled_on <= ?::date
       and (s.dues_through is null or s.dues_through < ?::date)
       and (e.lapsed_on is null or e.lapsed_on > owed.owed_from)`,
    [month.periodEnd, month.periodStart],
  );
  await trx.raw(
    `create temp table savings_owed on commit drop as
     select distinct on (u.participant_id, owed.period) u.participant_id, u.lpa_id, u.rule_scheme, owed.period,
       ${coverageYearOfMonthSql(monthOfCoverStartingInSql('u.enrolled_on', 'owed.period'))} as coverage_year
     from savings_unsettled u
     left join lateral (
       select min(c.incident_date) as died_on from claims c
       where c.participant_id = u.participant_id and c.claim_type = 'death' and c.status in ('approved', 'paid')
     ) as death on true
     cross join lateral generate_series(u.owed_from, ?::date, interval '1 month') as months (month)
     cross join lateral (select months.month::date as period) as owed
     where (u.lapsed_on is null or u.lapsed_on > owed.period) and (death.died_on is null or death.died_on >= owed.period)
     order by u.participant_id, owed.period, u.enrolled_on desc`,
    [month.periodStart],
  );
  await trx.raw('analyze savings_owed');
}

// Each scheme, month owed and coverage year among the months owed.
export async function listOwedCombinations(
  trx: Knex.Transaction,
): Promise<{ rule_scheme: string; period: string; coverage_year: number }[]> {
  const combinations = await trx.raw<{ rows: { rule_scheme: string; period: string; coverage_year: number }[] }>(
    `select distinct rule_scheme, to_char(period, 'YYYY-MM-DD') as period, coverage_year from savings_owed`,
  );
  return combinations.rows;
}

export interface SavingsTariff {
  readonly scheme: string;
  readonly period: string;
  readonly coverage_year: number;
  readonly amount: string;
  readonly version: string;
  readonly hash: string;
}

// The months owed whose rules ask for savings (savings_owing) are booked in
// the member's mandatory account. A member with none gets one, opened on
// their first due's month, or the 2500 ledger account opened for them by
// hand is adopted. Answers how many accounts were opened or adopted.
export async function openMandatoryAccounts(
  trx: Knex.Transaction,
  tariffs: readonly SavingsTariff[],
  actor: Actor,
): Promise<number> {
  await trx.raw(
    `create temp table savings_owing on commit drop as
     select o.participant_id, o.lpa_id, o.period, t.coverage_year, t.amount, t.scheme, t.version, t.hash
     from savings_owed o
     join jsonb_to_recordset(?::jsonb) as t (scheme text, period date, coverage_year integer, amount numeric, version text, hash text)
       on t.scheme = o.rule_scheme and t.period = o.period and t.coverage_year = o.coverage_year`,
    [JSON.stringify(tariffs)],
  );
  await trx.raw('analyze savings_owing');
  // Those with no account yet, each at the LPA of their latest month owed.
  const newcomers = `select distinct on (o.participant_id) o.participant_id, o.lpa_id,
      min(o.period) over (partition by o.participant_id) as opened_on
    from savings_owing o
    where not exists (select 1 from savings_accounts s where s.participant_id = o.participant_id and s.kind = 'mandatory')
    order by o.participant_id, o.period desc`;
  const opened = await trx.raw<{ rows: { opened: string }[] }>(
    `with newcomers as (${newcomers}
     ), ledger as (
       insert into ledger_accounts (code, type, owner_kind, lpa_id, participant_id, name, must_not_go_negative, opened_by)
       select c.code, c.type, 'participant', n.lpa_id, n.participant_id, left(c.name || ' · participant ' || p.nik, 200),
         c.must_not_go_negative, ?
       from newcomers n join participants p on p.id = n.participant_id join ledger_chart c on c.code = ?
       on conflict do nothing returning id, participant_id
     ), opened as (
       insert into savings_accounts (participant_id, kind, ledger_account_id, opened_on)
       select l.participant_id, 'mandatory', l.id, n.opened_on from ledger l join newcomers n on n.participant_id = l.participant_id
       returning id
     )
     select count(*) as opened from opened`,
    [actor.actor, chart.mandatorySavings.code],
  );
  // A member whose 2500 account was opened by hand before their savings
  // account: found through the ledger's own index (its expression).
  const adopted = await trx.raw<{ rows: unknown[] }>(
    `with newcomers as (${newcomers})
     insert into savings_accounts (participant_id, kind, ledger_account_id, opened_on)
     select n.participant_id, 'mandatory', a.id, n.opened_on
     from newcomers n
     join ledger_accounts a on a.code = ? and a.owner_kind = 'participant'
       and coalesce(a.lpa_id, '00000000-0000-0000-0000-000000000000') = n.lpa_id
       and coalesce(a.participant_id, '00000000-0000-0000-0000-000000000000') = n.participant_id
     on conflict do nothing returning id`,
    [chart.mandatorySavings.code],
  );
  return Number(opened.rows[0]?.opened ?? 0) + adopted.rows.length;
}

export interface DuesBooked {
  readonly duesBooked: number;
  readonly amountDue: string;
  // Of the dues booked, those for months before this one.
  readonly bookedLate: number;
}

// Each due carries the account's dues up to it (due_to_date, months_to_date),
// carried on from its account's totals (dues_total and dues_months as of its
// latest due, dues_through): dues come in period order, so booking reads
// none of the dues kept, but for a month not after the latest, which may be
// booked already. Such a month (a member enrolled again, dated before their
// first enrolment) is booked too, and that account's running totals are
// worked out again from its first due. The dues go in month and account
// order, the primary key's, so a month's land together at its end.
export async function bookOwed(trx: Knex.Transaction, month: Bounds): Promise<DuesBooked> {
  await trx.raw(
    `create temp table savings_booking on commit drop as
     select s.id as account_id, o.period, o.coverage_year, o.amount, o.scheme, o.version, o.hash,
       o.period < s.dues_through as before_booked,
       s.dues_total + sum(o.amount) over running as due_to_date, s.dues_months + row_number() over running as months_to_date
     from savings_owing o
     join savings_accounts s on s.participant_id = o.participant_id and s.kind = 'mandatory'
     where s.dues_through is null or o.period > s.dues_through
       or not exists (select 1 from savings_dues d where d.period = o.period and d.account_id = s.id)
     window running as (partition by s.id order by o.period)`,
  );
  const booked = await trx.raw<{ rows: { dues: string; amount: string | null; late: string; before_booked: string }[] }>(
    `with booked as (
       insert into savings_dues (account_id, period, amount, coverage_year, rule_scheme, rule_version, rule_hash, due_to_date, months_to_date)
       select account_id, period, amount, coverage_year, scheme, version, hash, due_to_date, months_to_date
       from savings_booking order by period, account_id
       returning period, amount)
     select count(*) as dues, sum(amount) as amount, count(*) filter (where period < ?::date) as late,
       (select count(*) from savings_booking where before_booked) as before_booked
     from booked`,
    [month.periodStart],
  );
  const [summary] = booked.rows;
  if (Number(summary?.before_booked ?? 0) > 0)
    await trx.raw(
      `update savings_dues d set due_to_date = running.due_to_date, months_to_date = running.months_to_date
       from (select account_id, period, sum(amount) over w as due_to_date, row_number() over w as months_to_date
             from savings_dues
             where account_id in (select account_id from savings_booking where before_booked)
             window w as (partition by account_id order by period)) as running
       where d.account_id = running.account_id and d.period = running.period
         and (d.due_to_date, d.months_to_date) is distinct from (running.due_to_date, running.months_to_date)`,
    );
  return {
    duesBooked: Number(summary?.dues ?? 0),
    amountDue: toAmountString(fromNumeric(summary?.amount ?? '0')),
    bookedLate: Number(summary?.late ?? 0),
  };
}

// Every enrolment collected is settled up to the month.
export async function settleUnsettled(trx: Knex.Transaction, month: Bounds): Promise<void> {
  await trx.raw(
    `insert into savings_dues_settled (enrolment_id, dues_through) select id, ?::date from savings_unsettled
       on conflict (enrolment_id) do update set dues_through = excluded.dues_through`,
    [month.periodStart],
  );
}

// Deposits cover the oldest dues first, so the dues a balance covers are
// those whose due_to_date it reaches: the months behind are the dues before
// this month less those, and the amount behind what those dues come to less
// the balance. The account's totals, carried on by the dues just booked,
// give the dues before the month: all of them when the latest is earlier,
// else the running totals of this month's due less itself (a probe of the
// primary key's newest end). Only a balance that covers part of the dues,
// or a month run again after later ones, asks savings_dues_covered. So a
// month reads what it books, not the months kept.
export async function markBehind(trx: Knex.Transaction, month: Bounds): Promise<void> {
  await trx.raw(
    `with booked as (
       select account_id, max(period) as dues_through, max(due_to_date) as dues_total, max(months_to_date) as dues_months
       from savings_booking group by account_id
     ), account as (
       select a.id, greatest(a.dues_through, booked.dues_through) as dues_through,
         coalesce(booked.dues_total, a.dues_total) as dues_total, coalesce(booked.dues_months, a.dues_months) as dues_months,
         la.credits_posted - la.debits_posted as saved
       from savings_accounts a
       join ledger_accounts la on la.id = a.ledger_account_id
       left join booked on booked.account_id = a.id
       where a.kind = 'mandatory'
     ), standing as (
       select account.*, before_month.dues_total as total_before, before_month.dues_months as months_before,
         case when account.saved >= account.dues_total then account.dues_months else coalesce(covered.months_to_date, 0) end
           as months_covered
       from account
       left join lateral (
         select d.due_to_date - d.amount as dues_total, d.months_to_date - 1 as dues_months from savings_dues d
         where account.dues_through >= :periodStart and d.period = :periodStart and d.account_id = account.id
       ) as this_month on true
       left join lateral (
         select d.due_to_date as dues_total, d.months_to_date as dues_months from savings_dues d
         where account.dues_through > :periodStart and this_month.dues_months is null
           and d.account_id = account.id and d.period < :periodStart
         order by d.due_to_date desc limit 1
       ) as earlier on true
       cross join lateral (
         select coalesce(this_month.dues_total, earlier.dues_total, 0) as dues_total,
           coalesce(this_month.dues_months, earlier.dues_months, 0) as dues_months
         where account.dues_through >= :periodStart
         union all
         select account.dues_total, account.dues_months where account.dues_through < :periodStart
         union all
         select 0, 0 where account.dues_through is null
       ) as before_month
       left join lateral (
         select d.months_to_date from savings_dues d
         where account.saved > 0 and account.saved < account.dues_total
           and d.account_id = account.id and d.due_to_date <= account.saved
         order by d.due_to_date desc limit 1
       ) as covered on true
     ), marked as (
       select id, dues_through, dues_total, dues_months, greatest(months_before - months_covered, 0) as months_behind,
         case when months_before = 0 then 0 else greatest(total_before - saved, 0) end as amount_behind
       from standing
     )
     update savings_accounts s
     set months_behind = marked.months_behind, amount_behind = marked.amount_behind,
       dues_through = marked.dues_through, dues_total = marked.dues_total, dues_months = marked.dues_months
     from marked
     where s.id = marked.id
       and (s.months_behind, s.amount_behind, s.dues_through, s.dues_total, s.dues_months)
         is distinct from (marked.months_behind, marked.amount_behind, marked.dues_through, marked.dues_total, marked.dues_months)`,
    { periodStart: month.periodStart },
  );
}

export async function countMembersBehind(trx: Knex.Transaction): Promise<number> {
  const behind = await trx('savings_accounts')
    .where({ kind: 'mandatory' })
    .where('months_behind', '>', 0)
    .first<{ count: string }>(trx.raw('count(*) as count'));
  return Number(behind.count);
}
