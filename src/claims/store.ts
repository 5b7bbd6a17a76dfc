import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { ledgerDecimalPlaces } from '../ledger/balance.ts';
import { toAmountString } from '../money/index.ts';
import type { Adjudication, ClaimHistory, Cover } from './adjudicate.ts';
import type { StoredDecision } from './explain.ts';
import { allowanceClaimTypes, type Claim, type ClaimReason } from './model.ts';

type Runner = Db | Knex.Transaction;

export interface Claimant {
  readonly lpaId: string;
  readonly lpaStatus: string;
}

// The claimants of a batch of claims with their LPA's status, locked in id
// order until the transaction ends: every claim for one person waits for the
// one before it, so counts of earlier claims (the limit, a death already
// granted) cannot race, and batches in flight wait for each other rather
// than deadlock. A participant that does not exist is absent.
export async function lockClaimants(trx: Knex.Transaction, participantIds: readonly string[]): Promise<Map<string, Claimant>> {
  const rows = await trx('participants')
    .join('lpas', 'lpas.id', 'participants.lpa_id')
    .whereRaw('participants.id = any (?::uuid[])', [[...new Set(participantIds)]])
    .orderBy('participants.id')
    .forUpdate('participants')
    .select<{ id: string; lpa_id: string; lpa_status: string }[]>(
      'participants.id',
      'participants.lpa_id',
      'lpas.status as lpa_status',
    );
  return new Map(rows.map((row) => [row.id, { lpaId: row.lpa_id, lpaStatus: row.lpa_status }]));
}

export interface CoverAndHistory {
  // The claim this LPA's idempotency key already filed, if it did.
  readonly earlierClaimId: string | null;
  readonly cover: Cover | null;
  readonly history: ClaimHistory;
}

// For each claim, the enrolment whose cover its incident falls under: the
// latest that began by the incident date, else the earliest there is (the
// incident came before it), locked so a lapse cannot land while the claim is
// decided; with what earlier claims that still stand left behind (approved,
// paid or under review, not reversed): the allowances under that enrolment,
// which the rules call priorPaidClaims and limit, and the date of death of a
// death benefit granted to the person under any; and whether the claim's idempotency
// key already filed one. Read after the claimants' lock, so every claim
// committed before is seen.
export async function lockCovers(
  trx: Knex.Transaction,
  claims: readonly { participantId: string; incidentDate: string; lpaId: string; idempotencyKey: string }[],
): Promise<CoverAndHistory[]> {
  const standing = "status in ('approved', 'paid', 'referred')";
  const result = await trx.raw<{
    rows: {
      position: number;
      earlier_claim_id: string | null;
      id: string | null;
      rule_scheme: string;
      enrolled_on: string;
      lapsed_on: string | null;
      allowances: string;
      died_on: string | null;
    }[];
  }>(
    `select wanted.position, cover.id, cover.rule_scheme, cover.enrolled_on, cover.lapsed_on,
       (select id from claims where lpa_id = wanted.lpa_id and idempotency_key = wanted.idempotency_key) as earlier_claim_id,
       (select count(*) from claims where enrolment_id = cover.id and claim_type = any (?::text[]) and ${standing}) as allowances,
       (select min(incident_date) from claims where participant_id = wanted.participant_id and claim_type = 'death' and ${standing}) as died_on
     from jsonb_to_recordset(?::jsonb) as wanted (position integer, participant_id uuid, incident_date date, lpa_id uuid,
       idempotency_key text)
     left join lateral (
       -- A gap a reinstated cover left (lapsed for arrears, then paid up) counts as lapsed for an incident in it.
       select id, rule_scheme, enrolled_on,
         coalesce((select gap.lapsed_on from cover_lapses gap
                   where gap.enrolment_id = enrolments.id and gap.lapsed_on <= wanted.incident_date
                     and gap.reinstated_on > wanted.incident_date
                   limit 1), lapsed_on) as lapsed_on
       from enrolments
       where participant_id = wanted.participant_id and status in ('active', 'lapsed')
       order by (enrolled_on <= wanted.incident_date) desc,
         case when enrolled_on <= wanted.incident_date then enrolled_on end desc, enrolled_on asc
       limit 1
       for update
     ) as cover on true
     order by wanted.position`,
    [
      [...allowanceClaimTypes],
      JSON.stringify(
        claims.map((claim, position) => ({
          position,
          participant_id: claim.participantId,
          incident_date: claim.incidentDate,
          lpa_id: claim.lpaId,
          idempotency_key: claim.idempotencyKey,
        })),
      ),
    ],
  );
  return result.rows.map((row) => ({
    earlierClaimId: row.earlier_claim_id,
    cover:
      row.id === null
        ? null
        : { enrolmentId: row.id, scheme: row.rule_scheme, enrolledOn: row.enrolled_on, lapsedOn: row.lapsed_on },
    history: { allowancesApproved: Number(row.allowances), diedOn: row.died_on },
  }));
}

