import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { monthsBetween } from '../dates.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { insertCoverEndedNotices } from '../notices/index.ts';
import type { Bounds } from './cover.ts';
import type { Reinstated } from './model.ts';
import {
  insertArrearsReminders,
  lapseOverdue,
  lockOverdueParticipants,
  type OverdueTerm,
  paidUpLapses,
  reactivateLapsedEnrolment,
  reinstateLapse,
} from './store.ts';
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

// The months each tariff of the month allows an own share to stay unpaid,
// as the overdue query reads them; empty when no rule says.
function overdueTerms(tariffs: readonly Tariff[], months: (tariff: Tariff) => number | null): OverdueTerm[] {
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

// Lapses, before a month's dues are booked, every enrolment in cover whose
// arrears are past their grace. Run again (a cycle resumed), it finds those
// already lapsed out of cover and lapses nobody twice.
export async function lapseForArrears(db: Db, tariffs: readonly Tariff[], month: Bounds, actor: Actor): Promise<number> {
  const graces = overdueTerms(tariffs, (tariff) => tariff.arrears?.graceMonths ?? null);
  if (graces.length === 0) return 0;
  return withTransaction(db, async (trx) => {
    // A contribution locks its participant before it pays dues: once these
    // locks are held, the statement below (a snapshot of its own) sees every
    // payment committed, so nobody who has just paid up is lapsed. Arrears
    // before the month only shrink meanwhile (the job lock keeps other
    // cycles out), so the statement below finds no one not locked here.
    await lockOverdueParticipants(trx, month, graces);
    const lapsed = await lapseOverdue(trx, month, graces);
    await insertCoverEndedNotices(trx, {
      enrolmentIds: lapsed,
      lapsedOn: month.periodStart,
      decidedOn: month.periodStart,
    });
    if (lapsed.length > 0)
      await recordAudit(trx, actor, {
        action: 'cover.lapse-for-arrears',
        entityType: 'job',
        entityId: `premium-cycle:${month.periodStart.slice(0, 7)}`,
        detail: { lapsed: lapsed.length },
      });
    return lapsed.length;
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
    const reminded = await insertArrearsReminders(trx, month, graces);
    if (reminded > 0)
      await recordAudit(trx, actor, {
        action: 'notice.arrears-reminder',
        entityType: 'job',
        entityId: `premium-cycle:${month.periodStart.slice(0, 7)}`,
        detail: { reminded },
      });
    return reminded;
  });
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
  const paidUp = await paidUpLapses(trx, participantId);
  const reinstated: Reinstated[] = [];
  for (const lapse of paidUp) {
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
    await reinstateLapse(trx, lapse.id, { reinstatedOn: decision.reinstatedOn, contributionId: contribution.id, tariff });
    // The months between owe nothing; the month cover resumed is owed again
    // (its cycle may have settled it as not owed while the cover was lapsed),
    // so the cycle's next run books from it.
    await reactivateLapsedEnrolment(trx, lapse.enrolment_id, `${decision.reinstatedOn.slice(0, 7)}-01`);
    reinstated.push({ enrolmentId: lapse.enrolment_id, lapsedOn: lapse.lapsed_on, reinstatedOn: decision.reinstatedOn });
  }
  return reinstated;
}
