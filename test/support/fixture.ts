import type { Express } from 'express';
import type { RuleBook } from '../../src/rules/load.ts';
import { recordPublishedVersions } from '../../src/rules/store.ts';
import { type TestKey, makeKey, publishShippedRules, testApp } from './api.ts';
import { type TestDatabase, openTestDatabase } from './db.ts';
import { approvedLpa } from './lpa.ts';

export interface LpaFixture {
  readonly database: TestDatabase;
  readonly app: Express;
  readonly lpaId: string;
  readonly lpaKey: TestKey;
}

// What most API test files start from: a database with the shipped rules
// (or others, loaded from a directory) published, the app answering as of
// `today`, and one approved LPA with its key.
export async function openLpaFixture(
  today: () => string,
  rules?: { readonly book: RuleBook; readonly dir: string },
): Promise<LpaFixture> {
  const database = await openTestDatabase();
  if (rules === undefined) await publishShippedRules(database.db);
  else await recordPublishedVersions(database.db, rules.book, rules.dir);
  const app = testApp(database.db, undefined, today, rules?.book, undefined, rules?.dir);
  const lpaId = await approvedLpa(database.db);
  return { database, app, lpaId, lpaKey: await makeKey(database.db, { role: 'lpa', lpaId }) };
}
