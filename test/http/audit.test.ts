import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, as, makeKey, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

describe('audit log', () => {
  let database: TestDatabase;
  let app: Express;
  let directorate: TestKey;
  let auditor: TestKey;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db);
    directorate = await makeKey(database.db, { role: 'directorate', name: 'Direktorat Jaminan Sosial' });
    auditor = await makeKey(database.db, { role: 'auditor' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('records who created and who revoked a key, with the request id, in the same transaction', async () => {
    const created = await as(app, directorate)
      .post('/v1/keys')
      .set('X-Request-Id', 'req-create-1')
      .send({ name: 'Dinsos Gunung Mas', role: 'dinsos', regencyCode: '6210' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/keys/${created.body.key.id}`);
    expect(created.body.secret).toMatch(/^ask_[A-Za-z0-9_-]{43}$/);

    const revoked = await as(app, directorate).post(`/v1/keys/${created.body.key.id}/revoke`).set('X-Request-Id', 'req-revoke-1');
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();

    const log = await as(app, auditor).get(`/v1/audit-log?entityType=api_key&entityId=${created.body.key.id}`);
    expect(log.status).toBe(200);
    expect(log.body.rows).toHaveLength(2);
    expect(log.body.rows[0]).toMatchObject({
      action: 'api_key.revoke',
      actor: 'key:Direktorat Jaminan Sosial',
      actorRole: 'directorate',
      actorKeyId: directorate.id,
      requestId: 'req-revoke-1',
    });
    expect(log.body.rows[1]).toMatchObject({
      action: 'api_key.create',
      actorKeyId: directorate.id,
      requestId: 'req-create-1',
      entityType: 'api_key',
      detail: { name: 'Dinsos Gunung Mas', role: 'dinsos', regencyCode: '6210', lpaId: null },
    });
    expect(JSON.stringify(log.body)).not.toContain(created.body.secret);
  });

  it('never stores the secret, only its hash', async () => {
    const created = await as(app, directorate).post('/v1/keys').send({ name: 'Finance', role: 'finance' });
    const row = await database.db('api_keys').where({ id: created.body.key.id }).first();
    expect(JSON.stringify(row)).not.toContain(created.body.secret);
    expect(row.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 404 for revoking an unknown or already revoked key, and records nothing', async () => {
    const before = await database.db('audit_log').count<{ count: string }[]>({ count: '*' });
    const response = await as(app, directorate).post('/v1/keys/00000000-0000-4000-8000-000000000000/revoke');
    expect(response.status).toBe(404);
    expect(await database.db('audit_log').count<{ count: string }[]>({ count: '*' })).toEqual(before);
  });

  it('pages newest first with beforeId', async () => {
    const first = await as(app, auditor).get('/v1/audit-log?limit=2');
    expect(first.body.rows).toHaveLength(2);
    const [newer, older] = first.body.rows as { id: string }[];
    expect(BigInt(newer?.id ?? 0)).toBeGreaterThan(BigInt(older?.id ?? 0));
    const next = await as(app, auditor).get(`/v1/audit-log?limit=2&beforeId=${older?.id}`);
    for (const row of next.body.rows as { id: string }[]) expect(BigInt(row.id)).toBeLessThan(BigInt(older?.id ?? 0));
  });
});
