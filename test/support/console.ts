import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { Role } from '../../src/access/principal.ts';
import { createUser } from '../../src/auth/users.ts';
import { produceMonthlyReports } from '../../src/reports/runs.ts';
import { systemClock } from '../../src/clock.ts';
import type { Db } from '../../src/db/knex.ts';
import type { AppOptions } from '../../src/app/http.ts';
import { keepRuleBookCurrent } from '../../src/app/rule-book.ts';
import { createLogger } from '../../src/log.ts';
import { scratchRules } from '../rules/support.ts';
import { publishShippedRules, testActor, testApp, testToday } from './api.ts';
import { accidentClaim, fileClaim } from './claims.ts';
import { enrolmentSince } from './enrolment.ts';
import { fundCapital } from './fund.ts';
import { approvedLpa } from './lpa.ts';

export interface ConsoleUser {
  readonly username: string;
  readonly password: string;
  readonly name: string;
}

export interface ConsoleFund {
  readonly lpaA: string;
  readonly lpaB: string;
  // A member of LPA A, whom LPA B's people must not reach.
  readonly participantOfA: string;
  readonly users: Readonly<Record<'directorate' | 'finance' | 'auditor' | 'dinsos' | 'lpaA' | 'lpaB', ConsoleUser>>;
}

// A small fund for the console's tests: two LPAs of Gunung Mas, five
// members (one lapsed), a claim, working capital in the bank, October's
// reports kept, and a person of each role.
export async function seedConsoleFund(db: Db): Promise<ConsoleFund> {
  await publishShippedRules(db);
  const lpaA = await approvedLpa(db);
  const lpaB = await approvedLpa(db, { name: 'Koperasi Sumber Rejeki', bankAccountNumber: '9876543210' });
  const members = [];
  for (const serial of [1, 2, 3])
    members.push(await enrolmentSince(db, { lpaId: lpaA, scheme: 'standalone', enrolledOn: '2026-03-01', serial }));
  await enrolmentSince(db, { lpaId: lpaA, scheme: 'standalone', enrolledOn: '2026-03-01', serial: 4, lapsedOn: '2026-09-30' });
  await enrolmentSince(db, { lpaId: lpaB, scheme: 'standalone', enrolledOn: '2026-04-01', serial: 5 });
  await fundCapital(db, '10000000.00', '2026-10-01', 'console');
  const participantOfA = members[0]?.participantId ?? '';
  await fileClaim(db, {
    lpaId: lpaA,
    participantId: participantOfA,
    body: accidentClaim('2026-11-20', 'console-1'),
    key: 'console-1',
    today: testToday,
  });
  // October's reports kept, as the monthly job would have by late November: the glance page reads them.
  await produceMonthlyReports(db, '2026-10', testActor);
  const user = async (username: string, name: string, role: Role, scope: { regencyCode?: string; lpaId?: string } = {}) => {
    const password = `${username}-password-1`;
    await createUser(db, { username, name, role, locale: 'id', password, ...scope }, testActor, systemClock);
    return { username, password, name };
  };
  return {
    lpaA,
    lpaB,
    participantOfA,
    users: {
      directorate: await user('kepala.dit', 'Kepala Direktorat', 'directorate'),
      finance: await user('bendahara', 'Siti Bendahara', 'finance'),
      auditor: await user('pemeriksa', 'Budi Pemeriksa', 'auditor'),
      dinsos: await user('dinsos.gm', 'Dinsos Gunung Mas', 'dinsos', { regencyCode: '6210' }),
      lpaA: await user('betang', 'Petugas Betang', 'lpa', { lpaId: lpaA }),
      lpaB: await user('rejeki', 'Petugas Rejeki', 'lpa', { lpaId: lpaB }),
    },
  };
}

// A signed-in person's cookie and CSRF token, for posting the console's forms over HTTP.
export interface ConsoleSession {
  readonly cookie: string;
  readonly csrf: string;
}

export async function consoleSession(app: Express, user: ConsoleUser): Promise<ConsoleSession> {
  const response = await request(app).post('/sign-in').type('form').send({ username: user.username, password: user.password });
  expect(response.status).toBe(303);
  expect(response.headers.location).toBe('/');
  const cookie = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const page = await request(app).get('/password').set('Cookie', cookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { cookie, csrf };
}

// The rules as the running service keeps them, on a scratch copy of the
// shipped rule sets that drafts are made and published in: the book is
// reloaded after each publication, as the server reloads it.
export interface WritableRules {
  readonly rules: AppOptions['rules'];
  dispose(): void;
}

export async function writableRules(db: Db): Promise<WritableRules> {
  const scratch = scratchRules(['askesos-2003', 'askesos-ni-2012', 'standalone']);
  const current = await keepRuleBookCurrent(db, scratch.dir, createLogger('silent'), 3_600_000);
  return {
    rules: { book: current.book, dir: scratch.dir, afterPublish: current.reload },
    dispose: () => {
      current.stop();
      scratch.dispose();
    },
  };
}

// The console's app deciding by those rules, on the tests' fixed today.
export function appWithRules(db: Db, { rules }: WritableRules): Express {
  return testApp(db, undefined, undefined, rules.book, undefined, rules.dir, { rules });
}
