import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/knex.ts';
import { ledgerDiscrepancies, trialBalance } from '../../src/ledger/store.ts';
import { type TestKey, countRows, testApp } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

// A clerk's retry of an enrolment, sent while claims for the same member are
// being filed, once deadlocked on PostgreSQL (the enrolment locked the LPA,
// the claim's insert waited for it while holding the member): 126 of 200
// enrolments and 13 of 200 claims answered 500. Every answer must be the
// one the request deserves, and the books must balance.

const today = '2026-11-25';
const members = 10;
const rounds = 20;

let database: TestDatabase;
let served: Database;
let app: Express;
let lpaKey: TestKey;
const people = Array.from({ length: members }, (_, index) => motorbikeTaxiDriver(7000 + index, { enrolledOn: '2026-11-20' }));
const participantIds: string[] = [];

beforeAll(async () => {
  ({ database, lpaKey } = await openLpaFixture(() => today));
  // As many connections as a service has, so that requests really overlap.
  served = database.url === null ? database : await openDatabase({ backend: 'postgres', url: database.url, poolMax: 20 });
  app = testApp(served.db, undefined, () => today);
  for (const person of people) {
    const enrolled = await request(app).post('/v1/participants').set('Authorization', `Bearer ${lpaKey.secret}`).send(person);
    expect(enrolled.status).toBe(201);
    participantIds.push(enrolled.body.participantId);
  }
});
afterAll(async () => {
  if (served !== database) await served.close();
  await database.close();
});

describe('re-sent enrolments while claims are filed for the same members', () => {
  it(`answers none of ${rounds} rounds of ${members} + ${members} with a 5xx, and the books balance`, async () => {
    const answers: { kind: 'enrolment' | 'claim'; status: number; type: string | undefined }[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const resent = people.map((person) =>
        request(app).post('/v1/participants').set('Authorization', `Bearer ${lpaKey.secret}`).send(person),
      );
      const claims = participantIds.map((participantId, member) =>
        request(app)
          .post('/v1/claims')
          .set('Authorization', `Bearer ${lpaKey.secret}`)
          .set('Idempotency-Key', `contention-${round}-${member}`)
          .send({ participantId, ...accidentClaim('2026-11-24', `${round}-${member}`) }),
      );
      // Interleaved, so each retry meets a claim for its member in flight.
      const sent = people.flatMap((_, member) => [claims[member], resent[member]] as request.Test[]);
      const done = await Promise.all(sent);
      const filed = done.filter((_, index) => index % 2 === 0);
      const enrolments = done.filter((_, index) => index % 2 === 1);
      answers.push(
        ...enrolments.map((answer) => ({ kind: 'enrolment' as const, status: answer.status, type: answer.body.type })),
      );
      answers.push(...filed.map((answer) => ({ kind: 'claim' as const, status: answer.status, type: answer.body.type })));
    }
    const tally = (kind: string) => {
      const counts: Record<string, number> = {};
      for (const answer of answers.filter((each) => each.kind === kind)) {
        const key = `${answer.status} ${answer.type ?? ''}`.trim();
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    };
    // The member is enrolled already: the retry's deliberate answer. Each claim is filed once, under its own key.
    expect(tally('enrolment')).toEqual({ '409 urn:askesos:problem:already-enrolled': rounds * members });
    expect(tally('claim')).toEqual({ '201': rounds * members });
    expect(await countRows(database.db, 'claims')).toBe(rounds * members);
    expect(await countRows(database.db, 'enrolments')).toBe(members);
    const { totals } = await trialBalance(database.db, null);
    expect(totals.balance).toBe('0.00');
    expect(await ledgerDiscrepancies(database.db)).toEqual([]);
  });
});
