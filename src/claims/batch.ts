import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { type AuditEntry, recordAudits } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { ConflictError, IdempotencyKeyReusedError, NotFoundError, UnprocessableError } from '../errors.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { postLastEntries } from '../ledger/post.ts';
import type { Poster } from '../ledger/store.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { type Adjudication, adjudicateClaim, type ClaimHistory } from './adjudicate.ts';
import { allowanceClaimTypes, type Claim, type NewClaim } from './model.ts';
import { acceptClaim } from './reserve.ts';
import { cancelDuesAfterDeath } from '../premiums/index.ts';
import { claimDecisionNotices } from './notices.ts';
import { insertNotices } from '../notices/index.ts';
import {
  type Claimant,
  type CoverAndHistory,
  findClaimByKey,
  insertClaims,
  lockClaimants,
  lockCovers,
  type NewClaimRow,
} from './store.ts';

// Claims filed together, decided in one transaction of a few statements:
// the claimants locked in id order, their covers, earlier claims and keys
// read after, each claim decided by its rules in turn (counting the ones
// before it in the batch), then one insert each for the claims, their audit
// rows and their reserve entries. A refusal of one claim (unknown person,
// LPA not approved, no rules in force) is its answer alone.

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

export interface Filing {
  readonly book: RuleBook;
  readonly request: SubmitRequest;
  readonly fingerprint: string;
  readonly actor: Actor;
}

export type Outcome = { readonly submitted: Submitted } | { readonly refused: unknown };

interface Decided {
  // Its place in the batch as filed.
  readonly index: number;
  readonly row: NewClaimRow;
  readonly actor: Actor;
  readonly audit: Omit<AuditEntry, 'detail'>;
  // The case reserve of an approved claim, and for a death the dues after it undone.
  readonly entries: readonly { readonly draft: EntryDraft; readonly poster: Poster }[];
}

// Claims filed in this batch, counted as the database counts earlier ones.
interface BatchHistory {
  readonly allowances: Map<string, number>;
  // The incident date of each death benefit the batch granted, by participant.
  readonly deaths: Map<string, string>;
}

export async function fileClaims(trx: Knex.Transaction, filings: readonly Filing[]): Promise<Outcome[]> {
  // People in id order, as lockClaimants locks them; lockCovers then locks
  // their enrolments in the order given.
  const order = filings
    .map((_, index) => index)
    .sort((a, b) => {
      const [first, second] = [filings[a]?.request.claim.participantId ?? '', filings[b]?.request.claim.participantId ?? ''];
      return first < second ? -1 : first > second ? 1 : a - b;
    });
  const ordered = order.map((index) => filings[index] as Filing);
  const claimants = await lockClaimants(
    trx,
    ordered.map(({ request }) => request.claim.participantId),
  );
  const covers = await lockCovers(
    trx,
    ordered.map(({ request }) => ({ ...request.claim, lpaId: request.lpaId, idempotencyKey: request.idempotencyKey })),
  );

  const outcomes: Outcome[] = [];
  const decided: Decided[] = [];
  const batch: BatchHistory = { allowances: new Map(), deaths: new Map() };
  for (const [position, filing] of ordered.entries()) {
    const index = order[position] as number;
    try {
      const { lpaId, idempotencyKey } = filing.request;
      const covered = covers[position];
      if (covered === undefined) throw new Error(`claim ${index} of a batch has no cover row`);
      if (covered.earlierClaimId !== null) {
        const earlier = await findClaimByKey(trx, lpaId, idempotencyKey);
        if (earlier === null) throw new Error(`claim key ${idempotencyKey} was taken and is gone`);
        outcomes[index] = { submitted: replayOf(earlier, idempotencyKey, filing.fingerprint) };
        continue;
      }
      const claimant = claimants.get(filing.request.claim.participantId);
      decided.push({ index, ...(await decideOne(trx, filing, claimant, covered, batch)) });
    } catch (error) {
      outcomes[index] = { refused: error };
    }
  }

  const stored = await insertClaims(
    trx,
    decided.map(({ row }) => row),
  );
  const claimOf = (id: string) => {
    const claim = stored.get(id);
    if (claim === undefined) throw new Error(`claim ${id} was not read back`);
    return claim;
  };
  await recordAudits(
    trx,
    decided.map(({ row, actor, audit }) => {
      const claim = claimOf(row.id);
      return {
        actor,
        entry: {
          ...audit,
          detail: { amount: claim.amount, reasons: claim.reasons.map((reason) => reason.reason), rule: claim.rule },
        },
      };
    }),
  );
  await insertNotices(
    trx,
    decided.flatMap(({ index, row }) => {
      const filing = filings[index];
      if (filing === undefined) throw new Error(`claim ${row.id} has no filing at ${index}`);
      return claimDecisionNotices(claimOf(row.id), filing.request.today);
    }),
  );
  // Last before the commit: the entries lock the fund's two account rows,
  // which every approval shares, so the less that follows them the better.
  await postLastEntries(
    trx,
    decided.flatMap(({ entries }) => entries),
  );
  for (const { index, row } of decided) outcomes[index] = { submitted: { claim: claimOf(row.id), replayed: false } };
  return filings.map((_, index) => outcomes[index] ?? { refused: new Error(`claim ${index} of a batch was not decided`) });
}

