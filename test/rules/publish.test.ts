import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { RuleSetError } from '../../src/rules/problems.ts';
import { recordPublishedVersions } from '../../src/rules/store.ts';
import { startService } from '../../src/app/server.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { at, type ScratchRules, scratchRules } from './support.ts';

describe('publication of rule versions', () => {
  let database: TestDatabase;
  let rules: ScratchRules;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });
  afterEach(() => rules.dispose());

  async function refusal(dir: string): Promise<RuleSetError> {
    try {
      await recordPublishedVersions(database.db, loadRuleBook(dir), dir);
    } catch (error) {
      if (error instanceof RuleSetError) return error;
      throw error;
    }
    throw new Error('publication succeeded; expected a refusal');
  }

  it('records each version once, then proves it unchanged on every later load', async () => {
    rules = scratchRules(['askesos-2003']);
    const first = await recordPublishedVersions(database.db, loadRuleBook(rules.dir), rules.dir);
    expect(first.newlyRecorded).toEqual(['askesos-2003@2003.1']);
    const again = await recordPublishedVersions(database.db, loadRuleBook(rules.dir), rules.dir);
    expect(again.newlyRecorded).toEqual([]);
    expect(again.publishedAt.get('askesos-2003@2003.1')).toEqual(first.publishedAt.get('askesos-2003@2003.1'));
    const row = await database.db('rule_versions').where({ scheme: 'askesos-2003', version: '2003.1' }).first();
    expect(row.hash).toBe(loadRuleBook(rules.dir).schemes.get('askesos-2003')?.[0]?.hash);
    expect(row.content['benefits.json'].rules).toHaveLength(9);
  });

  it('refuses a published version whose file changed, naming the version and the file', async () => {
    rules = scratchRules(['askesos-2003']);
    rules.edit(
      join('askesos-2003', '2003.1', 'manifest.json'),
      (json) => (at(json, 'parameters', 'death.year-1').amount = '450000.00'),
    );
    const error = await refusal(rules.dir);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.file).toBe(join(rules.dir, 'askesos-2003', '2003.1', 'manifest.json'));
    expect(error.message).toContain('askesos-2003@2003.1 was published with hash');
    expect(error.message).toContain('start a draft with `askesos rules new`');
  });

  it('accepts a published file that was only re-indented', async () => {
    rules = scratchRules(['askesos-2003']);
    rules.edit(join('askesos-2003', '2003.1', 'lpa.json'), () => undefined);
    await expect(recordPublishedVersions(database.db, loadRuleBook(rules.dir), rules.dir)).resolves.toMatchObject({
      newlyRecorded: [],
    });
  });

  it('refuses when a published version’s folder is gone', async () => {
    rules = scratchRules(['askesos-2003']);
    rules.copyVersion('askesos-2003', '2003.1', '2003.2');
    rules.edit(join('askesos-2003', '2003.1', 'manifest.json'), (json) => (json.effectiveTo = '2003-06-30'));
    rules.remove(join('askesos-2003', '2003.1'));
    rules.edit(join('askesos-2003', '2003.2', 'manifest.json'), (json) => (json.version = '2003.2'));
    rules.publish('askesos-2003', '2003.2');
    const error = await refusal(rules.dir);
    expect(error.message).toContain('askesos-2003@2003.1 was published in this database but its folder is missing');
  });

  it('the database itself refuses to rewrite a published version', async () => {
    await expect(database.db('rule_versions').update({ hash: 'f'.repeat(64) })).rejects.toThrow(/immutable: UPDATE refused/);
  });

  it('stops the service from starting, with the version and file named, and leaves the database free', async () => {
    rules = scratchRules(['askesos-2003']);
    const dataDir = mkdtempSync(join(tmpdir(), 'askesos-publish-'));
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      RULES_DIR: rules.dir,
      SCHEDULER_ENABLED: 'false',
      DATA_DIR: dataDir,
    };
    if (database.url !== null) env.DATABASE_URL = database.url;
    const start = () => startService(loadConfig(env), createLogger('silent'), () => undefined);
    try {
      await (await start()).stop();
      rules.edit(join('askesos-2003', '2003.1', 'savings.json'), (json) => (at(json, 'rules', 0).name = 'saving every month'));
      await expect(start()).rejects.toThrow(/savings\.json: \$: askesos-2003@2003\.1 was published with hash/);
      rules.edit(
        join('askesos-2003', '2003.1', 'savings.json'),
        (json) => (at(json, 'rules', 0).name = 'mandatory savings of {ceiling.mandatory-savings} a month'),
      );
      await (await start()).stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
