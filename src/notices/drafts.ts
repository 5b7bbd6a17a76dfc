import { type NoticeDraft } from './model.ts';

// Pure: the notices a decision owes, built from the decision as stored.
// Each is keyed by the decision it tells of, so writing it twice is
// writing it once.

export function cardNotice(
  holder: { participantId: string; lpaId: string },
  card: { number: string; issuedOn: string },
  rule: NoticeDraft['rule'],
  decidedOn: string,
): NoticeDraft {
  return {
    lpaId: holder.lpaId,
    participantId: holder.participantId,
    // A card issued anew (another number or date) is told again; the same card recorded twice is not.
    decisionKey: `card:${holder.participantId}:${card.number}:${card.issuedOn}`,
    decidedOn,
    decision: { kind: 'card-issued', cardNumber: card.number, issuedOn: card.issuedOn },
    rule,
  };
}
