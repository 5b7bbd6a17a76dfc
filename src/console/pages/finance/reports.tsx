import { LinkedTable } from '../../components.tsx';
import type { IndicatorGrouping } from '../../../reports/indicator-groups.ts';
import { z } from 'zod';
import { addMonths } from '../../../dates.ts';
import type { Db } from '../../../db/knex.ts';
import { NotFoundError } from '../../../errors.ts';
import { lastDayOfMonth } from '../../../ledger/periods.ts';
import { dataQualityQuerySchema } from '../../../registry/index.ts';
import { arrearsReportQuerySchema } from '../../../reports/arrears.ts';
import { retentionQuerySchema, subsidyCostGroupings, subsidyCostQuerySchema } from '../../../reports/cohorts.ts';
import { fundStatementQuerySchema } from '../../../reports/fund-statement.ts';
import { honorariumReportQuerySchema } from '../../../reports/honorarium.ts';
import { indicatorGroupings } from '../../../reports/indicator-groups.ts';
import { indicatorReportQuerySchema } from '../../../reports/indicator-report.ts';
import { lpaProgressQuerySchema } from '../../../reports/lpa-progress.ts';
import type { ReportRun } from '../../../reports/model.ts';
import { reserveReportQuerySchema } from '../../../reports/reserves.ts';
import { listReportRuns } from '../../../reports/store.ts';
import { reportFormats, reportLocales, reportOutputSchema } from '../../../shared/table.ts';
import type { MessageKey, Words } from '../../i18n/index.ts';
import { definePage, type PageResult } from '../../page.ts';
import { Choice, fundReaders, Input, Problems } from './parts.tsx';

const runsShownMax = 50;
const queryValueLengthMax = 100;

// A parameter of a report, as its API query schema takes it.
interface Parameter {
  readonly name: string;
  readonly label: MessageKey;
  readonly type: 'date' | 'month' | 'number' | 'text' | 'choice';
  readonly required: boolean;
  readonly options?: readonly string[];
  // What the form offers first, from today.
  readonly initial: (today: string) => string;
}

// A report of the catalogue: the API route that answers it (in every
// format, to a session cookie as to a key) and the schema it parses.
interface Report {
  readonly key: string;
  readonly api: string;
  readonly schema: z.ZodType;
  readonly parameters: readonly Parameter[];
}

const lastMonth = (today: string) => addMonths(today, -1);
const lastMonthStart = (today: string) => `${lastMonth(today)}-01`;
const lastMonthEnd = (today: string) => lastDayOfMonth(lastMonth(today));
const none = () => '';
const dateParameter = (name: string, label: MessageKey, initial: Parameter['initial']): Parameter => ({
  name,
  label,
  type: 'date',
  required: true,
  initial,
});
const period = [
  dateParameter('from', 'finance.parameter.fromDay', lastMonthStart),
  dateParameter('to', 'finance.parameter.toDay', lastMonthEnd),
];

// Every report the API offers finance, in the order finance reads them at a month's end.
export const reports: readonly Report[] = [
  { key: 'fund-statement', api: '/v1/reports/fund-statement', schema: fundStatementQuerySchema, parameters: period },
  {
    key: 'reserves',
    api: '/v1/reports/reserves',
    schema: reserveReportQuerySchema,
    parameters: [dateParameter('asOf', 'finance.parameter.asOf', lastMonthEnd)],
  },
  {
    key: 'indicators',
    api: '/v1/reports/indicators',
    schema: indicatorReportQuerySchema,
    parameters: [
      { name: 'month', label: 'finance.parameter.indicatorMonth', type: 'month', required: false, initial: lastMonth },
      { ...dateParameter('from', 'finance.parameter.orFromDay', none), required: false },
      { ...dateParameter('to', 'finance.parameter.orToDay', none), required: false },
      {
        name: 'by',
        label: 'finance.parameter.by',
        type: 'choice',
        required: true,
        options: indicatorGroupings,
        initial: () => 'fund',
      },
    ],
  },
  {
    key: 'honorarium',
    api: '/v1/reports/honorarium',
    schema: honorariumReportQuerySchema,
    parameters: [{ name: 'period', label: 'finance.parameter.month', type: 'month', required: true, initial: lastMonth }],
  },
  {
    key: 'subsidy-cost',
    api: '/v1/reports/subsidy-cost',
    schema: subsidyCostQuerySchema,
    parameters: [
      {
        name: 'from',
        label: 'finance.parameter.fromMonth',
        type: 'month',
        required: true,
        initial: (today) => `${today.slice(0, 4)}-01`,
      },
      { name: 'to', label: 'finance.parameter.toMonth', type: 'month', required: true, initial: lastMonth },
      {
        name: 'by',
        label: 'finance.parameter.by',
        type: 'choice',
        required: true,
        options: subsidyCostGroupings,
        initial: () => 'province',
      },
    ],
  },
  {
    key: 'arrears',
    api: '/v1/reports/arrears',
    schema: arrearsReportQuerySchema,
    parameters: [
      { name: 'monthsAtLeast', label: 'finance.parameter.monthsAtLeast', type: 'number', required: true, initial: () => '1' },
    ],
  },
  {
    key: 'retention',
    api: '/v1/reports/retention',
    schema: retentionQuerySchema,
    parameters: [{ name: 'scheme', label: 'finance.parameter.scheme', type: 'text', required: false, initial: none }],
  },
  { key: 'lpa-progress', api: '/v1/reports/lpa-progress', schema: lpaProgressQuerySchema, parameters: period },
  { key: 'data-quality', api: '/v1/reports/data-quality', schema: dataQualityQuerySchema, parameters: [] },
  { key: 'loan-portfolio', api: '/v1/reports/loan-portfolio', schema: reportOutputSchema, parameters: [] },
];

