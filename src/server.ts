import type { Server } from 'node:http';
import { createFirstDirectorateKey } from './auth/keys.ts';
import type { Config } from './config.ts';
import { openConfiguredDatabase } from './database.ts';
import { createApp } from './http/app.ts';
import { scheduledJobs } from './jobs/registry.ts';
import { startScheduler } from './jobs/scheduler.ts';
import type { Logger } from './log.ts';
import { serviceVersion } from './version.ts';

export interface RunningService {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, announce: (text: string) => void): Promise<RunningService> {
  const database = await openConfiguredDatabase(config);
  logger.info(
    {
      backend: database.backend,
      dataDir: database.backend === 'pglite' ? config.DATA_DIR : undefined,
      migrationsApplied: database.applied,
    },
    'database ready',
  );

  const firstKey = await createFirstDirectorateKey(database.db);
  if (firstKey !== null) {
    announce(
      [
        '',
        'No API keys existed, so one directorate key was created. It is shown this once:',
        '',
        `    ${firstKey.secret}`,
        '',
        'Use it as "Authorization: Bearer <key>". Make more keys with',
        '    npx askesos keys create --role <directorate|dinsos|lpa|finance|auditor> --name "<who>" [--regency 6210] [--lpa <uuid>]',
        'or POST /v1/keys with this key.',
        '',
      ].join('\n'),
    );
  }

  const app = createApp({ db: database.db, logger, bodyLimitBytes: config.BODY_LIMIT_BYTES, version: serviceVersion });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  logger.info({ port, host: config.HOST }, 'listening');

  const scheduler = config.SCHEDULER_ENABLED
    ? startScheduler(scheduledJobs(database.db), { timezone: config.SCHEDULER_TIMEZONE, logger })
    : null;

  return {
    port,
    stop: async () => {
      await scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
