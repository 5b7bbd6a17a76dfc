import { addDays } from '../dates.ts';
import { canonicalJson } from '../hash.ts';
import { type CaseResult, runCases } from './cases.ts';
import { policyAreas } from './catalogue.ts';
import { diffVersions } from './diff.ts';
import type { RuleBook, RuleVersion } from './load.ts';
import type { PublicationRecord } from './publication.ts';

// Whether a draft may be published today, and everything the directorate
// sees before it is: the diff against what is in force, the cases, and the
// end it sets to the version before. Pure: books and dates in, a verdict out.

export interface PublishRequest {
  readonly scheme: string;
  readonly version: string;
  readonly today: string;
  // Taking effect before today, for this reason, with the decisions already
  // made since that it would have made otherwise.
  readonly retroactive?: Retroactive;
}

export interface Retroactive {
  readonly reason: string;
  readonly changed: readonly ChangedDecision[];
  // How those decisions are handled: kept as they were made.
  readonly keepDecisions: boolean;
}

// A decision already made that a retroactive version would have made otherwise.
export interface ChangedDecision {
  readonly kind: 'claim' | 'enrolment';
  readonly id: string;
  readonly date: string;
  readonly before: string;
  readonly after: string;
  // The participant: their name for an enrolment, their id for a claim.
  readonly who: string;
}

// What a retroactive version would have decided otherwise: read from the
// portfolio by the impact feature, which the app hands in.
export type DecisionsChanged = (
  books: { readonly inForce: RuleBook; readonly proposed: RuleBook },
  request: { readonly scheme: string; readonly from: string; readonly through: string },
) => Promise<ChangedDecision[]>;

// The areas whose decisions a retroactive version's listing does not re-examine.
const notReexamined = ['subsidy', 'lpa', 'savings'] as const;

export interface PublicationCheck {
  readonly draft: RuleVersion;
  readonly refusals: readonly string[];
  readonly diff: readonly string[];
  readonly ended: PublicationRecord['ended'];
  readonly cases: { readonly passed: number; readonly failed: readonly CaseResult[] };
}

// `withDraft` is the published book with the draft loaded into it;
// `published` the book as it is in force.
export function checkPublication(withDraft: RuleBook, published: RuleBook, request: PublishRequest): PublicationCheck {
  const draft = withDraft.schemes.get(request.scheme)?.find((entry) => entry.version === request.version);
  if (draft === undefined) throw new Error(`${request.scheme}/${request.version} is not in the book it was loaded into`);
  const refusals: string[] = [];
  if (draft.publication !== null)
    refusals.push(
      `${request.scheme}@${request.version} was published on ${draft.publication.publishedAt}: a version is published once`,
    );

  const before = (published.schemes.get(request.scheme) ?? []).filter((entry) => entry.effectiveFrom < draft.effectiveFrom);
  const current = before.at(-1);
  if (draft.effectiveFrom < request.today) refusals.push(...backdatingRefusals(draft, current, request));

  const ownCases = draft.cases.filter((ruleCase) => ruleCase.date >= draft.effectiveFrom);
  const missingAreas = policyAreas.filter((area) => !ownCases.some((ruleCase) => ruleCase.area === area));
  if (missingAreas.length > 0)
    refusals.push(
      `its cases/ has no case dated in its period for: ${missingAreas.join(', ')} (each policy area needs at least one; ` +
        '`askesos rules cases record` writes what the draft decides)',
    );
  const results = runCases(withDraft);
  const failed = results.filter((result) => !result.passed);
  if (failed.length > 0)
    refusals.push(`${failed.length} case(s) fail with the draft in the book: every case of every version must pass`);

  const ended: PublicationRecord['ended'] =
    current === undefined
      ? []
      : [
          {
            version: current.version,
            effectiveTo: addDays(draft.effectiveFrom, -1),
            wasEffectiveTo: current.effectiveTo,
          },
        ].filter((end) => end.wasEffectiveTo === null || end.wasEffectiveTo > end.effectiveTo);
  return {
    draft,
    refusals,
    diff:
      current === undefined ? [`${request.scheme}@${request.version}: the scheme's first version`] : diffVersions(current, draft),
    ended,
    cases: { passed: results.length - failed.length, failed },
  };
}

