import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/knex.ts';
import { type TestKey, as, capturedLog, countRows, makeKey, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

describe('problem+json errors', () => {
  let database: TestDatabase;
  let app: Express;
  let directorate: TestKey;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db, 4096);
    directorate = await makeKey(database.db, { role: 'directorate' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers an unknown route with a 404 problem that has every RFC 9457 member', async () => {
    const response = await request(app).get('/v1/nowhere?x=1').set('X-Request-Id', 'trace-123');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.body).toEqual({
      type: 'urn:askesos:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'There is no GET /v1/nowhere. See /openapi.json for the routes.',
      instance: '/v1/nowhere',
      requestId: 'trace-123',
    });
  });

  it('replaces an unusable request id with its own', async () => {
    const response = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names every invalid field with its path, and writes nothing', async () => {
    const keysBefore = await countRows(database.db, 'api_keys');
    const auditBefore = await countRows(database.db, 'audit_log');
    const response = await as(app, directorate)
      .post('/v1/keys')
      .send({ name: '', role: 'dinsos', regencyCode: '62-10', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('urn:askesos:problem:invalid-input');
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.name', message: 'must not be empty' },
        { field: 'body.regencyCode', message: 'must be a 4-digit regency code such as "6210"' },
        { field: 'body.colour', message: 'is not a known field' },
      ]),
    );
    expect(await countRows(database.db, 'api_keys')).toBe(keysBefore);
    expect(await countRows(database.db, 'audit_log')).toBe(auditBefore);
  });

  it('refuses a NUL character anywhere in the input, naming the field, before it can reach the database', async () => {
    const inQuery = await as(app, directorate).get('/v1/jobs/runs?job=premium%00cycle');
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.errors).toEqual([{ field: 'query.job', message: 'must not contain the NUL character (\\u0000)' }]);
    const keysBefore = await countRows(database.db, 'api_keys');
    const inBody = await as(app, directorate).post('/v1/keys').send({ name: 'night\u0000shift', role: 'finance' });
    expect(inBody.status).toBe(400);
    expect(inBody.body.errors).toEqual([{ field: 'body.name', message: 'must not contain the NUL character (\\u0000)' }]);
    expect(await countRows(database.db, 'api_keys')).toBe(keysBefore);
  });

  it('names a cross-field rule at the field it concerns', async () => {
    const response = await as(app, directorate).post('/v1/keys').send({ name: 'Dinsos Kapuas', role: 'dinsos' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body.regencyCode', message: 'is required for a dinsos key' }]);
  });

  it('names invalid path and query parameters', async () => {
    const badId = await as(app, directorate).get('/v1/keys/123');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'params.id', message: 'must be a UUID' }]);
    const badQuery = await as(app, directorate).get('/v1/keys?limit=0&sort=name');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'query.limit', message: 'must be at least 1' },
        { field: 'query.sort', message: 'is not a known field' },
      ]),
    );
  });

  it('answers malformed JSON with 400', async () => {
    const response = await as(app, directorate).post('/v1/keys').set('Content-Type', 'application/json').send('{"name": "x",');
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('urn:askesos:problem:malformed-json');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a missing body with 400 and a body that is not JSON with 415', async () => {
    const missing = await as(app, directorate).post('/v1/keys').set('Content-Type', 'application/json');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: 'body.name', message: 'is required' },
      { field: 'body.role', message: 'is required' },
    ]);
    const notAnObject = await as(app, directorate).post('/v1/keys').send([1, 2]);
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('expected object') }]);
    const form = await as(app, directorate).post('/v1/keys').type('form').send('name=x&role=finance');
    expect(form.status).toBe(415);
    expect(form.body.type).toBe('urn:askesos:problem:unsupported-media-type');
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    const before = await countRows(database.db, 'api_keys');
    const response = await as(app, directorate)
      .post('/v1/keys')
      .send({ name: 'x'.repeat(5000), role: 'finance' });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('urn:askesos:problem:payload-too-large');
    expect(response.body.detail).toContain('4096 bytes');
    expect(await countRows(database.db, 'api_keys')).toBe(before);
  });

  it('refuses a JSON number where a string is expected, naming the field', async () => {
    const response = await as(app, directorate).post('/v1/keys').send({ name: 12, role: 'finance' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body.name', message: expect.stringContaining('expected string') }]);
  });

  it('answers a failure of ours with a 500 that carries no internals', async () => {
    const broken = await openDatabase({ backend: 'pglite', dataDir: null });
    const brokenApp = testApp(broken.db);
    await broken.close();
    const response = await as(brokenApp, directorate).get('/v1/whoami');
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Object.keys(response.body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
    expect(response.body.detail).toBe('Something went wrong on our side. Quote the request id when you report it.');
    expect(JSON.stringify(response.body)).not.toMatch(/at |\.ts|select|api_keys/);
  });

  it('answers 503 with Retry-After while the database cannot be reached, and logs the outage once', async () => {
    // Nothing listens on port 1: every connection is refused, as while PostgreSQL restarts.
    const unreachable = await openDatabase({ backend: 'postgres', url: 'postgres://askesos@127.0.0.1:1/askesos', poolMax: 2 });
    const { logger, lines } = capturedLog('info');
    const unreachableApp = testApp(unreachable.db, undefined, undefined, undefined, undefined, undefined, { logger });
    try {
      for (const attempt of [1, 2, 3]) {
        const response = await as(unreachableApp, directorate).get(`/v1/whoami?attempt=${attempt}`);
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.type).toBe('urn:askesos:problem:unavailable');
      }
      const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages.filter((message) => message.startsWith('database unreachable'))).toHaveLength(1);
      expect(messages.filter((message) => message === 'unhandled error')).toEqual([]);
      // Three requests, three access lines, and not a stack among them.
      expect(messages.filter((message) => message === 'request errored')).toHaveLength(3);
      expect(lines.filter((line) => line.includes('"stack"'))).toEqual([]);
    } finally {
      await unreachable.close();
    }
  });

  it('sends security headers', async () => {
    const response = await request(app).get('/healthz');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
