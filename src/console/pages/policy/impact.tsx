import { z } from 'zod';
import { actorOf } from '../../../access/principal.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../../errors.ts';
import type { ImpactRun } from '../../../impact/model.ts';
import { beginImpactRun, bookWithVersion, impactRunWithResult, recentImpactRuns } from '../../../impact/runs.ts';
import type { ReportTable } from '../../../shared/table.ts';
import { ChartFigure, DataTable, Notice, PostForm } from '../../components.tsx';
import type { MessageKey, Words } from '../../i18n/index.ts';
import { claimLabels } from '../claims/labels.tsx';
import { type ConsoleOptions, defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { VersionFields } from './draft.tsx';
import { findVersion, impactRoles, versionParams, versionPath } from './versions.ts';

// Dampak: what a version would do to the fund, as an impact run answers it
// (POST /v1/rules/{scheme}/{version}/impact, then GET the run): who gains
// or loses cover, what the last year's claims would be paid, and the next
// year's money, each as a table with its chart beside it. A run works in
// the background; while it does, the page reloads itself (policy.js).

// Runs looked through for a version's latest.
const recentRunsMax = 50;
const moneyMeasures = ['subsidy', 'stateBudget', 'expectedClaims', 'fundNet'] as const;

type Row = Readonly<Record<string, string | number | null>>;

export function impactPages({ db, rules, today }: ConsoleOptions) {
  return {
    page: definePage({
      path: '/kebijakan/:scheme/:version/dampak',
      roles: impactRoles,
      query: z.strictObject({ run: z.uuid().optional(), busy: z.literal('1').optional() }),
      render: async ({ viewer, params, query }): Promise<PageResult> => {
        const { scheme, version } = versionParams(params);
        const { t } = viewer.words;
        findVersion(rules, scheme, version);
        const found = query.run === undefined ? await latestRun(db, scheme, version) : await impactRunWithResult(db, query.run);
        if (query.run !== undefined && (found === null || found.run.scheme !== scheme || found.run.version !== version))
          throw new NotFoundError('impact run', query.run);
        const running = found?.run.status === 'running';
        return {
          kind: 'page',
          title: t('policy.impact.title', { scheme, version }),
          scripts: running ? ['policy.js'] : found?.result == null ? [] : ['chart.umd.min.js', 'glance.js'],
          body: (
            <>
              {query.busy === '1' && <Notice kind="error">{t('policy.impact.busy')}</Notice>}
              <StartRun viewer={viewer} scheme={scheme} version={version} today={today()} />
              {found === null ? (
                <p>{t('policy.impact.none')}</p>
              ) : (
                <RunOutcome words={viewer.words} run={found.run} result={found.result} />
              )}
              <p>
                <a href={versionPath(scheme, version)}>{t('policy.publish.back', { version })}</a>
              </p>
            </>
          ),
        };
      },
    }),
    form: defineForm({
      path: '/kebijakan/dampak',
      roles: impactRoles,
      body: z.strictObject({ scheme: z.string().max(40), version: z.string().max(32) }),
      handle: async ({ viewer, body, requestId }) => {
        const { scheme, version } = versionParams(body);
        const base = `${versionPath(scheme, version)}/dampak`;
        try {
          const book = bookWithVersion(rules.dir, scheme, version);
          const begun = await beginImpactRun(db, book, { scheme, version, today: today() }, actorOf(viewer.principal, requestId));
          // A run that fails keeps its error on the run, which its page shows.
          begun.finished.catch(() => undefined);
          return { kind: 'redirect', to: `${base}?run=${begun.run.id}` };
        } catch (error) {
          if (error instanceof ConflictError) return { kind: 'redirect', to: `${base}?busy=1` };
          // A draft whose files do not load: its own page names each problem.
          if (error instanceof UnprocessableError) return { kind: 'redirect', to: versionPath(scheme, version) };
          throw error;
        }
      },
      refused: () => ({ kind: 'redirect', to: '/kebijakan' }),
    }),
  };
}

async function latestRun(db: ConsoleOptions['db'], scheme: string, version: string) {
  const run = (await recentImpactRuns(db, recentRunsMax)).find((entry) => entry.scheme === scheme && entry.version === version);
  return run === undefined ? null : impactRunWithResult(db, run.id);
}

function StartRun(props: { readonly viewer: Viewer; readonly scheme: string; readonly version: string; readonly today: string }) {
  const { viewer, scheme, version, today } = props;
  const { t } = viewer.words;
  return (
    <PostForm action="/kebijakan/dampak" csrfToken={viewer.principal.csrfToken} submit={t('policy.impact.start')}>
      <p class="hint">{t('policy.impact.startHint', { date: viewer.words.date(today) })}</p>
      <VersionFields scheme={scheme} version={version} />
    </PostForm>
  );
}

function RunOutcome({
  words,
  run,
  result,
}: {
  readonly words: Words;
  readonly run: ImpactRun;
  readonly result: ReportTable | null;
}) {
  const { t } = words;
  const heading = t('policy.impact.run', { date: words.date(run.today), who: run.requestedBy });
  if (run.status === 'running')
    return (
      <div data-refresh="2" class="policy-running">
        <Notice kind="info">
          {t('policy.impact.running', {
            done: words.count(run.progress?.done ?? 0),
            total: run.progress?.total == null ? '…' : words.count(run.progress.total),
          })}
        </Notice>
        <p>
          <a href={`${versionPath(run.scheme, run.version)}/dampak?run=${run.id}`}>{t('policy.impact.reload')}</a>
        </p>
      </div>
    );
  if (run.status === 'failed' || result === null)
    return (
      <Notice kind="error">
        {t('policy.impact.failed')} {run.error ?? ''}
      </Notice>
    );
  const rows = result.rows as readonly Row[];
  return (
    <>
      <p class="lead">{heading}</p>
      <p class="hint">
        {t('policy.impact.about', {
          inForce: String(result.about?.inForce ?? ''),
          proposed: String(result.about?.proposed ?? ''),
        })}
      </p>
      <div class="figures">
        <CoverFigure words={words} rows={rows} />
        <ShiftFigure words={words} rows={rows} />
        <ClaimsFigure words={words} rows={rows} />
        <MoneyFigure words={words} rows={rows} />
      </div>
    </>
  );
}

const pick = (rows: readonly Row[], section: string, measure: string, by: string) =>
  rows.filter((row) => row.section === section && row.measure === measure && row.by === by);
const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));
const whole = (value: string | number | null | undefined) => Number(value ?? 0);

