import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/principal.ts';
import { createUser } from '../../src/auth/users.ts';
import { hashPassword, needsRehash, scryptParametersCurrent, verifyPassword } from '../../src/auth/password.ts';
import { newUserSchema } from '../../src/auth/model.ts';
import { type TestKey, as, countRows, makeKey, publishShippedRules, testAccounts, testActor, testApp } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// People's accounts end to end, on a clock the tests move: sign-in and out,
// the session cookie, CSRF, lockout, disabling, scope, and who manages whom.

const password = 'kopi-tubruk-pagi-hari';
const minutes = (count: number) => count * 60_000;

describe('accounts for people', () => {
  let database: TestDatabase;
  let app: Express;
  let behindProxy: Express;
  let now: Date;
  let directorate: TestKey;
  let lpaA: string;
  let lpaB: string;
  let serial = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    now = new Date('2026-11-25T02:00:00Z');
    const accounts = testAccounts(() => now);
    app = testApp(database.db, undefined, undefined, undefined, undefined, undefined, { accounts });
    behindProxy = testApp(database.db, undefined, undefined, undefined, undefined, undefined, { accounts, trustProxyHops: 1 });
    directorate = await makeKey(database.db, { role: 'directorate' });
    lpaA = await approvedLpa(database.db);
    lpaB = await approvedLpa(database.db, { name: 'Yayasan Lain' });
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(() => {
    now = new Date(now.getTime() + minutes(24 * 60));
  });

  // A fresh person each time, so one test's lock or sessions never reach another.
  async function person(role: Role, scope: { regencyCode?: string; lpaId?: string } = {}): Promise<string> {
    serial += 1;
    const username = `${role}.${serial}`;
    const input = newUserSchema(12).parse({ username, name: `Tester ${serial}`, role, password, ...scope });
    await createUser(database.db, input, testActor, () => now);
    return username;
  }

  function signIn(username: string, secret = password, target: Express = app) {
    return request(target).post('/v1/session').send({ username, password: secret });
  }

  // A signed-in person as their browser would be: the cookie, and the CSRF token their page was given.
  async function session(username: string, secret = password) {
    const response = await signIn(username, secret);
    expect(response.status).toBe(200);
    const cookie = cookieOf(response);
    const csrf: string = response.body.csrfToken;
    const call = (method: 'get' | 'post' | 'put' | 'delete', path: string, withCsrf = true) => {
      const test = request(app)[method](path).set('Cookie', cookie);
      return withCsrf && method !== 'get' ? test.set('X-CSRF-Token', csrf) : test;
    };
    return { cookie, csrf, call, body: response.body };
  }

  async function audited(action: string, username: string): Promise<{ detail: Record<string, unknown> }[]> {
    return database.db('audit_log').where({ action }).whereRaw(`detail->>'username' = ?`, [username]).select('detail', 'actor');
  }

  describe('passwords', () => {
    it('hash with scrypt, a random salt and the parameters kept beside them, and verify only the right password', async () => {
      const first = await hashPassword(password);
      const second = await hashPassword(password);
      const { ln, r, p } = scryptParametersCurrent;
      expect(first).toMatch(new RegExp(`^scrypt\\$ln=${ln},r=${r},p=${p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
      expect(ln).toBeGreaterThanOrEqual(15);
      expect(first).not.toBe(second);
      expect(await verifyPassword(password, first)).toBe(true);
      expect(await verifyPassword(password, second)).toBe(true);
      expect(await verifyPassword(`${password}!`, first)).toBe(false);
      expect(await verifyPassword('', first)).toBe(false);
      expect(needsRehash(first)).toBe(false);
    });

    it('still verify a hash made with older, cheaper parameters, and redo it at the next sign-in', async () => {
      const username = await person('finance');
      const cheap = await hashPassword(password, { ln: 10, r: 8, p: 1 });
      expect(cheap).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
      expect(needsRehash(cheap)).toBe(true);
      await database.db('users').where({ username }).update({ password_hash: cheap });
      expect((await signIn(username)).status).toBe(200);
      const { password_hash: redone } = await database.db('users').where({ username }).first('password_hash');
      expect(redone).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
      expect(await verifyPassword(password, redone)).toBe(true);
    });

    it('are never stored or audited in the clear', async () => {
      const rows = await database.db('users').select('password_hash');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.password_hash).not.toContain(password);
      const audit = JSON.stringify(await database.db('audit_log').select('detail'));
      expect(audit).not.toContain(password);
    });
  });

  describe('signing in and out', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie, not Secure over plain HTTP, and answers the person and a CSRF token', async () => {
      const username = await person('dinsos', { regencyCode: '6210' });
      const response = await signIn(username);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body.user).toMatchObject({ username, role: 'dinsos', regencyCode: '6210', locale: 'id', status: 'active' });
      expect(response.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const attributes = setCookieOf(response)
        .split(';')
        .map((part) => part.trim());
      expect(attributes[0]).toMatch(/^askesos_session=[A-Za-z0-9_-]{43}$/);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']));
      expect(attributes).not.toContain('Secure');
      const [signedIn] = await audited('user.sign_in', username);
      expect(signedIn).toBeDefined();
      // Only a hash of the token is kept.
      const token = attributes[0]?.split('=')[1] ?? '';
      const stored = JSON.stringify(await database.db('user_sessions').select('*'));
      expect(stored).not.toContain(token);
    });

    it('marks the cookie Secure when a trusted proxy says the request came over TLS, and only then', async () => {
      const username = await person('finance');
      const trusted = await signIn(username, password, behindProxy).set('X-Forwarded-Proto', 'https');
      expect(setCookieOf(trusted)).toMatch(/; Secure$/);
      const plain = await signIn(username, password, behindProxy);
      expect(setCookieOf(plain)).not.toContain('Secure');
      // Without a trusted proxy anyone could send the header: it is not believed.
      const untrusted = await signIn(username, password).set('X-Forwarded-Proto', 'https');
      expect(setCookieOf(untrusted)).not.toContain('Secure');
    });

    it('tells the person who they are, then signs them out: the session ends and the cookie is cleared', async () => {
      const username = await person('lpa', { lpaId: lpaA });
      const me = await session(username);
      const who = await me.call('get', '/v1/session');
      expect(who.status).toBe(200);
      expect(who.body).toMatchObject({ user: { username, role: 'lpa', lpaId: lpaA }, csrfToken: me.csrf });
      const whoami = await me.call('get', '/v1/whoami');
      expect(whoami.body).toMatchObject({ keyId: null, userId: who.body.user.id, role: 'lpa', lpaId: lpaA });
      const out = await me.call('delete', '/v1/session');
      expect(out.status).toBe(204);
      expect(setCookieOf(out)).toMatch(/^askesos_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
      const after = await me.call('get', '/v1/session');
      expect(after.status).toBe(401);
      expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await audited('user.sign_out', username)).toHaveLength(1);
    });

    it('answers an API key that asks for its session with 403, before reading any input: keys have none', async () => {
      expect((await as(app, directorate).get('/v1/session')).status).toBe(403);
      const password = await as(app, directorate).post('/v1/session/password').send({ unknown: true });
      expect(password.status).toBe(403);
      expect(password.body.detail).toContain('An API key has no session');
    });

    it('ends a session left idle, and any session past its lifetime however busy', async () => {
      const idle = await session(await person('finance'));
      now = new Date(now.getTime() + minutes(59));
      expect((await idle.call('get', '/v1/session')).status).toBe(200);
      now = new Date(now.getTime() + minutes(61));
      expect((await idle.call('get', '/v1/session')).status).toBe(401);

      const busy = await session(await person('finance'));
      for (let hour = 1; hour < 12; hour += 1) {
        now = new Date(now.getTime() + minutes(55));
        expect((await busy.call('get', '/v1/session')).status).toBe(200);
      }
      now = new Date(now.getTime() + minutes(120));
      expect((await busy.call('get', '/v1/session')).status).toBe(401);
    });

    it('refuses a malformed sign-in with the field named, and an unknown name as it refuses a wrong password', async () => {
      const bad = await request(app).post('/v1/session').send({ username: 'x', password: '', remember: true });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((issue: { field: string }) => issue.field).sort()).toEqual(['body.password', 'body.remember']);
      const username = await person('auditor');
      const wrong = await signIn(username, 'not the password');
      const unknown = await signIn('nobody.here', password);
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(unknown.body.detail).toBe(wrong.body.detail);
      expect(unknown.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('CSRF', () => {
    it('refuses a change made with the session cookie but no CSRF token, and takes it with the header or the _csrf field', async () => {
      const me = await session(await person('directorate'));
      const keysBefore = await countRows(database.db, 'api_keys');
      const missing = await me.call('post', '/v1/keys', false).send({ name: 'from a form', role: 'finance' });
      expect(missing.status).toBe(403);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(missing.body.detail).toContain('CSRF');
      const wrong = await me
        .call('post', '/v1/keys', false)
        .set('X-CSRF-Token', 'A'.repeat(43))
        .send({ name: 'forged', role: 'finance' });
      expect(wrong.status).toBe(403);
      expect(await countRows(database.db, 'api_keys')).toBe(keysBefore);

      const byHeader = await me.call('post', '/v1/keys').send({ name: 'by header', role: 'finance' });
      expect(byHeader.status).toBe(201);
      const byField = await me.call('post', '/v1/keys', false).send({ name: 'by field', role: 'finance', _csrf: me.csrf });
      expect(byField.status).toBe(201);
      // What a person did is theirs in the audit log.
      const created = await database.db('audit_log').where({ action: 'api_key.create', entity_id: byField.body.key.id }).first();
      expect(created).toMatchObject({ actor: `user:${me.body.user.username}`, actor_role: 'directorate', actor_key_id: null });
    });

    it('asks nothing of a request made with an API key', async () => {
      const response = await as(app, directorate).post('/v1/keys').send({ name: 'by key', role: 'auditor' });
      expect(response.status).toBe(201);
    });

    it('keeps a signed-in person’s Idempotency-Keys their own, as an API key’s are', async () => {
      const me = await session(await person('finance'));
      const fund = await me.call('get', '/v1/ledger/accounts?ownerKind=fund');
      const id = (code: string) => fund.body.accounts.find((account: { code: string }) => account.code === code).id;
      const entry = {
        entryDate: '2026-11-02',
        description: 'Capital from the state budget',
        reference: { type: 'capital', id: 'SP2D-USER-1' },
        postings: [
          { accountId: id('1100'), amount: '1000.00' },
          { accountId: id('3100'), amount: '-1000.00' },
        ],
      };
      const first = await me.call('post', '/v1/ledger/entries').set('Idempotency-Key', 'user-1').send(entry);
      expect(first.status).toBe(201);
      const retry = await me.call('post', '/v1/ledger/entries').set('Idempotency-Key', 'user-1').send(entry);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.id).toBe(first.body.id);
      const row = await database.db('idempotent_requests').where({ idempotency_key: 'user-1' }).first('api_key_id', 'user_id');
      expect(row).toEqual({ api_key_id: null, user_id: me.body.user.id });
    });
  });

  describe('lockout', () => {
    it('locks an account after five wrong passwords in a row, refuses even the right one while locked, and audits it', async () => {
      const username = await person('finance');
      for (let attempt = 1; attempt <= 5; attempt += 1) expect((await signIn(username, `wrong ${attempt}`)).status).toBe(401);
      const wrongWhileLocked = await signIn(username, 'wrong 6');
      const rightWhileLocked = await signIn(username);
      expect(rightWhileLocked.status).toBe(401);
      expect(rightWhileLocked.headers['set-cookie']).toBeUndefined();
      expect(rightWhileLocked.body.detail).toBe(wrongWhileLocked.body.detail);

      expect((await audited('user.sign_in_failed', username)).map((row) => row.detail.reason)).toEqual([
        ...Array(5).fill('wrong_password'),
        'locked',
        'locked',
      ]);
      const [lock] = await audited('user.lock', username);
      expect(lock?.detail).toMatchObject({ failedSignIns: 5, lockedUntil: new Date(now.getTime() + minutes(15)).toISOString() });
      expect(await audited('user.sign_in', username)).toEqual([]);

      now = new Date(now.getTime() + minutes(14));
      expect((await signIn(username)).status).toBe(401);
      now = new Date(now.getTime() + minutes(2));
      expect((await signIn(username)).status).toBe(200);
    });

    it('counts only failures in a row: a right password starts the count again', async () => {
      const username = await person('finance');
      for (let attempt = 1; attempt <= 4; attempt += 1) await signIn(username, `wrong ${attempt}`);
      expect((await signIn(username)).status).toBe(200);
      for (let attempt = 1; attempt <= 4; attempt += 1) await signIn(username, `wrong ${attempt}`);
      expect((await signIn(username)).status).toBe(200);
      expect(await audited('user.lock', username)).toEqual([]);
    });

    it('is lifted by a password reset from the directorate', async () => {
      const username = await person('auditor');
      for (let attempt = 1; attempt <= 5; attempt += 1) await signIn(username, `wrong ${attempt}`);
      const { id } = await database.db('users').where({ username }).first('id');
      const reset = await as(app, directorate).post(`/v1/users/${id}/password`).send({ password: 'a new long password' });
      expect(reset.status).toBe(200);
      expect(reset.body.password).toBeUndefined();
      expect((await signIn(username)).status).toBe(401);
      expect((await signIn(username, 'a new long password')).status).toBe(200);
    });
  });

  describe('disabled accounts', () => {
    it('cannot sign in, and their sessions stop at once; enabled again, they can', async () => {
      const username = await person('lpa', { lpaId: lpaA });
      const me = await session(username);
      const id: string = me.body.user.id;
      const disabled = await as(app, directorate).post(`/v1/users/${id}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ status: 'disabled' });
      expect((await me.call('get', '/v1/participants')).status).toBe(401);
      expect(await database.db('user_sessions').where({ user_id: id }).first()).toBeUndefined();
      const refused = await signIn(username);
      expect(refused.status).toBe(401);
      expect((await audited('user.sign_in_failed', username)).map((row) => row.detail.reason)).toEqual(['disabled']);
      expect((await as(app, directorate).post(`/v1/users/${id}/disable`)).status).toBe(409);
      expect((await as(app, directorate).post(`/v1/users/${id}/enable`)).body).toMatchObject({ status: 'active' });
      expect((await signIn(username)).status).toBe(200);
    });
  });

  describe('role and scope, as for an API key of the same role', () => {
    it('gives an LPA user its own participant, 404 for another LPA’s, and 403 for a finance report', async () => {
      const lpaKeyB = await makeKey(database.db, { role: 'lpa', lpaId: lpaB });
      const theirs = await as(app, lpaKeyB).post('/v1/participants').send(motorbikeTaxiDriver(501));
      expect(theirs.status).toBe(201);
      const me = await session(await person('lpa', { lpaId: lpaA }));
      const mine = await me.call('post', '/v1/participants').send(motorbikeTaxiDriver(502));
      expect(mine.status).toBe(201);
      expect((await me.call('get', `/v1/participants/${mine.body.participantId}`)).status).toBe(200);
      const foreign = await me.call('get', `/v1/participants/${theirs.body.participantId}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.type).toBe('urn:askesos:problem:not-found');
      const report = await me.call('get', '/v1/ledger/trial-balance');
      expect(report.status).toBe(403);
      expect(report.body.detail).toContain('A lpa user may not do this');
    });

    it('keeps an auditor user read-only, though it may sign out', async () => {
      const me = await session(await person('auditor'));
      expect((await me.call('get', '/v1/users')).status).toBe(200);
      const write = await me.call('post', '/v1/keys').send({ name: 'nope', role: 'finance' });
      expect(write.status).toBe(403);
      expect((await me.call('delete', '/v1/session')).status).toBe(204);
    });
  });

  describe('managing users', () => {
    it('is the directorate’s alone', async () => {
      const before = await countRows(database.db, 'users');
      for (const role of ['dinsos', 'lpa', 'finance', 'auditor'] as const) {
        const key = await makeKey(database.db, {
          role,
          ...(role === 'dinsos' ? { regencyCode: '6210' } : {}),
          ...(role === 'lpa' ? { lpaId: lpaA } : {}),
        });
        const response = await as(app, key)
          .post('/v1/users')
          .send({ username: `made.by.${role}`, name: 'X', role: 'directorate' });
        expect(response.status).toBe(403);
      }
      const finance = await session(await person('finance'));
      expect(
        (await finance.call('post', '/v1/users').send({ username: 'made.by.user', name: 'X', role: 'directorate' })).status,
      ).toBe(403);
      expect((await finance.call('get', '/v1/users')).status).toBe(403);
      expect(await countRows(database.db, 'users')).toBe(before + 1);
    });

    it('creates a user with a generated password answered once, which signs in', async () => {
      const created = await as(app, directorate)
        .post('/v1/users')
        .send({ username: '  Maria.Dingu ', name: 'Maria Dingu', role: 'dinsos', regencyCode: '6210', locale: 'en' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/v1/users/${created.body.user.id}`);
      expect(created.body.user).toMatchObject({ username: 'maria.dingu', role: 'dinsos', regencyCode: '6210', locale: 'en' });
      expect(created.body.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect((await signIn('maria.dingu', created.body.password)).status).toBe(200);
      expect((await as(app, directorate).get(`/v1/users/${created.body.user.id}`)).body).not.toHaveProperty('password');
      const listed = await as(app, directorate).get('/v1/users');
      expect(listed.body.users.map((user: { username: string }) => user.username)).toContain('maria.dingu');
      expect(JSON.stringify(listed.body)).not.toContain('scrypt');
    });

    it('refuses a bad user with the field named, a taken username with 409, and leaves nothing behind', async () => {
      const before = await countRows(database.db, 'users');
      const auditBefore = await countRows(database.db, 'audit_log');
      const noRegency = await as(app, directorate).post('/v1/users').send({ username: 'dinsos.x', name: 'X', role: 'dinsos' });
      expect(noRegency.status).toBe(400);
      expect(noRegency.body.errors).toEqual([{ field: 'body.regencyCode', message: 'is required for a dinsos user' }]);
      const short = await as(app, directorate)
        .post('/v1/users')
        .send({ username: 'short.pw', name: 'X', role: 'finance', password: 'pendek' });
      expect(short.body.errors).toEqual([{ field: 'body.password', message: 'must be at least 12 characters' }]);
      const badName = await as(app, directorate).post('/v1/users').send({ username: 'no spaces', name: 'X', role: 'finance' });
      expect(badName.body.errors[0].field).toBe('body.username');
      const taken = await as(app, directorate)
        .post('/v1/users')
        .send({ username: 'maria.dingu', name: 'Other', role: 'finance' });
      expect(taken.status).toBe(409);
      expect(taken.body.type).toBe('urn:askesos:problem:username-taken');
      expect((await as(app, directorate).get('/v1/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect(await countRows(database.db, 'users')).toBe(before);
      expect(await countRows(database.db, 'audit_log')).toBe(auditBefore);
    });
  });

  describe('changing one’s own password', () => {
    it('needs the current password; then the old one no longer works and other sessions end', async () => {
      const username = await person('finance');
      const elsewhere = await session(username);
      const me = await session(username);
      const wrong = await me
        .call('post', '/v1/session/password')
        .send({ currentPassword: 'guess', newPassword: 'another long password' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([{ field: 'body.currentPassword', message: 'is not your current password' }]);
      const short = await me.call('post', '/v1/session/password').send({ currentPassword: password, newPassword: 'short' });
      expect(short.body.errors[0].field).toBe('body.newPassword');
      expect((await signIn(username)).status).toBe(200);

      const changed = await me
        .call('post', '/v1/session/password')
        .send({ currentPassword: password, newPassword: 'another long password' });
      expect(changed.status).toBe(204);
      expect((await me.call('get', '/v1/session')).status).toBe(200);
      expect((await elsewhere.call('get', '/v1/session')).status).toBe(401);
      expect((await signIn(username)).status).toBe(401);
      expect((await signIn(username, 'another long password')).status).toBe(200);
      expect(await audited('user.password_change', username)).toHaveLength(1);
    });
  });
});

function setCookieOf(response: request.Response): string {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  expect(header).toHaveLength(1);
  return header?.[0] ?? '';
}

function cookieOf(response: request.Response): string {
  return setCookieOf(response).split(';')[0] ?? '';
}
