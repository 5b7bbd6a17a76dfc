import { refuseFutureDates } from '../dates.ts';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { findNotice, markHandedOver, markSent } from './store.ts';

// An LPA records what became of a notice it owes. Its own notices only:
// another LPA's is not found. Recording the same thing twice answers as
// the first time did.

export async function recordNoticeSent(
  db: Db,
  request: { lpaId: string; noticeId: string; channel: string; reference: string | null },
  actor: Actor,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    const found = await findNotice(trx, request.noticeId, { forUpdate: true });
    if (found === null || found.notice.lpaId !== request.lpaId) throw new NotFoundError('notice', request.noticeId);
    const { notice } = found;
    if (notice.status === 'sent') return;
    if (notice.status === 'handed-over')
      throw new ConflictError('notice-handed-over', `Notice ${notice.id} was handed over on ${notice.handedOver?.on ?? ''}.`);
    await markSent(trx, notice.id, { channel: request.channel, reference: request.reference });
    await recordAudit(trx, actor, {
      action: 'notice.sent',
      entityType: 'notice',
      entityId: notice.id,
      detail: { channel: request.channel, reference: request.reference },
    });
  });
}

export async function recordNoticeHandedOver(
  db: Db,
  request: { lpaId: string; noticeId: string; on: string; today: string; fieldPrefix: string },
  actor: Actor,
): Promise<void> {
  refuseFutureDates(request.today, { [`${request.fieldPrefix}on`]: request.on });
  await withTransaction(db, async (trx) => {
    const found = await findNotice(trx, request.noticeId, { forUpdate: true });
    if (found === null || found.notice.lpaId !== request.lpaId) throw new NotFoundError('notice', request.noticeId);
    const { notice } = found;
    if (notice.status === 'handed-over') return;
    if (request.on < notice.decidedOn)
      throw new InputError([
        { field: `${request.fieldPrefix}on`, message: `must not be before the decision it tells of (${notice.decidedOn})` },
      ]);
    await markHandedOver(trx, notice.id, { on: request.on, by: actor.actor });
    await recordAudit(trx, actor, {
      action: 'notice.handed-over',
      entityType: 'notice',
      entityId: notice.id,
      detail: { on: request.on },
    });
  });
}