// Members in cover under the rules in force and under the proposal.
function CoverFigure({ words, rows }: { readonly words: Words; readonly rows: readonly Row[] }) {
  const { t } = words;
  const cover = pick(rows, 'eligibility', 'in cover', 'all')[0];
  const count = (measure: string) => whole(pick(rows, 'eligibility', measure, 'all')[0]?.count);
  const title = t('policy.impact.cover');
  const labels = [t('policy.impact.inForce'), t('policy.impact.proposed')];
  return (
    <ChartFigure
      id="impact-cover"
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={{
        type: 'bar',
        labels,
        datasets: [{ label: t('policy.impact.members'), data: [whole(cover?.inForce), whole(cover?.proposed)] }],
      }}
    >
      <DataTable
        caption={title}
        columns={[{ header: t('policy.column.what') }, { header: t('policy.impact.people'), numeric: true }]}
        rows={[
          [t('policy.impact.decided'), words.count(count('decided'))],
          [t('policy.impact.coverInForce'), words.count(whole(cover?.inForce))],
          [t('policy.impact.coverProposed'), words.count(whole(cover?.proposed))],
          [t('policy.impact.gain'), words.count(count('gain cover'))],
          [t('policy.impact.lose'), words.count(count('lose cover'))],
        ]}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}

// Who gains or loses cover, by province.
function ShiftFigure({ words, rows }: { readonly words: Words; readonly rows: readonly Row[] }) {
  const { t } = words;
  const gain = pick(rows, 'eligibility', 'gain cover', 'province');
  const lose = pick(rows, 'eligibility', 'lose cover', 'province');
  const provinces = [...new Set([...gain, ...lose].map((row) => text(row.group)))].sort();
  const countIn = (shift: readonly Row[], province: string) => whole(shift.find((row) => row.group === province)?.count);
  const title = t('policy.impact.shift');
  return (
    <ChartFigure
      id="impact-shift"
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={
        provinces.length === 0
          ? null
          : {
              type: 'bar',
              labels: provinces,
              datasets: [
                { label: t('policy.impact.gain'), data: provinces.map((province) => countIn(gain, province)) },
                { label: t('policy.impact.lose'), data: provinces.map((province) => countIn(lose, province)) },
              ],
            }
      }
    >
      <DataTable
        caption={title}
        columns={[
          { header: t('column.province') },
          { header: t('policy.impact.gain'), numeric: true },
          { header: t('policy.impact.lose'), numeric: true },
        ]}
        rows={provinces.map((province) => [province, words.count(countIn(gain, province)), words.count(countIn(lose, province))])}
        empty={t('policy.impact.noShift')}
      />
    </ChartFigure>
  );
}

// The last year's claims judged again: what each rule set pays, by claim type.
function ClaimsFigure({ words, rows }: { readonly words: Words; readonly rows: readonly Row[] }) {
  const { t } = words;
  const types = pick(rows, 'claims', 'paid', 'claim type');
  const typeName = (row: Row) => claimLabels(words).claimType(text(row.group));
  const total = pick(rows, 'claims', 'paid', 'all')[0];
  const title = t('policy.impact.claims');
  const figures = (row: Row) => [
    words.count(whole(row.count)),
    words.count(whole(row.changed)),
    words.rupiah(text(row.inForce)),
    words.rupiah(text(row.proposed)),
    words.rupiah(text(row.delta)),
  ];
  return (
    <ChartFigure
      id="impact-claims"
      wide
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={
        types.length === 0
          ? null
          : {
              type: 'bar',
              labels: types.map(typeName),
              datasets: [
                { label: t('policy.impact.inForce'), data: types.map((row) => text(row.inForce)) },
                { label: t('policy.impact.proposed'), data: types.map((row) => text(row.proposed)) },
              ],
            }
      }
    >
      <DataTable
        caption={title}
        columns={[
          { header: t('policy.impact.claimType') },
          { header: t('policy.impact.claimCount'), numeric: true },
          { header: t('policy.impact.changed'), numeric: true },
          { header: t('policy.impact.paidInForce'), numeric: true },
          { header: t('policy.impact.paidProposed'), numeric: true },
          { header: t('policy.impact.delta'), numeric: true },
        ]}
        rows={types.map((row) => [typeName(row), ...figures(row)])}
        {...(total === undefined ? {} : { total: [t('table.total'), ...figures(total)] })}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}

// The next year's money, month by month, under each rule set.
function MoneyFigure({ words, rows }: { readonly words: Words; readonly rows: readonly Row[] }) {
  const { t } = words;
  const months = pick(rows, 'money', 'members', 'month').map((row) => text(row.group));
  const figure = (measure: string, month: string) =>
    rows.find((row) => row.section === 'money' && row.measure === measure && row.group === month);
  const title = t('policy.impact.money');
  const measureName = (measure: (typeof moneyMeasures)[number]) => t(`policy.impact.measure.${measure}` as MessageKey);
  return (
    <ChartFigure
      id="impact-money"
      wide
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={{
        type: 'bar',
        labels: months.map((month) => words.month(month)),
        datasets: (['stateBudget', 'expectedClaims'] as const).flatMap((measure) => [
          {
            label: `${measureName(measure)} (${t('policy.impact.inForce')})`,
            data: months.map((month) => text(figure(measure, month)?.inForce)),
          },
          {
            label: `${measureName(measure)} (${t('policy.impact.proposed')})`,
            data: months.map((month) => text(figure(measure, month)?.proposed)),
          },
        ]),
      }}
    >
      {/* Each measure heads its two columns, in force and proposed: the table stays narrow enough to read. */}
      <table class="policy-money">
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t('policy.impact.month')}
            </th>
            {moneyMeasures.map((measure) => (
              <th scope="colgroup" colSpan={2} class="num">
                {measureName(measure)}
              </th>
            ))}
          </tr>
          <tr>
            {moneyMeasures.flatMap(() => [
              <th scope="col" class="num">
                {t('policy.impact.inForce')}
              </th>,
              <th scope="col" class="num">
                {t('policy.impact.proposed')}
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {months.map((month) => (
            <tr>
              <th scope="row">{words.month(month)}</th>
              {moneyMeasures.flatMap((measure) => [
                <td class="num">{words.rupiah(text(figure(measure, month)?.inForce))}</td>,
                <td class="num">{words.rupiah(text(figure(measure, month)?.proposed))}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFigure>
  );
}
