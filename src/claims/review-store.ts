import type { Db } from '../db/knex.ts';
import type { ClaimReason } from './model.ts';
import { lpaHistoryKey, type PastAmounts, type ReferredClaimFacts } from './review-sample.ts';

// What the review queue is drawn from (review-sample.ts decides): the
// referred claims the filters leave, and the amounts each of their LPAs was
// granted before for the same benefit.

export interface ReviewFilter {
  readonly lpaId?: string | undefined;
  readonly regencyCode?: string | undefined;
  readonly claimType?: string | undefined;
  // "2026-07": incidents in that month.
  readonly incidentMonth?: string | undefined;
  readonly amountMin?: string | undefined;
  readonly amountMax?: string | undefined;
  readonly limit: number;
}

export interface QueuedClaim extends ReferredClaimFacts {
  readonly lpaName: string;
  readonly participantId: string;
  readonly participantName: string;
  readonly claimType: string;
  readonly incidentDate: string;
  readonly reportDate: string;
  readonly reasons: readonly ClaimReason[];
  readonly submittedAt: string;
}

interface QueuedRecord {
  id: string;
  lpa_id: string;
  lpa_name: string;
  participant_id: string;
  participant_name: string;
  claim_type: string;
  incident_date: string;
  report_date: string;
  benefit: string;
  amount: string;
  reasons: ClaimReason[];
  submitted_at: Date;
}

// Referred claims, the longest waiting first. A referred claim always has
// the amount and benefit the rules would pay.
export async function referredClaims(db: Db, filter: ReviewFilter): Promise<QueuedClaim[]> {
  const query = db('claims')
    .join('lpas', 'lpas.id', 'claims.lpa_id')
    .join('participants', 'participants.id', 'claims.participant_id')
    .where('claims.status', 'referred')
    .whereNotNull('claims.amount')
    .whereNotNull('claims.benefit')
    .orderBy([
      { column: 'claims.submitted_at', order: 'asc' },
      { column: 'claims.id', order: 'asc' },
    ])
    .limit(filter.limit);
  if (filter.lpaId !== undefined) query.where('claims.lpa_id', filter.lpaId);
  if (filter.regencyCode !== undefined) query.where('lpas.regency_code', filter.regencyCode);
  if (filter.claimType !== undefined) query.where('claims.claim_type', filter.claimType);
  if (filter.incidentMonth !== undefined)
    query.whereRaw("date_trunc('month', claims.incident_date) = ?::date", [`${filter.incidentMonth}-01`]);
  if (filter.amountMin !== undefined) query.where('claims.amount', '>=', filter.amountMin);
  if (filter.amountMax !== undefined) query.where('claims.amount', '<=', filter.amountMax);
  const rows = await query.select<QueuedRecord[]>(
    'claims.id',
    'claims.lpa_id',
    'lpas.name as lpa_name',
    'claims.participant_id',
    'participants.name as participant_name',
    'claims.claim_type',
    'claims.incident_date',
    'claims.report_date',
    'claims.benefit',
    'claims.amount',
    'claims.reasons',
    'claims.submitted_at',
  );
  return rows.map((row) => ({
    id: row.id,
    lpaId: row.lpa_id,
    lpaName: row.lpa_name,
    participantId: row.participant_id,
    participantName: row.participant_name,
    claimType: row.claim_type,
    incidentDate: row.incident_date,
    reportDate: row.report_date,
    benefit: row.benefit,
    amount: row.amount,
    reasons: row.reasons,
    submittedAt: row.submitted_at.toISOString(),
  }));
}

// The amounts granted (approved or paid, reversals left out) to each LPA
// for each benefit, the latest perPairMax of each: an LPA's recent past is
// the one its claims are judged against.
export async function pastGrantedAmounts(
  db: Db,
  pairs: readonly { readonly lpaId: string; readonly benefit: string }[],
  perPairMax: number,
): Promise<PastAmounts> {
  const past = new Map<string, string[]>();
  const unique = [...new Map(pairs.map((pair) => [lpaHistoryKey(pair.lpaId, pair.benefit), pair])).values()];
  if (unique.length === 0) return past;
  const ranked = db('claims')
    .whereIn('status', ['approved', 'paid'])
    .whereNotNull('amount')
    .whereIn(
      ['lpa_id', 'benefit'],
      unique.map((pair) => [pair.lpaId, pair.benefit]),
    )
    .select(
      'lpa_id',
      'benefit',
      'amount',
      db.raw('row_number() over (partition by lpa_id, benefit order by submitted_at desc, id desc) as place'),
    )
    .as('ranked');
  const rows = await db
    .from(ranked)
    .where('place', '<=', perPairMax)
    .select<{ lpa_id: string; benefit: string; amount: string }[]>('lpa_id', 'benefit', 'amount');
  for (const row of rows) {
    const key = lpaHistoryKey(row.lpa_id, row.benefit);
    past.set(key, [...(past.get(key) ?? []), row.amount]);
  }
  return past;
}
