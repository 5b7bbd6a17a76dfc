import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { isDatabaseUnavailable, type OutageLog } from '../../db/availability.ts';
import { isTransientConflict } from '../../db/knex.ts';
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  InputError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnprocessableError,
} from '../../errors.ts';

// RFC 9457 problem details. Every error a client sees has this shape, and a
// 5xx never carries our internals (no stack, no SQL, no message).

export const problemSchema = z.object({
  type: z.string().meta({ description: 'A URN naming the kind of problem, stable across releases.' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().meta({ description: 'The request path.' }),
  requestId: z.string(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: "One entry per invalid input; field is 'body.x.y', 'query.x', 'params.x' or 'header.x'." }),
});
export type Problem = z.infer<typeof problemSchema>;

interface ProblemKind {
  readonly status: number;
  readonly code: string;
  readonly title: string;
}

const kinds = {
  invalidInput: { status: 400, code: 'invalid-input', title: 'Invalid input' },
  malformedJson: { status: 400, code: 'malformed-json', title: 'Malformed JSON' },
  unauthorized: { status: 401, code: 'unauthorized', title: 'Unauthorized' },
  forbidden: { status: 403, code: 'forbidden', title: 'Forbidden' },
  notFound: { status: 404, code: 'not-found', title: 'Not found' },
  conflict: { status: 409, code: 'conflict', title: 'Conflict' },
  unprocessable: { status: 422, code: 'unprocessable', title: 'Unprocessable' },
  tooLarge: { status: 413, code: 'payload-too-large', title: 'Payload too large' },
  tooManyRequests: { status: 429, code: 'too-many-requests', title: 'Too many requests' },
  unsupportedMediaType: { status: 415, code: 'unsupported-media-type', title: 'Unsupported media type' },
  internal: { status: 500, code: 'internal', title: 'Internal server error' },
  unavailable: { status: 503, code: 'unavailable', title: 'Service unavailable' },
} as const satisfies Record<string, ProblemKind>;

export function sendProblem(
  response: Response,
  kind: keyof typeof kinds,
  detail: string,
  extra: { errors?: readonly FieldIssue[]; code?: string } = {},
): void {
  const { status, code, title } = kinds[kind];
  const request = response.req;
  const problem: Problem = {
    type: `urn:askesos:problem:${extra.code ?? code}`,
    title,
    status,
    detail,
    instance: request.originalUrl.split('?')[0] ?? '',
    requestId: String(request.id),
    ...(extra.errors === undefined ? {} : { errors: [...extra.errors] }),
  };
  if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="askesos"');
  response.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

// body-parser marks its own failures with a `type`; these are the client's fault.
interface BodyParserError {
  readonly type: string;
  readonly limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' && 'status' in error
  );
}

// How long a client waits before retrying through an outage (a database
// restart takes seconds), and after losing the same race every time.
const unavailableRetryAfterSeconds = 5;
const conflictRetryAfterSeconds = 1;

export const problemHandler =
  (outages: OutageLog): ErrorRequestHandler =>
  (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof InputError) return sendProblem(response, 'invalidInput', error.message, { errors: error.issues });
    if (error instanceof UnauthorizedError) return sendProblem(response, 'unauthorized', error.message);
    if (error instanceof ForbiddenError) return sendProblem(response, 'forbidden', error.message);
    if (error instanceof NotFoundError) return sendProblem(response, 'notFound', error.message);
    if (error instanceof ConflictError) {
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return sendProblem(response, 'conflict', error.message, { code: error.code });
    }
    if (error instanceof PayloadTooLargeError) return sendProblem(response, 'tooLarge', error.message);
    if (error instanceof UnprocessableError) return sendProblem(response, 'unprocessable', error.message, { code: error.code });
    if (error instanceof TooManyRequestsError) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return sendProblem(response, 'tooManyRequests', error.message);
    }
    if (isBodyParserError(error)) {
      switch (error.type) {
        case 'entity.parse.failed':
          return sendProblem(response, 'malformedJson', 'The request body is not valid JSON.');
        case 'entity.too.large':
          return sendProblem(response, 'tooLarge', `The request body is larger than ${error.limit ?? 'the limit of'} bytes.`);
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return sendProblem(response, 'unsupportedMediaType', 'The request body must be UTF-8 JSON.');
        case 'request.aborted':
        case 'request.size.invalid':
          return sendProblem(response, 'malformedJson', 'The request body was cut short.');
      }
    }
    if (isDatabaseUnavailable(error)) {
      outages.unavailable(error);
      response.setHeader('Retry-After', String(unavailableRetryAfterSeconds));
      return sendProblem(
        response,
        'unavailable',
        'The database cannot be reached for the moment. Retry shortly: a request sent again under its Idempotency-Key is answered once.',
      );
    }
    if (isTransientConflict(error)) {
      request.log.warn({ err: error }, 'transaction kept colliding with others; retries exhausted');
      response.setHeader('Retry-After', String(conflictRetryAfterSeconds));
      return sendProblem(
        response,
        'unavailable',
        'The request kept colliding with others at work on the same records; nothing was changed. Retry it.',
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    sendProblem(response, 'internal', 'Something went wrong on our side. Quote the request id when you report it.');
  };
