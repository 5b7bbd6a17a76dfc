import { type Db, withTransaction } from '../../db/knex.ts';
import { decideOnKey, holdSeconds, type KeyDecision, type KeyRecord, type StoredAnswer } from './model.ts';

// The rows of idempotent_requests, one per caller (an API key or a person)
// and Idempotency-Key.

export interface KeyClaim {
  readonly caller: { readonly kind: 'api-key' | 'user'; readonly id: string };
  readonly key: string;
  readonly fingerprint: string;
}

function callerColumn(claim: KeyClaim): 'api_key_id' | 'user_id' {
  return claim.caller.kind === 'api-key' ? 'api_key_id' : 'user_id';
}

function keyOf(claim: KeyClaim): Record<string, string> {
  return { [callerColumn(claim)]: claim.caller.id, idempotency_key: claim.key };
}

interface KeyRow {
  fingerprint: string;
  state: 'in-flight' | 'answered';
  held_until: Date;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

// Takes the key for this request, or says why not. Commits at once, so a
// twin arriving while this request is answered finds the key held.
export function takeKey(db: Db, claim: KeyClaim, now: Date): Promise<KeyDecision> {
  const heldUntil = new Date(now.getTime() + holdSeconds * 1000);
  return withTransaction(db, async (trx) => {
    const inserted = await trx.raw<{ rows: unknown[] }>(
      `insert into idempotent_requests (${callerColumn(claim)}, idempotency_key, fingerprint, state, held_until)
       values (?, ?, ?, 'in-flight', ?)
       on conflict (${callerColumn(claim)}, idempotency_key) do nothing
       returning 1`,
      [claim.caller.id, claim.key, claim.fingerprint, heldUntil],
    );
    if (inserted.rows.length === 1) return { kind: 'proceed' };
    const row: KeyRow | undefined = await trx('idempotent_requests').where(keyOf(claim)).forUpdate().first();
    if (row === undefined) throw new Error('idempotency: a key row vanished while it was locked');
    const decision = decideOnKey(recordOf(row), claim.fingerprint, now);
    if (decision.kind === 'proceed') {
      await trx('idempotent_requests').where(keyOf(claim)).update({ held_until: heldUntil });
    }
    return decision;
  });
}

// Still at work: the key stays held.
export async function renewKey(db: Db, claim: KeyClaim, now: Date): Promise<void> {
  await db('idempotent_requests')
    .where({ ...keyOf(claim), fingerprint: claim.fingerprint, state: 'in-flight' })
    .update({ held_until: new Date(now.getTime() + holdSeconds * 1000) });
}

// The answer a retry will be given.
export async function keepAnswer(db: Db, claim: KeyClaim, answer: StoredAnswer): Promise<void> {
  await db('idempotent_requests')
    .where({ ...keyOf(claim), fingerprint: claim.fingerprint })
    .update({
      state: 'answered',
      response_status: answer.status,
      response_headers: JSON.stringify(answer.headers),
      response_body: JSON.stringify(answer.body ?? null),
      answered_at: db.fn.now(),
    });
}

// A request refused or failed leaves nothing behind, its key included: a
// corrected retry under the same key is a new request.
export async function releaseKey(db: Db, claim: KeyClaim): Promise<void> {
  await db('idempotent_requests')
    .where({ ...keyOf(claim), state: 'in-flight' })
    .delete();
}

function recordOf(row: KeyRow): KeyRecord {
  return {
    fingerprint: row.fingerprint,
    state: row.state,
    heldUntil: row.held_until,
    answer:
      row.response_status === null
        ? null
        : { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body },
  };
}
