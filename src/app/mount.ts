import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { actorOf, callerOf } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { type FieldIssue, InputError, PayloadTooLargeError } from '../errors.ts';
import { replayedHeader, requestFingerprint, takesIdempotencyKey } from '../shared/idempotency/model.ts';
import { answerOnce as answerKeyedOnce } from '../shared/idempotency/once.ts';
import type { KeyClaim } from '../shared/idempotency/store.ts';
import { authenticate, authorize } from '../auth/authenticate.ts';
import type { Accounts } from '../auth/sessions.ts';
import type { ApiRoute, AuthenticatedContext, RequestContext, RouteResult } from '../shared/http/route.ts';
import { sendProblem } from '../shared/http/problem.ts';

type InputPart = 'params' | 'query' | 'body' | 'header';

export function mountRoute(router: Router, db: Db, accounts: Accounts, route: ApiRoute): void {
  router[route.method](route.path, async (request, response) => {
    const base: RequestContext = {
      requestId: String(request.id),
      clientIp: request.ip ?? 'unknown',
      secure: request.secure,
      log: request.log,
    };
    let context: RequestContext | AuthenticatedContext = base;
    const csrfField = takeCsrfField(request);
    const csrfToken = request.get('x-csrf-token') ?? csrfField;
    if (route.roles !== 'public') {
      const credentials = {
        method: route.method,
        authorization: request.get('authorization'),
        cookie: request.get('cookie'),
        csrfToken,
      };
      const principal = await authenticate(db, credentials, accounts, request.log);
      authorize(principal, route.method, route.roles, {
        writesNothing: route.writesNothing === true,
        sessionOnly: route.sessionOnly === true,
      });
      context = { ...base, principal, actor: actorOf(principal, base.requestId) };
    }
    if (route.upload !== undefined) {
      const accepted = [route.upload.contentType].flat();
      if (!request.is(accepted)) {
        sendProblem(response, 'unsupportedMediaType', `Send the file with "Content-Type: ${accepted.join('" or "')}".`);
        return;
      }
      const path = await saveUpload(request, route.upload.bytesMax);
      try {
        const issues: FieldIssue[] = [];
        const params = parsePart(route.params, request.params, 'params', issues);
        const query = parsePart(route.query, request.query, 'query', issues);
        if (issues.length > 0) throw new InputError(issues);
        send(response, route, await route.handle({ params, query, body: { path }, headers: undefined, request: context }));
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      return;
    }
    if (route.body !== undefined && !isJsonOrOptionalAbsent(request, route.body)) {
      sendProblem(response, 'unsupportedMediaType', 'Send the request body as JSON with "Content-Type: application/json".');
      return;
    }
    const answer = async (): Promise<RouteResult> => {
      const issues: FieldIssue[] = [];
      const params = parsePart(route.params, request.params, 'params', issues);
      const query = parsePart(route.query, request.query, 'query', issues);
      const body = parsePart(route.body, bodyOf(request), 'body', issues);
      const headers = parsePart(route.headers, headersOf(route, request), 'header', issues);
      if (issues.length > 0) throw new InputError(issues);
      return route.handle({ params, query, body, headers, request: context });
    };
    if (takesIdempotencyKey(route.headers) && 'principal' in context)
      send(response, route, await answerOnce(db, route, request, callerOf(context.principal), answer));
    else send(response, route, await answer());
  });
}

// An answer kept for an Idempotency-Key, given again.
type KeptAnswer = RouteResult & { readonly kept: true };

// A keyed request is answered once (shared/idempotency/once.ts), under the
// key its Idempotency-Key header names.
async function answerOnce(
  db: Db,
  route: ApiRoute,
  request: Request,
  caller: KeyClaim['caller'],
  answer: () => Promise<RouteResult>,
): Promise<RouteResult | KeptAnswer> {
  const issues: FieldIssue[] = [];
  const headers = parsePart(route.headers, headersOf(route, request), 'header', issues) as { 'idempotency-key': string };
  if (issues.length > 0) throw new InputError(issues);
  const key = headers['idempotency-key'];
  const path = request.originalUrl.split('?')[0] ?? request.path;
  const claim = { caller, key, fingerprint: requestFingerprint({ method: request.method, path, body: bodyOf(request) }) };
  const once = await answerKeyedOnce(
    db,
    claim,
    async () => {
      const result = await answer();
      return { ...result, headers: result.headers ?? {}, body: result.body };
    },
    request.log,
  );
  return once.replayed ? { ...once.answer, replayed: true, kept: true } : once.answer;
}

function send(response: Response, route: ApiRoute, result: RouteResult | KeptAnswer): void {
  // The OpenAPI document promises these shapes; a handler that breaks the
  // promise is our bug and must not reach the client.
  // A file (a CSV or XLSX report) is checked by the code that rendered it,
  // and an answer kept for an Idempotency-Key was checked when first sent.
  const isFile = typeof result.body === 'string' || Buffer.isBuffer(result.body);
  if (!isFile && !('kept' in result)) route.responses[result.status]?.schema?.parse(result.body);
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
  if (result.replayed === true) response.setHeader(replayedHeader, 'true');
  if (result.body === undefined) response.status(result.status).end();
  else if (isFile) response.status(result.status).send(result.body);
  else response.status(result.status).json(result.body);
}

// Streams the request body to a temporary file, refusing it past the limit
// without holding it in memory.
async function saveUpload(request: Request, bytesMax: number): Promise<string> {
  const path = join(tmpdir(), `askesos-upload-${randomUUID()}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > bytesMax ? new PayloadTooLargeError(bytesMax) : null, chunk);
    },
  });
  try {
    await pipeline(request, limit, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return path;
}

// A body the route may go without (its schema takes undefined) need not be
// sent at all (no body, or an empty one with no type, as many clients send a
// bare POST); one that is sent is JSON.
function isJsonOrOptionalAbsent(request: Request, body: z.ZodType): boolean {
  if (request.is(['application/json', 'application/*+json'])) return true;
  const absent =
    request.get('content-type') === undefined &&
    request.get('transfer-encoding') === undefined &&
    Number(request.get('content-length') ?? '0') === 0;
  return absent && body.safeParse(undefined).success;
}

// A form sends its CSRF token as the _csrf field. It is the session's
// business, not the route's: taken out before the body is checked, so a
// strict schema does not refuse it as unknown.
function takeCsrfField(request: Request): string | undefined {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('_csrf' in body)) return undefined;
  const { _csrf: token, ...rest } = body as Record<string, unknown>;
  request.body = rest;
  return typeof token === 'string' ? token : undefined;
}

function bodyOf(request: Request): unknown {
  // express.json() leaves the body undefined when nothing was sent.
  return request.body === undefined ? undefined : (request.body as unknown);
}

// Only the headers the route declares: the rest are the HTTP stack's business.
function headersOf(route: ApiRoute, request: Request): Record<string, string> | undefined {
  if (route.headers === undefined) return undefined;
  const wanted = Object.keys(route.headers.shape);
  return Object.fromEntries(
    wanted.flatMap((name) => (request.get(name) === undefined ? [] : [[name, request.get(name) as string]])),
  );
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: InputPart, issues: FieldIssue[]): unknown {
  if (schema === undefined) return undefined;
  const withNul = nulCharacters(value, part);
  if (withNul.length > 0) {
    issues.push(...withNul.map((field) => ({ field, message: 'must not contain the NUL character (\\u0000)' })));
    return undefined;
  }
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  issues.push(...parsed.error.issues.flatMap((issue) => toFieldIssues(part, issue)));
  return undefined;
}

// PostgreSQL text cannot hold a NUL character: one reaching a query would
// fail there as a server error, so it is refused here, by field.
function nulCharacters(value: unknown, at: string, depth = 0): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [at] : [];
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key.includes('\u0000') ? [`${at}.${key}`] : []),
    ...nulCharacters(inner, `${at}.${key}`, depth + 1),
  ]);
}

function toFieldIssues(part: InputPart, issue: z.core.$ZodIssue): FieldIssue[] {
  const at = [part, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: `${at}.${key}`, message: 'is not a known field' }));
  }
  // JSON cannot carry undefined, so an undefined input is a missing one.
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
    return [{ field: at, message: part === 'body' && issue.path.length === 0 ? 'a JSON body is required' : 'is required' }];
  }
  return [{ field: at, message: issue.message }];
}
