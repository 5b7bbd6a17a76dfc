import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';

type Runner = Db | Knex.Transaction;

// The scans of a claim's documents, one per kind.

export interface StoredScan {
  readonly claimId: string;
  readonly kind: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly size: number;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

interface ScanRecord {
  claim_id: string;
  kind: string;
  media_type: string;
  sha256: string;
  size: number;
  uploaded_by: string;
  uploaded_at: Date;
}

const scanColumns = ['claim_id', 'kind', 'media_type', 'sha256', 'size', 'uploaded_by', 'uploaded_at'] as const;

function toScan(row: ScanRecord): StoredScan {
  return {
    claimId: row.claim_id,
    kind: row.kind,
    mediaType: row.media_type,
    sha256: row.sha256,
    size: Number(row.size),
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}

export async function findScan(db: Runner, claimId: string, kind: string): Promise<StoredScan | null> {
  const row = await db('claim_document_scans')
    .where({ claim_id: claimId, kind })
    .first<ScanRecord | undefined>(...scanColumns);
  return row === undefined ? null : toScan(row);
}

// The bytes as stored: PostgreSQL hands bytea back as a Buffer, PGlite as a Uint8Array.
export async function findScanBytes(db: Runner, claimId: string, kind: string): Promise<Buffer | null> {
  const row = await db('claim_document_scans')
    .where({ claim_id: claimId, kind })
    .first<{ bytes: Uint8Array } | undefined>('bytes');
  return row === undefined ? null : Buffer.from(row.bytes);
}

export async function insertScan(
  trx: Knex.Transaction,
  scan: { claimId: string; kind: string; mediaType: string; bytes: Buffer; sha256: string; uploadedBy: string },
): Promise<StoredScan> {
  const [row] = await trx('claim_document_scans')
    .insert({
      claim_id: scan.claimId,
      kind: scan.kind,
      media_type: scan.mediaType,
      bytes: scan.bytes,
      sha256: scan.sha256,
      size: scan.bytes.length,
      uploaded_by: scan.uploadedBy,
    })
    .returning<ScanRecord[]>(scanColumns);
  if (row === undefined) throw new Error(`scan of ${scan.kind} for claim ${scan.claimId} was not stored`);
  return toScan(row);
}
