import type { z } from 'zod';
import type { Actor, Principal, Role } from '../../access/principal.ts';
import type { Logger } from '../../log.ts';

// One declaration per endpoint drives three things at once: the guard that
// checks role and input, the handler's types, and the OpenAPI document. They
// cannot drift apart because there is only one of them.

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.ZodType;
  // Files the route can answer instead of JSON (a report as CSV or XLSX), by media type.
  readonly files?: readonly string[];
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  // The answer repeats an earlier one for the same Idempotency-Key: the
  // response says so ("Idempotent-Replayed: true").
  readonly replayed?: boolean;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteDoc {
  readonly method: HttpMethod;
  // Express style: '/v1/keys/:id'.
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  // A POST that computes and writes nothing (an evaluation): the read-only
  // auditor may call it.
  readonly writesNothing?: true;
  // For a person signed in, about their own session: an API key, which has
  // none, is refused (403) with the other guards, before any input is read.
  readonly sessionOnly?: true;
  // A body that is a file, not JSON: saved to a temporary file whose path the
  // handler receives as `body` (and then owns: it removes it when done).
  // Several media types when the handler tells the file by its content.
  readonly upload?: { readonly contentType: string | readonly string[]; readonly bytesMax: number };
}

interface Inputs<P, Q, B, H = undefined> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  // Request headers the handler reads, by lower-case name ('idempotency-key').
  readonly headers?: H;
}

export interface RequestContext {
  readonly requestId: string;
  readonly clientIp: string;
  // The request reached us over TLS, directly or (as TRUST_PROXY_HOPS
  // allows) through a proxy that says so: a cookie set then is Secure.
  readonly secure: boolean;
  readonly log: Logger;
}

export interface AuthenticatedContext extends RequestContext {
  readonly principal: Principal;
  readonly actor: Actor;
}

export type ApiRoute = RouteDoc &
  Inputs<z.ZodType, z.ZodType, z.ZodType, z.ZodObject> & {
    readonly roles: readonly Role[] | 'public';
    handle(context: {
      params: unknown;
      query: unknown;
      body: unknown;
      headers: unknown;
      request: RequestContext | AuthenticatedContext;
    }): Promise<RouteResult>;
  };

type Handler<P, Q, B, C, H = undefined> = (input: {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  headers: Parsed<H>;
  request: C;
}) => Promise<RouteResult>;

export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodObject | undefined = undefined,
>(spec: RouteDoc & Inputs<P, Q, B, H> & { roles: readonly Role[]; handle: Handler<P, Q, B, AuthenticatedContext, H> }): ApiRoute {
  return spec as unknown as ApiRoute;
}

export function definePublicRoute<Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: RouteDoc & Inputs<undefined, Q, B> & { handle: Handler<undefined, Q, B, RequestContext> },
): ApiRoute {
  return { ...spec, roles: 'public' } as unknown as ApiRoute;
}

export function defineUploadRoute<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteDoc &
    Inputs<P, Q, undefined> & {
      upload: NonNullable<RouteDoc['upload']>;
      roles: readonly Role[];
      handle: (input: {
        params: Parsed<P>;
        query: Parsed<Q>;
        file: { path: string };
        request: AuthenticatedContext;
      }) => Promise<RouteResult>;
    },
): ApiRoute {
  return {
    ...spec,
    handle: (input: { params: unknown; query: unknown; body: unknown; request: RequestContext | AuthenticatedContext }) =>
      spec.handle({
        params: input.params as Parsed<P>,
        query: input.query as Parsed<Q>,
        file: input.body as { path: string },
        request: input.request as AuthenticatedContext,
      }),
  } as unknown as ApiRoute;
}
