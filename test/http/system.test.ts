import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { openDatabase } from '../../src/db/knex.ts';
import { testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

describe('health, readiness, OpenAPI and docs', () => {
  let database: TestDatabase;
  let app: Express;
  beforeAll(async () => {
    database = await openTestDatabase();
    app = testApp(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  it('is alive and ready', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'up' });
  });

  it('is not ready when the database is gone', async () => {
    const gone = await openDatabase({ backend: 'pglite', dataDir: null });
    const goneApp = testApp(gone.db);
    await gone.close();
    const ready = await request(goneApp).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'down' });
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await request(app).get('/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/v1/whoami',
        '/v1/keys',
        '/v1/keys/{id}',
        '/v1/keys/{id}/revoke',
        '/v1/audit-log',
      ]),
    );
    const createKey = doc.paths['/v1/keys'].post;
    expect(createKey['x-roles']).toEqual(['directorate']);
    expect(createKey.requestBody.content['application/json'].schema.properties.role.enum).toEqual([
      'directorate',
      'dinsos',
      'lpa',
      'finance',
      'auditor',
    ]);
    expect(createKey.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(Object.keys(createKey.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415']));
    expect(doc.paths['/v1/keys/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(doc.paths['/v1/keys'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['includeRevoked', 'limit']);
    expect(doc.components.schemas.Problem.properties).toHaveProperty('errors');
    const fileClaim = doc.paths['/v1/claims'].post;
    expect(fileClaim.parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true })]);
    expect(fileClaim.responses['422'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(Object.keys(doc.paths['/v1/ledger/entries'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
  });

  it('serves the docs page and its assets from this service, not a CDN', async () => {
    const page = await request(app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await request(app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await request(app).get('/docs/init.js')).text).toContain("url: '/openapi.json'");
  });
});
