import { futureDateIssues } from '../dates.ts';
import type { Actor } from '../access/principal.ts';
import { groupCommit, settle, type Waiting } from '../db/group-commit.ts';
import { type Db, isUniqueViolation, withTransaction } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { type Filing, fileClaims, type Outcome, replayOf, type SubmitRequest, type Submitted } from './batch.ts';
import { findClaimByKey } from './store.ts';

// An LPA files a claim; the benefit rules in force on the incident date
// decide it at once, or refer it to the directorate's review. The decision,
// the claim and, when approved, the case reserve in the ledger (claims
// expense against claims payable) commit together or not at all. A retried
// Idempotency-Key answers the first claim.
//
// Claims filed at the same moment are decided together, in one transaction
// of a few statements (group commit): every claim approved shares the fund's
// two account rows, and one commit for many is what lets a busy day through.
export async function submitClaim(db: Db, book: RuleBook, submitted: SubmitRequest, actor: Actor): Promise<Submitted> {
  // The database writes ids in lower case; so do the maps a batch keeps.
  const request = { ...submitted, claim: { ...submitted.claim, participantId: submitted.claim.participantId.toLowerCase() } };
  const { claim, today, fieldPrefix } = request;
  const dateIssues = futureDateIssues(today, {
    [`${fieldPrefix}incidentDate`]: claim.incidentDate,
    [`${fieldPrefix}reportDate`]: claim.reportDate,
  });
  if (dateIssues.length > 0) throw new InputError(dateIssues);

  const fingerprint = sha256Hex(canonicalJson(JSON.parse(JSON.stringify(claim))));
  return filerFor(db)({ book, request, fingerprint, actor });
}

const claimsPerBatchMax = 64;
const batchesInFlightMax = 3;
const filers = new WeakMap<Db, (filing: Filing) => Promise<Submitted>>();

function filerFor(db: Db): (filing: Filing) => Promise<Submitted> {
  const known = filers.get(db);
  if (known !== undefined) return known;
  const filer = groupCommit<Filing, Submitted>({
    batchMax: claimsPerBatchMax,
    inFlightMax: batchesInFlightMax,
    keyOf: ({ request }) => `${request.lpaId}\u0000${request.idempotencyKey}`,
    run: (batch) => fileBatch(db, batch),
  });
  filers.set(db, filer);
  return filer;
}

// A batch that fails as a whole (a key two batches raced for, a deadlock, a
// fault) is filed again claim by claim: the good ones go through, and each
// failure is answered for its own claim.
async function fileBatch(db: Db, batch: readonly Waiting<Filing, Submitted>[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await withTransaction(db, (trx) =>
      fileClaims(
        trx,
        batch.map((waiting) => waiting.item),
      ),
    );
  } catch (error) {
    if (batch.length === 1) await settle(batch[0] as Waiting<Filing, Submitted>, answerFailure(db, batch[0]?.item, error));
    else for (const waiting of batch) await fileBatch(db, [waiting]);
    return;
  }
  batch.forEach((waiting, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined) waiting.reject(new Error(`claim ${index} of a batch was left without an answer`));
    else if ('submitted' in outcome) waiting.resolve(outcome.submitted);
    else waiting.reject(outcome.refused);
  });
}

// Two filings under one key for different participants lock different
// people; the unique key lets one in and sends the other here.
async function answerFailure(db: Db, filing: Filing | undefined, error: unknown): Promise<Submitted> {
  if (filing !== undefined && isUniqueViolation(error)) {
    const { lpaId, idempotencyKey } = filing.request;
    const winner = await findClaimByKey(db, lpaId, idempotencyKey);
    if (winner !== null) return replayOf(winner, idempotencyKey, filing.fingerprint);
  }
  throw error;
}
