import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { startInBackground, type LaunchableJob } from './launch.ts';
import { jobRunIdSchema, jobRunSchema, jobSchema } from './model.ts';
import { findRun, lastPeriodsDone, listRuns } from './store.ts';

const runsPerPageMax = 500;
// A job's run takes seconds to minutes; a client told to wait this long polls the run meanwhile.
const runningRetryAfterSeconds = 30;
// Finance closes the months; the directorate answers for the fund. The auditor reads runs but starts none.
const startRoles = ['directorate', 'finance'] as const;
const readRoles = ['directorate', 'finance', 'auditor'] as const;

// What `askesos jobs list`, `jobs run` and `jobs status` do, over HTTP, so a
// month is run without stopping the service that holds the embedded database.
export function jobRoutes({ db, jobs }: { readonly db: Db; readonly jobs: readonly LaunchableJob[] }) {
  const jobNamed = (name: string): LaunchableJob => {
    const job = jobs.find((candidate) => candidate.listing.name === name);
    if (job === undefined) throw new NotFoundError('job', name);
    return job;
  };
  const runLocation = (id: string) => `/v1/jobs/runs/${id}`;
  return [
    defineRoute({
      method: 'get',
      path: '/v1/jobs',
      tag: 'jobs',
      summary: 'The scheduled jobs: schedule, period grammar, what each does, and the last period done.',
      roles: [...readRoles],
      responses: { 200: { description: 'Jobs.', schema: z.object({ jobs: z.array(jobSchema) }) } },
      handle: async () => {
        const lastDone = await lastPeriodsDone(db);
        return {
          status: 200,
          body: { jobs: jobs.map((job) => ({ ...job.listing, lastDone: lastDone.get(job.listing.name) ?? null })) },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/jobs/:name/runs',
      tag: 'jobs',
      summary: 'Start a job for a period, as `askesos jobs run` does, while the service goes on serving.',
      description:
        'Answers 202 once the period is claimed, with the run at its Location; the job works on in the service, and GET /v1/jobs/runs/{id} follows it. One run of a job at a time across replicas: while one runs (this period or another) a start is refused with 409 job-running and Retry-After. A period already done answers 200 with the finished run and runs nothing, as the CLI says "already done"; premium-cycle and savings-dues run a done period again (202), booking what became known, and the run stays done meanwhile. A period not begun is refused with 422 period_not_begun. A job that fails after the 202 shows as failed on its run.',
      roles: [...startRoles],
      params: z.strictObject({ name: z.string().min(1).max(100) }),
      body: z.strictObject({
        period: z
          .string()
          .max(10)
          .meta({ description: 'YYYY-MM-DD for a daily job, YYYY-MM for a monthly one (see GET /v1/jobs).' }),
      }),
      responses: {
        200: { description: 'The period was done already: its finished run; nothing ran.', schema: jobRunSchema },
        202: { description: 'The run, claimed and working; follow the Location.', schema: jobRunSchema },
        409: { description: 'The job is running (job-running); retry after Retry-After.' },
        422: { description: 'The period has not begun (period_not_begun).' },
      },
      handle: async ({ params, body, request }) => {
        const job = jobNamed(params.name);
        const problem = job.periodProblem(body.period);
        if (problem !== null) throw new InputError([{ field: 'body.period', message: problem }]);
        const outcome = await startInBackground(job, body.period, request.actor, request.log);
        if (!outcome.started && outcome.why === 'running')
          throw new ConflictError(
            'job-running',
            `${params.name} is running; a job runs one period at a time across replicas. Follow it at GET /v1/jobs/runs?job=${params.name}.`,
            runningRetryAfterSeconds,
          );
        const run = await findRun(db, params.name, body.period);
        // Claimed or done, the period has its row: the claim wrote it in a committed transaction.
        if (run === null) throw new Error(`${params.name} ${body.period} has no run after it was claimed`);
        return { status: outcome.started ? 202 : 200, body: run, headers: { Location: runLocation(run.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/jobs/runs',
      tag: 'jobs',
      summary: 'Scheduled job runs, newest first: status, progress of a run in flight, its summary or why it failed.',
      roles: [...readRoles],
      query: z.strictObject({
        job: z.string().min(1).max(100).optional().meta({ description: 'Only this job’s runs, e.g. premium-cycle.' }),
        limit: pageLimit(runsPerPageMax, 50),
      }),
      responses: { 200: { description: 'Runs.', schema: z.object({ runs: z.array(jobRunSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { runs: await listRuns(db, query) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/jobs/runs/:id',
      tag: 'jobs',
      summary: 'One job run, by its id job:period: status, progress while running, its summary or why it failed.',
      roles: [...readRoles],
      params: z.strictObject({ id: jobRunIdSchema }),
      responses: { 200: { description: 'The run.', schema: jobRunSchema } },
      handle: async ({ params }) => {
        const run = await findRun(db, params.id.job, params.id.period);
        if (run === null) throw new NotFoundError('job run', `${params.id.job}:${params.id.period}`);
        return { status: 200, body: run };
      },
    }),
  ];
}
