import { z } from 'zod';
import { ConflictError, InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import { defineRoute } from '../shared/http/route.ts';
import { policyAreas } from './catalogue.ts';
import { decide, FactsError, RuleNotInForceError, UnknownSchemeError } from './evaluate.ts';
import { diffVersions } from './diff.ts';
import { DraftError, listDrafts, makeDraftWithValues } from './drafts.ts';
import type { RuleBook } from './load.ts';
import { isoDateSchema } from '../dates.ts';
import { formatProblem, RuleSetError } from './problems.ts';
import {
  bookWith,
  publicationRefused,
  publishReviewed,
  reviewPublication,
  reviewWithdrawal,
  type RuleActOptions,
  withdrawReviewed,
} from './acts.ts';
import { sourceSchema } from './source.ts';

const allRoles = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;
// A draft changes a handful of a version's values; a version has a few dozen.
const draftValuesMax = 200;

const versionSummarySchema = z.object({
  version: z.string(),
  title: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  hash: z.string(),
  publishedAt: z.iso.datetime({ offset: true }).nullable(),
  publishedBy: z.string().nullable(),
});

const draftSummarySchema = z.object({
  version: z.string(),
  effectiveFrom: z.string().nullable(),
  hash: z.string().nullable(),
  problems: z
    .array(z.string())
    .meta({ description: 'Why the draft does not load, file and JSON path first; empty when it does.' }),
});

const versionParams = z.strictObject({
  scheme: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a scheme name'),
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, 'must be a version name'),
});

const publicationAnswerSchema = z.object({
  scheme: z.string(),
  version: z.string(),
  hash: z.string(),
  effectiveFrom: z.string(),
  published: z.boolean().meta({ description: 'false for a dry run' }),
  ended: z.array(z.object({ version: z.string(), effectiveTo: z.string(), wasEffectiveTo: z.string().nullable() })),
  diff: z.array(z.string()),
  cases: z.object({ passed: z.int(), failed: z.array(z.object({ version: z.string(), name: z.string(), file: z.string() })) }),
  decisionsChanged: z
    .array(
      z.object({
        kind: z.enum(['claim', 'enrolment']),
        id: z.string(),
        date: z.string(),
        before: z.string(),
        after: z.string(),
        who: z.string(),
      }),
    )
    .meta({ description: 'For a retroactive version: each decision already made that it would have made otherwise.' }),
});

export type RuleRouteOptions = RuleActOptions;

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

