import { z } from 'zod';
import type { ApiRoute } from '../shared/http/route.ts';
import { problemSchema } from '../shared/http/problem.ts';
import { keyAnswers, replayedHeader, takesIdempotencyKey } from '../shared/idempotency/model.ts';

// The OpenAPI document is generated from the same zod schemas that validate
// requests, so what /docs shows is what the service accepts.

type JsonSchema = Record<string, unknown>;

export function buildOpenApi(routes: readonly ApiRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Policy administration core of a standalone Askesos fund. Amounts are decimal strings such as "250000.00", never JSON numbers. Errors are application/problem+json (RFC 9457).',
    },
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made by "askesos keys create".' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'askesos_session',
          description:
            'A person signed in with POST /v1/session. Every POST, PUT, PATCH or DELETE sent with it carries the session’s CSRF token in X-CSRF-Token (or a _csrf form field), else 403.',
        },
      },
    },
  };
}

function operation(route: ApiRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const files = Object.fromEntries((doc.files ?? []).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
    responses[status] =
      doc.schema !== undefined
        ? {
            description: doc.description,
            content: { 'application/json': { schema: toSchema(doc.schema, 'output') }, ...files },
          }
        : Number(status) >= 400
          ? {
              description: doc.description,
              content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
            }
          : { description: doc.description };
  }
  const problems: Record<number, string> = {};
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined || route.headers !== undefined)
    problems[400] = 'Invalid input; each field named.';
  if (route.roles !== 'public') {
    problems[401] = 'Missing, unknown or revoked API key, or no live session.';
    problems[403] = 'The key’s or person’s role may not do this, or a session’s change came without its CSRF token.';
  }
  if (route.params !== undefined) problems[404] = 'Not found, or outside the key’s scope.';
  if (route.body !== undefined || route.upload !== undefined) {
    problems[413] = 'The body is larger than the limit.';
    problems[415] = 'The body is not JSON.';
  }
  for (const [status, description] of Object.entries(problems)) {
    responses[status] ??= {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  if (takesIdempotencyKey(route.headers)) describeKeyAnswers(responses);
  return {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(route.roles === 'public'
      ? { security: [] }
      : {
          security: route.sessionOnly === true ? [{ session: [] }] : [{ apiKey: [] }, { session: [] }],
          'x-roles': route.roles,
        }),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...parameters(route.headers, 'header'),
    ],
    ...(route.upload !== undefined
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              [route.upload.contentType].flat().map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
            ),
          },
        }
      : route.body === undefined
        ? {}
        : {
            requestBody: {
              required: !route.body.safeParse(undefined).success,
              content: { 'application/json': { schema: toSchema(route.body, 'input') } },
            },
          }),
    responses,
  };
}

// The key's answers join whatever the route says of the same status.
function describeKeyAnswers(responses: Record<string, unknown>): void {
  for (const status of [409, 422] as const) {
    const own = responses[status] as { description: string } | undefined;
    responses[status] = {
      description: own === undefined ? keyAnswers[status] : `${own.description} Also: ${keyAnswers[status]}`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  for (const [status, response] of Object.entries(responses))
    if (Number(status) < 300)
      responses[status] = {
        ...(response as object),
        headers: { [replayedHeader]: { description: keyAnswers.replayed, schema: { type: 'string', enum: ['true'] } } },
      };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header'): unknown[] {
  if (schema === undefined) return [];
  const objectSchema = toSchema(schema, 'input');
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  return rest;
}
