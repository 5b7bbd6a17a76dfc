import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { SessionPrincipal } from '../access/principal.ts';
import type { NewUser, User } from './model.ts';

// The users and user_sessions tables. Every instant is handed in from the
// caller's clock, so expiry and lockout follow the clock a test moves.

type Executor = Db | Knex.Transaction;

interface UserRecord {
  id: string;
  username: string;
  display_name: string;
  role: User['role'];
  regency_code: string | null;
  lpa_id: string | null;
  locale: User['locale'];
  password_changed_at: Date;
  locked_until: Date | null;
  created_at: Date;
  created_by: string;
  disabled_at: Date | null;
}

const publicColumns = [
  'id',
  'username',
  'display_name',
  'role',
  'regency_code',
  'lpa_id',
  'locale',
  'password_changed_at',
  'locked_until',
  'created_at',
  'created_by',
  'disabled_at',
] as const;

// What signing in needs besides the public columns: never leaves this feature.
export interface UserCredentials {
  readonly user: User;
  readonly passwordHash: string;
  readonly failedSignIns: number;
  readonly lockedUntil: Date | null;
  readonly disabled: boolean;
}

export async function insertUser(
  trx: Knex.Transaction,
  user: Omit<NewUser, 'password'> & { passwordHash: string; createdBy: string; now: Date },
): Promise<User> {
  const [row] = await trx('users')
    .insert({
      username: user.username,
      display_name: user.name,
      role: user.role,
      regency_code: user.regencyCode ?? null,
      lpa_id: user.lpaId ?? null,
      locale: user.locale,
      password_hash: user.passwordHash,
      password_changed_at: user.now,
      created_by: user.createdBy,
    })
    .returning<UserRecord[]>(publicColumns);
  return toUser(required(row));
}

export async function findUser(db: Executor, id: string): Promise<User | null> {
  const row = await db('users').where({ id }).first<UserRecord | undefined>(publicColumns);
  return row === undefined ? null : toUser(row);
}

export async function findUserIdByUsername(db: Executor, username: string): Promise<string | null> {
  const row = await db('users').where({ username }).first<{ id: string } | undefined>('id');
  return row?.id ?? null;
}

export async function listUsers(db: Db, options: { includeDisabled: boolean; limit: number }): Promise<User[]> {
  const rows = await db('users')
    .modify((builder) => {
      if (!options.includeDisabled) builder.whereNull('disabled_at');
    })
    .orderBy('username', 'asc')
    .limit(options.limit)
    .select<UserRecord[]>(publicColumns);
  return rows.map(toUser);
}

// Locked for the rest of the transaction: two sign-ins at once count their
// failures one after the other.
export async function lockUserCredentials(trx: Knex.Transaction, username: string): Promise<UserCredentials | null> {
  return userCredentials(trx, username, true);
}

// As they stand, unlocked: to check a password before the row is locked, so
// the lock is not held while the hash is worked out.
export async function readUserCredentials(db: Db, username: string): Promise<UserCredentials | null> {
  return userCredentials(db, username, false);
}

async function userCredentials(db: Db | Knex.Transaction, username: string, lock: boolean): Promise<UserCredentials | null> {
  const row = await db('users')
    .where({ username })
    .modify((query) => {
      if (lock) query.forUpdate();
    })
    .first<(UserRecord & { password_hash: string; failed_sign_ins: number }) | undefined>([
      ...publicColumns,
      'password_hash',
      'failed_sign_ins',
    ]);
  if (row === undefined) return null;
  return {
    user: toUser(row),
    passwordHash: row.password_hash,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until,
    disabled: row.disabled_at !== null,
  };
}

export async function lockUserPasswordHash(trx: Knex.Transaction, id: string): Promise<string | null> {
  const row = await trx('users').where({ id }).forUpdate().first<{ password_hash: string } | undefined>('password_hash');
  return row?.password_hash ?? null;
}

export async function updateSignInState(
  trx: Knex.Transaction,
  id: string,
  state: { failedSignIns: number; lockedUntil: Date | null },
): Promise<void> {
  await trx('users').where({ id }).update({ failed_sign_ins: state.failedSignIns, locked_until: state.lockedUntil });
}

// A new password also lifts a lock: whoever set it knows it.
export async function updatePassword(trx: Knex.Transaction, id: string, passwordHash: string, now: Date): Promise<User | null> {
  const [row] = await trx('users')
    .where({ id })
    .update({ password_hash: passwordHash, password_changed_at: now, failed_sign_ins: 0, locked_until: null })
    .returning<UserRecord[]>(publicColumns);
  return row === undefined ? null : toUser(row);
}

