import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Personal data never reaches a log (UU 27/2022 on personal data protection):
// logs are copied, shipped and kept far beyond the registry's access rules.
// Requests are logged by id, method, path and status, never with a body.

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    // API keys must never reach a log line, even from a debug dump of a request.
    redact: { paths: ['req.headers.authorization', '*.secret'], censor: '[redacted]' },
    serializers: { err: errorForLog },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

// Query parameters whose values name or identify a person; matched without
// regard to case, so `birthDate` and `headNik` are caught too.
const personalQueryKey = /nik|kk|name|phone|birth/i;

// The URL as logged: a personal field's value is replaced, the rest kept for
// telling requests apart.
export function urlForLog(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals < 0 ? pair : pair.slice(0, equals);
      return personalQueryKey.test(safeDecode(key)) && equals >= 0 ? `${key}=[redacted]` : pair;
    });
  return `${url.slice(0, at)}?${pairs.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// A database error carries the values it refused: a unique key's detail
// names the NIK, a failed check lists the whole row, a bad cast quotes its
// input. What says where and why (SQLSTATE, routine, table, constraint,
// the statement with its placeholders) is kept; the driver's message and
// detail are not.
function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & Partial<Record<'code' | 'routine' | 'table' | 'column' | 'constraint' | 'severity', unknown>>;
  const stack = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  if (typeof fields.code !== 'string' || !/^[0-9A-Z]{5}$/.test(fields.code))
    return { type: error.name, message: error.message, code: fields.code, stack: stack.join('\n') };
  // Knex puts the statement before the driver's message: "<sql> - <message>".
  const statementEnd = error.message.lastIndexOf(' - ');
  return {
    type: error.name,
    code: fields.code,
    severity: fields.severity,
    routine: fields.routine,
    table: fields.table,
    column: fields.column,
    constraint: fields.constraint,
    statement: statementEnd < 0 ? undefined : error.message.slice(0, statementEnd),
    stack: stack.join('\n'),
  };
}
