import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirBusyError } from '../db/lock.ts';
import { createLogger } from '../log.ts';
import { RuleSetError } from '../rules/problems.ts';
import { startService } from './server.ts';

// config → database (migrated) → first key → HTTP + scheduler.
export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const service = await startService(config, logger, (text) => process.stdout.write(`${text}\n`));
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      service.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    if (error instanceof DataDirBusyError || error instanceof RuleSetError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
