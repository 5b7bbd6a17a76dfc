import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import type { RuleBook } from '../rules/load.ts';
import type { SubmitRequest, Submitted } from './batch.ts';
import { scanBytesMax, scanMediaType, uploadScan } from './scans.ts';
import { submitClaim } from './submit.ts';

// A claim filed with the scans of its papers at once, as a person files it
// on one page: the claim, its decision and every scan commit together, or
// nothing does. Each scan is checked before anything is written, and a bad
// one is named by its document kind (field "scans.<kind>"). A retry under
// the same key with the same files answers the first claim and its scans.
export async function submitClaimWithScans(
  db: Db,
  book: RuleBook,
  request: SubmitRequest,
  scans: readonly { readonly kind: string; readonly bytes: Buffer }[],
  actor: Actor,
): Promise<Submitted> {
  const filed = new Set(request.claim.documents.map((document) => document.kind));
  const issues = scans.flatMap(({ kind, bytes }) => {
    const field = `scans.${kind}`;
    if (!filed.has(kind)) return [{ field, message: 'is the scan of a document not filed with the claim' }];
    if (bytes.length > scanBytesMax) return [{ field, message: `must be at most ${scanBytesMax} bytes` }];
    if (scanMediaType(bytes) === null) return [{ field, message: 'must be a PDF, PNG or JPEG, as its first bytes tell' }];
    return [];
  });
  if (issues.length > 0) throw new InputError(issues);
  return withTransaction(db, async (trx) => {
    const submitted = await submitClaim(trx, book, request, actor);
    for (const { kind, bytes } of scans)
      await uploadScan(trx, { claimId: submitted.claim.id, kind, bytes, lpaId: request.lpaId }, actor);
    return submitted;
  });
}