async function decideOne(
  trx: Knex.Transaction,
  { book, request, fingerprint, actor }: Filing,
  claimant: Claimant | undefined,
  covered: CoverAndHistory,
  batch: BatchHistory,
): Promise<Omit<Decided, 'index'>> {
  const { claim, lpaId, idempotencyKey, today } = request;
  if (claimant === undefined || claimant.lpaId !== lpaId) throw new NotFoundError('participant', claim.participantId);
  if (claimant.lpaStatus !== 'approved')
    throw new ConflictError('lpa-not-approved', `This LPA is ${claimant.lpaStatus}; only an approved LPA may file claims.`);

  const { cover } = covered;
  const history: ClaimHistory = {
    allowancesApproved:
      covered.history.allowancesApproved + (cover === null ? 0 : (batch.allowances.get(cover.enrolmentId) ?? 0)),
    diedOn: earliest(covered.history.diedOn, batch.deaths.get(claim.participantId) ?? null),
  };
  let adjudication: Adjudication;
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
  const duesCancelled =
    accepted !== null && claim.claimType === 'death'
      ? await cancelDuesAfterDeath(
          trx,
          book,
          { participantId: claim.participantId, diedOn: claim.incidentDate, claimId: id, today },
          actor,
        )
      : null;
  // Counted once nothing more can refuse this claim: it stands from here.
  if (adjudication.status !== 'rejected') {
    if (cover !== null && allowanceClaimTypes.includes(claim.claimType))
      batch.allowances.set(cover.enrolmentId, (batch.allowances.get(cover.enrolmentId) ?? 0) + 1);
    if (claim.claimType === 'death')
      batch.deaths.set(
        claim.participantId,
        earliest(batch.deaths.get(claim.participantId) ?? null, claim.incidentDate) ?? claim.incidentDate,
      );
  }
  const { participantId, incidentDate, reportDate, claimType, ...details } = claim;
  return {
    row: {
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
    },
    actor,
    audit: {
      action: `claim.${{ approved: 'approve', rejected: 'reject', referred: 'refer' }[adjudication.status]}`,
      entityType: 'claim',
      entityId: id,
    },
    entries: [
      ...(accepted === null ? [] : [{ draft: accepted.draft, poster: accepted.poster }]),
      ...(duesCancelled === null
        ? []
        : [{ draft: duesCancelled, poster: accepted?.poster ?? { postedBy: actor.actor, requestId: actor.requestId } }]),
    ],
  };
}
export function replayOf(earlier: { claim: Claim; fingerprint: string }, idempotencyKey: string, fingerprint: string): Submitted {
  if (earlier.fingerprint !== fingerprint)
    throw new IdempotencyKeyReusedError(idempotencyKey, `claim ${earlier.claim.id}, with a different body`);
  return { claim: earlier.claim, replayed: true };
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