export interface WithdrawalCheck {
  readonly version: RuleVersion | null;
  readonly refusals: readonly string[];
  readonly restored: NonNullable<PublicationRecord['withdrawn']>['restored'];
}

// Whether a published version may be withdrawn today: only before it comes
// into force, when nothing can have been decided under it (every decision is
// dated on or before the day it is made). The version before it then runs on
// to where the withdrawn one would have ended.
export function checkWithdrawal(
  published: RuleBook,
  request: { readonly scheme: string; readonly version: string; readonly today: string },
): WithdrawalCheck {
  const versions = published.schemes.get(request.scheme) ?? [];
  const index = versions.findIndex((entry) => entry.version === request.version);
  const version = versions[index];
  if (version === undefined)
    return {
      version: null,
      refusals: [
        `${request.scheme}@${request.version} is not a published version in force or to come: a draft is removed, not withdrawn`,
      ],
      restored: [],
    };
  const refusals =
    version.effectiveFrom <= request.today
      ? [
          `${request.scheme}@${request.version} has been in force since ${version.effectiveFrom}: a version in force cannot be withdrawn; publish a new version to change policy from a later day`,
        ]
      : [];
  const before = versions[index - 1];
  const restored =
    before === undefined || before.effectiveTo === null || before.manifest.effectiveTo !== undefined
      ? []
      : [{ version: before.version, effectiveTo: version.effectiveTo, wasEffectiveTo: before.effectiveTo }];
  return { version, refusals, restored };
}

// Time only moves forward: a version dated before today is refused unless it
// is published as retroactive, with a reason, touching only what can be
// judged again here (eligibility and benefits), and naming how the decisions
// it would have made otherwise are handled.
function backdatingRefusals(draft: RuleVersion, current: RuleVersion | undefined, request: PublishRequest): string[] {
  const retroactive = request.retroactive;
  if (retroactive === undefined)
    return [
      `it takes effect on ${draft.effectiveFrom}, before today (${request.today}): time only moves forward; date it today or later, or publish it as retroactive with a reason`,
    ];
  const refusals: string[] = [];
  const touched = notReexamined.filter(
    (area) => current === undefined || canonicalJson(current.areas[area].rules) !== canonicalJson(draft.areas[area].rules),
  );
  if (touched.length > 0)
    refusals.push(
      `it changes the ${touched.join(', ')} rules, whose decisions since ${draft.effectiveFrom} (premium dues, honoraria and strengthening, savings and loans) are not judged again here: date it today or later`,
    );
  if (retroactive.changed.length > 0 && !retroactive.keepDecisions)
    refusals.push(
      `${retroactive.changed.length} decision(s) already made since ${draft.effectiveFrom} would have been made otherwise (listed): name how they are handled; keeping them as made is the one way offered`,
    );
  return refusals;
}

// The record a publication writes, once its check has passed.
export function publicationRecordOf(
  check: PublicationCheck,
  publishedBy: string,
  publishedAt: string,
  retroactive?: Retroactive,
): PublicationRecord {
  return {
    scheme: check.draft.scheme,
    version: check.draft.version,
    hash: check.draft.hash,
    publishedAt,
    publishedBy,
    effectiveFrom: check.draft.effectiveFrom,
    ended: [...check.ended],
    ...(retroactive === undefined
      ? {}
      : { retroactive: { reason: retroactive.reason, decisionsKept: retroactive.changed.length } }),
  };
}

// The publication record with the withdrawal added, once its check has passed.
export function withdrawalRecordOf(
  publication: PublicationRecord,
  check: WithdrawalCheck,
  withdrawal: { readonly by: string; readonly at: string; readonly reason: string },
): PublicationRecord {
  return { ...publication, withdrawn: { ...withdrawal, restored: [...check.restored] } };
}
