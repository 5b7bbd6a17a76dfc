// The console as the benchmarks reach it: the service's own app on a
// random port over a database already filled, a person of each role given
// (created here), and their sessions signed in through the sign-in form.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '../src/access/principal.ts';
import { createApp } from '../src/app/http.ts';
import { createUser } from '../src/auth/users.ts';
import { systemClock } from '../src/clock.ts';
import { accountSettings, loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/knex.ts';
import { createLogger } from '../src/log.ts';
import type { RuleBook } from '../src/rules/load.ts';

export interface ConsolePerson {
  readonly username: string;
  readonly role: Role;
  readonly regencyCode?: string;
  readonly lpaId?: string;
}

export interface ConsoleService {
  readonly base: string;
  // A signed-in person's cookie, by username.
  readonly cookies: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

const password = 'bench-console-password';

export async function startConsole(
  db: Db,
  options: {
    readonly book: RuleBook;
    readonly rulesDir: string;
    readonly today: string;
    readonly people: readonly ConsolePerson[];
  },
): Promise<ConsoleService> {
  const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
  for (const person of options.people)
    await createUser(db, { ...person, name: person.username, locale: 'id', password }, actor, systemClock);
  const app = createApp({
    db,
    logger: createLogger('silent'),
    bodyLimitBytes: 64 * 1024,
    version: 'bench',
    rules: { book: options.book, dir: options.rulesDir, afterPublish: async () => undefined },
    defaultScheme: 'standalone',
    today: () => options.today,
    heirLookupUrl: 'https://askesos.example/heirs?participant={number}',
    jobs: { timezone: 'Asia/Jakarta', schedules: {} },
    accounts: { settings: accountSettings(loadConfig({})), now: systemClock },
    trustProxyHops: 0,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookies = new Map<string, string>();
  for (const person of options.people) {
    const response = await fetch(`${base}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: person.username, password }).toString(),
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (response.status !== 303 || cookie === undefined)
      throw new Error(`${person.username} could not sign in: ${response.status}`);
    cookies.set(person.username, cookie);
  }
  return { base, cookies, close: () => new Promise((done) => server.close(() => done())) };
}
