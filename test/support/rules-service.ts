import type { Express } from 'express';
import { createApp } from '../../src/app/http.ts';
import { type CurrentRuleBook, keepRuleBookCurrent } from '../../src/app/rule-book.ts';
import { createLogger } from '../../src/log.ts';
import { type ScratchRules, scratchRules } from '../rules/support.ts';
import { makeKey, type TestKey, testAccounts, testHeirLookupUrl } from './api.ts';
import { openTestDatabase, type TestDatabase } from './db.ts';

export interface RulesService {
  readonly database: TestDatabase;
  readonly rules: ScratchRules;
  readonly current: CurrentRuleBook;
  readonly app: Express;
  readonly directorate: TestKey;
  close(): Promise<void>;
}

// The service as it runs, on a scratch copy of the shipped rules it may
// publish into: its book kept current as the server keeps it, and a
// directorate key to act with.
export async function openRulesService(today: string): Promise<RulesService> {
  const database = await openTestDatabase();
  const rules = scratchRules(['askesos-2003', 'askesos-ni-2012', 'standalone']);
  const current = await keepRuleBookCurrent(database.db, rules.dir, createLogger('silent'), 3_600_000);
  const app = createApp({
    db: database.db,
    logger: createLogger('silent'),
    bodyLimitBytes: 64 * 1024,
    version: 'test',
    rules: { book: current.book, dir: rules.dir, afterPublish: current.reload },
    defaultScheme: 'standalone',
    today: () => today,
    heirLookupUrl: testHeirLookupUrl,
    jobs: { timezone: 'Asia/Jakarta', schedules: {} },
    accounts: testAccounts(),
    trustProxyHops: 0,
  });
  const directorate = await makeKey(database.db, { role: 'directorate' });
  return {
    database,
    rules,
    current,
    app,
    directorate,
    close: async () => {
      current.stop();
      rules.dispose();
      await database.close();
    },
  };
}
