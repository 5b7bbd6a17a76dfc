import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { addMonths, monthsBetween } from '../dates.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { insertCoverEndedNotices } from '../notices/index.ts';
import { type Bounds, boundsSql, inCoverSql, monthOfCoverSql } from './cover.ts';
import { monthOfCoverStartingIn } from '../registry/index.ts';
import { type ArrearsTerms, premiumTariff, type Tariff } from './tariff.ts';

// Arrears (tunggakan iuran): an own share left unpaid is owed and tracked.
// Rules may remind the participant after some months, and may (a capability
// the shipped standalone versions do not use) lapse the cover at the premium
// cycle of the month a grace period runs out; paying everything owed within
// the time they allow reinstates it from the day of payment, the months
// between uncovered.

// Pure: whether paying up on `paidOn` reinstates a cover that lapsed for
// arrears on `lapsedOn` (always a month's first day), by the terms in force
// on the day of payment. A payment dated before the lapse (collected, then
// recorded late) reinstates with no gap.
export function reinstatement(
  terms: ArrearsTerms | null,
  lapsedOn: string,
  paidOn: string,
): { reinstated: true; reinstatedOn: string } | { reinstated: false; why: string } {
  if (terms === null) return { reinstated: false, why: 'the rules in force on the day of payment provide no reinstatement' };
  if (monthsBetween(lapsedOn, paidOn) >= terms.reinstateWithinMonths)
    return {
      reinstated: false,
      why: `paid after ${terms.reinstateWithinMonths} months from the lapse on ${lapsedOn}, the most the rules allow`,
    };
  return { reinstated: true, reinstatedOn: paidOn > lapsedOn ? paidOn : lapsedOn };
}

// The enrolments in cover whose oldest unpaid own share is older than the
// grace their rules give for the month: their month of cover, under the rule
// version in force, says how long. A due booked late (its enrolment entered
// after its month) is owed from the month it became known, not before.
const overdueSql = `select e.id as enrolment_id, e.participant_id, overdue.arrears_since, overdue.arrears,
    grace.scheme, grace.version, grace.hash
  from (select enrolment_id, min(period) as arrears_since, min(booked_in) as owed_since, sum(own_share - own_paid) as arrears
        from premium_dues
        where own_paid < own_share and booked_in < ?::date group by enrolment_id having min(booked_in) <= ?::date) as overdue
  join enrolments e on e.id = overdue.enrolment_id
  cross join ${boundsSql}
  join jsonb_to_recordset(?::jsonb) as grace (scheme text, month_of_cover integer, grace_months integer, version text, hash text)
    on grace.scheme = e.rule_scheme and grace.month_of_cover = ${monthOfCoverSql}
  where e.status = 'active' and ${inCoverSql}
    and overdue.owed_since <= (bounds.period_start - make_interval(months => grace.grace_months))::date`;

// The months each tariff of the month allows an own share to stay unpaid,
// as the overdue query reads them; empty when no rule says.
function overdueTerms(tariffs: readonly Tariff[], months: (tariff: Tariff) => number | null) {
  return tariffs.flatMap((tariff) => {
    const graceMonths = months(tariff);
    return graceMonths === null
      ? []
      : [
          {
            scheme: tariff.scheme,
            month_of_cover: tariff.monthOfCover,
            grace_months: graceMonths,
            version: tariff.version,
            hash: tariff.hash,
          },
        ];
  });
}

// The overdue query's arguments for a month and its terms.
function overdueArgs(month: Bounds, graces: readonly { grace_months: number }[]): string[] {
  const graceMonthsMin = Math.min(...graces.map((grace) => grace.grace_months));
  const oldestOverdue = `${addMonths(month.periodStart, -graceMonthsMin)}-01`;
  return [month.periodStart, oldestOverdue, month.periodStart, month.periodEnd, JSON.stringify(graces)];
}

