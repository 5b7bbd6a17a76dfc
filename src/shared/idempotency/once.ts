import type { Db } from '../../db/knex.ts';
import { ConflictError, IdempotencyKeyReusedError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { renewEverySeconds, type StoredAnswer } from './model.ts';
import { type KeyClaim, keepAnswer, releaseKey, renewKey, takeKey } from './store.ts';

// A keyed request is answered once, whether it came over the API (the
// Idempotency-Key header) or from a console form (a key made when the form
// was rendered): the key is taken before any work, a retry of the same
// request gets the first answer again, another request under the key is
// refused, a retry while the first is still at work is a conflict. A
// refusal or a failure gives the key back, leaving nothing behind.
export async function answerOnce<A extends StoredAnswer>(
  db: Db,
  claim: KeyClaim,
  work: () => Promise<A>,
  log: Logger,
): Promise<{ readonly answer: A | StoredAnswer; readonly replayed: boolean }> {
  const decision = await takeKey(db, claim, new Date());
  if (decision.kind === 'mismatch') throw new IdempotencyKeyReusedError(claim.key, 'another request');
  if (decision.kind === 'in-flight')
    throw new ConflictError(
      'idempotency-key-in-flight',
      `A request under Idempotency-Key ${JSON.stringify(claim.key)} is still being answered; retry it in a moment.`,
      decision.retryAfterSeconds,
    );
  if (decision.kind === 'replay') return { answer: decision.answer, replayed: true };
  let answer: A;
  const renewal = setInterval(() => {
    renewKey(db, claim, new Date()).catch((error: unknown) => log.warn({ err: error }, 'idempotency key not renewed'));
  }, renewEverySeconds * 1000);
  try {
    answer = await work();
  } catch (error) {
    await releaseKey(db, claim);
    throw error;
  } finally {
    clearInterval(renewal);
  }
  if (answer.status >= 200 && answer.status < 300)
    await keepAnswer(db, claim, { status: answer.status, headers: answer.headers, body: answer.body });
  else await releaseKey(db, claim);
  return { answer, replayed: false };
}
