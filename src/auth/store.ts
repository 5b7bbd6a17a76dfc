import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { ApiKey, NewApiKey } from './model.ts';
import type { Principal } from '../access/principal.ts';

interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKey['role'];
  regency_code: string | null;
  lpa_id: string | null;
  secret_prefix: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const publicColumns = [
  'id',
  'name',
  'role',
  'regency_code',
  'lpa_id',
  'secret_prefix',
  'created_at',
  'created_by',
  'revoked_at',
  'last_used_at',
] as const;

// A busy key would otherwise write a row on every request.
const lastUsedResolutionSeconds = 60;

export async function insertApiKey(
  trx: Knex.Transaction,
  key: NewApiKey & { secretSha256: string; secretPrefix: string; createdBy: string },
): Promise<ApiKey> {
  const [row] = await trx('api_keys')
    .insert({
      name: key.name,
      role: key.role,
      regency_code: key.regencyCode ?? null,
      lpa_id: key.lpaId ?? null,
      secret_sha256: key.secretSha256,
      secret_prefix: key.secretPrefix,
      created_by: key.createdBy,
    })
    .returning<ApiKeyRecord[]>(publicColumns);
  return toApiKey(required(row));
}

export async function findApiKey(db: Db, id: string): Promise<ApiKey | null> {
  const row = await db('api_keys').where({ id }).first<ApiKeyRecord | undefined>(publicColumns);
  return row === undefined ? null : toApiKey(row);
}

export async function listApiKeys(db: Db, options: { includeRevoked: boolean; limit: number }): Promise<ApiKey[]> {
  const rows = await db('api_keys')
    .modify((builder) => {
      if (!options.includeRevoked) builder.whereNull('revoked_at');
    })
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(options.limit)
    .select<ApiKeyRecord[]>(publicColumns);
  return rows.map(toApiKey);
}

export async function countApiKeys(db: Db | Knex.Transaction): Promise<number> {
  const row = await db('api_keys').count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? '0');
}

// Held until the transaction ends: one process at a time looks for a key
// and, finding none, creates the first.
export async function lockFirstKeyCreation(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('askesos.first-directorate-key'))`);
}

export async function markApiKeyRevoked(trx: Knex.Transaction, id: string): Promise<ApiKey | null> {
  const [row] = await trx('api_keys')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: trx.fn.now() })
    .returning<ApiKeyRecord[]>(publicColumns);
  return row === undefined ? null : toApiKey(row);
}

export interface KeyHolder {
  readonly principal: Principal;
  // Its last use is older than the resolution at which it is recorded, so
  // the caller records it; most requests need not write.
  readonly lastUseStale: boolean;
}

// The holder of the key with this secret hash, unless revoked.
export async function findPrincipalBySecretHash(db: Db, secretSha256: string): Promise<KeyHolder | null> {
  const row = await db('api_keys')
    .where({ secret_sha256: secretSha256 })
    .whereNull('revoked_at')
    .first<(Pick<ApiKeyRecord, 'id' | 'name' | 'role' | 'regency_code' | 'lpa_id'> & { last_use_stale: boolean }) | undefined>(
      'id',
      'name',
      'role',
      'regency_code',
      'lpa_id',
      db.raw(`coalesce(last_used_at < now() - make_interval(secs => ?), true) as last_use_stale`, [lastUsedResolutionSeconds]),
    );
  return row === undefined ? null : { principal: toPrincipal(row), lastUseStale: row.last_use_stale };
}

function toPrincipal(row: Pick<ApiKeyRecord, 'id' | 'name' | 'role' | 'regency_code' | 'lpa_id'>): Principal {
  switch (row.role) {
    case 'dinsos':
      return { via: 'api-key', keyId: row.id, name: row.name, role: row.role, regencyCode: required(row.regency_code) };
    case 'lpa':
      return { via: 'api-key', keyId: row.id, name: row.name, role: row.role, lpaId: required(row.lpa_id) };
    default:
      return { via: 'api-key', keyId: row.id, name: row.name, role: row.role };
  }
}

export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db('api_keys').where({ id }).update({ last_used_at: db.fn.now() });
}

function toApiKey(row: ApiKeyRecord): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    regencyCode: row.regency_code,
    lpaId: row.lpa_id,
    secretPrefix: row.secret_prefix,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

// The database's check constraints make these impossible; reaching one is a bug.
function required<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('api_keys row breaks its scope constraint');
  return value;
}
