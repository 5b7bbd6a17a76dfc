import type { Express } from 'express';
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
// published, the app answering as of `today`, and one approved LPA with its key.
export async function openLpaFixture(today: () => string): Promise<LpaFixture> {
  const database = await openTestDatabase();
  await publishShippedRules(database.db);
  const app = testApp(database.db, undefined, today);
  const lpaId = await approvedLpa(database.db);
  return { database, app, lpaId, lpaKey: await makeKey(database.db, { role: 'lpa', lpaId }) };
}
