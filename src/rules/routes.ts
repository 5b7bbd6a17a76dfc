import { z } from 'zod';
import { InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import { defineRoute } from '../shared/http/route.ts';
import { policyAreas } from './catalogue.ts';
import { decide, FactsError, RuleNotInForceError, UnknownSchemeError } from './evaluate.ts';
import type { RuleBook } from './load.ts';
import { isoDateSchema } from '../dates.ts';
import type { Publication } from './store.ts';

const allRoles = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;

const versionSummarySchema = z.object({
  version: z.string(),
  title: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  hash: z.string(),
  publishedAt: z.iso.datetime().nullable(),
});

const decisionSchema = z.object({
  scheme: z.string(),
  version: z.string(),
  hash: z.string(),
  area: z.enum(policyAreas),
  date: z.string(),
  facts: z.record(z.string(), z.unknown()),
  events: z.array(z.object({ type: z.string(), params: z.record(z.string(), z.unknown()), rule: z.string() })),
  trace: z
    .array(z.unknown())
    .meta({ description: 'Each rule, whether it fired, and each condition with the fact value it saw.' }),
});

export function ruleRoutes(book: RuleBook, publication: Publication) {
  const summary = (scheme: string) =>
    (book.schemes.get(scheme) ?? []).map((version) => ({
      version: version.version,
      title: version.manifest.title,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo,
      hash: version.hash,
      publishedAt: publication.publishedAt.get(`${scheme}@${version.version}`)?.toISOString() ?? null,
    }));
  return [
    defineRoute({
      method: 'get',
      path: '/v1/rules',
      tag: 'rules',
      summary: 'Rule schemes and their versions, with periods and hashes.',
      roles: allRoles,
      responses: {
        200: {
          description: 'Every scheme, versions oldest first.',
          schema: z.object({ schemes: z.array(z.object({ scheme: z.string(), versions: z.array(versionSummarySchema) })) }),
        },
      },
      handle: async () => ({
        status: 200,
        body: { schemes: [...book.schemes.keys()].map((scheme) => ({ scheme, versions: summary(scheme) })) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rules/:scheme/:version',
      tag: 'rules',
      summary: 'One rule version: its manifest and its rule files as published.',
      roles: allRoles,
      params: z.strictObject({ scheme: z.string().max(40), version: z.string().max(32) }),
      responses: {
        200: {
          description: 'The version.',
          schema: versionSummarySchema.extend({ scheme: z.string(), content: z.record(z.string(), z.unknown()) }),
        },
      },
      handle: async ({ params }) => {
        const version = (book.schemes.get(params.scheme) ?? []).find((entry) => entry.version === params.version);
        if (version === undefined) throw new NotFoundError('rule version', `${params.scheme}@${params.version}`);
        const listed = summary(params.scheme).find((entry) => entry.version === params.version);
        return { status: 200, body: { scheme: params.scheme, ...listed, content: version.content } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/rules/evaluate',
      tag: 'rules',
      summary: 'Evaluate one policy area on given facts, as of a date; returns the events and the trace. Writes nothing.',
      roles: ['directorate', 'auditor'],
      writesNothing: true,
      body: z.strictObject({
        scheme: z.string().min(1).max(40),
        area: z.enum(policyAreas),
        date: isoDateSchema.meta({ description: 'The date of the event being decided: incident, enrolment or premium period.' }),
        facts: z.record(z.string(), z.unknown()),
      }),
      responses: { 200: { description: 'The decision, with the version and hash that made it.', schema: decisionSchema } },
      handle: async ({ body }) => {
        try {
          return { status: 200, body: decide(book, body) };
        } catch (error) {
          if (error instanceof UnknownSchemeError) throw new InputError([{ field: 'body.scheme', message: error.message }]);
          if (error instanceof FactsError)
            throw new InputError(error.issues.map((issue) => ({ ...issue, field: `body.${issue.field}` })));
          if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
          throw error;
        }
      },
    }),
  ];
}
