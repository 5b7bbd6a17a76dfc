import { z } from 'zod';
import { actorOf } from '../../../access/principal.ts';
import { addMonths, monthsBetween } from '../../../dates.ts';
import type { Db } from '../../../db/knex.ts';
import { NotFoundError, UnprocessableError } from '../../../errors.ts';
import { type LaunchableJob, startInBackground } from '../../../jobs/launch.ts';
import { type JobRun, jobRunId, jobRunIdSchema } from '../../../jobs/model.ts';
import { findRun, lastPeriodsDone, listRuns } from '../../../jobs/store.ts';
import type { Logger } from '../../../log.ts';
import { uuidSchema } from '../../../ids.ts';
import { DataTable, LinkedTable, Notice, PostForm } from '../../components.tsx';
import { type MessageKey, type Words } from '../../i18n/index.ts';
import { defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { type Backfill, backfills } from './backfills.ts';
import { Choice, formRefused, fundReaders, Input, Problems } from './parts.tsx';

const runsShownMax = 50;
// A back-fill is for months missed, not for replaying the fund's history: two years at most.
const backfillMonthsMax = 24;
// Seconds between reloads of a page following work in flight.
const followSeconds = 2;
// As POST /v1/jobs/{name}/runs admits them: the auditor reads runs but starts none.
const starters = ['directorate', 'finance'] as const;

const startBody = z.strictObject({ job: z.string().max(100), period: z.string().max(20) });
const backfillBody = z.strictObject({ job: z.string().max(100), from: z.string().max(20), to: z.string().max(20) });
type StartSent = z.output<typeof startBody>;
type BackfillSent = z.output<typeof backfillBody>;

// Tugas: the scheduled jobs, their runs with progress, a start for one
// period and a back-fill of months. A start is the API's: the job's own
// run, claimed before the page answers and worked on in the background, so
// the run's page follows it, reloading itself until it ends.
export function jobPages({ db, jobs, log, today }: { db: Db; jobs: readonly LaunchableJob[]; log: Logger; today: () => string }) {
  const sequences = backfills(log);
  // Every job runs on the fund's clock, whose zone each listing carries.
  const when = momentsIn(jobs[0]?.listing.timezone ?? 'UTC');
  const jobNamed = (name: string) => jobs.find((job) => job.listing.name === name);

  const jobsPage = async (
    viewer: Viewer,
    state: { start?: StartSent; backfill?: BackfillSent; problems?: string[] } = {},
  ): Promise<PageResult> => {
    const [lastDone, runs] = await Promise.all([lastPeriodsDone(db), listRuns(db, { limit: runsShownMax })]);
    return {
      kind: 'page',
      status: (state.problems ?? []).length > 0 ? 400 : 200,
      title: viewer.words.t('finance.jobs.title'),
      body: (
        <Jobs
          viewer={viewer}
          jobs={jobs}
          lastDone={lastDone}
          runs={runs}
          backfills={sequences.recent()}
          when={when}
          today={today()}
          state={state}
        />
      ),
    };
  };

  return {
    pages: [
      definePage({
        path: '/keuangan/tugas',
        roles: fundReaders,
        nav: 'nav.finance.jobs',
        query: z.strictObject({}),
        render: ({ viewer }) => jobsPage(viewer),
      }),
      definePage({
        path: '/keuangan/tugas/jalan/:id',
        roles: fundReaders,
        query: z.strictObject({ follow: z.literal('0').optional(), already: z.literal('1').optional() }),
        render: async ({ viewer, params, query }) => {
          const id = jobRunIdSchema.safeParse(params.id);
          const run = id.success ? await findRun(db, id.data.job, id.data.period) : null;
          if (run === null) throw new NotFoundError('job run', String(params.id));
          const follow = run.finishedAt === null && query.follow !== '0';
          return {
            kind: 'page',
            title: viewer.words.t('finance.run.title', {
              job: jobName(viewer.words, run.job),
              period: periodText(viewer.words, run.period),
            }),
            body: <RunPage words={viewer.words} run={run} follow={follow} already={query.already === '1'} when={when} />,
          };
        },
      }),
      definePage({
        path: '/keuangan/tugas/isi-mundur/:id',
        roles: fundReaders,
        query: z.strictObject({ follow: z.literal('0').optional() }),
        render: async ({ viewer, params, query }) => {
          const id = uuidSchema.safeParse(params.id);
          const backfill = id.success ? sequences.find(id.data) : undefined;
          if (backfill === undefined) throw new NotFoundError('back-fill', String(params.id));
          const runs = await Promise.all(backfill.months.map((month) => findRun(db, backfill.job, month)));
          const follow = backfill.outcome === 'working' && query.follow !== '0';
          return {
            kind: 'page',
            title: viewer.words.t('finance.backfill.title', { job: jobName(viewer.words, backfill.job) }),
            body: <BackfillPage words={viewer.words} backfill={backfill} runs={runs} follow={follow} when={when} />,
          };
        },
      }),
    ],
    forms: [
      defineForm({
        path: '/keuangan/tugas/mulai',
        roles: starters,
        body: startBody,
        handle: async ({ viewer, body, requestId }) => {
          const { t } = viewer.words;
          const refuse = (problem: string) => jobsPage(viewer, { start: body, problems: [problem] });
          const job = jobNamed(body.job);
          if (job === undefined)
            return refuse(t('finance.problem', { field: t('finance.jobs.job'), message: t('finance.jobs.unknown') }));
          if (job.periodProblem(body.period) !== null) return refuse(periodProblem(viewer.words, 'finance.jobs.period', job));
          try {
            const outcome = await startInBackground(job, body.period, actorOf(viewer.principal, requestId), log);
            if (!outcome.started && outcome.why === 'running')
              return refuse(t('finance.jobs.running', { job: jobName(viewer.words, body.job) }));
            const already = outcome.started ? '' : '?already=1';
            return { kind: 'redirect', to: `/keuangan/tugas/jalan/${jobRunId(job.listing.name, body.period)}${already}` };
          } catch (error) {
            if (error instanceof UnprocessableError)
              return refuse(t('finance.jobs.refused', { reason: refusalText(viewer.words, error) }));
            throw error;
          }
        },
        refused: ({ viewer }) => formRefused(viewer.words, '/keuangan/tugas'),
      }),
      defineForm({
        path: '/keuangan/tugas/isi-mundur',
        roles: starters,
        body: backfillBody,
        handle: async ({ viewer, body, requestId }) => {
          const { t } = viewer.words;
          const refuse = (problems: string[]) => jobsPage(viewer, { backfill: body, problems });
          const job = jobNamed(body.job);
          if (job === undefined || job.listing.period.kind !== 'month')
            return refuse([t('finance.problem', { field: t('finance.jobs.job'), message: t('finance.backfill.monthlyOnly') })]);
          const problems = [
            ...(job.periodProblem(body.from) === null ? [] : [periodProblem(viewer.words, 'finance.backfill.from', job)]),
            ...(job.periodProblem(body.to) === null ? [] : [periodProblem(viewer.words, 'finance.backfill.to', job)]),
          ];
          if (problems.length > 0) return refuse(problems);
          const count = monthsBetween(body.from, body.to) + 1;
          const field = t('finance.backfill.to');
          if (count < 1) return refuse([t('finance.problem', { field, message: t('finance.backfill.toBeforeFrom') })]);
          if (count > backfillMonthsMax)
            return refuse([t('finance.problem', { field, message: t('finance.backfill.tooMany', { max: backfillMonthsMax }) })]);
          // A month not begun would be refused by its run; say so before any month runs.
          if (body.to > today().slice(0, 7))
            return refuse([t('finance.problem', { field, message: t('finance.backfill.notBegun') })]);
          const months = Array.from({ length: count }, (_, offset) => addMonths(body.from, offset));
          const backfill = sequences.start(job, months, actorOf(viewer.principal, requestId));
          return { kind: 'redirect', to: `/keuangan/tugas/isi-mundur/${backfill.id}` };
        },
        refused: ({ viewer }) => formRefused(viewer.words, '/keuangan/tugas'),
      }),
    ],
  };
}

function jobName(words: Words, job: string): string {
  const key = `finance.job.${job}`;
  return words.named(key, job);
}

// A job's period as people read it: a month named, or a day.
function periodText(words: Words, period: string): string {
  return period.length === 7 ? words.month(period) : words.date(period);
}

function periodProblem(words: Words, label: MessageKey, job: LaunchableJob): string {
  const message = words.t(job.listing.period.kind === 'month' ? 'finance.jobs.monthRule' : 'finance.jobs.dayRule', {
    example: job.listing.period.example,
  });
  return words.t('finance.problem', { field: words.t(label), message });
}

// A job's refusal by its code, in the person's words; the job's own sentence when the catalogue has none.
function refusalText(words: Words, error: UnprocessableError): string {
  const key = `finance.jobs.refusal.${error.code}`;
  return words.named(key, error.message);
}

// A moment as the fund's people read it: the day and the time on the fund's clock, with its zone.
type Moment = (words: Words, iso: string | null) => string;

function momentsIn(timezone: string): Moment {
  return (words, iso) =>
    iso === null
      ? '—'
      : new Intl.DateTimeFormat(words.locale === 'id' ? 'id-ID' : 'en-GB', {
          timeZone: timezone,
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZoneName: 'short',
        }).format(new Date(iso));
}

function statusOf(words: Words, run: JobRun | null): string {
  if (run === null) return words.t('finance.run.status.waiting');
  if (run.finishedAt === null) return words.t('finance.run.status.working');
  return words.t(`finance.run.status.${run.status}`);
}

function progressOf(words: Words, run: JobRun | null): string {
  if (run?.progress === null || run?.progress === undefined) return '—';
  const { done, total } = run.progress;
  return total === null
    ? words.t('finance.run.progressUnknown', { done: words.count(done) })
    : words.t('finance.run.progress', { done: words.count(done), total: words.count(total) });
}

// A page following work in flight reloads itself: a meta refresh, as the
// console's Content-Security-Policy runs no inline script. A link stops it,
// for whoever reads the page at their own pace.
function Follow({ words, follow, path }: { words: Words; follow: boolean; path: string }) {
  if (!follow) return null;
  return (
    <>
      <meta http-equiv="refresh" content={String(followSeconds)} />
      <p>
        {words.t('finance.follow.on', { seconds: followSeconds })}{' '}
        <a href={`${path}?follow=0`}>{words.t('finance.follow.stop')}</a>
      </p>
    </>
  );
}

function Jobs(props: {
  viewer: Viewer;
  jobs: readonly LaunchableJob[];
  lastDone: ReadonlyMap<string, string>;
  runs: readonly JobRun[];
  backfills: readonly Backfill[];
  today: string;
  state: { start?: StartSent; backfill?: BackfillSent; problems?: string[] };
  when: Moment;
}) {
  const { viewer, jobs, lastDone, runs, backfills: sequences, today, state, when } = props;
  const { words } = viewer;
  const { t } = words;
  const starts = (starters as readonly string[]).includes(viewer.principal.role);
  const month = today.slice(0, 7);
  const monthly = jobs.filter((job) => job.listing.period.kind === 'month');
  return (
    <>
      <p class="lead">{t('finance.jobs.lead')}</p>
      <Problems words={words} problems={state.problems ?? []} />
      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title">{t('finance.jobs.scheduled')}</h2>
        <DataTable
          caption={t('finance.jobs.scheduled')}
          columns={[
            { header: t('finance.jobs.job') },
            { header: t('finance.jobs.about') },
            { header: t('finance.jobs.schedule') },
            { header: t('finance.jobs.periodKind') },
            { header: t('finance.jobs.lastDone') },
          ]}
          rows={jobs.map((job) => {
            const done = lastDone.get(job.listing.name);
            const kind = job.listing.period.kind;
            return [
              jobName(words, job.listing.name),
              t(`finance.job.${job.listing.name}.about` as MessageKey),
              `${job.listing.schedule} (${job.listing.timezone})`,
              t(`finance.jobs.periodKind.${kind}`),
              done === undefined ? '—' : periodText(words, done),
            ];
          })}
          empty={t('table.empty')}
        />
      </section>
      {starts && (
        <div class="figures">
          <section class="figure" aria-labelledby="start-title">
            <h2 id="start-title">{t('finance.jobs.start')}</h2>
            <p>{t('finance.jobs.startAbout')}</p>
            <PostForm
              action="/keuangan/tugas/mulai"
              csrfToken={viewer.principal.csrfToken}
              submit={t('finance.jobs.startSubmit')}
            >
              <Choice
                id="start-job"
                name="job"
                label={t('finance.jobs.job')}
                value={state.start?.job ?? 'premium-cycle'}
                options={jobs.map((job) => [job.listing.name, jobName(words, job.listing.name)])}
              />
              <Input
                id="start-period"
                name="period"
                type="text"
                label={t('finance.jobs.period')}
                hint={t('finance.jobs.periodHint', { month, day: today })}
                value={state.start?.period ?? month}
                maxLength={10}
              />
            </PostForm>
          </section>
          <section class="figure" aria-labelledby="backfill-title">
            <h2 id="backfill-title">{t('finance.backfill.heading')}</h2>
            <p>{t('finance.backfill.about', { max: backfillMonthsMax })}</p>
            <PostForm
              action="/keuangan/tugas/isi-mundur"
              csrfToken={viewer.principal.csrfToken}
              submit={t('finance.backfill.submit')}
            >
              <Choice
                id="backfill-job"
                name="job"
                label={t('finance.jobs.job')}
                value={state.backfill?.job ?? 'premium-cycle'}
                options={monthly.map((job) => [job.listing.name, jobName(words, job.listing.name)])}
              />
              <Input
                id="backfill-from"
                name="from"
                type="month"
                label={t('finance.backfill.from')}
                value={state.backfill?.from ?? addMonths(month, -2)}
                max={month}
              />
              <Input
                id="backfill-to"
                name="to"
                type="month"
                label={t('finance.backfill.to')}
                value={state.backfill?.to ?? month}
                max={month}
              />
            </PostForm>
          </section>
        </div>
      )}
      {sequences.length > 0 && (
        <section aria-labelledby="backfills-title">
          <h2 id="backfills-title">{t('finance.backfill.recent')}</h2>
          <DataTable
            caption={t('finance.backfill.recent')}
            columns={[
              { header: t('finance.jobs.job') },
              { header: t('finance.backfill.months') },
              { header: t('finance.backfill.settled'), numeric: true },
              { header: t('finance.run.status') },
            ]}
            rows={sequences.map((backfill) => [
              jobName(words, backfill.job),
              `${words.month(backfill.months[0] ?? '')} – ${words.month(backfill.months.at(-1) ?? '')}`,
              `${words.count(backfill.settled.length)} / ${words.count(backfill.months.length)}`,
              t(`finance.backfill.outcome.${backfill.outcome}`),
            ])}
            empty={t('table.empty')}
          />
          <ul>
            {sequences.map((backfill) => (
              <li>
                <a href={`/keuangan/tugas/isi-mundur/${backfill.id}`}>
                  {t('finance.backfill.open', {
                    job: jobName(words, backfill.job),
                    from: words.month(backfill.months[0] ?? ''),
                    to: words.month(backfill.months.at(-1) ?? ''),
                  })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">{t('finance.jobs.runs')}</h2>
        <RunsTable words={words} runs={runs} when={when} />
      </section>
    </>
  );
}

function RunsTable({ words, runs, when }: { words: Words; runs: readonly JobRun[]; when: Moment }) {
  const { t } = words;
  if (runs.length === 0) return <p class="empty">{t('finance.jobs.noRuns')}</p>;
  return (
    <div class="figure-table" tabIndex={0} role="region" aria-label={t('finance.jobs.runs')}>
      <LinkedTable
        caption={t('finance.jobs.runs')}
        columns={[
          { header: t('finance.jobs.job') },
          { header: t('finance.jobs.period') },
          { header: t('finance.run.status') },
          { header: t('finance.run.progressHeader') },
          { header: t('finance.run.startedAt') },
          { header: t('finance.run.finishedAt') },
        ]}
        rows={runs.map((run) => [
          <a href={`/keuangan/tugas/jalan/${run.id}`}>{jobName(words, run.job)}</a>,
          periodText(words, run.period),
          statusOf(words, run),
          progressOf(words, run),
          when(words, run.startedAt),
          when(words, run.finishedAt),
        ])}
        empty={t('finance.jobs.noRuns')}
      />
    </div>
  );
}

function RunPage(props: { words: Words; run: JobRun; follow: boolean; already: boolean; when: Moment }) {
  const { words, run, follow, already, when } = props;
  const { t } = words;
  const summary = run.finishedAt === null ? [] : Object.entries(run.detail);
  return (
    <>
      <p>
        <a href="/keuangan/tugas">{t('finance.jobs.back')}</a>
      </p>
      <Follow words={words} follow={follow} path={`/keuangan/tugas/jalan/${run.id}`} />
      {already && <Notice kind="info">{t('finance.run.already')}</Notice>}
      <p class="lead">{t('finance.run.background')}</p>
      {run.failure !== null && <Notice kind="error">{t('finance.run.failure', { failure: run.failure })}</Notice>}
      <section aria-labelledby="run-title">
        <h2 id="run-title">{t('finance.run.state')}</h2>
        <dl class="details">
          <dt>{t('finance.run.status')}</dt>
          <dd>{statusOf(words, run)}</dd>
          <dt>{t('finance.run.progressHeader')}</dt>
          <dd>
            {progressOf(words, run)}
            {run.progress?.total != null && run.progress.total > 0 && (
              <>
                {' '}
                <progress max={run.progress.total} value={run.progress.done} aria-label={t('finance.run.progressHeader')} />
              </>
            )}
          </dd>
          <dt>{t('finance.run.startedAt')}</dt>
          <dd>{when(words, run.startedAt)}</dd>
          <dt>{t('finance.run.heartbeatAt')}</dt>
          <dd>{when(words, run.heartbeatAt)}</dd>
          <dt>{t('finance.run.finishedAt')}</dt>
          <dd>{when(words, run.finishedAt)}</dd>
        </dl>
      </section>
      {summary.length > 0 && (
        <section aria-labelledby="summary-title">
          <h2 id="summary-title">{t('finance.run.summary')}</h2>
          <DataTable
            caption={t('finance.run.summary')}
            columns={[{ header: t('column.item') }, { header: t('finance.run.value') }]}
            rows={summary.map(([name, value]) => [name, summaryValue(words, value)])}
            empty={t('table.empty')}
          />
        </section>
      )}
    </>
  );
}

// A month of a back-fill: its run's status once the back-fill has reached
// it; before, the store may still hold the month's earlier run, which is not this one.
function monthStatus(words: Words, backfill: Backfill, month: string, run: JobRun | null): string {
  if (backfill.settled.includes(month) || run?.finishedAt === null) return statusOf(words, run);
  if (backfill.outcome === 'failed' && backfill.months[backfill.settled.length] === month)
    return words.t('finance.run.status.failed');
  return words.t(backfill.outcome === 'working' ? 'finance.run.status.waiting' : 'finance.run.status.notRun');
}

// A job's summary is its own: figures are written as figures (a decimal
// string is rupiah, a YYYY-MM a month), a list of lines one line each.
function summaryValue(words: Words, value: unknown): string {
  if (typeof value === 'number') return words.count(value);
  if (typeof value === 'string') {
    if (/^-?\d+\.\d{2}$/.test(value)) return words.rupiah(value);
    if (/^\d{4}-\d{2}$/.test(value)) return words.month(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => summaryValue(words, item)).join('; ') || '—';
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([name, item]) => `${name} ${summaryValue(words, item)}`)
      .join(', ');
  return String(value);
}

function BackfillPage(props: {
  words: Words;
  backfill: Backfill;
  runs: readonly (JobRun | null)[];
  follow: boolean;
  when: Moment;
}) {
  const { words, backfill, runs, follow, when } = props;
  const { t } = words;
  return (
    <>
      <p>
        <a href="/keuangan/tugas">{t('finance.jobs.back')}</a>
      </p>
      <Follow words={words} follow={follow} path={`/keuangan/tugas/isi-mundur/${backfill.id}`} />
      <p class="lead">
        {t('finance.backfill.progress', {
          settled: words.count(backfill.settled.length),
          months: words.count(backfill.months.length),
        })}
      </p>
      <p>{t(`finance.backfill.outcome.${backfill.outcome}.about`, { failure: backfill.failure ?? '' })}</p>
      <section aria-labelledby="months-title">
        <h2 id="months-title">{t('finance.backfill.months')}</h2>
        <LinkedTable
          caption={t('finance.backfill.months')}
          columns={[
            { header: t('finance.jobs.period') },
            { header: t('finance.run.status') },
            { header: t('finance.run.progressHeader') },
            { header: t('finance.run.finishedAt') },
          ]}
          rows={backfill.months.map((month, index) => {
            const run = runs[index] ?? null;
            return [
              run === null ? words.month(month) : <a href={`/keuangan/tugas/jalan/${run.id}`}>{words.month(month)}</a>,
              monthStatus(words, backfill, month, run),
              progressOf(words, run),
              when(words, run?.finishedAt ?? null),
            ];
          })}
          empty={t('table.empty')}
        />
      </section>
    </>
  );
}
