import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import type { Clock } from '../clock.ts';
import { type Db, isUniqueViolation, withTransaction } from '../db/knex.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { NewUser, User } from './model.ts';
import { generatePassword, hashPassword } from './password.ts';
import { deleteUserSessions, findUser, insertUser, updateDisabled, updatePassword } from './user-store.ts';

// The directorate's work on people's accounts, from the API or the CLI.

export interface UserWithPassword {
  readonly user: User;
  // Generated here when none was given: shown once, never stored.
  readonly password?: string;
}

export async function createUser(db: Db, input: NewUser, actor: Actor, now: Clock): Promise<UserWithPassword> {
  const { password, answered } = givenOrGenerated(input.password);
  const passwordHash = await hashPassword(password);
  try {
    return await withTransaction(db, async (trx) => {
      const user = await insertUser(trx, { ...input, passwordHash, createdBy: actor.actor, now: now() });
      await recordAudit(trx, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        detail: { username: user.username, role: user.role, regencyCode: user.regencyCode, lpaId: user.lpaId },
      });
      return { user, ...answered };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('username-taken', `The username ${JSON.stringify(input.username)} is taken; choose another.`);
    throw error;
  }
}

// A disabled person's sessions end with it, at once.
export async function disableUser(db: Db, id: string, actor: Actor, now: Clock): Promise<User> {
  return withTransaction(db, async (trx) => {
    const user = await updateDisabled(trx, id, now());
    if (user === null) throw await notFoundOrAlready(trx, id, 'disabled');
    await endSessionsAudited(trx, user, 'user.disable', actor);
    return user;
  });
}

export async function enableUser(db: Db, id: string, actor: Actor): Promise<User> {
  return withTransaction(db, async (trx) => {
    const user = await updateDisabled(trx, id, null);
    if (user === null) throw await notFoundOrAlready(trx, id, 'active');
    await recordAudit(trx, actor, {
      action: 'user.enable',
      entityType: 'user',
      entityId: id,
      detail: { username: user.username },
    });
    return user;
  });
}

// Someone forgot their password, or it may be known to another: a new one,
// the lock lifted, and every session of theirs ended.
export async function resetPassword(
  db: Db,
  id: string,
  password: string | undefined,
  actor: Actor,
  now: Clock,
): Promise<UserWithPassword> {
  const chosen = givenOrGenerated(password);
  const passwordHash = await hashPassword(chosen.password);
  return withTransaction(db, async (trx) => {
    const user = await updatePassword(trx, id, passwordHash, now());
    if (user === null) throw new NotFoundError('user', id);
    await endSessionsAudited(trx, user, 'user.password_reset', actor);
    return { user, ...chosen.answered };
  });
}

// The password given, or one generated, which is then answered once.
function givenOrGenerated(given: string | undefined): { password: string; answered: { password?: string } } {
  if (given !== undefined) return { password: given, answered: {} };
  const generated = generatePassword();
  return { password: generated, answered: { password: generated } };
}

// Whatever ended the person's standing (disabled, a password reset) ends
// every session of theirs in the same transaction, and says how many.
async function endSessionsAudited(trx: Knex.Transaction, user: User, action: string, actor: Actor): Promise<void> {
  const ended = await deleteUserSessions(trx, user.id, null);
  await recordAudit(trx, actor, {
    action,
    entityType: 'user',
    entityId: user.id,
    detail: { username: user.username, sessionsEnded: ended },
  });
}

async function notFoundOrAlready(trx: Knex.Transaction, id: string, status: User['status']): Promise<Error> {
  return (await findUser(trx, id)) === null
    ? new NotFoundError('user', id)
    : new ConflictError(`user-already-${status}`, `The user is already ${status}.`);
}
