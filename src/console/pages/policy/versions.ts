import { join } from 'node:path';
import { NotFoundError, UnprocessableError } from '../../../errors.ts';
import { bookWith } from '../../../rules/acts.ts';
import { listDrafts } from '../../../rules/drafts.ts';
import type { RuleBook, RuleVersion } from '../../../rules/load.ts';
import { publicationRecordSchema, readPublicationRecord } from '../../../rules/publication.ts';
import type { ConsoleOptions } from '../../page.ts';

// The versions of each scheme as GET /v1/rules lists them (the book's
// published versions, the folder's drafts), with the withdrawn ones the
// book keeps aside, and where each stands today.

export type Rules = ConsoleOptions['rules'];

// Who may weigh a version's impact, as the API allows: the directorate, and finance, which budgets for it.
export const impactRoles = ['directorate', 'finance'] as const;

export const versionStates = ['inForce', 'scheduled', 'ended', 'draft', 'withdrawn'] as const;
export type VersionState = (typeof versionStates)[number];

export interface VersionRow {
  readonly version: string;
  readonly title: string | null;
  readonly state: VersionState;
  readonly effectiveFrom: string | null;
  readonly effectiveTo: string | null;
  readonly hash: string | null;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
  // Why a draft does not load, file and JSON path first.
  readonly problems: readonly string[];
}

export function stateOn(version: RuleVersion, today: string): VersionState {
  if (version.publication === null) return 'draft';
  if (version.effectiveFrom > today) return 'scheduled';
  return version.effectiveTo !== null && version.effectiveTo < today ? 'ended' : 'inForce';
}

export function schemeVersions(rules: Rules, today: string): Map<string, VersionRow[]> {
  const schemes = new Map<string, VersionRow[]>();
  const add = (scheme: string, row: VersionRow) => schemes.set(scheme, [...(schemes.get(scheme) ?? []), row]);
  for (const [scheme, versions] of rules.book.schemes)
    for (const version of versions)
      add(scheme, {
        version: version.version,
        title: version.manifest.title,
        state: stateOn(version, today),
        effectiveFrom: version.effectiveFrom,
        effectiveTo: version.effectiveTo,
        hash: version.hash,
        publishedBy: version.publication?.publishedBy ?? null,
        publishedAt: version.publication?.publishedAt ?? null,
        problems: [],
      });
  for (const key of rules.book.withdrawn ?? []) {
    const [scheme = '', version = ''] = key.split('@');
    const record = publicationRecordSchema.parse(readPublicationRecord(join(rules.dir, scheme, version)));
    add(scheme, {
      version,
      title: null,
      state: 'withdrawn',
      effectiveFrom: record.effectiveFrom,
      effectiveTo: null,
      hash: record.hash,
      publishedBy: record.publishedBy,
      publishedAt: record.publishedAt,
      problems: [],
    });
  }
  for (const draft of listDrafts(rules.dir))
    add(draft.scheme, {
      version: draft.version,
      title: null,
      state: 'draft',
      effectiveFrom: draft.effectiveFrom,
      effectiveTo: null,
      hash: draft.hash,
      publishedBy: null,
      publishedAt: null,
      problems: draft.problems,
    });
  for (const rows of schemes.values()) rows.sort((a, b) => (a.effectiveFrom ?? '9999').localeCompare(b.effectiveFrom ?? '9999'));
  return schemes;
}

export type FoundVersion =
  | {
      readonly kind: 'loaded';
      readonly version: RuleVersion;
      readonly previous: RuleVersion | undefined;
      readonly book: RuleBook;
    }
  // A draft whose files do not load: the loader's problems, one a line.
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

// A version published (from the book decided by) or a draft (from its
// folder, with the published versions beside it, as the API's diff reads
// it), and the version before it.
export function findVersion(rules: Rules, scheme: string, version: string): FoundVersion {
  const published = rules.book.schemes.get(scheme) ?? [];
  let book: RuleBook = rules.book;
  if (!published.some((entry) => entry.version === version)) {
    if (rules.book.withdrawn?.has(`${scheme}@${version}`) === true)
      throw new NotFoundError('rule version', `${scheme}/${version}`);
    try {
      book = bookWith(rules.dir, scheme, version);
    } catch (error) {
      if (error instanceof UnprocessableError) return { kind: 'invalid', problems: error.message.split('\n') };
      throw error;
    }
  }
  const versions = book.schemes.get(scheme) ?? [];
  const index = versions.findIndex((entry) => entry.version === version);
  const found = versions[index];
  if (found === undefined) throw new NotFoundError('rule version', `${scheme}/${version}`);
  return { kind: 'loaded', version: found, previous: versions[index - 1], book };
}

// A scheme's and a version's folder names, as the API's routes take them: never a path of their own.
export const schemePattern = /^[a-z][a-z0-9-]{1,39}$/;
export const versionPattern = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

export function versionParams(params: Readonly<Record<string, string>>): { scheme: string; version: string } {
  const scheme = params.scheme ?? '';
  const version = params.version ?? '';
  if (!schemePattern.test(scheme) || !versionPattern.test(version))
    throw new NotFoundError('rule version', `${scheme}/${version}`);
  return { scheme, version };
}

export const versionPath = (scheme: string, version: string) =>
  `/kebijakan/${encodeURIComponent(scheme)}/${encodeURIComponent(version)}`;
