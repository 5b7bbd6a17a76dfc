import type { Server } from 'node:http';
import { createFirstDirectorateKey } from '../auth/keys.ts';
import { systemClock, todayIn } from '../clock.ts';
import { accountSettings, type Config } from '../config.ts';
import { openConfiguredDatabase } from '../database.ts';
import { createApp } from './http.ts';
import { scheduledJobs, scheduleSettings } from './jobs.ts';
import { startScheduler } from './scheduler.ts';
import type { Logger } from '../log.ts';
import { loadRuleBook } from '../rules/load.ts';
import { keepRuleBookCurrent } from './rule-book.ts';
import { serviceVersion } from '../version.ts';

export interface RunningService {
  readonly port: number;
  stop(): Promise<void>;
}

// How often a replica looks for a publication made elsewhere.
const rulePollMs = 30_000;

export async function startService(config: Config, logger: Logger, announce: (text: string) => void): Promise<RunningService> {
  // Rule files are checked before the database is touched: a bad rule set
  // must stop start-up without leaving anything behind.
  loadRuleBook(config.RULES_DIR);
  const database = await openConfiguredDatabase(config);
  try {
    logger.info(
      {
        backend: database.backend,
        dataDir: database.backend === 'pglite' ? config.DATA_DIR : undefined,
        migrationsApplied: database.applied,
      },
      'database ready',
    );
    const rules = await keepRuleBookCurrent(database.db, config.RULES_DIR, logger, rulePollMs);
    const { book } = rules;
    logger.info(
      { schemes: [...book.schemes.keys()], newlyRecorded: rules.newlyRecorded },
      'rule sets loaded; published versions unchanged',
    );

    const firstKey = await createFirstDirectorateKey(database.db);
    if (firstKey !== null) announce(firstKeyAnnouncement(firstKey.secret));

    const app = createApp({
      db: database.db,
      logger,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      version: serviceVersion,
      rules: { book, dir: config.RULES_DIR, afterPublish: rules.reload },
      defaultScheme: config.DEFAULT_SCHEME,
      today: () => todayIn(config.TIMEZONE),
      heirLookupUrl: config.HEIR_LOOKUP_URL,
      jobs: { timezone: config.TIMEZONE, schedules: scheduleSettings(config) },
      accounts: { settings: accountSettings(config), now: systemClock },
      trustProxyHops: config.TRUST_PROXY_HOPS,
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
      listening.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
    logger.info({ port, host: config.HOST }, 'listening');

    const scheduler = config.SCHEDULER_ENABLED
      ? startScheduler(scheduledJobs({ db: database.db, book, timezone: config.TIMEZONE, schedules: scheduleSettings(config) }), {
          timezone: config.TIMEZONE,
          logger,
        })
      : null;

    return {
      port,
      stop: async () => {
        rules.stop();
        await scheduler?.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

function firstKeyAnnouncement(secret: string): string {
  return [
    '',
    'No API keys existed, so one directorate key was created. It is shown this once:',
    '',
    `    ${secret}`,
    '',
    'Use it as "Authorization: Bearer <key>". Make more keys with',
    '    npx askesos keys create --role <directorate|dinsos|lpa|finance|auditor> --name "<who>" [--regency 6210] [--lpa <uuid>]',
    'or POST /v1/keys with this key. People sign in with accounts of their own; make the first with',
    '    npx askesos users create --username <name> --name "<who>" --role directorate',
    '',
  ].join('\n');
}
