import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../../hash.ts';

// Idempotency-Key as the IETF draft (draft-ietf-httpapi-idempotency-key-header)
// has it, once for every POST that moves money or creates a claim: the same
// key and request answers the first answer again, marked
// "Idempotent-Replayed: true"; the same key with another request is a 422;
// a retry while its twin is still being answered is a 409.

export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters')
    .meta({ description: 'Your key for this request; a retry with the same key and body answers the first result.' }),
});

export const replayedHeader = 'Idempotent-Replayed';

// A route takes a key when its declared headers name one.
export function takesIdempotencyKey(headers: z.ZodObject | undefined): boolean {
  return headers !== undefined && 'idempotency-key' in headers.shape;
}

// What the key answers on every route that takes one, for the API document.
export const keyAnswers = {
  replayed: `"${replayedHeader}: true" when this repeats the first answer to the same request under the same Idempotency-Key.`,
  409: 'A request under the same Idempotency-Key is still being answered (idempotency-key-in-flight); retry after Retry-After.',
  422: 'The Idempotency-Key was first used for another request (idempotency-key-reused).',
} as const;

// How long a request holds its key, renewed while it is answered. A process
// that dies mid-request leaves its key held; past this, a retry takes it over,
// and the feature's own key (a claim's, an entry's) keeps that retry from
// writing twice.
export const holdSeconds = 15;
export const renewEverySeconds = 5;

// What identifies a request: method, path and body as sent (key order and
// white space aside), before any parsing, so a malformed body is still the
// same request when it is retried.
export function requestFingerprint(request: { method: string; path: string; body: unknown }): string {
  return sha256Hex(canonicalJson([request.method.toUpperCase(), request.path, request.body ?? null]));
}

export interface StoredAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface KeyRecord {
  readonly fingerprint: string;
  readonly state: 'in-flight' | 'answered';
  readonly heldUntil: Date;
  readonly answer: StoredAnswer | null;
}

export type KeyDecision =
  | { readonly kind: 'proceed' }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-flight'; readonly retryAfterSeconds: number };

// What to do with a request whose key was already taken (pure).
export function decideOnKey(record: KeyRecord, fingerprint: string, now: Date): KeyDecision {
  if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (record.state === 'answered' && record.answer !== null) return { kind: 'replay', answer: record.answer };
  if (record.heldUntil <= now) return { kind: 'proceed' };
  return { kind: 'in-flight', retryAfterSeconds: Math.max(1, Math.ceil((record.heldUntil.getTime() - now.getTime()) / 1000)) };
}
