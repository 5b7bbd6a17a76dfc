import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import { policyAreas } from './catalogue.ts';

// The record of the act that made a version law: who published it, when and
// with what hash, and, if it was withdrawn before coming into force, that act too. It lives beside the version's files, so a version folder
// without one is a draft, and the rules folder carries its own history to
// any database it is started on; the act itself is also in the audit log of
// the database it was made in.

export const publicationFile = 'publication.json';
export const policyFiles = ['manifest.json', ...policyAreas.map((area) => `${area}.json`)];

export const publicationRecordSchema = z.strictObject({
  scheme: z.string(),
  version: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the version’s sha-256 hash'),
  publishedAt: z.iso.datetime({ offset: true }),
  publishedBy: z.string().min(1).max(200),
  effectiveFrom: isoDateSchema,
  // The versions whose period this one ended, as shown when it was published.
  ended: z
    .array(z.strictObject({ version: z.string(), effectiveTo: isoDateSchema, wasEffectiveTo: isoDateSchema.nullable() }))
    .default([]),
  // Published to take effect before the day it was published: why, and how
  // many decisions already made it would have made otherwise were kept.
  retroactive: z.strictObject({ reason: z.string().min(3).max(2000), decisionsKept: z.int().min(0) }).optional(),
  // Withdrawn before it came into force: it decides nothing, and the
  // version before it runs on as it did before it was published.
  withdrawn: z
    .strictObject({
      at: z.iso.datetime({ offset: true }),
      by: z.string().min(1).max(200),
      reason: z.string().min(3).max(2000),
      restored: z.array(
        z.strictObject({ version: z.string(), effectiveTo: isoDateSchema.nullable(), wasEffectiveTo: isoDateSchema }),
      ),
    })
    .optional(),
});
export type PublicationRecord = z.output<typeof publicationRecordSchema>;

export function hasPublicationRecord(versionDir: string): boolean {
  return existsSync(join(versionDir, publicationFile));
}

export function readPublicationRecord(versionDir: string): unknown {
  return JSON.parse(readFileSync(join(versionDir, publicationFile), 'utf8')) as unknown;
}

export function writePublicationRecord(versionDir: string, record: PublicationRecord): void {
  writeFileSync(join(versionDir, publicationFile), `${JSON.stringify(record, null, 2)}\n`);
}

// The hash of a version's policy files as parsed: the identity a decision
// stores. Cases and the publication record are not policy.
export function hashOfContent(content: Readonly<Record<string, unknown>>): string {
  return sha256Hex(canonicalJson(content));
}
