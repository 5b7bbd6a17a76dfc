import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Actor, actorOf, type SessionPrincipal } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import type { Clock } from '../clock.ts';
import type { AccountSettings } from '../config.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import type { User } from './model.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import {
  deleteSession,
  deleteUserSessions,
  findSessionHolder,
  insertSession,
  lockUserCredentials,
  readUserCredentials,
  lockUserPasswordHash,
  touchSession,
  updatePassword,
  updateLocale,
  updatePasswordHash,
  updateSignInState,
} from './user-store.ts';

// What sessions need from the service: its account settings and its clock.
export interface Accounts {
  readonly settings: AccountSettings;
  readonly now: Clock;
}

export const sessionCookieName = 'askesos_session';
// 32 random bytes: guessing one is hopeless, so a SHA-256 is enough to store.
const sessionTokenBytes = 32;
const sessionTokenPattern = /^[A-Za-z0-9_-]{43}$/;
// A busy session would otherwise write a row on every request; idle expiry
// is then exact to this much.
const lastSeenResolutionSeconds = 60;

export function isSessionToken(text: string): boolean {
  return sessionTokenPattern.test(text);
}

function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

// The CSRF token is derived from the session token, so it needs no storage
// and dies with the session; a page on another site has the cookie sent for
// it but can read neither.
function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('askesos csrf token').digest('base64url');
}

