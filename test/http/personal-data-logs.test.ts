import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.ts';
import { as, capturedLog, makeKey, publishShippedRules, type TestKey, testApp } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// The NIK, the family card, names and phone numbers are personal data (UU
// 27/2022); logs travel further and live longer than the registry's access
// rules reach. A day's representative work, failures of every kind
// included, is logged at the most talkative level, and nothing a person gave
// may be found in it.

const today = '2026-11-25';
const people = [
  motorbikeTaxiDriver(8101, { name: 'Serafina Tingang', phone: '081351110001', kk: '6210011206200071' }),
  motorbikeTaxiDriver(8102, { name: 'Kristian Nyahu', phone: '081351110002', kk: '6210011206200072' }),
  motorbikeTaxiDriver(8103, {
    name: 'Lusiana Bungai',
    phone: '081351110003',
    kk: '6210011206200073',
    heirs: [{ name: 'Paulus Bungai', relation: 'spouse' }],
  }),
].map((person) => ({ ...person, enrolledOn: '2026-11-20' }));
// Given in requests refused before anything was stored.
const refused = motorbikeTaxiDriver(8104, {
  name: 'Veronika Sahay',
  phone: '081351110004',
  kk: '6210011206200074',
  birthDate: '31-12-1980',
});

let database: TestDatabase;
let app: Express;
let logger: Logger;
let lpaKey: TestKey;
let lines: string[];

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  const lpaId = await approvedLpa(database.db);
  lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
  ({ logger, lines } = capturedLog('trace'));
  app = testApp(database.db, undefined, () => today, undefined, undefined, undefined, { logger });
});
afterAll(async () => database.close());

describe('what the service logs', () => {
  it('carries no NIK, family card number, name or phone after a day of work and failures', async () => {
    const lpa = as(app, lpaKey);
    const statuses: number[] = [];
    const ids: string[] = [];
    for (const person of people) {
      const enrolled = await lpa.post('/v1/participants').send(person);
      statuses.push(enrolled.status);
      ids.push(enrolled.body.participantId);
    }
    for (const person of people) {
      statuses.push((await lpa.get(`/v1/participants?nik=${person.nik}&limit=5`)).status);
      statuses.push((await lpa.post('/v1/participants/search').send({ nik: person.nik })).status);
    }
    for (const [index, participantId] of ids.entries()) {
      const claim = { participantId, ...accidentClaim('2026-11-24', `logs-${index}`) };
      statuses.push((await lpa.post('/v1/claims').set('Idempotency-Key', `logs-${index}`).send(claim)).status);
      // The same key for another request: 422.
      const other = { ...claim, incidentDate: '2026-11-23', reportDate: '2026-11-23' };
      statuses.push((await lpa.post('/v1/claims').set('Idempotency-Key', `logs-${index}`).send(other)).status);
    }
    const first = people[0] as (typeof people)[number];
    // Enrolled already: 409. A bad birth date: 400 naming the field. A bad NIK in a query: 400.
    statuses.push((await lpa.post('/v1/participants').send(first)).status);
    statuses.push((await lpa.post('/v1/participants').send(refused)).status);
    statuses.push(
      (await lpa.get(`/v1/participants?nik=${refused.nik.slice(0, 12)}&name=${encodeURIComponent(refused.name)}`)).status,
    );
    statuses.push((await lpa.post('/v1/participants/search').send({ nik: refused.nik, phone: refused.phone })).status);
    // Nobody by that id, and no such route: 404s, a NIK in the query of each.
    statuses.push((await lpa.get(`/v1/participants/${randomUUID()}?nik=${first.nik}`)).status);
    statuses.push((await lpa.get(`/v1/people?nik=${first.nik}&phone=${first.phone}&kk=${first.kk}`)).status);
    // A database error carries the value it refused; an unhandled one is logged with it.
    const duplicate = await database
      .db('participants')
      .insert({ ...(await database.db('participants').first()), id: randomUUID() })
      .catch((error: unknown) => error);
    expect(duplicate).toMatchObject({ code: '23505' });
    logger.error({ err: duplicate }, 'unhandled error');

    expect(statuses.sort()).toEqual([
      ...Array(6).fill(200),
      ...Array(6).fill(201),
      400,
      400,
      400,
      404,
      404,
      409,
      ...Array(3).fill(422),
    ]);
    const log = lines.join('');
    // The log did see the work: the searches, redacted, and the database error, by its code and constraint.
    expect(log).toContain('/v1/participants?nik=[redacted]&limit=5');
    expect(log).toContain('/v1/participants/search');
    expect(log).toContain('"code":"23505"');
    expect(log).toContain('"constraint":"participants_nik_key"');
    const personal = [...people, refused].flatMap((person) => [
      person.nik,
      person.kk,
      person.name,
      person.phone,
      ...person.heirs.map((heir) => heir.name),
    ]);
    expect(personal.filter((value) => log.includes(value))).toEqual([]);
  });
});
