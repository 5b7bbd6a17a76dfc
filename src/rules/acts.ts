import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError, UnprocessableError } from '../errors.ts';
import { loadRuleBook, type RuleBook } from './load.ts';
import { formatProblem, RuleSetError } from './problems.ts';
import {
  checkPublication,
  checkWithdrawal,
  type ChangedDecision,
  type DecisionsChanged,
  type PublicationCheck,
  publicationRecordOf,
  type Retroactive,
  type WithdrawalCheck,
  withdrawalRecordOf,
} from './publish.ts';
import { publishVersion, withdrawVersion } from './store.ts';

// The directorate's acts on rule versions, for every edge alike (the API's
// routes and the console's forms): what publishing or withdrawing would do,
// and doing it. The CLI's commands read the same checks.

export interface RuleActOptions {
  readonly db: Db;
  readonly dir: string;
  readonly today: () => string;
  // Puts a version just published, or takes one just withdrawn, out of the
  // book the service decides by.
  readonly afterPublish: () => Promise<void>;
  readonly decisionsChanged: DecisionsChanged;
}

// A book with the named version in it, draft or published; a folder that
// is not there is a 404, and a draft that does not load a 422 naming why.
export function bookWith(dir: string, scheme: string, version: string): RuleBook {
  if (!existsSync(join(dir, scheme, version))) throw new NotFoundError('rule version', `${scheme}/${version}`);
  try {
    return loadRuleBook(dir, { scheme, version });
  } catch (error) {
    if (error instanceof RuleSetError)
      throw new UnprocessableError('rule-set-invalid', error.problems.map(formatProblem).join('\n'));
    throw error;
  }
}

export interface PublicationReview {
  readonly check: PublicationCheck;
  readonly retroactive: Retroactive | undefined;
  // Each decision already made that a retroactive version would have made otherwise, in words.
  readonly changedLines: readonly string[];
}

// Everything publishing a draft today would do, and why it may not: the
// dry run, which writes nothing.
export async function reviewPublication(
  book: RuleBook,
  options: RuleActOptions,
  request: {
    readonly scheme: string;
    readonly version: string;
    readonly retroactive?: { readonly reason: string; readonly keepDecisions: boolean };
  },
): Promise<PublicationReview> {
  const withDraft = bookWith(options.dir, request.scheme, request.version);
  const today = options.today();
  const effectiveFrom =
    withDraft.schemes.get(request.scheme)?.find((entry) => entry.version === request.version)?.effectiveFrom ?? today;
  const retroactive =
    request.retroactive === undefined || effectiveFrom >= today
      ? undefined
      : {
          ...request.retroactive,
          changed: await options.decisionsChanged(
            { inForce: book, proposed: withDraft },
            { scheme: request.scheme, from: effectiveFrom, through: today },
          ),
        };
  const check = checkPublication(withDraft, book, {
    scheme: request.scheme,
    version: request.version,
    today,
    ...(retroactive === undefined ? {} : { retroactive }),
  });
  const changedLines = (retroactive?.changed ?? []).map(
    (decision: ChangedDecision) => `${decision.kind} ${decision.id} on ${decision.date}: ${decision.before} → ${decision.after}`,
  );
  return { check, retroactive, changedLines };
}

// The refusal of a review that found reasons not to publish, as the API answers it.
export function publicationRefused(review: PublicationReview): UnprocessableError {
  const { check, changedLines } = review;
  return new UnprocessableError(
    'rule-version-refused',
    `${check.draft.scheme}@${check.draft.version} is not published: ${check.refusals.join('; ')}.${changedLines.length === 0 ? '' : ` Decisions it would change: ${changedLines.join('; ')}.`}`,
  );
}

// Publishes a reviewed draft as an act by `actor`; refused when the review found reasons not to.
export async function publishReviewed(options: RuleActOptions, review: PublicationReview, actor: Actor): Promise<void> {
  if (review.check.refusals.length > 0) throw publicationRefused(review);
  const { draft } = review.check;
  await publishVersion(
    options.db,
    draft,
    publicationRecordOf(review.check, actor.actor, new Date().toISOString(), review.retroactive),
    join(options.dir, draft.scheme, draft.version),
    actor,
    review.retroactive?.changed,
  );
  await options.afterPublish();
}

// What withdrawing a published version today would do, and why it may not.
export function reviewWithdrawal(
  book: RuleBook,
  options: Pick<RuleActOptions, 'dir' | 'today'>,
  request: { readonly scheme: string; readonly version: string },
): WithdrawalCheck {
  if (!existsSync(join(options.dir, request.scheme, request.version)))
    throw new NotFoundError('rule version', `${request.scheme}/${request.version}`);
  return checkWithdrawal(book, { ...request, today: options.today() });
}

// Withdraws a version not yet in force, for the reason given, as an act by `actor`.
export async function withdrawReviewed(
  options: RuleActOptions,
  check: WithdrawalCheck,
  request: { readonly scheme: string; readonly version: string; readonly reason: string },
  actor: Actor,
): Promise<void> {
  const publication = check.version?.publication ?? null;
  if (check.refusals.length > 0 || check.version === null || publication === null)
    throw new UnprocessableError(
      'rule-version-refused',
      `${request.scheme}@${request.version} is not withdrawn: ${check.refusals.join('; ')}.`,
    );
  const record = withdrawalRecordOf(publication, check, {
    by: actor.actor,
    at: new Date().toISOString(),
    reason: request.reason,
  });
  await withdrawVersion(options.db, check.version, record, join(options.dir, request.scheme, request.version), actor);
  await options.afterPublish();
}