export function csrfTokenMatches(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(offered, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

// Why a sign-in was refused. The caller is told none of it: one answer for
// all, so it learns neither whether a username exists nor, while locked,
// whether the password was right. The audit log keeps the reason.
export type SignInRefusal = 'unknown_username' | 'disabled' | 'locked' | 'wrong_password';

export type SignInDecision =
  | { readonly outcome: 'signed_in' }
  | { readonly outcome: Exclude<SignInRefusal, 'unknown_username' | 'wrong_password'> }
  | { readonly outcome: 'wrong_password'; readonly failedSignIns: number; readonly lockedUntil: Date | null };

// Precedence: a disabled account, then a lock still running, then the
// password. A lock that has passed is forgotten, its count started afresh.
export function decideSignIn(
  state: { disabled: boolean; lockedUntil: Date | null; failedSignIns: number; passwordRight: boolean },
  now: Date,
  settings: Pick<AccountSettings, 'signInFailuresMax' | 'lockoutSeconds'>,
): SignInDecision {
  if (state.disabled) return { outcome: 'disabled' };
  if (state.lockedUntil !== null && state.lockedUntil > now) return { outcome: 'locked' };
  if (state.passwordRight) return { outcome: 'signed_in' };
  const failedSignIns = state.failedSignIns + 1;
  return failedSignIns >= settings.signInFailuresMax
    ? { outcome: 'wrong_password', failedSignIns: 0, lockedUntil: new Date(now.getTime() + settings.lockoutSeconds * 1000) }
    : { outcome: 'wrong_password', failedSignIns, lockedUntil: null };
}

export type SignInResult =
  | { readonly kind: 'signed-in'; readonly user: User; readonly token: string; readonly csrfToken: string }
  | { readonly kind: 'refused'; readonly reason: SignInRefusal };

// A refusal is written too (the count of failures, the lock, the audit
// rows): that is what a failed sign-in is for, so the caller's 401 comes
// after a commit, not a rollback.
export async function signIn(
  db: Db,
  input: { username: string; password: string },
  accounts: Accounts,
  requestId: string,
): Promise<SignInResult> {
  const now = accounts.now();
  // The password is checked before the row is locked: scrypt takes a tenth
  // of a second and much memory, which a lock (and a retried transaction)
  // should not wait on. Unknown names are as slow as known ones, so timing
  // does not tell which names exist.
  const read = await readUserCredentials(db, input.username);
  const passwordRightAsRead = await verifyPassword(input.password, read?.passwordHash ?? (await decoyHash()));
  return withTransaction(db, async (trx) => {
    const found = await lockUserCredentials(trx, input.username);
    if (found === null) {
      const anonymous: Actor = { actor: 'anonymous', actorRole: 'anonymous', actorKeyId: null, requestId };
      await recordAudit(trx, anonymous, {
        action: 'user.sign_in_failed',
        entityType: 'user',
        entityId: 'unknown',
        detail: { reason: 'unknown_username' },
      });
      return { kind: 'refused', reason: 'unknown_username' };
    }
    const { user } = found;
    const actor: Actor = { actor: `user:${user.username}`, actorRole: user.role, actorKeyId: null, requestId };
    const audit = (action: string, detail: Readonly<Record<string, unknown>>) =>
      recordAudit(trx, actor, { action, entityType: 'user', entityId: user.id, detail: { username: user.username, ...detail } });
    // Changed between the read and the lock (a password change, a rehash): checked again against what is locked.
    const passwordRight =
      found.passwordHash === read?.passwordHash ? passwordRightAsRead : await verifyPassword(input.password, found.passwordHash);
    const decision = decideSignIn({ ...found, passwordRight }, now, accounts.settings);
    switch (decision.outcome) {
      case 'disabled':
      case 'locked':
        await audit('user.sign_in_failed', { reason: decision.outcome });
        return { kind: 'refused', reason: decision.outcome };
      case 'wrong_password':
        await updateSignInState(trx, user.id, decision);
        await audit('user.sign_in_failed', { reason: 'wrong_password' });
        if (decision.lockedUntil !== null)
          await audit('user.lock', {
            failedSignIns: accounts.settings.signInFailuresMax,
            lockedUntil: decision.lockedUntil.toISOString(),
          });
        return { kind: 'refused', reason: 'wrong_password' };
      case 'signed_in': {
        await updateSignInState(trx, user.id, { failedSignIns: 0, lockedUntil: null });
        if (needsRehash(found.passwordHash)) await updatePasswordHash(trx, user.id, await hashPassword(input.password));
        const token = randomBytes(sessionTokenBytes).toString('base64url');
        const expiresAt = new Date(now.getTime() + accounts.settings.sessionLifetimeSeconds * 1000);
        const sessionId = await insertSession(trx, { userId: user.id, tokenSha256: tokenSha256(token), now, expiresAt });
        await audit('user.sign_in', { sessionId });
        return { kind: 'signed-in', user: { ...user, lockedUntil: null }, token, csrfToken: csrfTokenOf(token) };
      }
      default:
        return assertNever(decision);
    }
  });
}

// The person whose session this token opens, or null when it has ended.
export async function sessionPrincipal(db: Db, token: string, accounts: Accounts): Promise<SessionPrincipal | null> {
  const now = accounts.now();
  const holder = await findSessionHolder(db, {
    tokenSha256: tokenSha256(token),
    csrfToken: csrfTokenOf(token),
    now,
    idleSeconds: accounts.settings.sessionIdleSeconds,
    touchSeconds: lastSeenResolutionSeconds,
  });
  if (holder === null) return null;
  // Session bookkeeping, written whatever the request then answers: the person was there.
  if (holder.lastSeenStale) await withTransaction(db, (trx) => touchSession(trx, holder.principal.sessionId, now));
  return holder.principal;
}

export async function signOut(db: Db, principal: SessionPrincipal, requestId: string): Promise<void> {
  await withTransaction(db, async (trx) => {
    await deleteSession(trx, principal.sessionId);
    await recordAudit(trx, actorOf(principal, requestId), {
      action: 'user.sign_out',
      entityType: 'user',
      entityId: principal.userId,
      detail: { username: principal.username, sessionId: principal.sessionId },
    });
  });
}

// The person's other sessions end: whoever else held one no longer can.
export async function changeOwnPassword(
  db: Db,
  principal: SessionPrincipal,
  input: { currentPassword: string; newPassword: string },
  accounts: Accounts,
  requestId: string,
): Promise<void> {
  const now = accounts.now();
  await withTransaction(db, async (trx) => {
    const stored = await lockUserPasswordHash(trx, principal.userId);
    if (stored === null) throw new Error('a live session belongs to no user');
    if (!(await verifyPassword(input.currentPassword, stored)))
      throw new InputError(
        [{ field: 'body.currentPassword', message: 'is not your current password' }],
        'The password was not changed:',
      );
    if (input.newPassword === input.currentPassword)
      throw new InputError(
        [{ field: 'body.newPassword', message: 'must differ from the current password' }],
        'The password was not changed:',
      );
    await updatePassword(trx, principal.userId, await hashPassword(input.newPassword), now);
    const ended = await deleteUserSessions(trx, principal.userId, principal.sessionId);
    await recordAudit(trx, actorOf(principal, requestId), {
      action: 'user.password_change',
      entityType: 'user',
      entityId: principal.userId,
      detail: { username: principal.username, otherSessionsEnded: ended },
    });
  });
}

// The language the console speaks to this person, chosen by them.
export async function changeOwnLocale(
  db: Db,
  principal: SessionPrincipal,
  locale: User['locale'],
  requestId: string,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    await updateLocale(trx, principal.userId, locale);
    await recordAudit(trx, actorOf(principal, requestId), {
      action: 'user.locale_change',
      entityType: 'user',
      entityId: principal.userId,
      detail: { username: principal.username, locale },
    });
  });
}

function assertNever(value: never): never {
  throw new Error(`unexpected sign-in decision ${JSON.stringify(value)}`);
}
