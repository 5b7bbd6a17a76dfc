import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.ts';
import { planHeirChange, removeHeir } from '../../src/registry/heirs.ts';
import { type TestKey, as, makeKey, publishShippedRules, testActor, testApp, testToday } from '../support/api.ts';
import { fileClaim } from '../support/claims.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { nikFor } from '../support/people.ts';

// An LPA replaces a member's heirs after enrolment (PUT /v1/participants/{id}/heirs):
// to record a new heir or correct one, since the death benefit is paid to an heir.

const spouse = { name: 'Maria Dingu', relation: 'spouse' };
const daughter = { name: 'Theresia Dingu', relation: 'child', nik: nikFor('6210', '2008-03-14', 'female', 7) };

describe('replacing a participant’s heirs', () => {
  let database: TestDatabase;
  let app: Express;
  let lpaA: string;
  let keyA: TestKey;
  let keyB: TestKey;
  let serial = 20;

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    app = testApp(database.db);
    lpaA = await approvedLpa(database.db);
    keyA = await makeKey(database.db, { role: 'lpa', lpaId: lpaA });
    keyB = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db, { name: 'Yayasan Lain' }) });
  });
  afterAll(async () => {
    await database.close();
  });

  // A member of LPA A, enrolled with Maria Dingu, spouse, as their heir.
  const member = async () => {
    serial += 1;
    return (await enrolmentSince(database.db, { lpaId: lpaA, scheme: 'standalone', enrolledOn: '2026-03-01', serial }))
      .participantId;
  };
  const put = (key: TestKey, id: string, body: unknown) =>
    as(app, key)
      .put(`/v1/participants/${id}/heirs`)
      .send(body as object);
  const heirAudits = (id: string) =>
    database.db('audit_log').where({ action: 'participant.heirs', entity_id: id }).orderBy('id', 'asc');

  it('adds an heir beside the one recorded at enrolment, keeping the first heir’s id, and audits before and after', async () => {
    const id = await member();
    const [enrolledHeir] = (await as(app, keyA).get(`/v1/participants/${id}`)).body.heirs;
    const response = await put(keyA, id, { heirs: [spouse, daughter] });
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(id);
    expect(response.body.heirs).toEqual([
      { ...enrolledHeir, ...spouse, nik: null },
      { id: expect.any(String), ...daughter },
    ]);
    const audits = await heirAudits(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'key:lpa test key', actor_role: 'lpa', entity_type: 'participant' });
    expect(audits[0].detail).toEqual({
      before: [{ id: enrolledHeir.id, ...spouse, nikGiven: false }],
      after: [
        { id: enrolledHeir.id, ...spouse, nikGiven: false },
        { id: response.body.heirs[1].id, name: daughter.name, relation: 'child', nikGiven: true },
      ],
    });
    // The audit row says a NIK was given, never which.
    expect(JSON.stringify(audits[0].detail)).not.toContain(daughter.nik);
  });

  it('corrects an heir and removes another: the corrected heir is a new row, the one left out is gone', async () => {
    const id = await member();
    await put(keyA, id, { heirs: [spouse, daughter] });
    const corrected = { ...daughter, name: 'Theresia Dingu Ngabut' };
    const response = await put(keyA, id, { heirs: [corrected] });
    expect(response.status).toBe(200);
    expect(response.body.heirs).toEqual([{ id: expect.any(String), ...corrected }]);
    expect(await database.db('heirs').where({ participant_id: id }).pluck('name')).toEqual(['Theresia Dingu Ngabut']);
    // An empty list removes every heir.
    expect((await put(keyA, id, { heirs: [] })).body.heirs).toEqual([]);
    expect(await heirAudits(id)).toHaveLength(3);
  });

  it('answers a repeated request as the first: the same heirs, the same ids, one audit row', async () => {
    const id = await member();
    const first = await put(keyA, id, { heirs: [daughter, spouse] });
    const again = await put(keyA, id, { heirs: [daughter, spouse] });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.heirs).toEqual(first.body.heirs);
    expect(await heirAudits(id)).toHaveLength(1);
  });

  it('is a 404 for another LPA’s member and a 403 for a role that may not enrol, writing nothing', async () => {
    const id = await member();
    const other = await put(keyB, id, { heirs: [daughter] });
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
    for (const role of ['directorate', 'auditor'] as const) {
      const key = await makeKey(database.db, { role });
      expect((await put(key, id, { heirs: [daughter] })).status).toBe(403);
    }
    const dinsos = await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' });
    expect((await put(dinsos, id, { heirs: [daughter] })).status).toBe(403);
    expect(await database.db('heirs').where({ participant_id: id }).pluck('name')).toEqual([spouse.name]);
    expect(await heirAudits(id)).toHaveLength(0);
  });

  it('refuses bad input with problem+json naming the field, and changes nothing', async () => {
    const id = await member();
    const participant = (await as(app, keyA).get(`/v1/participants/${id}`)).body;
    const cases: [unknown, { field: string; message: string }][] = [
      [{ heirs: [spouse, { ...daughter, nik: '12345' }] }, { field: 'body.heirs.1.nik', message: 'must be a NIK of 16 digits' }],
      [{ heirs: [{ ...daughter, relation: 'cousin' }] }, { field: 'body.heirs.0.relation', message: expect.any(String) }],
      [
        { heirs: [{ ...daughter, nik: participant.nik }] },
        { field: 'body.heirs.0.nik', message: 'must not be the participant’s own NIK' },
      ],
      [
        { heirs: [daughter, { ...daughter, name: 'Anak Lain' }] },
        { field: 'body.heirs.1.nik', message: 'repeats the NIK of an earlier heir' },
      ],
      [{ heirs: Array.from({ length: 11 }, () => spouse) }, { field: 'body.heirs', message: 'must be at most 10 heirs' }],
      [
        { heirs: [spouse], extra: true },
        { field: 'body.extra', message: 'is not a known field' },
      ],
    ];
    for (const [body, error] of cases) {
      const response = await put(keyA, id, body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors).toContainEqual(error);
    }
    expect(await database.db('heirs').where({ participant_id: id }).pluck('name')).toEqual([spouse.name]);
    expect(await heirAudits(id)).toHaveLength(0);
  });

  it('removes one heir, keeping the others’ ids; removing it again changes nothing', async () => {
    const id = await member();
    const [spouseRow, daughterRow] = (await put(keyA, id, { heirs: [spouse, daughter] })).body.heirs;
    const principal = { via: 'api-key' as const, keyId: keyA.id, name: 'lpa', role: 'lpa' as const, lpaId: lpaA };
    const remove = () =>
      removeHeir(database.db, { principal, participantId: id, heirId: spouseRow.id, today: testToday }, testActor);
    expect(await remove()).toEqual([daughterRow]);
    expect(await remove()).toEqual([daughterRow]);
    expect(await heirAudits(id)).toHaveLength(2);
    const elsewhere = { ...principal, lpaId: crypto.randomUUID() };
    await expect(
      removeHeir(database.db, { principal: elsewhere, participantId: id, heirId: daughterRow.id, today: testToday }, testActor),
    ).rejects.toThrow(NotFoundError);
  });

  it('removes an heir a death claim names: the claim keeps the heir it was filed for', async () => {
    const id = await member();
    const claim = await fileClaim(database.db, {
      lpaId: lpaA,
      participantId: id,
      body: { claimType: 'death', deathCause: 'natural', heir: spouse, incidentDate: '2026-11-20', reportDate: '2026-11-21' },
      key: `heirs-death-${id}`,
      today: testToday,
    });
    const response = await put(keyA, id, { heirs: [daughter] });
    expect(response.status).toBe(200);
    expect(response.body.heirs).toEqual([{ id: expect.any(String), ...daughter }]);
    const kept = await database.db('claims').where({ id: claim.id }).first('details');
    expect(kept.details.heir).toEqual(spouse);
  });
});

describe('planHeirChange', () => {
  const row = (id: string, name: string, nik: string | null = null) => ({ id, name, relation: 'child' as const, nik });

  it('keeps rows given again exactly, removes the rest and adds what is new', () => {
    const current = [row('a', 'Ani'), row('b', 'Budi', '6210011203080001'), row('c', 'Citra')];
    const plan = planHeirChange(current, [
      { name: 'Ani', relation: 'child' },
      { name: 'Budi', relation: 'child', nik: '6210011203080002' },
      { name: 'Dewi', relation: 'spouse' },
    ]);
    expect(plan.removed.map((heir) => heir.id)).toEqual(['b', 'c']);
    expect(plan.added.map((heir) => heir.name)).toEqual(['Budi', 'Dewi']);
  });

  it('matches each recorded row once, so two identical heirs given for one recorded adds one', () => {
    const plan = planHeirChange(
      [row('a', 'Ani')],
      [
        { name: 'Ani', relation: 'child' },
        { name: 'Ani', relation: 'child' },
      ],
    );
    expect(plan).toEqual({ removed: [], added: [{ name: 'Ani', relation: 'child' }] });
  });
});
