import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError } from '../errors.ts';
import type { Periods } from './model.ts';
import { closeRefusal, lastDayOfMonth } from './periods.ts';
import { insertClose, listPeriods, lockPeriodsForClose } from './store.ts';

// Closes the ledger through the last day of `month`. Entries already in
// flight finish first (the close waits for their lock); any entry after it
// dated in a closed month is refused, by this code and by the database.
export async function closePeriod(db: Db, month: string, today: string, actor: Actor): Promise<Periods> {
  return withTransaction(db, async (trx) => {
    const closedThrough = await lockPeriodsForClose(trx);
    const refusal = closeRefusal(month, today, closedThrough);
    switch (refusal) {
      case null:
        break;
      case 'month-not-ended':
        throw new ConflictError(
          'month-not-ended',
          `${month} has not ended yet (today is ${today}); close it from the 1st of the next month.`,
        );
      case 'already-closed':
        throw new ConflictError(
          'already-closed',
          `The ledger is already closed through ${closedThrough ?? ''}, which includes ${month}.`,
        );
      default: {
        const unreachable: never = refusal;
        throw new Error(`unknown close refusal ${String(unreachable)}`);
      }
    }
    await insertClose(trx, lastDayOfMonth(month), actor.actor, actor.requestId);
    await recordAudit(trx, actor, {
      action: 'ledger.period.close',
      entityType: 'ledger_period',
      entityId: month,
      detail: { closedThrough: lastDayOfMonth(month), previouslyClosedThrough: closedThrough },
    });
    return listPeriods(trx);
  });
}