export function ruleRoutes(book: RuleBook, options: RuleRouteOptions) {
  const summary = (scheme: string) =>
    (book.schemes.get(scheme) ?? []).map((version) => ({
      version: version.version,
      title: version.manifest.title,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo,
      hash: version.hash,
      publishedAt: version.publication?.publishedAt ?? null,
      publishedBy: version.publication?.publishedBy ?? null,
    }));
  return [
    defineRoute({
      method: 'get',
      path: '/v1/rules',
      tag: 'rules',
      summary: 'Rule schemes, their published versions (periods, hashes, who published) and their drafts.',
      roles: allRoles,
      responses: {
        200: {
          description: 'Every scheme, versions oldest first; drafts are never used to decide anything.',
          schema: z.object({
            schemes: z.array(
              z.object({ scheme: z.string(), versions: z.array(versionSummarySchema), drafts: z.array(draftSummarySchema) }),
            ),
          }),
        },
      },
      handle: async () => {
        const drafts = listDrafts(options.dir);
        const schemes = [...new Set([...book.schemes.keys(), ...drafts.map((draft) => draft.scheme)])];
        return {
          status: 200,
          body: {
            schemes: schemes.map((scheme) => ({
              scheme,
              versions: summary(scheme),
              drafts: drafts.filter((draft) => draft.scheme === scheme).map(({ scheme: _scheme, ...draft }) => draft),
            })),
          },
        };
      },
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
      method: 'get',
      path: '/v1/rules/:scheme/:version/diff',
      tag: 'rules',
      summary:
        'What a version (draft or published) changes against another: each parameter and each value it reaches, old → new.',
      roles: allRoles,
      params: versionParams,
      query: z.strictObject({
        against: versionParams.shape.version
          .optional()
          .meta({ description: 'The version to compare with; by default the one before it.' }),
      }),
      responses: {
        200: {
          description: 'The diff, in the directorate’s words.',
          schema: z.object({ from: z.string(), to: z.string(), lines: z.array(z.string()) }),
        },
      },
      handle: async ({ params, query }) => {
        const versions = bookWith(options.dir, params.scheme, params.version).schemes.get(params.scheme) ?? [];
        const index = versions.findIndex((entry) => entry.version === params.version);
        const to = versions[index];
        const from =
          query.against === undefined ? versions[index - 1] : versions.find((entry) => entry.version === query.against);
        if (to === undefined) throw new NotFoundError('rule version', `${params.scheme}/${params.version}`);
        if (from === undefined)
          throw new InputError([
            {
              field: 'query.against',
              message:
                query.against === undefined ? 'the version is the scheme’s first: name one to compare with' : 'no such version',
            },
          ]);
        return { status: 200, body: { from: from.version, to: to.version, lines: diffVersions(from, to) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/rules/:scheme/drafts',
      tag: 'rules',
      summary:
        'Make a draft from a version: its files copied, the values given changed (with the decision that sets them as their source), validated as any rule file is, and its cases recorded with what it decides. Nothing decides by it until it is published.',
      roles: ['directorate'],
      params: versionParams.pick({ scheme: true }),
      body: z.strictObject({
        from: versionParams.shape.version.meta({ description: 'The version to start from, e.g. 2027.3.' }),
        effectiveFrom: isoDateSchema.meta({ description: 'The day the draft would take effect.' }),
        version: versionParams.shape.version
          .optional()
          .meta({ description: 'The draft’s name; by default its year and the next number, e.g. 2028.1.' }),
        values: z
          .record(z.string().max(80), z.string().min(1).max(300))
          .refine((values) => Object.keys(values).length <= draftValuesMax, `at most ${draftValuesMax} values`)
          .meta({
            description: 'New values of the version’s parameters, as a manifest writes them: {"ceiling.death": "6000000.00"}.',
          }),
        source: sourceSchema.meta({ description: 'The decision that sets the changed values.' }),
        note: z.string().trim().min(3).max(2000).meta({ description: 'Why, added to the manifest’s notes.' }),
        title: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .meta({ description: 'What the version is; by default the source’s title.' }),
      }),
      responses: {
        201: {
          description: 'The draft, stored and valid.',
          schema: z.object({
            scheme: z.string(),
            version: z.string(),
            hash: z.string(),
            effectiveFrom: z.string(),
            changed: z.array(z.string()),
            cases: z.int(),
          }),
        },
        409: { description: 'No such scheme or version to start from, or a version of that name exists (rule-draft-refused).' },
        422: {
          description:
            'The draft does not validate (rule-set-invalid); nothing is stored, the detail names each file and JSON path.',
        },
      },
      handle: async ({ params, body }) => {
        const { version, title, ...rest } = body;
        try {
          const made = makeDraftWithValues(options.dir, book, {
            scheme: params.scheme,
            ...rest,
            ...(version === undefined ? {} : { version }),
            ...(title === undefined ? {} : { title }),
          });
          return { status: 201, body: { scheme: params.scheme, ...made } };
        } catch (error) {
          if (error instanceof RuleSetError)
            throw new UnprocessableError('rule-set-invalid', error.problems.map(formatProblem).join('\n'));
          if (error instanceof DraftError) throw new ConflictError('rule-draft-refused', error.message);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/rules/:scheme/:version/publish',
      tag: 'rules',
      summary:
        'Publish a draft as an act: validate it, run every case with it in the book, refuse a date before today, set the end of the version before, and record who published it in the audit log. dryRun shows all of it and writes nothing.',
      roles: ['directorate'],
      params: versionParams,
      body: z
        .strictObject({
          dryRun: z.boolean().default(false),
          retroactive: z
            .strictObject({
              reason: z.string().trim().min(3).max(2000),
              keepDecisions: z
                .boolean()
                .default(false)
                .meta({ description: 'Keep the decisions already made that it would have made otherwise, as they were made.' }),
            })
            .optional()
            .meta({ description: 'Allow a date before today; every decision already made that it would change is listed.' }),
        })
        .default({ dryRun: false }),
      responses: {
        200: { description: 'A dry run: what publishing would do; nothing was written.', schema: publicationAnswerSchema },
        201: { description: 'Published: the service decides by it from its first day.', schema: publicationAnswerSchema },
      },
      handle: async ({ params, body, request }) => {
        const review = await reviewPublication(book, options, {
          ...params,
          ...(body.retroactive === undefined ? {} : { retroactive: body.retroactive }),
        });
        const { check } = review;
        if (check.refusals.length > 0) throw publicationRefused(review);
        const answer = {
          scheme: params.scheme,
          version: params.version,
          hash: check.draft.hash,
          effectiveFrom: check.draft.effectiveFrom,
          ended: check.ended,
          diff: check.diff,
          cases: {
            passed: check.cases.passed,
            failed: check.cases.failed.map((result) => ({ version: result.folder, name: result.name, file: result.file })),
          },
          decisionsChanged: review.retroactive?.changed ?? [],
        };
        if (body.dryRun) return { status: 200, body: { ...answer, published: false } };
        await publishReviewed(options, review, request.actor);
        return { status: 201, body: { ...answer, published: true } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/rules/:scheme/:version/withdraw',
      tag: 'rules',
      summary:
        'Withdraw a published version before it comes into force, with the reason: it decides nothing, the version before it runs on, and the act is in the audit log. A version in force cannot be withdrawn.',
      roles: ['directorate'],
      params: versionParams,
      body: z.strictObject({ reason: z.string().trim().min(3).max(2000), dryRun: z.boolean().default(false) }),
      responses: {
        200: {
          description: 'Withdrawn, or for a dry run what withdrawing would do.',
          schema: z.object({
            scheme: z.string(),
            version: z.string(),
            withdrawn: z.boolean(),
            restored: z.array(z.object({ version: z.string(), effectiveTo: z.string().nullable(), wasEffectiveTo: z.string() })),
          }),
        },
      },
      handle: async ({ params, body, request }) => {
        const check = reviewWithdrawal(book, options, params);
        const answer = { scheme: params.scheme, version: params.version, restored: check.restored };
        if (body.dryRun) {
          if (check.refusals.length > 0)
            throw new UnprocessableError(
              'rule-version-refused',
              `${params.scheme}@${params.version} is not withdrawn: ${check.refusals.join('; ')}.`,
            );
          return { status: 200, body: { ...answer, withdrawn: false } };
        }
        await withdrawReviewed(options, check, { ...params, reason: body.reason }, request.actor);
        return { status: 200, body: { ...answer, withdrawn: true } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/rules/evaluate',
      tag: 'rules',
      summary:
        'Evaluate one policy area on given facts, as of a date, and explain it: the events and the trace of why each rule fired or not. With draft, the draft is in the book. Writes nothing.',
      roles: ['directorate', 'auditor'],
      writesNothing: true,
      body: z.strictObject({
        scheme: z.string().min(1).max(40),
        area: z.enum(policyAreas),
        date: isoDateSchema.meta({ description: 'The date of the event being decided: incident, enrolment or premium period.' }),
        facts: z.record(z.string(), z.unknown()),
        draft: versionParams.shape.version
          .optional()
          .meta({ description: 'A draft of the scheme to decide with, as if published: it decides the dates of its period.' }),
      }),
      responses: { 200: { description: 'The decision, with the version and hash that made it.', schema: decisionSchema } },
      handle: async ({ body }) => {
        const { draft, ...request } = body;
        const deciding = draft === undefined ? book : bookWith(options.dir, body.scheme, draft);
        try {
          return { status: 200, body: decide(deciding, request) };
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
