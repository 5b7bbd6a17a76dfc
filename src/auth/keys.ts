import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import type { Actor } from '../access/principal.ts';
import type { ApiKey, NewApiKey } from './model.ts';
import { generateSecret, hashSecret, secretPrefix } from './secret.ts';
import { countApiKeys, insertApiKey, lockFirstKeyCreation, markApiKeyRevoked } from './store.ts';

export interface CreatedApiKey {
  readonly key: ApiKey;
  readonly secret: string;
}

export async function createApiKey(db: Db, input: NewApiKey, actor: Actor): Promise<CreatedApiKey> {
  return withTransaction(db, (trx) => insertKeyWithAudit(trx, input, actor));
}

export async function revokeApiKey(db: Db, id: string, actor: Actor): Promise<ApiKey> {
  return withTransaction(db, async (trx) => {
    const key = await markApiKeyRevoked(trx, id);
    if (key === null) throw new NotFoundError('active API key', id);
    await recordAudit(trx, actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: id });
    return key;
  });
}

// The first start of a new fund has no key to call the API with. Several
// processes may start at once on PostgreSQL; the advisory lock makes exactly
// one of them create the key.
export async function createFirstDirectorateKey(db: Db): Promise<CreatedApiKey | null> {
  return withTransaction(db, async (trx) => {
    await lockFirstKeyCreation(trx);
    if ((await countApiKeys(trx)) > 0) return null;
    const actor: Actor = { actor: 'system:first-start', actorRole: 'operator', actorKeyId: null, requestId: null };
    return insertKeyWithAudit(trx, { name: 'first directorate key', role: 'directorate' }, actor);
  });
}

async function insertKeyWithAudit(trx: Knex.Transaction, input: NewApiKey, actor: Actor): Promise<CreatedApiKey> {
  const secret = generateSecret();
  const key = await insertApiKey(trx, {
    ...input,
    secretSha256: hashSecret(secret),
    secretPrefix: secretPrefix(secret),
    createdBy: actor.actor,
  });
  await recordAudit(trx, actor, {
    action: 'api_key.create',
    entityType: 'api_key',
    entityId: key.id,
    detail: { name: key.name, role: key.role, regencyCode: key.regencyCode, lpaId: key.lpaId },
  });
  return { key, secret };
}
