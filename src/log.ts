import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  // API keys must never reach a log line, even from a debug dump of a request.
  return pino({ level, redact: { paths: ['req.headers.authorization', '*.secret'], censor: '[redacted]' } });
}