const downloadPath = (report: Report) => `/keuangan/laporan/${report.key}`;

// Values of a report's form as sent: what was filled in, the format and the CSV locale.
type Sent = Readonly<Record<string, string>>;

// A report's refusal, to show beside its form with what was sent.
interface Refusal {
  readonly report: string;
  readonly sent: Sent;
  readonly problems: readonly string[];
}

// Laporan: the catalogue, each report with its parameters and its
// downloads, and the reports the monthly job kept. A download goes through
// the console only to be checked against the report's own schema (a
// mistake is shown on the form, naming the field), then to the API's
// route, which a session cookie reaches as a key does: the same function
// renders the same bytes, and the API's roles and scope apply.
export function reportPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const catalogue = async (words: Words, refusal: Refusal | null): Promise<PageResult> => ({
    kind: 'page',
    status: refusal === null ? 200 : 400,
    title: words.t('finance.reports.title'),
    body: <Catalogue words={words} today={today()} refusal={refusal} runs={await listReportRuns(db, { limit: runsShownMax })} />,
  });
  return [
    definePage({
      path: '/keuangan/laporan',
      roles: fundReaders,
      nav: 'nav.finance.reports',
      query: z.strictObject({}),
      render: ({ viewer }) => catalogue(viewer.words, null),
    }),
    definePage({
      path: '/keuangan/laporan/:report',
      roles: fundReaders,
      query: z.record(z.string(), z.string().max(queryValueLengthMax)),
      render: async ({ viewer: { words }, query, params }) => {
        const report = reports.find((candidate) => candidate.key === params.report);
        if (report === undefined) throw new NotFoundError('report', String(params.report));
        // An empty field is one left out: the API's optional parameters are absent, not blank.
        const sent = Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ''));
        const parsed = report.schema.safeParse(sent);
        if (!parsed.success) {
          const problems = parsed.error.issues.map((issue) => problemOf(words, report, issue));
          return catalogue(words, { report: report.key, sent, problems });
        }
        return { kind: 'redirect', to: `${report.api}?${new URLSearchParams(sent).toString()}` };
      },
    }),
  ];
}

// The API's refinements of a report's query, in the person's words; a
// message not listed here is shown as the API says it.
const refinements: Readonly<Record<string, MessageKey>> = {
  'must not be before from': 'finance.reports.toBeforeFrom',
  'give month, or from and to, not both': 'finance.reports.monthOrRange',
  'give month (YYYY-MM), or from and to': 'finance.reports.monthOrRange',
  'is needed with to': 'finance.reports.rangeHalf',
  'is needed with from': 'finance.reports.rangeHalf',
};

function problemOf(words: Words, report: Report, issue: z.core.$ZodIssue): string {
  const { t } = words;
  const name = String(issue.path[0] ?? '');
  const parameter = report.parameters.find((candidate) => candidate.name === name);
  const field =
    parameter !== undefined
      ? t(parameter.label)
      : name === 'format'
        ? t('finance.reports.format')
        : name === 'locale'
          ? t('finance.reports.locale')
          : t('finance.reports.wholeForm');
  const refinement = refinements[issue.message];
  const message =
    refinement !== undefined
      ? t(refinement)
      : parameter?.type === 'date'
        ? t('finance.reports.dateRule')
        : parameter?.type === 'month'
          ? t('finance.reports.monthRule')
          : issue.message;
  return t('finance.problem', { field, message });
}