export async function updateLocale(trx: Knex.Transaction, id: string, locale: User['locale']): Promise<void> {
  await trx('users').where({ id }).update({ locale });
}

// Only the hash, on a successful sign-in: the password itself is unchanged.
export async function updatePasswordHash(trx: Knex.Transaction, id: string, passwordHash: string): Promise<void> {
  await trx('users').where({ id }).update({ password_hash: passwordHash });
}

export async function updateDisabled(trx: Knex.Transaction, id: string, disabledAt: Date | null): Promise<User | null> {
  const [row] = await trx('users')
    .where({ id })
    .modify((builder) => {
      if (disabledAt === null) builder.whereNotNull('disabled_at');
      else builder.whereNull('disabled_at');
    })
    .update({ disabled_at: disabledAt })
    .returning<UserRecord[]>(publicColumns);
  return row === undefined ? null : toUser(row);
}

export async function insertSession(
  trx: Knex.Transaction,
  session: { userId: string; tokenSha256: string; now: Date; expiresAt: Date },
): Promise<string> {
  const [row] = await trx('user_sessions')
    .insert({
      user_id: session.userId,
      token_sha256: session.tokenSha256,
      created_at: session.now,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
    })
    .returning<{ id: string }[]>('id');
  return required(row).id;
}

export interface SessionHolder {
  readonly principal: SessionPrincipal;
  // Its last use is older than the resolution at which it is recorded.
  readonly lastSeenStale: boolean;
}

// The person a live session belongs to: not past its absolute expiry, used
// within the idle limit, and its user not disabled.
export async function findSessionHolder(
  db: Db,
  lookup: { tokenSha256: string; csrfToken: string; now: Date; idleSeconds: number; touchSeconds: number },
): Promise<SessionHolder | null> {
  const idleSince = new Date(lookup.now.getTime() - lookup.idleSeconds * 1000);
  const row = await db('user_sessions as s')
    .join('users as u', 'u.id', 's.user_id')
    .where('s.token_sha256', lookup.tokenSha256)
    .where('s.expires_at', '>', lookup.now)
    .where('s.last_seen_at', '>', idleSince)
    .whereNull('u.disabled_at')
    .first<
      | (Pick<UserRecord, 'id' | 'username' | 'display_name' | 'role' | 'regency_code' | 'lpa_id'> & {
          session_id: string;
          last_seen_at: Date;
        })
      | undefined
    >('s.id as session_id', 's.last_seen_at', 'u.id', 'u.username', 'u.display_name', 'u.role', 'u.regency_code', 'u.lpa_id');
  if (row === undefined) return null;
  const credential = {
    via: 'session',
    userId: row.id,
    username: row.username,
    sessionId: row.session_id,
    csrfToken: lookup.csrfToken,
    name: row.display_name,
  } as const;
  const principal: SessionPrincipal =
    row.role === 'dinsos'
      ? { ...credential, role: row.role, regencyCode: required(row.regency_code) }
      : row.role === 'lpa'
        ? { ...credential, role: row.role, lpaId: required(row.lpa_id) }
        : { ...credential, role: row.role };
  return { principal, lastSeenStale: row.last_seen_at.getTime() <= lookup.now.getTime() - lookup.touchSeconds * 1000 };
}

export async function touchSession(trx: Knex.Transaction, id: string, now: Date): Promise<void> {
  await trx('user_sessions').where({ id }).update({ last_seen_at: now });
}

export async function deleteSession(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('user_sessions').where({ id }).delete();
}

// All of a person's sessions, or all but the one they are using.
export async function deleteUserSessions(trx: Knex.Transaction, userId: string, keepSessionId: string | null): Promise<number> {
  return trx('user_sessions')
    .where({ user_id: userId })
    .modify((builder) => {
      if (keepSessionId !== null) builder.whereNot({ id: keepSessionId });
    })
    .delete();
}

function toUser(row: UserRecord): User {
  return {
    id: row.id,
    username: row.username,
    name: row.display_name,
    role: row.role,
    regencyCode: row.regency_code,
    lpaId: row.lpa_id,
    locale: row.locale,
    status: row.disabled_at === null ? 'active' : 'disabled',
    lockedUntil: row.locked_until?.toISOString() ?? null,
    passwordChangedAt: row.password_changed_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    disabledAt: row.disabled_at?.toISOString() ?? null,
  };
}

// The database's check constraints make these impossible; reaching one is a bug.
function required<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('users row breaks its scope constraint');
  return value;
}
