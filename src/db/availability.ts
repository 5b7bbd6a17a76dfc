import type { Logger } from '../log.ts';
import type { Db } from './knex.ts';

// What a driver says when the database cannot be reached, or is starting up or
// shutting down: the request may well succeed in a moment, so the client is
// told to retry (a 503), never that we have a bug (a 500).
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
]);
const unreachableMessages = /Connection terminated|Connection ended|not queryable|timeout exceeded when trying to connect/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, errors } = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  // 08xxx: connection_exception and its kinds.
  if (typeof code === 'string' && (unreachableCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // The pool gave up waiting for a connection.
  if (name === 'KnexTimeoutError') return true;
  // Node tries each address of a host name and reports all of them together.
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && unreachableMessages.test(message);
}

export interface OutageLog {
  // Each request that met the outage says so; only the first of an outage is logged.
  unavailable(error: unknown): void;
}

const outageLogs = new WeakMap<Db, OutageLog>();
// While a server shuts down, a query on a connection not yet closed can
// still succeed between failures: the database counts as back only once a
// query succeeds this long after the last failure.
const quietMsMin = 1_000;

// An outage is told in two lines, when it starts and when the database
// answers again, not with a stack for every request it failed.
export function outageLogFor(db: Db, logger: Logger): OutageLog {
  const known = outageLogs.get(db);
  if (known !== undefined) return known;
  let downSince: number | null = null;
  let lastFailureAt = 0;
  db.on('query-response', () => {
    if (downSince === null || Date.now() - lastFailureAt < quietMsMin) return;
    logger.info({ unavailableMs: Date.now() - downSince }, 'database reachable again');
    downSince = null;
  });
  const log: OutageLog = {
    unavailable: (error) => {
      lastFailureAt = Date.now();
      if (downSince !== null) return;
      downSince = lastFailureAt;
      const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
      logger.warn({ code: typeof code === 'string' ? code : undefined }, 'database unreachable; answering 503 until it is back');
    },
  };
  outageLogs.set(db, log);
  return log;
}
