import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { ledgerDecimalPlaces } from '../ledger/entry.ts';
import { toAmountString } from '../money/index.ts';
import type { Adjudication, ClaimHistory, Cover } from './adjudicate.ts';
import type { StoredDecision } from './explain.ts';
import type { Claim, ClaimReason } from './model.ts';

type Runner = Db | Knex.Transaction;

// The enrolment whose cover the incident falls under: the latest that began
// by the incident date, else the earliest there is (the incident came before
// it). Locked, so a lapse cannot land while the claim is decided.
export async function lockCover(trx: Knex.Transaction, participantId: string, incidentDate: string): Promise<Cover | null> {
  const row = await trx('enrolments')
    .where({ participant_id: participantId })
    .whereIn('status', ['active', 'lapsed'])
    .orderByRaw('(enrolled_on <= ?) desc, case when enrolled_on <= ? then enrolled_on end desc, enrolled_on asc', [
      incidentDate,
      incidentDate,
    ])
    .forUpdate()
    .first<{ id: string; rule_scheme: string; enrolled_on: string; lapsed_on: string | null } | undefined>(
      'id',
      'rule_scheme',
      'enrolled_on',
      'lapsed_on',
    );
  return row === undefined
    ? null
    : { enrolmentId: row.id, scheme: row.rule_scheme, enrolledOn: row.enrolled_on, lapsedOn: row.lapsed_on };
}

// Earlier claims that still stand (approved, paid or under review, not
// reversed): the allowances under this enrolment, which the rules call
// priorPaidClaims and limit, and whether a death benefit was granted to the
// person under any.
export async function claimHistory(trx: Knex.Transaction, participantId: string, enrolmentId: string): Promise<ClaimHistory> {
  const row = await trx('claims')
    .where({ participant_id: participantId })
    .whereIn('status', ['approved', 'paid', 'referred'])
    .first<{ allowances: string; deaths: string }>(
      trx.raw(`count(*) filter (where enrolment_id = ? and claim_type in ('sickness', 'accident')) as allowances`, [enrolmentId]),
      trx.raw(`count(*) filter (where claim_type = 'death') as deaths`),
    );
  return { allowancesApproved: Number(row.allowances), deathApproved: Number(row.deaths) > 0 };
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

export async function insertClaim(trx: Knex.Transaction, row: NewClaimRow): Promise<Claim> {
  const { adjudication } = row;
  const { decision } = adjudication;
  const [inserted] = await trx('claims')
    .insert({
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
    })
    .returning<ClaimRecord[]>(claimColumns);
  if (inserted === undefined) throw new Error('claims insert returned no row');
  return toClaim(inserted);
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
export interface LockedClaim {
  readonly claim: Claim;
  readonly keys: { readonly review: string | null; readonly payment: string | null; readonly reversal: string | null };
}

export async function lockClaim(trx: Knex.Transaction, id: string): Promise<LockedClaim | null> {
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
  return row === undefined
    ? null
    : {
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
