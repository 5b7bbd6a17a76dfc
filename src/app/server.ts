import type { Server } from 'node:http';
import { createFirstDirectorateKey } from '../auth/keys.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import { openConfiguredDatabase } from '../database.ts';
import { createApp } from './http.ts';
import { scheduledJobs, scheduleSettings } from './jobs.ts';
import { startScheduler } from './scheduler.ts';
import type { Logger } from '../log.ts';
import { loadRuleBook } from '../rules/load.ts';
import { recordPublishedVersions } from '../rules/store.ts';
import { serviceVersion } from '../version.ts';

export interface RunningService {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, announce: (text: string) => void): Promise<RunningService> {
  // Rule files are checked before the database is touched: a bad rule set
  // must stop start-up without leaving anything behind.
  const book = loadRuleBook(config.RULES_DIR);
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
    const publication = await recordPublishedVersions(database.db, book, config.RULES_DIR);
    logger.info(
      { schemes: [...book.schemes.keys()], newlyRecorded: publication.newlyRecorded },
      'rule sets loaded; published versions unchanged',
    );

    const firstKey = await createFirstDirectorateKey(database.db);
    if (firstKey !== null) announce(firstKeyAnnouncement(firstKey.secret));

    const app = createApp({
      db: database.db,
      logger,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      version: serviceVersion,
      rules: { book, publication, dir: config.RULES_DIR },
      defaultScheme: config.DEFAULT_SCHEME,
      today: () => todayIn(config.TIMEZONE),
      heirLookupUrl: config.HEIR_LOOKUP_URL,
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
    'or POST /v1/keys with this key.',
    '',
  ].join('\n');
}