interface ClaimRecord {
  id: string;
  lpa_id: string;
  participant_id: string;
  enrolment_id: string | null;
  claim_type: string;
  incident_date: string;
  report_date: string;
  details: Record<string, unknown>;
  status: Claim['status'];
  amount: string | null;
  benefit: string | null;
  reasons: ClaimReason[];
  coverage_year: number | null;
  rule_scheme: string;
  rule_version: string;
  rule_hash: string;
  reserve_entry_id: string | null;
  accepted_on: string | null;
  payment_due_on: string | null;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_outcome: 'approved' | 'rejected' | null;
  review_reason: string | null;
  paid_on: string | null;
  payout_reference: string | null;
  payment_entry_id: string | null;
  reversed_on: string | null;
  reversal_reason: string | null;
  submitted_at: Date;
  submitted_by: string;
}

function toClaim(row: ClaimRecord): Claim {
  return {
    id: row.id,
    lpaId: row.lpa_id,
    participantId: row.participant_id,
    enrolmentId: row.enrolment_id,
    claimType: row.claim_type,
    incidentDate: row.incident_date,
    reportDate: row.report_date,
    details: row.details,
    status: row.status,
    amount: row.amount,
    benefit: row.benefit,
    reasons: row.reasons,
    coverageYear: row.coverage_year,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    reserveEntryId: row.reserve_entry_id,
    acceptedOn: row.accepted_on,
    paymentDueOn: row.payment_due_on,
    review:
      row.reviewed_at === null || row.review_outcome === null
        ? null
        : {
            outcome: row.review_outcome,
            reason: row.review_reason ?? '',
            reviewedBy: row.reviewed_by ?? '',
            reviewedAt: row.reviewed_at.toISOString(),
          },
    paidOn: row.paid_on,
    payoutReference: row.payout_reference,
    paymentEntryId: row.payment_entry_id,
    reversedOn: row.reversed_on,
    reversalReason: row.reversal_reason,
    submittedAt: row.submitted_at.toISOString(),
    submittedBy: row.submitted_by,
  };
}

const claimColumns = [
  'id',
  'lpa_id',
  'participant_id',
  'enrolment_id',
  'claim_type',
  'incident_date',
  'report_date',
  'details',
  'status',
  'amount',
  'benefit',
  'reasons',
  'coverage_year',
  'rule_scheme',
  'rule_version',
  'rule_hash',
  'reserve_entry_id',
  'accepted_on',
  'payment_due_on',
  'reviewed_at',
  'reviewed_by',
  'review_outcome',
  'review_reason',
  'paid_on',
  'payout_reference',
  'payment_entry_id',
  'reversed_on',
  'reversal_reason',
  'submitted_at',
  'submitted_by',
] as const;

export interface NewClaimRow {
  readonly id: string;
  readonly lpaId: string;
  readonly participantId: string;
  readonly enrolmentId: string | null;
  readonly claimType: string;
  readonly incidentDate: string;
  readonly reportDate: string;
  readonly details: Record<string, unknown>;
  readonly adjudication: Adjudication;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly reserveEntryId: string | null;
  readonly acceptedOn: string | null;
  readonly paymentDueOn: string | null;
  readonly submittedBy: string;
  readonly requestId: string | null;
}

