import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/principal.ts';
import { requestFingerprint } from '../../src/shared/idempotency/model.ts';
import { as, makeKey, type TestKey } from '../support/api.ts';
import { type LpaFixture, openLpaFixture } from '../support/fixture.ts';

// Every POST that takes an Idempotency-Key, walked from the OpenAPI document:
// the key's answer is the IETF draft's on each, whatever the route does.
// Each route's own work is tested in its own file; here the key's state is
// set beforehand, as an earlier request would have left it.

interface Operation {
  readonly path: string;
  readonly roles: readonly Role[];
  readonly responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}

let fixture: LpaFixture;
let keyed: Operation[];
const keys = new Map<Role, TestKey>();

beforeAll(async () => {
  fixture = await openLpaFixture(() => '2026-11-25');
  const document = (await as(fixture.app, null).get('/openapi.json')).body as {
    paths: Record<
      string,
      Record<string, { parameters?: { in: string; name: string }[]; 'x-roles'?: Role[]; responses: Operation['responses'] }>
    >;
  };
  keyed = Object.entries(document.paths).flatMap(([path, operations]) => {
    const post = operations.post;
    const takesKey = post?.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'idempotency-key');
    return takesKey === true && post !== undefined ? [{ path, roles: post['x-roles'] ?? [], responses: post.responses }] : [];
  });
  for (const role of ['directorate', 'finance', 'lpa'] as const)
    keys.set(role, role === 'lpa' ? fixture.lpaKey : await makeKey(fixture.database.db, { role }));
});

afterAll(async () => {
  await fixture.database.close();
});

// A concrete URL for the route: any id will do, the key answers first.
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, () => (path.includes('/periods/') ? '2026-11' : randomUUID()));

function keyFor(operation: Operation): TestKey {
  const role = operation.roles.find((candidate) => keys.has(candidate));
  if (role === undefined) throw new Error(`no test key for ${operation.path} (roles ${operation.roles.join(', ')})`);
  return keys.get(role) as TestKey;
}

async function leaveKey(
  key: TestKey,
  idempotencyKey: string,
  request: { url: string; body: unknown },
  state: { kind: 'answered'; status: number; body: unknown } | { kind: 'in-flight'; heldForSeconds: number },
) {
  await fixture.database.db('idempotent_requests').insert({
    api_key_id: key.id,
    idempotency_key: idempotencyKey,
    fingerprint: requestFingerprint({ method: 'POST', path: request.url, body: request.body }),
    state: state.kind,
    held_until: new Date(Date.now() + (state.kind === 'in-flight' ? state.heldForSeconds : 0) * 1000),
    ...(state.kind === 'answered'
      ? {
          response_status: state.status,
          response_headers: JSON.stringify({ Location: '/v1/somewhere' }),
          response_body: JSON.stringify(state.body),
          answered_at: new Date(),
        }
      : {}),
  });
}

const send = (key: TestKey, url: string, idempotencyKey: string, body: unknown) =>
  as(fixture.app, key)
    .post(url)
    .set('Idempotency-Key', idempotencyKey)
    .send(body as object);

describe('Idempotency-Key on every POST that takes one', () => {
  it('is taken by every route that moves money or creates a claim', () => {
    expect(keyed.map((operation) => operation.path)).toEqual(
      expect.arrayContaining([
        '/v1/claims',
        '/v1/claims/{id}/payment',
        '/v1/ledger/entries',
        '/v1/participants/{id}/contributions',
        '/v1/participants/{id}/savings/deposits',
        '/v1/participants/{id}/loans',
        '/v1/lpas/{id}/honorarium-payments',
      ]),
    );
    expect(keyed.length).toBeGreaterThanOrEqual(17);
  });

  it('is described in the API document of each such route: the 409, the 422 and the replay header', () => {
    for (const operation of keyed) {
      expect([operation.path, operation.responses['409']?.description]).toEqual([
        operation.path,
        expect.stringContaining('idempotency-key-in-flight'),
      ]);
      expect([operation.path, operation.responses['422']?.description]).toEqual([
        operation.path,
        expect.stringContaining('idempotency-key-reused'),
      ]);
      const success = Object.entries(operation.responses).filter(([status]) => Number(status) < 300);
      expect(success.length).toBeGreaterThan(0);
      for (const [, response] of success) expect(Object.keys(response.headers ?? {})).toContain('Idempotent-Replayed');
    }
  });

  it('answers the first answer again for the same request, marked as replayed', async () => {
    for (const operation of keyed) {
      const key = keyFor(operation);
      const url = urlOf(operation.path);
      const body = { probe: 'first' };
      await leaveKey(key, `replay:${operation.path}`, { url, body }, { kind: 'answered', status: 201, body: { answered: url } });
      const retry = await send(key, url, `replay:${operation.path}`, { probe: 'first' });
      expect([operation.path, retry.status, retry.headers['idempotent-replayed'], retry.body]).toEqual([
        operation.path,
        201,
        'true',
        { answered: url },
      ]);
      expect(retry.headers.location).toBe('/v1/somewhere');
    }
  });

  it('refuses another request under the same key with a 422', async () => {
    for (const operation of keyed) {
      const key = keyFor(operation);
      const url = urlOf(operation.path);
      await leaveKey(
        key,
        `other:${operation.path}`,
        { url, body: { probe: 'first' } },
        { kind: 'answered', status: 201, body: {} },
      );
      const other = await send(key, url, `other:${operation.path}`, { probe: 'second' });
      expect([operation.path, other.status, other.body.type]).toEqual([
        operation.path,
        422,
        'urn:askesos:problem:idempotency-key-reused',
      ]);
    }
  });

  it('answers 409 while the first request is still at work, and lets a retry take over a key its holder abandoned', async () => {
    for (const operation of keyed) {
      const key = keyFor(operation);
      const url = urlOf(operation.path);
      const body = { probe: 'first' };
      await leaveKey(key, `busy:${operation.path}`, { url, body }, { kind: 'in-flight', heldForSeconds: 60 });
      const twin = await send(key, url, `busy:${operation.path}`, body);
      expect([operation.path, twin.status, twin.body.type]).toEqual([
        operation.path,
        409,
        'urn:askesos:problem:idempotency-key-in-flight',
      ]);
      expect(Number(twin.headers['retry-after'])).toBeGreaterThan(0);
      // A holder that died: the retry is answered afresh (here a 400, the probe
      // is no real request), and its refusal gives the key back.
      await leaveKey(key, `abandoned:${operation.path}`, { url, body }, { kind: 'in-flight', heldForSeconds: -1 });
      const retry = await send(key, url, `abandoned:${operation.path}`, body);
      expect([operation.path, retry.status]).toEqual([operation.path, 400]);
      expect(
        await fixture.database
          .db('idempotent_requests')
          .where({ api_key_id: key.id, idempotency_key: `abandoned:${operation.path}` }),
      ).toEqual([]);
    }
  });
});
