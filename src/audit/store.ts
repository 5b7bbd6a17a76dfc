import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';

export interface AuditEntry {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actor: string;
  actorRole: string;
  actorKeyId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  detail: Record<string, unknown>;
}

// Takes the caller's transaction on purpose: the audit row commits or rolls
// back with the write it describes.
export async function recordAudit(trx: Knex.Transaction, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAudits(trx, [{ actor, entry }]);
}

// Several writes' rows in one statement, for work done in batches.
export async function recordAudits(
  trx: Knex.Transaction,
  audits: readonly { readonly actor: Actor; readonly entry: AuditEntry }[],
): Promise<void> {
  if (audits.length === 0) return;
  await trx('audit_log').insert(
    audits.map(({ actor, entry }) => ({
      actor: actor.actor,
      actor_role: actor.actorRole,
      actor_key_id: actor.actorKeyId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      request_id: actor.requestId,
      detail: JSON.stringify(entry.detail ?? {}),
    })),
  );
}

export interface AuditQuery {
  readonly limit: number;
  readonly beforeId?: string | undefined;
  readonly entityType?: string | undefined;
  readonly entityId?: string | undefined;
}

export async function listAudit(db: Db, query: AuditQuery): Promise<AuditRow[]> {
  const rows = await db('audit_log')
    .modify((builder) => {
      if (query.beforeId !== undefined) builder.where('id', '<', query.beforeId);
      if (query.entityType !== undefined) builder.where('entity_type', query.entityType);
      if (query.entityId !== undefined) builder.where('entity_id', query.entityId);
    })
    .orderBy('id', 'desc')
    .limit(query.limit)
    .select<AuditRecord[]>('*');
  return rows.map(toAuditRow);
}

interface AuditRecord {
  id: string;
  occurred_at: Date;
  actor: string;
  actor_role: string;
  actor_key_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  detail: Record<string, unknown>;
}

function toAuditRow(row: AuditRecord): AuditRow {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actor: row.actor,
    actorRole: row.actor_role,
    actorKeyId: row.actor_key_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    requestId: row.request_id,
    detail: row.detail,
  };
}