// Lapses, before a month's dues are booked, every enrolment in cover whose
// arrears are past their grace. Run again (a cycle resumed), it finds those
// already lapsed out of cover and lapses nobody twice.
export async function lapseForArrears(db: Db, tariffs: readonly Tariff[], month: Bounds, actor: Actor): Promise<number> {
  const graces = overdueTerms(tariffs, (tariff) => tariff.arrears?.graceMonths ?? null);
  if (graces.length === 0) return 0;
  const args = overdueArgs(month, graces);
  return withTransaction(db, async (trx) => {
    // A contribution locks its participant before it pays dues: once these
    // locks are held, the statement below (a snapshot of its own) sees every
    // payment committed, so nobody who has just paid up is lapsed. Arrears
    // before the month only shrink meanwhile (the job lock keeps other
    // cycles out), so the statement below finds no one not locked here.
    await trx.raw(
      `select id from participants where id in (select participant_id from (${overdueSql}) as candidates) order by id for update`,
      args,
    );
    // The update hands on what the insert needs: no join between the two
    // (row estimates for them are guesses, and a nested loop there is quadratic).
    const lapsed = await trx.raw<{ rows: { enrolment_id: string }[] }>(
      `with lapsed as (
         update enrolments set status = 'lapsed', lapsed_on = ?::date
         from (${overdueSql}) as lapsing where enrolments.id = lapsing.enrolment_id
         returning enrolments.id, lapsing.arrears, lapsing.arrears_since, lapsing.scheme, lapsing.version, lapsing.hash
       )
       insert into cover_lapses (enrolment_id, reason, lapsed_on, arrears, arrears_since, rule_scheme, rule_version, rule_hash)
       select id, 'arrears', ?::date, arrears, arrears_since, scheme, version, hash from lapsed
       returning enrolment_id`,
      [month.periodStart, ...args, month.periodStart],
    );
    await insertCoverEndedNotices(trx, {
      enrolmentIds: lapsed.rows.map((row) => row.enrolment_id),
      lapsedOn: month.periodStart,
      decidedOn: month.periodStart,
    });
    if (lapsed.rows.length > 0)
      await recordAudit(trx, actor, {
        action: 'cover.lapse-for-arrears',
        entityType: 'job',
        entityId: `premium-cycle:${month.periodStart.slice(0, 7)}`,
        detail: { lapsed: lapsed.rows.length },
      });
    return lapsed.rows.length;
  });
}

// Writes a reminder to every participant in cover whose own share has stayed
// unpaid as long as their rules' reminder terms say, once for each oldest
// month unpaid: run again (a cycle resumed) it writes nothing new, and a
// participant who pays the oldest month and stays behind is reminded anew.
// Cover goes on: the reminder is the whole consequence.
export async function remindOfArrears(db: Db, tariffs: readonly Tariff[], month: Bounds, actor: Actor): Promise<number> {
  const graces = overdueTerms(tariffs, (tariff) => tariff.reminderAfterMonths);
  if (graces.length === 0) return 0;
  return withTransaction(db, async (trx) => {
    const written = await trx.raw<{ rows: { id: string }[] }>(
      `insert into notices (lpa_id, participant_id, kind, decision_key, decided_on, payload, rule_scheme, rule_version, rule_hash)
       select e.lpa_id, overdue.participant_id, 'arrears-reminder',
         'arrears-reminder:' || overdue.enrolment_id || ':' || to_char(overdue.arrears_since, 'YYYY-MM'), ?::date,
         jsonb_build_object('arrears', overdue.arrears::text, 'arrearsSince', to_char(overdue.arrears_since, 'YYYY-MM')),
         overdue.scheme, overdue.version, overdue.hash
       from (${overdueSql}) as overdue join enrolments e on e.id = overdue.enrolment_id
       on conflict (decision_key) do nothing
       returning id`,
      [month.periodStart, ...overdueArgs(month, graces)],
    );
    if (written.rows.length > 0)
      await recordAudit(trx, actor, {
        action: 'notice.arrears-reminder',
        entityType: 'job',
        entityId: `premium-cycle:${month.periodStart.slice(0, 7)}`,
        detail: { reminded: written.rows.length },
      });
    return written.rows.length;
  });
}

export interface Reinstated {
  readonly enrolmentId: string;
  readonly lapsedOn: string;
  readonly reinstatedOn: string;
}

