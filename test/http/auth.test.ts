import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/auth/keys.ts';
import { type TestKey, as, makeKey, testActor, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

const lpaId = '8f0b7c52-3f4e-4d51-9b0e-0c6f2b1a7d10';

describe('authentication and the role/scope guard', () => {
  let database: TestDatabase;
  let app: Express;
  let keys: Record<'directorate' | 'dinsos' | 'lpa' | 'finance' | 'auditor', TestKey>;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db);
    keys = {
      directorate: await makeKey(database.db, { role: 'directorate' }),
      dinsos: await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' }),
      lpa: await makeKey(database.db, { role: 'lpa', lpaId }),
      finance: await makeKey(database.db, { role: 'finance' }),
      auditor: await makeKey(database.db, { role: 'auditor' }),
    };
  });
  afterAll(async () => {
    await database.close();
  });

  describe('401', () => {
    it.each([
      ['no Authorization header', undefined, 'A valid API key is required'],
      ['a Basic header', 'Basic dXNlcjpwYXNz', 'must be "Bearer <api key>"'],
      ['a malformed key', 'Bearer not-a-key', 'must be "Bearer <api key>"'],
      ['an unknown key', `Bearer ask_${'A'.repeat(43)}`, 'unknown or has been revoked'],
    ])('answers %s with 401 problem+json and a Bearer challenge', async (_case, header, detail) => {
      const call = as(app, null).get('/v1/whoami');
      const response = await (header === undefined ? call : call.set('Authorization', header));
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="askesos"');
      expect(response.body.type).toBe('urn:askesos:problem:unauthorized');
      expect(response.body.detail).toContain(detail);
    });

    it('stops a key at once when it is revoked', async () => {
      const key = await makeKey(database.db, { role: 'finance' });
      expect((await as(app, key).get('/v1/whoami')).status).toBe(200);
      await revokeApiKey(database.db, key.id, testActor);
      const response = await as(app, key).get('/v1/whoami');
      expect(response.status).toBe(401);
      expect(response.body.detail).toContain('revoked');
    });
  });

  it('tells each key its role and scope, and records its last use', async () => {
    const dinsos = await as(app, keys.dinsos).get('/v1/whoami');
    expect(dinsos.body).toEqual({
      keyId: keys.dinsos.id,
      userId: null,
      name: 'dinsos test key',
      role: 'dinsos',
      regencyCode: '6210',
      lpaId: null,
    });
    const lpa = await as(app, keys.lpa).get('/v1/whoami');
    expect(lpa.body).toMatchObject({ role: 'lpa', lpaId, regencyCode: null });
    const row = await database.db('api_keys').where({ id: keys.lpa.id }).first('last_used_at');
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  describe('403 for a role the route does not allow', () => {
    it.each(['dinsos', 'lpa', 'finance', 'auditor'] as const)('%s may not create keys', async (role) => {
      const response = await as(app, keys[role]).post('/v1/keys').send({ name: 'x', role: 'finance' });
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('urn:askesos:problem:forbidden');
      expect(response.body.detail).toContain(`A ${role} key may not do this`);
      expect(await database.db('api_keys').where({ name: 'x' }).first()).toBeUndefined();
    });

    it.each(['dinsos', 'lpa', 'finance'] as const)('%s may not list keys or read the audit log', async (role) => {
      expect((await as(app, keys[role]).get('/v1/keys')).status).toBe(403);
      expect((await as(app, keys[role]).get('/v1/audit-log')).status).toBe(403);
    });

    it('lets the auditor read keys and the audit log but not revoke', async () => {
      expect((await as(app, keys.auditor).get('/v1/keys')).status).toBe(200);
      expect((await as(app, keys.auditor).get('/v1/audit-log')).status).toBe(200);
      expect((await as(app, keys.auditor).post(`/v1/keys/${keys.finance.id}/revoke`)).status).toBe(403);
    });
  });

  describe('404 for an object outside the caller’s scope', () => {
    it.each(['dinsos', 'lpa', 'finance'] as const)('%s reads its own key but gets 404 for another', async (role) => {
      const own = await as(app, keys[role]).get(`/v1/keys/${keys[role].id}`);
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(keys[role].id);
      expect(own.body).not.toHaveProperty('secret');
      const other = await as(app, keys[role]).get(`/v1/keys/${keys.directorate.id}`);
      expect(other.status).toBe(404);
      expect(other.body.type).toBe('urn:askesos:problem:not-found');
    });

    it('gives the same 404 for an id that does not exist, so scope leaks nothing', async () => {
      const missing = await as(app, keys.lpa).get('/v1/keys/00000000-0000-4000-8000-000000000000');
      const foreign = await as(app, keys.lpa).get(`/v1/keys/${keys.dinsos.id}`);
      expect(missing.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.body.title).toBe(missing.body.title);
    });

    it.each(['directorate', 'auditor'] as const)('%s reads any key', async (role) => {
      expect((await as(app, keys[role]).get(`/v1/keys/${keys.lpa.id}`)).status).toBe(200);
    });
  });
});
