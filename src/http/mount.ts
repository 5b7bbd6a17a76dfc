import type { Request, Router } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/model.ts';
import type { Db } from '../db/knex.ts';
import { type FieldIssue, InputError } from '../errors.ts';
import { authenticate, authorize } from './authenticate.ts';
import type { ApiRoute, AuthenticatedContext, RequestContext } from './route.ts';
import { sendProblem } from './problem.ts';

type InputPart = 'params' | 'query' | 'body';

export function mountRoute(router: Router, db: Db, route: ApiRoute): void {
  router[route.method](route.path, async (request, response) => {
    const base: RequestContext = { requestId: String(request.id), clientIp: request.ip ?? 'unknown', log: request.log };
    let context: RequestContext | AuthenticatedContext = base;
    if (route.roles !== 'public') {
      const principal = await authenticate(db, request.get('authorization'), request.log);
      authorize(principal, route.method, route.roles, route.writesNothing === true);
      const actor: Actor = {
        actor: `key:${principal.name}`,
        actorRole: principal.role,
        actorKeyId: principal.keyId,
        requestId: base.requestId,
      };
      context = { ...base, principal, actor };
    }
    if (route.body !== undefined && !request.is(['application/json', 'application/*+json'])) {
      sendProblem(response, 'unsupportedMediaType', 'Send the request body as JSON with "Content-Type: application/json".');
      return;
    }
    const issues: FieldIssue[] = [];
    const params = parsePart(route.params, request.params, 'params', issues);
    const query = parsePart(route.query, request.query, 'query', issues);
    const body = parsePart(route.body, bodyOf(request), 'body', issues);
    if (issues.length > 0) throw new InputError(issues);

    const result = await route.handle({ params, query, body, request: context });
    // The OpenAPI document promises these shapes; a handler that breaks the
    // promise is our bug and must not reach the client.
    route.responses[result.status]?.schema?.parse(result.body);
    for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
    if (result.body === undefined) response.status(result.status).end();
    else response.status(result.status).json(result.body);
  });
}

function bodyOf(request: Request): unknown {
  // express.json() leaves the body undefined when nothing was sent.
  return request.body === undefined ? undefined : (request.body as unknown);
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: InputPart, issues: FieldIssue[]): unknown {
  if (schema === undefined) return undefined;
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  issues.push(...parsed.error.issues.flatMap((issue) => toFieldIssues(part, issue)));
  return undefined;
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
