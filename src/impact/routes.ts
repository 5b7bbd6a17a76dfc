import { z } from 'zod';
import { refuseFutureDates } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { defineRoute } from '../shared/http/route.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { reportContentTypes, reportOutputSchema, reportResult, reportTableSchema } from '../shared/table.ts';
import { impactRunParamsSchema, impactRunRequestSchema, impactRunSchema } from './model.ts';
import { beginImpactRun, bookWithVersion, impactRunWithResult, recentImpactRuns } from './runs.ts';

const runsPerPageMax = 200;
// The directorate weighs a change before publishing it; finance budgets for it.
const roles = ['directorate', 'finance'] as const;

// What `askesos rules impact` answers, over HTTP: asked for, it runs in the
// background and is polled, as a replay of the portfolio takes minutes.
export function impactRoutes({
  db,
  rulesDir,
  today,
}: {
  readonly db: Db;
  readonly rulesDir: string;
  readonly today: () => string;
}) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/rules/:scheme/:version/impact',
      tag: 'rules',
      summary:
        'Start the impact of a rule version (a draft, or one published): who would gain or lose cover, what the last 12 months of claims would pay, and the next 12 months of money, beside the rules in force.',
      description:
        'Answers 202 at once with the run to poll at its Location; 409 while two runs are at work. The version is read from the rules folder with the published versions beside it. Writes only the run (and its audit entry). 404 when there is no such version folder; 422 when its rule files do not load, naming each problem.',
      roles,
      params: impactRunParamsSchema,
      body: impactRunRequestSchema,
      responses: {
        202: { description: 'The run, running; poll the Location.', schema: impactRunSchema },
        409: { description: 'As many runs as may be are at work (impact-runs-busy); retry after Retry-After.' },
        422: { description: 'The version’s rule files do not load (rule-set-invalid); the detail names each problem.' },
      },
      handle: async ({ params, body, request }) => {
        const day = body?.today ?? today();
        refuseFutureDates(today(), { 'body.today': day });
        const book = bookWithVersion(rulesDir, params.scheme, params.version);
        const begun = await beginImpactRun(db, book, { ...params, today: day }, request.actor);
        const log = request.log;
        void begun.finished.catch((error: unknown) => log.error({ err: error, impactRunId: begun.run.id }, 'impact run failed'));
        return { status: 202, body: begun.run, headers: { Location: `/v1/rules/impact-runs/${begun.run.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rules/impact-runs',
      tag: 'rules',
      summary: 'Impact runs, newest first, without their tables.',
      roles,
      query: z.strictObject({ limit: pageLimit(runsPerPageMax, 50) }),
      responses: { 200: { description: 'Runs.', schema: z.object({ runs: z.array(impactRunSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { runs: await recentImpactRuns(db, query.limit) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rules/impact-runs/:id',
      tag: 'rules',
      summary: 'An impact run: running, succeeded with its table, or failed with its error.',
      description:
        'format=json (default) answers the run with `result`, the impact table of `askesos rules impact --json` once it has succeeded (null before). csv (locale=en or id) and xlsx answer that table as a file, once the run has succeeded (409 before).',
      roles,
      params: idParams,
      query: reportOutputSchema,
      responses: {
        200: {
          description: 'The run, or its table as a file.',
          schema: impactRunSchema.extend({ result: reportTableSchema.nullable() }),
          files: [reportContentTypes.csv, reportContentTypes.xlsx],
        },
        409: { description: 'A file was asked for and the run has not succeeded (impact-run-not-succeeded).' },
      },
      handle: async ({ params, query }) => {
        const found = await impactRunWithResult(db, params.id);
        if (found === null) throw new NotFoundError('impact run', params.id);
        const { run, result } = found;
        if (query.format === 'json') return { status: 200, body: { ...run, result } };
        if (result === null)
          throw new ConflictError(
            'impact-run-not-succeeded',
            `Impact run ${run.id} is ${run.status}; its table can be downloaded once it has succeeded.`,
          );
        return reportResult(result, query, `impact-${run.scheme}-${run.version}-${run.today}`);
      },
    }),
  ];
}
