import { z } from 'zod';
import { roles } from '../../access/principal.ts';
import { scopeFilter } from '../../access/scope.ts';
import { addMonths } from '../../dates.ts';
import type { Db } from '../../db/knex.ts';
import { keptIndicators } from '../../reports/runs.ts';
import { type FundSummary, fundSummary } from '../../reports/summary.ts';
import type { ReportRow } from '../../shared/table.ts';
import { type ChartData, ChartFigure, DataTable } from '../components.tsx';
import { percentFigure, type Words } from '../i18n/index.ts';
import { definePage } from '../page.ts';
import { schemeName } from './enrolment/refusal.tsx';

const enrolmentStatuses = ['active', 'lapsed', 'rejected'] as const;
const indicators = [
  'incurredClaimsRatio',
  'expenseRatio',
  'combinedRatio',
  'claimsRejectionRatio',
  'renewalRatio',
  'growthRatio',
  'coverageRatio',
  'solvencyRatio',
  'liquidityRatio',
] as const;
const moneyItems = ['cash', 'subsidyReceivable', 'contributionsReceivable', 'caseReserves', 'ibnr', 'unearnedPremium'] as const;

// Sekilas: the fund at a glance, as /v1/summary answers it for the same
// person (a dinsos officer their regency, an LPA its own, the fund's money
// for the national roles only), and the performance indicators of the last
// whole month and its year to date, within the same scope, as the monthly
// job kept them: worked out live they take seconds at national scale, and
// the page is where people wait.
export function glancePage({ db, today }: { readonly db: Db; readonly today: () => string }) {
  return definePage({
    path: '/',
    roles,
    nav: 'nav.glance',
    query: z.strictObject({}),
    render: async ({ viewer: { principal, words } }) => {
      const { t } = words;
      const scope = scopeFilter(principal);
      const national = scope.regencyCode === undefined && scope.lpaId === undefined;
      const month = addMonths(`${today().slice(0, 7)}-01`, -1);
      const [summary, kept] = await Promise.all([fundSummary(db, scope, national), keptIndicators(db, month, scope)]);
      const scopeText =
        scope.lpaId !== undefined
          ? t('glance.scope.lpa')
          : scope.regencyCode !== undefined
            ? t('glance.scope.regency', { code: scope.regencyCode })
            : t('glance.scope.national');
      return {
        kind: 'page',
        title: t('glance.title'),
        scripts: ['chart.umd.min.js', 'glance.js'],
        body: (
          <>
            <p class="lead">{t('glance.scope', { scope: scopeText, date: words.date(today()) })}</p>
            <div class="figures">
              <ByStatus
                words={words}
                id="members-status"
                title={t('glance.membersByStatus')}
                kind="enrolment"
                header={t('column.members')}
                counts={enrolmentStatuses.flatMap((status) => {
                  const count = summary.enrolments.byStatus[status] ?? 0;
                  return count > 0 ? [[status, count] as const] : [];
                })}
              />
              <MembersBy
                words={words}
                id="by-scheme"
                title={t('glance.membersByScheme')}
                header={t('column.scheme')}
                rows={summary.enrolments.byScheme.map((row) => ({ name: schemeName(words, row.scheme), ...row }))}
              />
              <MembersBy
                words={words}
                id="by-province"
                title={t('glance.membersByProvince')}
                header={t('column.province')}
                rows={summary.enrolments.byProvince}
              />
              <ByStatus
                words={words}
                id="claims-status"
                title={t('glance.claimsByStatus')}
                kind="claim"
                header={t('column.claims')}
                counts={Object.entries(summary.claims.byStatus)}
              />
              <Money words={words} money={summary.money} />
              <Indicators words={words} month={month} kept={kept} />
            </div>
          </>
        ),
      };
    },
  });
}

function statusLabel(words: Words, kind: 'enrolment' | 'claim', status: string): string {
  const key = `status.${kind}.${status}`;
  return words.named(key, status);
}