export async function insertClaims(trx: Knex.Transaction, rows: readonly NewClaimRow[]): Promise<Map<string, Claim>> {
  if (rows.length === 0) return new Map();
  const inserted = await trx('claims')
    .insert(
      rows.map((row) => {
        const { adjudication } = row;
        const { decision } = adjudication;
        return {
          id: row.id,
          lpa_id: row.lpaId,
          participant_id: row.participantId,
          enrolment_id: row.enrolmentId,
          claim_type: row.claimType,
          incident_date: row.incidentDate,
          report_date: row.reportDate,
          details: JSON.stringify(row.details),
          status: adjudication.status,
          amount: adjudication.amount === null ? null : toAmountString(adjudication.amount, ledgerDecimalPlaces),
          benefit: adjudication.benefit,
          reasons: JSON.stringify(adjudication.reasons),
          coverage_year: adjudication.coverageYear,
          rule_scheme: decision.scheme,
          rule_version: decision.version,
          rule_hash: decision.hash,
          facts: JSON.stringify(decision.facts),
          events: JSON.stringify(decision.events),
          trace: JSON.stringify(decision.trace),
          idempotency_key: row.idempotencyKey,
          fingerprint: row.fingerprint,
          reserve_entry_id: row.reserveEntryId,
          accepted_on: row.acceptedOn,
          payment_due_on: row.paymentDueOn,
          submitted_by: row.submittedBy,
          request_id: row.requestId,
        };
      }),
    )
    .returning<ClaimRecord[]>(claimColumns);
  if (inserted.length !== rows.length) throw new Error(`claims insert returned ${inserted.length} rows for ${rows.length}`);
  return new Map(inserted.map((row) => [row.id, toClaim(row)]));
}

export async function findClaim(db: Runner, id: string): Promise<(Claim & { regencyCode: string }) | null> {
  const row = await db('claims')
    .join('lpas', 'lpas.id', 'claims.lpa_id')
    .where('claims.id', id)
    .first<(ClaimRecord & { regency_code: string }) | undefined>(
      ...claimColumns.map((column) => `claims.${column}`),
      'lpas.regency_code',
    );
  return row === undefined ? null : { ...toClaim(row), regencyCode: row.regency_code };
}

export async function findClaimByKey(
  db: Runner,
  lpaId: string,
  idempotencyKey: string,
): Promise<{ claim: Claim; fingerprint: string } | null> {
  const row = await db('claims')
    .where({ lpa_id: lpaId, idempotency_key: idempotencyKey })
    .first<(ClaimRecord & { fingerprint: string }) | undefined>(...claimColumns, 'fingerprint');
  return row === undefined ? null : { claim: toClaim(row), fingerprint: row.fingerprint };
}

// What the decision was made of, for its explanation.
export async function findDecision(db: Runner, id: string): Promise<StoredDecision | null> {
  const row = await db('claims').where({ id }).first<StoredDecision | undefined>('facts', 'events', 'trace');
  return row ?? null;
}

export interface ClaimFilter {
  readonly lpaId?: string;
  readonly regencyCode?: string;
  readonly participantId?: string;
  readonly status?: Claim['status'];
  readonly claimType?: string;
  readonly after?: string;
  readonly limit: number;
}

export async function listClaims(db: Runner, filter: ClaimFilter): Promise<Claim[]> {
  const query = db('claims').join('lpas', 'lpas.id', 'claims.lpa_id').orderBy('claims.id', 'asc').limit(filter.limit);
  if (filter.lpaId !== undefined) query.where('claims.lpa_id', filter.lpaId);
  if (filter.regencyCode !== undefined) query.where('lpas.regency_code', filter.regencyCode);
  if (filter.participantId !== undefined) query.where('claims.participant_id', filter.participantId);
  if (filter.status !== undefined) query.where('claims.status', filter.status);
  if (filter.claimType !== undefined) query.where('claims.claim_type', filter.claimType);
  if (filter.after !== undefined) query.where('claims.id', '>', filter.after);
  const rows = await query.select<ClaimRecord[]>(claimColumns.map((column) => `claims.${column}`));
  return rows.map(toClaim);
}

// The claim, locked until the caller's transaction ends, with the keys that
// reviewed, paid or reversed it, for telling a retry from a second attempt.
// Every change of a claim starts here; one that does not exist is a 404.
export interface LockedClaim {
  readonly claim: Claim;
  readonly keys: { readonly review: string | null; readonly payment: string | null; readonly reversal: string | null };
}