// After a contribution has paid dues: each of the participant's covers
// lapsed for arrears that now owes nothing is reinstated when the rules in
// force on the day of payment allow it, naming the contribution and the
// rules. Cover of a participant whose death benefit the fund has granted is
// never reinstated: heirs settling the arrears pay a debt, not for cover.
// Inside the contribution's transaction, under its participant lock.
export async function reinstatePaidUp(
  trx: Knex.Transaction,
  book: RuleBook,
  participantId: string,
  contribution: { id: string; paidOn: string },
): Promise<Reinstated[]> {
  const paidUp = await trx.raw<{
    rows: { id: string; enrolment_id: string; lapsed_on: string; rule_scheme: string; enrolled_on: string }[];
  }>(
    `select l.id, l.enrolment_id, l.lapsed_on, e.rule_scheme, e.enrolled_on
     from cover_lapses l join enrolments e on e.id = l.enrolment_id
     where e.participant_id = ? and l.reason = 'arrears' and l.reinstated_on is null
       and not exists (select 1 from premium_dues d where d.enrolment_id = l.enrolment_id and d.own_paid < d.own_share)
       and not exists (select 1 from claims c where c.participant_id = e.participant_id and c.claim_type = 'death'
                         and c.status in ('approved', 'paid'))`,
    [participantId],
  );
  const reinstated: Reinstated[] = [];
  for (const lapse of paidUp.rows) {
    const monthStart = `${contribution.paidOn.slice(0, 7)}-01`;
    let tariff: Tariff | null;
    try {
      tariff = premiumTariff(book, lapse.rule_scheme, monthStart, monthOfCoverStartingIn(lapse.enrolled_on, monthStart));
    } catch (error) {
      if (!(error instanceof RuleNotInForceError || error instanceof UnknownSchemeError)) throw error;
      tariff = null;
    }
    const decision = reinstatement(tariff?.arrears ?? null, lapse.lapsed_on, contribution.paidOn);
    if (!decision.reinstated || tariff === null) continue;
    await trx('cover_lapses').where({ id: lapse.id }).update({
      reinstated_on: decision.reinstatedOn,
      reinstated_by: contribution.id,
      reinstate_rule_version: tariff.version,
      reinstate_rule_hash: tariff.hash,
    });
    // The months between owe nothing; the month cover resumed is owed again
    // (its cycle may have settled it as not owed while the cover was lapsed),
    // so the cycle's next run books from it.
    await trx('enrolments')
      .where({ id: lapse.enrolment_id, status: 'lapsed' })
      .update({
        status: 'active',
        lapsed_on: null,
        dues_through: trx.raw(`?::date - interval '1 month'`, [`${decision.reinstatedOn.slice(0, 7)}-01`]),
      });
    reinstated.push({ enrolmentId: lapse.enrolment_id, lapsedOn: lapse.lapsed_on, reinstatedOn: decision.reinstatedOn });
  }
  return reinstated;
}

export const coverLapseSchema = z.object({
  enrolmentId: z.uuid(),
  reason: z.enum(['not-eligible', 'arrears', 'scheme-ended']),
  lapsedOn: z.string(),
  arrears: z.string().nullable().meta({ description: 'For arrears: the own share unpaid when cover lapsed.' }),
  arrearsSince: z.string().nullable().meta({ description: 'For arrears: the month of the oldest due unpaid, YYYY-MM.' }),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  reinstatedOn: z
    .string()
    .nullable()
    .meta({ description: 'The day cover resumed; the days from lapsedOn to it were not covered.' }),
  reinstatedBy: z.uuid().nullable().meta({ description: 'The contribution that paid up.' }),
  reinstateRule: z.object({ version: z.string(), hash: z.string() }).nullable(),
});
export type CoverLapse = z.infer<typeof coverLapseSchema>;

export async function listLapses(db: Db, participantId: string): Promise<CoverLapse[]> {
  const rows = await db('cover_lapses as l')
    .join('enrolments as e', 'e.id', 'l.enrolment_id')
    .where('e.participant_id', participantId)
    .orderBy([{ column: 'l.lapsed_on' }, { column: 'l.enrolment_id' }])
    .select<
      {
        enrolment_id: string;
        reason: CoverLapse['reason'];
        lapsed_on: string;
        arrears: string | null;
        arrears_since: string | null;
        rule_scheme: string;
        rule_version: string;
        rule_hash: string;
        reinstated_on: string | null;
        reinstated_by: string | null;
        reinstate_rule_version: string | null;
        reinstate_rule_hash: string | null;
      }[]
    >('l.*');
  return rows.map((row) => ({
    enrolmentId: row.enrolment_id,
    reason: row.reason,
    lapsedOn: row.lapsed_on,
    arrears: row.arrears,
    arrearsSince: row.arrears_since?.slice(0, 7) ?? null,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    reinstatedOn: row.reinstated_on,
    reinstatedBy: row.reinstated_by,
    reinstateRule:
      row.reinstate_rule_version === null || row.reinstate_rule_hash === null
        ? null
        : { version: row.reinstate_rule_version, hash: row.reinstate_rule_hash },
  }));
}
