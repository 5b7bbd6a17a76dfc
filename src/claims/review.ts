import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, IdempotencyKeyReusedError } from '../errors.ts';
import { postLastEntries } from '../ledger/post.ts';
import { fromNumeric } from '../money/index.ts';
import { paymentDeadlineDays } from './adjudicate.ts';
import type { Claim, ReviewOutcome } from './model.ts';
import { acceptClaim } from './reserve.ts';
import type { RuleBook } from '../rules/load.ts';
import { cancelDuesAfterDeath } from '../premiums/index.ts';
import { claimDecisionNotices } from './notices.ts';
import { insertNotices } from '../notices/index.ts';
import { findDecision, lockClaim, markReviewed } from './store.ts';

export interface ReviewRequest {
  readonly claimId: string;
  readonly outcome: ReviewOutcome;
  readonly reason: string;
  readonly idempotencyKey: string;
  readonly today: string;
}

// The directorate decides a claim the rules referred to it, once, with a
// reason. Approval pays what the rules set (the review judges the facts, not
// the amount) and books the case reserve then; rejection frees the claim's
// place under the limit. A retry under the same key answers the review.
export async function reviewClaim(
  db: Db,
  book: RuleBook,
  request: ReviewRequest,
  actor: Actor,
): Promise<{ claim: Claim; replayed: boolean }> {
  return withTransaction(db, async (trx) => {
    const { claim, keys } = await lockClaim(trx, request.claimId);
    if (claim.review !== null) {
      if (keys.review === request.idempotencyKey) {
        if (claim.review.outcome !== request.outcome || claim.review.reason !== request.reason)
          throw new IdempotencyKeyReusedError(
            request.idempotencyKey,
            `the review of claim ${claim.id}, with another outcome or reason`,
          );
        return { claim, replayed: true };
      }
      throw new ConflictError(
        'already-reviewed',
        `Claim ${claim.id} was ${claim.review.outcome} on review by ${claim.review.reviewedBy}.`,
      );
    }
    if (claim.status !== 'referred' || claim.amount === null || claim.benefit === null)
      throw new ConflictError('claim-not-referred', `Claim ${claim.id} is ${claim.status}; only a referred claim is reviewed.`);

    const decision = await findDecision(trx, claim.id);
    if (decision === null) throw new Error(`referred claim ${claim.id} has no decision`);
    const accepted =
      request.outcome === 'approved'
        ? await acceptClaim(
            trx,
            {
              claimId: claim.id,
              amount: fromNumeric(claim.amount),
              benefit: claim.benefit,
              rule: claim.rule,
              paymentDeadlineDays: paymentDeadlineDays(decision.events),
            },
            request.today,
            actor,
          )
        : null;
    const updated = await markReviewed(trx, claim.id, {
      outcome: request.outcome,
      reason: request.reason,
      reviewedBy: actor.actor,
      idempotencyKey: request.idempotencyKey,
      reserveEntryId: accepted?.draft.entryId ?? null,
      acceptedOn: accepted?.acceptedOn ?? null,
      paymentDueOn: accepted?.paymentDueOn ?? null,
    });
    await insertNotices(trx, claimDecisionNotices(updated, request.today));
    await recordAudit(trx, actor, {
      action: `claim.review.${request.outcome === 'approved' ? 'approve' : 'reject'}`,
      entityType: 'claim',
      entityId: claim.id,
      detail: { reason: request.reason, amount: claim.amount, referredFor: claim.reasons.map((reason) => reason.reason) },
    });
    const duesCancelled =
      accepted !== null && claim.claimType === 'death'
        ? await cancelDuesAfterDeath(
            trx,
            book,
            { participantId: claim.participantId, diedOn: claim.incidentDate, claimId: claim.id, today: request.today },
            actor,
          )
        : null;
    if (accepted !== null)
      await postLastEntries(trx, [
        accepted,
        ...(duesCancelled === null ? [] : [{ draft: duesCancelled, poster: accepted.poster }]),
      ]);
    return { claim: updated, replayed: false };
  });
}
