import ExcelJS from 'exceljs';
import type { Express } from 'express';
import request from 'supertest';
import { createApiKey } from '../../src/auth/keys.ts';
import type { Actor, Role } from '../../src/access/principal.ts';
import type { NewApiKey } from '../../src/auth/model.ts';
import type { Db } from '../../src/db/knex.ts';
import { type AppOptions, createApp } from '../../src/app/http.ts';
import { Writable } from 'node:stream';
import type { Accounts } from '../../src/auth/sessions.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { accountSettings, loadConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { loadRuleBook, type RuleBook } from '../../src/rules/load.ts';
import { recordPublishedVersions } from '../../src/rules/store.ts';

export const testActor: Actor = { actor: 'test:setup', actorRole: 'operator', actorKeyId: null, requestId: null };

// The shipped rule sets, loaded once per test file.
export const shippedRules = loadRuleBook('rules');

export function testApp(
  db: Db,
  bodyLimitBytes = 64 * 1024,
  today: () => string = () => testToday,
  book: RuleBook = shippedRules,
  defaultScheme = 'standalone',
  rulesDir = 'rules',
  more: Partial<AppOptions> = {},
): Express {
  return createApp({
    db,
    logger: createLogger('silent'),
    bodyLimitBytes,
    version: 'test',
    rules: { book, dir: rulesDir, afterPublish: async () => undefined },
    defaultScheme,
    today,
    heirLookupUrl: testHeirLookupUrl,
    jobs: { timezone: 'Asia/Jakarta', schedules: {} },
    accounts: testAccounts(),
    trustProxyHops: 0,
    ...more,
  });
}

// A logger whose every line is kept, for tests of what the service logs.
export function capturedLog(level: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger(level, destination), lines };
}

// The shipped account settings, on the machine's clock unless a test moves time.
export function testAccounts(now: Clock = systemClock): Accounts {
  return { settings: accountSettings(loadConfig({})), now };
}

export const testHeirLookupUrl = 'https://askesos.example/heirs?participant={number}';

// The fund's "today" in tests: fixed, so ages and coverage years are too.
export const testToday = '2026-11-25';

// Enrolments refer to published rule versions, as in the running service.
export async function publishShippedRules(db: Db): Promise<void> {
  await recordPublishedVersions(db, shippedRules, 'rules');
}

export interface TestKey {
  readonly id: string;
  readonly secret: string;
  readonly role: Role;
}

export async function makeKey(db: Db, input: Partial<NewApiKey> & { role: Role }): Promise<TestKey> {
  const created = await createApiKey(db, { name: `${input.role} test key`, ...input }, testActor);
  return { id: created.key.id, secret: created.secret, role: created.key.role };
}

export function as(app: Express, key: TestKey | null) {
  const agent = request(app);
  const auth = (test: request.Test) => (key === null ? test : test.set('Authorization', `Bearer ${key.secret}`));
  return {
    get: (path: string) => auth(agent.get(path)),
    post: (path: string) => auth(agent.post(path)),
    put: (path: string) => auth(agent.put(path)),
  };
}

export async function countRows(db: Db, table: string): Promise<number> {
  const row = await db(table).count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? '0');
}

// A report asked for as a spreadsheet, read back as a workbook.
export async function workbookOf(test: request.Test): Promise<ExcelJS.Workbook> {
  const response = await test.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.body as ExcelJS.Buffer);
  return workbook;
}
