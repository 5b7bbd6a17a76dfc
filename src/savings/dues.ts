import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../auth/model.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { amount, toAmountString } from '../money/index.ts';
import { boundsSql, inCoverSql, monthOfCoverSql } from '../premiums/cover.ts';
import type { RuleBook } from '../rules/load.ts';
import { mandatorySavings } from './mandatory.ts';

export interface SavingsDuesSummary {
  readonly period: string;
  readonly membersInCover: number;
  readonly duesBooked: number;
  readonly amountDue: string;
  readonly accountsOpened: number;
  // Mandatory accounts with a month before this one not covered by deposits.
  readonly membersBehind: number;
}

const coverageYearSql = `((${monthOfCoverSql} - 1) / 12 + 1)`;

// The month's mandatory savings (simpanan wajib): every member in cover
// whose savings rules ask for it owes the month's amount, in an account
// opened with the first due. Then every mandatory account is marked with
// how far behind it is: the months before this one whose dues, oldest
// first, its deposits do not cover. Dues are obligations, not money: only
// a deposit moves the ledger.
export async function bookSavingsDues(db: Db, book: RuleBook, period: string, actor: Actor): Promise<SavingsDuesSummary> {
  const periodStart = `${period}-01`;
  const bounds = [periodStart, lastDayOfMonth(period)];
  return withTransaction(db, async (trx) => {
    const groups = await trx.raw<{ rows: { rule_scheme: string; coverage_year: number; members: string }[] }>(
      `select e.rule_scheme, ${coverageYearSql} as coverage_year, count(*) as members
       from enrolments e, ${boundsSql} where ${inCoverSql} group by 1, 2`,
      bounds,
    );
    const tariff = groups.rows.flatMap((row) => {
      const due = mandatorySavings(book, { scheme: row.rule_scheme, date: periodStart, coverageYear: row.coverage_year });
      return due === null
        ? []
        : [
            {
              scheme: row.rule_scheme,
              coverage_year: row.coverage_year,
              amount: toAmountString(due.monthlyAmount),
              version: due.version,
              hash: due.hash,
            },
          ];
    });
    // The members owing, one row each (a member lapsed and enrolled again in
    // a month owes once), worked out once for the three statements below.
    await trx.raw(
      `create temp table savings_owing on commit drop as
       select distinct on (e.participant_id) e.participant_id, e.lpa_id, t.*, s.id as account_id
       from ${boundsSql}
       cross join enrolments e
       join jsonb_to_recordset(?::jsonb) as t (scheme text, coverage_year integer, amount numeric, version text, hash text)
         on t.scheme = e.rule_scheme and t.coverage_year = ${coverageYearSql}
       left join savings_accounts s on s.participant_id = e.participant_id and s.kind = 'mandatory'
       where ${inCoverSql}
       order by e.participant_id, e.enrolled_on desc`,
      [...bounds, JSON.stringify(tariff)],
    );
    await trx.raw('analyze savings_owing');
    const opened = await trx.raw<{ rows: { opened: string }[] }>(
      `with ledger as (
         insert into ledger_accounts (code, type, owner_kind, lpa_id, participant_id, name, must_not_go_negative, opened_by)
         select c.code, c.type, 'participant', o.lpa_id, o.participant_id, left(c.name || ' · participant ' || p.nik, 200),
           c.must_not_go_negative, ?
         from savings_owing o join participants p on p.id = o.participant_id join ledger_chart c on c.code = '2500'
         where o.account_id is null
         on conflict do nothing returning id, participant_id
       ), opened as (
         insert into savings_accounts (participant_id, kind, ledger_account_id, opened_on)
         select participant_id, 'mandatory', id, ?::date from ledger returning id
       )
       select count(*) as opened from opened`,
      [actor.actor, periodStart],
    );
    // A member whose 2500 account was opened by hand before their savings
    // account: found through the ledger's own index (its expression).
    const adopted = await trx.raw<{ rows: unknown[] }>(
      `insert into savings_accounts (participant_id, kind, ledger_account_id, opened_on)
       select o.participant_id, 'mandatory', a.id, ?::date
       from savings_owing o
       join ledger_accounts a on a.code = '2500' and a.owner_kind = 'participant'
         and coalesce(a.lpa_id, '00000000-0000-0000-0000-000000000000') = o.lpa_id
         and coalesce(a.participant_id, '00000000-0000-0000-0000-000000000000') = o.participant_id
       where o.account_id is null
         and not exists (select 1 from savings_accounts s where s.participant_id = o.participant_id and s.kind = 'mandatory')
       on conflict do nothing returning id`,
      [periodStart],
    );
    const booked = await trx.raw<{ rows: { dues: string; amount: string | null }[] }>(
      `with booked as (
         insert into savings_dues (account_id, period, amount, coverage_year, rule_scheme, rule_version, rule_hash)
         select s.id, ?::date, o.amount, o.coverage_year, o.scheme, o.version, o.hash
         from savings_owing o join savings_accounts s on s.participant_id = o.participant_id and s.kind = 'mandatory'
         on conflict do nothing returning amount)
       select count(*) as dues, sum(amount) as amount from booked`,
      [periodStart],
    );
    await trx.raw(
      `with running as (
         select d.account_id, sum(d.amount) over (partition by d.account_id order by d.period) as due_to_date,
           la.credits_posted - la.debits_posted as saved
         from savings_dues d
         join savings_accounts s on s.id = d.account_id
         join ledger_accounts la on la.id = s.ledger_account_id
         where d.period < ?::date
       ), standing as (
         select account_id, count(*) filter (where due_to_date > saved)::int as months,
           greatest(max(due_to_date) - min(saved), 0) as behind
         from running group by account_id
       )
       update savings_accounts s
       set months_behind = coalesce(standing.months, 0), amount_behind = coalesce(standing.behind, 0)
       from savings_accounts target left join standing on standing.account_id = target.id
       where s.id = target.id and s.kind = 'mandatory'
         and (s.months_behind, s.amount_behind) is distinct from (coalesce(standing.months, 0), coalesce(standing.behind, 0))`,
      [periodStart],
    );
    const behind = await trx('savings_accounts')
      .where({ kind: 'mandatory' })
      .where('months_behind', '>', 0)
      .first<{ count: string }>(trx.raw('count(*) as count'));
    const [summary] = booked.rows;
    const result: SavingsDuesSummary = {
      period,
      membersInCover: groups.rows.reduce((sum, row) => sum + Number(row.members), 0),
      duesBooked: Number(summary?.dues ?? 0),
      amountDue: toAmountString(amount(summary?.amount ?? '0')),
      accountsOpened: Number(opened.rows[0]?.opened ?? 0) + adopted.rows.length,
      membersBehind: Number(behind.count),
    };
    await recordAudit(trx, actor, {
      action: 'savings.dues.book',
      entityType: 'job',
      entityId: `savings-dues:${period}`,
      detail: { ...result },
    });
    return result;
  });
}