export async function lockClaim(trx: Knex.Transaction, id: string): Promise<LockedClaim> {
  const row = await trx('claims')
    .where({ id })
    .forUpdate()
    .first<
      | (ClaimRecord & {
          review_idempotency_key: string | null;
          payment_idempotency_key: string | null;
          reversal_idempotency_key: string | null;
        })
      | undefined
    >(...claimColumns, 'review_idempotency_key', 'payment_idempotency_key', 'reversal_idempotency_key');
  if (row === undefined) throw new NotFoundError('claim', id);
  return {
    claim: toClaim(row),
    keys: {
      review: row.review_idempotency_key,
      payment: row.payment_idempotency_key,
      reversal: row.reversal_idempotency_key,
    },
  };
}

export async function markReviewed(
  trx: Knex.Transaction,
  id: string,
  review: {
    outcome: 'approved' | 'rejected';
    reason: string;
    reviewedBy: string;
    idempotencyKey: string;
    reserveEntryId: string | null;
    acceptedOn: string | null;
    paymentDueOn: string | null;
  },
): Promise<Claim> {
  const approved = review.outcome === 'approved';
  const [row] = await trx('claims')
    .where({ id, status: 'referred' })
    .update({
      status: review.outcome,
      // A rejected claim pays nothing; what the rules proposed stays in its decision.
      ...(approved ? {} : { amount: null, benefit: null }),
      reserve_entry_id: review.reserveEntryId,
      accepted_on: review.acceptedOn,
      payment_due_on: review.paymentDueOn,
      reviewed_at: trx.fn.now(),
      reviewed_by: review.reviewedBy,
      review_outcome: review.outcome,
      review_reason: review.reason,
      review_idempotency_key: review.idempotencyKey,
    })
    .returning<ClaimRecord[]>(claimColumns);
  if (row === undefined) throw new Error(`claim ${id} was not referred when reviewed`);
  return toClaim(row);
}

// Approved claims whose payment deadline passed before today, oldest
// deadline first: what finance must pay now.
export async function listPastDeadline(
  db: Runner,
  filter: { today: string; lpaId?: string; regencyCode?: string; limit: number },
): Promise<(Claim & { daysOverdue: number })[]> {
  const query = db('claims')
    .join('lpas', 'lpas.id', 'claims.lpa_id')
    .where('claims.status', 'approved')
    .whereNotNull('claims.payment_due_on')
    .where('claims.payment_due_on', '<', filter.today)
    .orderBy([
      { column: 'claims.payment_due_on', order: 'asc' },
      { column: 'claims.id', order: 'asc' },
    ])
    .limit(filter.limit);
  if (filter.lpaId !== undefined) query.where('claims.lpa_id', filter.lpaId);
  if (filter.regencyCode !== undefined) query.where('lpas.regency_code', filter.regencyCode);
  const rows = await query.select<(ClaimRecord & { days_overdue: number })[]>(
    ...claimColumns.map((column) => `claims.${column}`),
    db.raw('(?::date - claims.payment_due_on) as days_overdue', [filter.today]),
  );
  return rows.map((row) => ({ ...toClaim(row), daysOverdue: Number(row.days_overdue) }));
}

export async function markPaid(
  trx: Knex.Transaction,
  id: string,
  payment: { paidOn: string; reference: string; entryId: string; idempotencyKey: string; paidBy: string },
): Promise<Claim> {
  const [row] = await trx('claims')
    .where({ id, status: 'approved' })
    .update({
      status: 'paid',
      paid_on: payment.paidOn,
      payout_reference: payment.reference,
      payment_entry_id: payment.entryId,
      payment_idempotency_key: payment.idempotencyKey,
      paid_by: payment.paidBy,
    })
    .returning<ClaimRecord[]>(claimColumns);
  if (row === undefined) throw new Error(`claim ${id} was not approved when marked paid`);
  return toClaim(row);
}

export async function markReversed(
  trx: Knex.Transaction,
  id: string,
  reversal: { reversedOn: string; reason: string; idempotencyKey: string; reversedBy: string },
): Promise<Claim> {
  const [row] = await trx('claims')
    .where({ id })
    .whereIn('status', ['approved', 'paid'])
    .update({
      status: 'reversed',
      reversed_on: reversal.reversedOn,
      reversal_reason: reversal.reason,
      reversal_idempotency_key: reversal.idempotencyKey,
      reversed_by: reversal.reversedBy,
    })
    .returning<ClaimRecord[]>(claimColumns);
  if (row === undefined) throw new Error(`claim ${id} was neither approved nor paid when reversed`);
  return toClaim(row);
}
