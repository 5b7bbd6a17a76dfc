// Expected failures, thrown by features and mapped to HTTP once, in
// src/shared/http/problem.ts. Anything else that escapes is our bug: a logged 500.

export interface FieldIssue {
  // Where the bad value was: 'body.regencyCode', 'query.limit', 'header.authorization'.
  readonly field: string;
  readonly message: string;
}

export class InputError extends Error {
  constructor(
    readonly issues: readonly FieldIssue[],
    message = 'The request has invalid fields.',
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export class UnauthorizedError extends Error {
  constructor(message = 'A valid API key is required: send "Authorization: Bearer <api key>".') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

// Also what an object outside the caller's scope answers: saying "forbidden"
// would confirm that another agency's participant exists.
export class NotFoundError extends Error {
  constructor(entity: string, id: string) {
    super(`No ${entity} with id ${JSON.stringify(id)} is visible to this key.`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(
    readonly code: string,
    message: string,
    // When the conflict passes by itself (a twin request at work), how long to wait.
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

// The request is well formed but the policy cannot decide it: no rule version
// in force on that date, say.
export class UnprocessableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnprocessableError';
  }
}

// The Idempotency-Key of an earlier request, sent with another one. Thrown
// by the HTTP edge and, as a second line, by the feature whose own key caught it.
export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor(key: string, what: string) {
    super(
      'idempotency-key-reused',
      `Idempotency-Key ${JSON.stringify(key)} was first used for ${what}; send a new key for a new request.`,
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class TooManyRequestsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} seconds.`);
    this.name = 'TooManyRequestsError';
  }
}

export class PayloadTooLargeError extends Error {
  constructor(readonly bytesMax: number) {
    super(`The request body is larger than ${bytesMax} bytes.`);
    this.name = 'PayloadTooLargeError';
  }
}
