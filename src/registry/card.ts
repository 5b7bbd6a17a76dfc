import type { z } from 'zod';
import type { Actor, Principal } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError } from '../errors.ts';
import { noticeCardIssued } from '../notices/index.ts';
import type { RuleBook } from '../rules/load.ts';
import type { cardInputSchema } from './model.ts';
import { visibleParticipant } from './participants.ts';
import { cardNumberTakenByAnother, setCard } from './store.ts';

export type CardInput = z.output<typeof cardInputSchema>;

// The LPA records the card it issued (number, issue and delivery dates) on a
// participant it may see; the participant is told of it. One number, one person.
export async function recordCard(
  db: Db,
  book: RuleBook,
  request: { principal: Principal; participantId: string; card: CardInput; today: string },
  actor: Actor,
): Promise<void> {
  const { participantId, card } = request;
  await visibleParticipant(db, request.principal, participantId, request.today);
  await withTransaction(db, async (trx) => {
    if (await cardNumberTakenByAnother(trx, card.number, participantId))
      throw new ConflictError('card-number-taken', `Card number ${card.number} belongs to another participant.`);
    await setCard(trx, participantId, card);
    await noticeCardIssued(trx, book, { participantId, decidedOn: request.today });
    await recordAudit(trx, actor, {
      action: 'participant.card',
      entityType: 'participant',
      entityId: participantId,
      detail: { ...card },
    });
  });
}
