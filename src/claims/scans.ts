import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.ts';
import type { Claim } from './model.ts';
import { findScan, findScanBytes, insertScan, type StoredScan } from './scan-store.ts';
import { lockClaim } from './store.ts';

// A scan of a document filed with a claim, kept so the directorate and
// finance can see the paper the LPA saw. Only what the fund can open and
// trust is taken: PDF, PNG and JPEG, known by their first bytes, since the
// Content-Type a sender declares is whatever its software guessed.

// A phone photo of a certificate is 1 to 4 MB, a scanned page at 200 dpi
// under 1 MB: 5 MB takes either with room, and the file is read into memory
// once on its way into the database.
export const scanBytesMax = 5 * 1024 * 1024;

export const scanMediaTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
type ScanMediaType = (typeof scanMediaTypes)[number];

const signatures: readonly { readonly mediaType: ScanMediaType; readonly bytes: readonly number[] }[] = [
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

export const fileExtensions: Readonly<Record<ScanMediaType, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

// Pure: the media type the content shows, or null when it is none of those taken.
export function scanMediaType(bytes: Uint8Array): ScanMediaType | null {
  const found = signatures.find((signature) => signature.bytes.every((byte, index) => bytes[index] === byte));
  return found?.mediaType ?? null;
}

export const scanSchema = z.object({
  claimId: z.uuid(),
  kind: z.string(),
  mediaType: z.enum(scanMediaTypes).meta({ description: 'What the content is, by its first bytes.' }),
  sha256: z.string().meta({ description: 'SHA-256 of the bytes, hex.' }),
  size: z.int().meta({ description: 'Bytes.' }),
  uploadedBy: z.string(),
  uploadedAt: z.iso.datetime(),
});
export type Scan = z.infer<typeof scanSchema>;

export interface ScanUpload {
  readonly claimId: string;
  readonly kind: string;
  readonly bytes: Buffer;
  // The LPA uploading: only the one that filed the claim may.
  readonly lpaId: string;
}

// The scan of one document of a claim, once: the same bytes again answer the
// scan kept (a retry), other bytes for a kind that has one are a conflict,
// since the fund judged the claim on the first. The claim is locked so that
// two uploads of one kind cannot both be first.
export async function uploadScan(db: Db, upload: ScanUpload, actor: Actor): Promise<{ scan: Scan; replayed: boolean }> {
  const mediaType = scanMediaType(upload.bytes);
  if (mediaType === null)
    throw new UnprocessableError(
      'scan-type-not-accepted',
      'The file is not a PDF, PNG or JPEG: its first bytes say so, whatever its name or Content-Type. Scan or export the document to one of those.',
    );
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  return withTransaction(db, async (trx) => {
    const { claim } = await lockClaim(trx, upload.claimId);
    if (claim.lpaId !== upload.lpaId) throw new NotFoundError('claim', upload.claimId);
    if (!filedKinds(claim).includes(upload.kind)) throw new NotFoundError('document', upload.kind);
    const kept = await findScan(trx, claim.id, upload.kind);
    if (kept !== null) {
      if (kept.sha256 === sha256) return { scan: asScan(kept), replayed: true };
      throw new ConflictError(
        'scan-exists',
        `The ${upload.kind} of claim ${claim.id} already has a scan (SHA-256 ${kept.sha256}); a scan is not replaced.`,
      );
    }
    const stored = await insertScan(trx, {
      claimId: claim.id,
      kind: upload.kind,
      mediaType,
      bytes: upload.bytes,
      sha256,
      uploadedBy: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'claim.scan',
      entityType: 'claim',
      entityId: claim.id,
      detail: { kind: upload.kind, mediaType, sha256, size: upload.bytes.length },
    });
    return { scan: asScan(stored), replayed: false };
  });
}

// The scan and its bytes, for a claim the caller may already see.
export async function scanOf(db: Db, claimId: string, kind: string): Promise<{ scan: Scan; bytes: Buffer }> {
  const scan = await findScan(db, claimId, kind);
  const bytes = scan === null ? null : await findScanBytes(db, claimId, kind);
  if (scan === null || bytes === null) throw new NotFoundError('scan', kind);
  return { scan: asScan(scan), bytes };
}

// The scans kept for a claim's documents, in the order the documents were filed.
export async function scansOfClaim(db: Db, claim: Claim): Promise<Scan[]> {
  const scans = await Promise.all(filedKinds(claim).map((kind) => findScan(db, claim.id, kind)));
  return scans.flatMap((scan) => (scan === null ? [] : [asScan(scan)]));
}

function filedKinds(claim: Claim): string[] {
  const documents = claim.details.documents;
  return Array.isArray(documents) ? documents.map((document: { kind: string }) => document.kind) : [];
}

function asScan(stored: StoredScan): Scan {
  return scanSchema.parse(stored);
}
