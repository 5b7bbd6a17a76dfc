import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  // API keys must never reach a log line, even from a debug dump of a request.
  const options = { level, redact: { paths: ['req.headers.authorization', '*.secret'], censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