// Members or claims by status: a count each, with their total.
function ByStatus(props: {
  words: Words;
  id: string;
  title: string;
  kind: 'enrolment' | 'claim';
  header: string;
  counts: readonly (readonly [string, number])[];
}) {
  const { words, id, title, kind, header, counts } = props;
  const { t } = words;
  const labels = counts.map(([status]) => statusLabel(words, kind, status));
  return (
    <ChartFigure
      id={id}
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={
        counts.length === 0
          ? null
          : { type: 'doughnut', labels, datasets: [{ label: header, data: counts.map(([, count]) => count) }] }
      }
    >
      <DataTable
        caption={title}
        columns={[{ header: t('column.status') }, { header, numeric: true }]}
        rows={counts.map(([status, count], index) => [labels[index] ?? status, words.count(count)])}
        total={[t('table.total'), words.count(counts.reduce((sum, [, count]) => sum + count, 0))]}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}

// Members of each scheme or province by status: a row each, a column per status.
function MembersBy(props: {
  words: Words;
  id: string;
  title: string;
  header: string;
  rows: readonly { name: string; status: string; enrolments: number }[];
}) {
  const { words, id, title, header, rows } = props;
  const { t } = words;
  const names = [...new Set(rows.map((row) => row.name))];
  const statuses = enrolmentStatuses.filter((status) => rows.some((row) => row.status === status));
  const countOf = (name: string, status: string) =>
    rows.filter((row) => row.name === name && row.status === status).reduce((sum, row) => sum + row.enrolments, 0);
  const chart: ChartData = {
    type: 'bar',
    horizontal: names.length > 4,
    labels: names,
    datasets: statuses.map((status) => ({
      label: statusLabel(words, 'enrolment', status),
      data: names.map((name) => countOf(name, status)),
    })),
  };
  return (
    <ChartFigure id={id} title={title} label={t('glance.chartLabel', { title })} chart={names.length === 0 ? null : chart}>
      <DataTable
        caption={title}
        columns={[{ header }, ...statuses.map((status) => ({ header: statusLabel(words, 'enrolment', status), numeric: true }))]}
        rows={names.map((name) => [name, ...statuses.map((status) => words.count(countOf(name, status)))])}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}

function Money({ words, money }: { words: Words; money: FundSummary['money'] }) {
  const { t } = words;
  const title = t('glance.money');
  if (money === null)
    return (
      <section class="figure" aria-labelledby="money-title">
        <h2 id="money-title">{title}</h2>
        <p class="empty">{t('glance.money.nationalOnly')}</p>
      </section>
    );
  const labels = moneyItems.map((item) => t(`money.${item}`));
  return (
    <ChartFigure
      id="money"
      wide
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={{
        type: 'bar',
        horizontal: true,
        labels,
        datasets: [{ label: t('column.amount'), data: moneyItems.map((item) => money[item]) }],
      }}
    >
      <DataTable
        caption={title}
        columns={[{ header: t('column.item') }, { header: t('column.amount'), numeric: true }]}
        rows={moneyItems.map((item, index) => [labels[index] ?? item, words.rupiah(money[item])])}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}

// A ratio as the chart's percent: a decimal string, as exact as the table's.
function percentOf(row: ReportRow | undefined, key: string): string | null {
  const value = row?.[key];
  return typeof value === 'string' ? percentFigure(value) : null;
}

function Indicators(props: { words: Words; month: string; kept: Awaited<ReturnType<typeof keptIndicators>> }) {
  const { words, month, kept } = props;
  const { t } = words;
  const title = t('glance.indicators', { month: words.month(month) });
  if (kept === null)
    return (
      <section class="figure wide" aria-labelledby="indicators-title">
        <h2 id="indicators-title">{title}</h2>
        <p class="empty">{t('glance.indicators.notKept', { month: words.month(month) })}</p>
      </section>
    );
  const [monthRow, yearRow] = kept.rows;
  const ratio = (row: ReportRow | undefined, key: string) => {
    const value = row?.[key];
    return words.percent(typeof value === 'string' ? value : null);
  };
  const labels = indicators.map((key) => t(`indicator.${key}`));
  const datasets = [
    { label: t('column.month'), data: indicators.map((key) => percentOf(monthRow, key)) },
    { label: t('column.yearToDate'), data: indicators.map((key) => percentOf(yearRow, key)) },
  ];
  // A month with nothing to measure would draw empty axes.
  const measured = datasets.some((dataset) => dataset.data.some((value) => value !== null));
  return (
    <ChartFigure
      id="indicators"
      wide
      title={title}
      label={t('glance.chartLabel', { title })}
      chart={measured ? { type: 'bar', horizontal: true, percent: true, labels, datasets } : null}
    >
      <p class="note">{t('glance.indicators.kept', { date: words.day(kept.run.producedAt) })}</p>
      <DataTable
        caption={title}
        columns={[
          { header: t('column.indicator') },
          { header: t('column.month'), numeric: true },
          { header: t('column.yearToDate'), numeric: true },
        ]}
        rows={indicators.map((key, index) => [labels[index] ?? key, ratio(monthRow, key), ratio(yearRow, key)])}
        empty={t('table.empty')}
      />
    </ChartFigure>
  );
}