function Catalogue(props: { words: Words; today: string; refusal: Refusal | null; runs: readonly ReportRun[] }) {
  const { words, today, refusal, runs } = props;
  const { t } = words;
  return (
    <>
      <p class="lead">{t('finance.reports.lead')}</p>
      <nav aria-label={t('finance.reports.contents')}>
        <ul class="finance-contents">
          {reports.map((report) => (
            <li>
              <a href={`#${report.key}`}>{t(`finance.report.${report.key}.title` as MessageKey)}</a>
            </li>
          ))}
          <li>
            <a href="#runs">{t('finance.runs.title')}</a>
          </li>
        </ul>
      </nav>
      <div class="finance-catalogue">
        {reports.map((report) => (
          <ReportForm words={words} report={report} today={today} refusal={refusal?.report === report.key ? refusal : null} />
        ))}
      </div>
      <KeptRuns words={words} runs={runs} />
    </>
  );
}

function ReportForm(props: { words: Words; report: Report; today: string; refusal: Refusal | null }) {
  const { words, report, today, refusal } = props;
  const { t } = words;
  const id = (name: string) => `${report.key}-${name}`;
  const valueOf = (parameter: Parameter) => refusal?.sent[parameter.name] ?? parameter.initial(today);
  return (
    <section id={report.key} class="finance-report" aria-labelledby={id('title')}>
      <h2 id={id('title')}>{t(`finance.report.${report.key}.title` as MessageKey)}</h2>
      <p>{t(`finance.report.${report.key}.about` as MessageKey)}</p>
      {refusal !== null && <Problems words={words} problems={refusal.problems} />}
      <form method="get" action={downloadPath(report)} class="stacked">
        {report.parameters.map((parameter) =>
          parameter.type === 'choice' ? (
            <Choice
              id={id(parameter.name)}
              name={parameter.name}
              label={t(parameter.label)}
              value={valueOf(parameter)}
              options={(parameter.options ?? []).map((option) => [option, t(`finance.grouping.${option}` as MessageKey)])}
            />
          ) : (
            <Input
              id={id(parameter.name)}
              name={parameter.name}
              label={t(parameter.label)}
              type={parameter.type}
              value={valueOf(parameter)}
              required={parameter.required}
              maxLength={parameter.type === 'text' ? queryValueLengthMax : undefined}
              min={parameter.type === 'number' ? '1' : undefined}
            />
          ),
        )}
        <Choice
          id={id('locale')}
          name="locale"
          label={t('finance.reports.locale')}
          value={refusal?.sent['locale'] ?? words.locale}
          options={reportLocales.map((locale) => [locale, t(`finance.reports.locale.${locale}`)])}
        />
        <div class="finance-downloads" role="group" aria-label={t('finance.reports.download')}>
          {reportFormats.map((format) => (
            <button type="submit" name="format" value={format}>
              {t(`finance.format.${format}`)}
            </button>
          ))}
        </div>
      </form>
    </section>
  );
}

// A kept run's parameters as people read them: its month or days, and its grouping.
function keptParameters(words: Words, parameters: Readonly<Record<string, string>>): string {
  const { month, period, asOf, from, to, by } = parameters;
  return [
    month ?? period,
    asOf === undefined ? undefined : words.date(asOf),
    from === undefined || to === undefined ? undefined : `${words.date(from)} – ${words.date(to)}`,
    by === undefined ? undefined : words.t(`finance.grouping.${by as IndicatorGrouping}`),
  ]
    .map((part, index) => (index === 0 && part !== undefined ? words.month(part) : part))
    .filter((part) => part !== undefined)
    .join(', ');
}

// The reports the monthly job produced and kept, each in the three formats exactly as produced.
function KeptRuns({ words, runs }: { words: Words; runs: readonly ReportRun[] }) {
  const { t } = words;
  return (
    <section id="runs" aria-labelledby="runs-title">
      <h2 id="runs-title">{t('finance.runs.title')}</h2>
      <p>{t('finance.runs.about')}</p>
      <LinkedTable
        caption={t('finance.runs.title')}
        columns={[
          { header: t('finance.runs.report') },
          { header: t('finance.runs.parameters') },
          { header: t('finance.runs.producedAt') },
          { header: t('finance.runs.producedBy') },
          { header: t('finance.reports.download') },
        ]}
        rows={runs.map((run) => [
          t(`finance.report.${run.kind}.title`),
          keptParameters(words, run.parameters),
          words.day(run.producedAt),
          run.producedBy,
          <span class="finance-links">
            {reportFormats.map((format) => (
              <a
                href={`/v1/reports/runs/${run.id}?format=${format}`}
                aria-label={t('finance.runs.downloadAs', {
                  format: t(`finance.format.${format}`),
                  title: `${t(`finance.report.${run.kind}.title`)} ${keptParameters(words, run.parameters)}`,
                })}
              >
                {t(`finance.format.${format}`)}
              </a>
            ))}
          </span>,
        ])}
        empty={t('finance.runs.none')}
      />
    </section>
  );
}
