import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../src/app/http.ts';
import { type JobDefinition, type JobDeps, jobDefinitions, scheduledJobs } from '../../../src/app/jobs.ts';
import type { ScheduledJob } from '../../../src/app/scheduler.ts';
import type { Db } from '../../../src/db/knex.ts';
import { createLogger } from '../../../src/log.ts';
import { loadRuleBook, type RuleBook } from '../../../src/rules/load.ts';
import { recordPublishedVersions } from '../../../src/rules/store.ts';
import { fundTimeZone, type SimClock } from './clock.ts';
import { accountSettings, loadConfig } from '../../../src/config.ts';

// One life of the service process: rules loaded and published, the app
// listening on a port of its own, the scheduler's jobs. A restart drops it
// and starts another on the same database, as a process would after a crash.

export interface ServiceInstance {
  readonly baseUrl: string;
  readonly book: RuleBook;
  readonly jobs: readonly ScheduledJob[];
  readonly definitions: Readonly<Record<string, JobDefinition>>;
  stop(): Promise<void>;
}

export async function startInstance(
  db: Db,
  options: { rulesDir: string; scheme: string; clock: SimClock },
): Promise<ServiceInstance> {
  const { rulesDir, scheme, clock } = options;
  const book = loadRuleBook(rulesDir);
  await recordPublishedVersions(db, book, rulesDir);
  const app = createApp({
    db,
    logger: createLogger('silent'),
    bodyLimitBytes: 1024 * 1024,
    version: 'simulator',
    rules: { book, dir: rulesDir, afterPublish: async () => undefined },
    defaultScheme: scheme,
    today: () => clock.today,
    heirLookupUrl: loadConfig({}).HEIR_LOOKUP_URL,
    jobs: { timezone: fundTimeZone, schedules: {} },
    accounts: { settings: accountSettings(loadConfig({})), now: () => clock.now },
    trustProxyHops: 0,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // The simulated clock is offered to the jobs as well: a job that asks
  // what today is (a month not yet begun must not be run) must be told the
  // simulated day, never the machine's.
  const deps: JobDeps & { today: () => string; now: () => Date } = {
    db,
    book,
    timezone: fundTimeZone,
    today: () => clock.today,
    now: () => clock.now,
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    book,
    jobs: scheduledJobs(deps),
    definitions: jobDefinitions(deps),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
