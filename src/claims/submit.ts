import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../auth/model.ts';
import { type Db, isUniqueViolation, withTransaction } from '../db/knex.ts';
import { ConflictError, InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import { postEntry } from '../ledger/post.ts';
import { findLpa } from '../registry/store.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import { canonicalJson, sha256Hex } from '../rules/hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { adjudicateClaim } from './adjudicate.ts';
import type { Claim, NewClaim } from './model.ts';
import { acceptClaim } from './reserve.ts';
import { claimHistory, findClaimByKey, insertClaim, lockCover } from './store.ts';

export interface SubmitRequest {
  readonly lpaId: string;
  readonly claim: NewClaim;
  readonly idempotencyKey: string;
  readonly today: string;
  readonly defaultScheme: string;
  readonly fieldPrefix: string;
}

export interface Submitted {
  readonly claim: Claim;
  // True when the idempotency key had already filed this same claim.
  readonly replayed: boolean;
}

// An LPA files a claim; the benefit rules in force on the incident date
// decide it at once, or refer it to the directorate's review. The decision,
// the claim and, when approved, the case
// reserve in the ledger (claims expense against claims payable) commit
// together or not at all. A retried Idempotency-Key answers the first claim.
export async function submitClaim(db: Db, book: RuleBook, request: SubmitRequest, actor: Actor): Promise<Submitted> {
  const { claim, lpaId, idempotencyKey, today, fieldPrefix } = request;
  const dateIssues = [
    ...(claim.incidentDate > today
      ? [{ field: `${fieldPrefix}incidentDate`, message: `must not be after today (${today})` }]
      : []),
    ...(claim.reportDate > today ? [{ field: `${fieldPrefix}reportDate`, message: `must not be after today (${today})` }] : []),
  ];
  if (dateIssues.length > 0) throw new InputError(dateIssues);

  const fingerprint = sha256Hex(canonicalJson(JSON.parse(JSON.stringify(claim))));
  const earlier = await findClaimByKey(db, lpaId, idempotencyKey);
  if (earlier !== null) return replayOf(earlier, idempotencyKey, fingerprint);
  try {
    return await withTransaction(db, async (trx) => {
      const lpa = await findLpa(trx, lpaId);
      if (lpa === null || lpa.status !== 'approved')
        throw new ConflictError(
          'lpa-not-approved',
          `This LPA is ${lpa?.status ?? 'unknown'}; only an approved LPA may file claims.`,
        );
      // Locked: every claim for one person waits for the one before it, so
      // counts of earlier claims (the limit, a death already paid) cannot race.
      const participant = await trx('participants')
        .where({ id: claim.participantId })
        .forUpdate()
        .first<{ lpa_id: string } | undefined>('lpa_id');
      if (participant === undefined || participant.lpa_id !== lpaId) throw new NotFoundError('participant', claim.participantId);

      const cover = await lockCover(trx, claim.participantId, claim.incidentDate);
      // A claim filed while this one waited for the lock may have taken the key.
      const raced = await findClaimByKey(trx, lpaId, idempotencyKey);
      if (raced !== null) return replayOf(raced, idempotencyKey, fingerprint);
      const history =
        cover === null
          ? { allowancesApproved: 0, deathApproved: false }
          : await claimHistory(trx, claim.participantId, cover.enrolmentId);
      let adjudication;
      try {
        adjudication = adjudicateClaim(book, claim, cover, history, request.defaultScheme);
      } catch (error) {
        if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
        if (error instanceof UnknownSchemeError) throw new UnprocessableError('unknown-scheme', error.message);
        throw error;
      }

      const id = randomUUID();
      const { decision } = adjudication;
      const accepted =
        adjudication.status === 'approved' && adjudication.amount !== null && adjudication.benefit !== null
          ? await acceptClaim(
              trx,
              {
                claimId: id,
                amount: adjudication.amount,
                benefit: adjudication.benefit,
                rule: { scheme: decision.scheme, version: decision.version, hash: decision.hash },
                paymentDeadlineDays: adjudication.paymentDeadlineDays,
              },
              today,
              actor,
            )
          : null;
      const { participantId, incidentDate, reportDate, claimType, ...details } = claim;
      const stored = await insertClaim(trx, {
        id,
        lpaId,
        participantId,
        enrolmentId: cover?.enrolmentId ?? null,
        claimType,
        incidentDate,
        reportDate,
        details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
        adjudication,
        idempotencyKey,
        fingerprint,
        reserveEntryId: accepted?.draft.entryId ?? null,
        acceptedOn: accepted?.acceptedOn ?? null,
        paymentDueOn: accepted?.paymentDueOn ?? null,
        submittedBy: actor.actor,
        requestId: actor.requestId,
      });
      await recordAudit(trx, actor, {
        action: `claim.${{ approved: 'approve', rejected: 'reject', referred: 'refer' }[adjudication.status]}`,
        entityType: 'claim',
        entityId: id,
        detail: { amount: stored.amount, reasons: stored.reasons.map((reason) => reason.reason), rule: stored.rule },
      });
      // Last before the commit: the entry locks the fund's two account rows,
      // which every approval shares, so the less that follows it the better.
      if (accepted !== null) await postEntry(trx, accepted.draft, accepted.poster);
      return { claim: stored, replayed: false };
    });
  } catch (error) {
    // Two filings under one key for different participants lock different
    // enrolments; the unique key lets one in and sends the other here.
    if (isUniqueViolation(error)) {
      const winner = await findClaimByKey(db, lpaId, idempotencyKey);
      if (winner !== null) return replayOf(winner, idempotencyKey, fingerprint);
    }
    throw error;
  }
}

function replayOf(earlier: { claim: Claim; fingerprint: string }, idempotencyKey: string, fingerprint: string): Submitted {
  if (earlier.fingerprint !== fingerprint)
    throw new UnprocessableError(
      'idempotency-key-reused',
      `Idempotency-Key ${JSON.stringify(idempotencyKey)} already filed claim ${earlier.claim.id} with a different body; use a new key for a new claim.`,
    );
  return { claim: earlier.claim, replayed: true };
}
