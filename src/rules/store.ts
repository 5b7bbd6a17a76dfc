import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import { ConflictError } from '../errors.ts';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { RuleBook, RuleVersion } from './load.ts';
import { type RuleProblem, RuleSetError } from './problems.ts';
import { type PublicationRecord, publicationFile, writePublicationRecord } from './publication.ts';
import type { ChangedDecision } from './publish.ts';

interface PublishedRecord {
  scheme: string;
  version: string;
  hash: string;
  file_hashes: Record<string, string>;
  published_at: Date;
}

export interface Publication {
  readonly newlyRecorded: readonly string[];
  readonly publishedAt: ReadonlyMap<string, Date>;
}

// Records in this database the versions the rules folder holds as published
// (each by its publication record: the act was made by \`rules publish\`,
// here or in another database) and proves the ones it knows unchanged. A
// version whose files differ from what was recorded refuses the whole book,
// naming the version and each changed file: decisions were made under it.
// Never publishes: a draft is not in the book.
export async function recordPublishedVersions(db: Db, book: RuleBook, rulesDir: string): Promise<Publication> {
  return db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtext('askesos.rule-publication'))`);
    const published = await trx('rule_versions').select<PublishedRecord[]>(
      'scheme',
      'version',
      'hash',
      'file_hashes',
      'published_at',
    );
    const byKey = new Map(published.map((row) => [`${row.scheme}@${row.version}`, row]));
    const problems: RuleProblem[] = [];
    const newlyRecorded: string[] = [];
    const publishedAt = new Map<string, Date>();

    for (const versions of book.schemes.values()) {
      for (const version of versions) {
        const key = `${version.scheme}@${version.version}`;
        const record = byKey.get(key);
        byKey.delete(key);
        if (record === undefined) {
          publishedAt.set(key, await insertVersion(trx, version));
          newlyRecorded.push(key);
        } else if (record.hash !== version.hash) {
          problems.push(...changedFiles(rulesDir, version, record));
        } else {
          publishedAt.set(key, record.published_at);
        }
      }
    }
    for (const key of [...byKey.keys()].filter((known) => book.withdrawn?.has(known) !== true)) {
      const [scheme = '', version = ''] = key.split('@');
      problems.push({
        file: join(rulesDir, scheme, version),
        path: '$',
        message: `${key} was published in this database but its folder is missing; decisions made under it could not be explained`,
      });
    }
    if (problems.length > 0) throw new RuleSetError(problems);
    return { newlyRecorded, publishedAt };
  });
}

async function insertVersion(trx: Knex.Transaction, version: RuleVersion): Promise<Date> {
  const [row] = await trx('rule_versions')
    .insert({
      scheme: version.scheme,
      version: version.version,
      hash: version.hash,
      file_hashes: JSON.stringify(version.fileHashes),
      content: JSON.stringify(version.content),
      effective_from: version.effectiveFrom,
      ...(version.publication === null ? {} : { published_at: version.publication.publishedAt }),
    })
    .returning<{ published_at: Date }[]>('published_at');
  if (row === undefined) throw new Error('insert into rule_versions returned no row');
  return row.published_at;
}

function changedFiles(rulesDir: string, version: RuleVersion, record: PublishedRecord): RuleProblem[] {
  const files = new Set([...Object.keys(version.fileHashes), ...Object.keys(record.file_hashes)]);
  return [...files]
    .filter((file) => version.fileHashes[file] !== record.file_hashes[file])
    .sort()
    .map((file) => ({
      file: join(rulesDir, version.scheme, version.version, file),
      path: '$',
      message:
        `${version.scheme}@${version.version} was published with hash ${record.hash.slice(0, 12)}… and this file has changed since. ` +
        'A published version is never edited: start a draft with `askesos rules new` and publish that.',
    }));
}

// The act of publishing: the version's row, the audit entry naming who
// published it, and its publication record beside its files, together or
// not at all. The record is written inside the transaction, so a failed
// write rolls the row back, and removed again if the commit fails.
export async function publishVersion(
  db: Db,
  draft: RuleVersion,
  record: PublicationRecord,
  versionDir: string,
  actor: Actor,
  decisionsKept: readonly ChangedDecision[] = [],
): Promise<void> {
  let written = false;
  try {
    await db.transaction(async (trx) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext('askesos.rule-publication'))`);
      const known = await trx('rule_versions').where({ scheme: draft.scheme, version: draft.version }).first('hash');
      if (known !== undefined)
        throw new ConflictError(
          'rule-version-published',
          `${draft.scheme}@${draft.version} is already published in this database.`,
        );
      await trx('rule_versions').insert({
        scheme: draft.scheme,
        version: draft.version,
        hash: draft.hash,
        file_hashes: JSON.stringify(draft.fileHashes),
        content: JSON.stringify(draft.content),
        effective_from: draft.effectiveFrom,
        published_at: record.publishedAt,
      });
      await recordAudit(trx, actor, {
        action: 'rule-version.published',
        entityType: 'rule_version',
        entityId: `${draft.scheme}@${draft.version}`,
        detail: {
          hash: draft.hash,
          effectiveFrom: draft.effectiveFrom,
          ended: record.ended,
          retroactive: record.retroactive ?? null,
          decisionsKept,
        },
      });
      writePublicationRecord(versionDir, record);
      written = true;
    });
  } catch (error) {
    if (written) rmSync(join(versionDir, publicationFile), { force: true });
    throw error;
  }
}

// How many acts of publishing or withdrawing this database has recorded: a
// change means one was made since, here or by another process.
export async function ruleVersionActCount(db: Db): Promise<number> {
  const row = await db('audit_log').where({ entity_type: 'rule_version' }).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? '0');
}

// The act of withdrawing a version not yet in force: the audit entry and the
// amended publication record, together or not at all. Its row stays: the
// database never forgets a version it published.
export async function withdrawVersion(
  db: Db,
  version: RuleVersion,
  record: PublicationRecord,
  versionDir: string,
  actor: Actor,
): Promise<void> {
  const before = version.publication;
  if (before === null) throw new Error(`${version.scheme}@${version.version} is a draft; there is nothing to withdraw`);
  let written = false;
  try {
    await db.transaction(async (trx) => {
      await trx.raw(`select pg_advisory_xact_lock(hashtext('askesos.rule-publication'))`);
      await recordAudit(trx, actor, {
        action: 'rule-version.withdrawn',
        entityType: 'rule_version',
        entityId: `${version.scheme}@${version.version}`,
        detail: { hash: version.hash, effectiveFrom: version.effectiveFrom, withdrawn: record.withdrawn ?? null },
      });
      writePublicationRecord(versionDir, record);
      written = true;
    });
  } catch (error) {
    if (written) writePublicationRecord(versionDir, before);
    throw error;
  }
}
