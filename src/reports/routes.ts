import { scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { defineRoute } from '../shared/http/route.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { NotFoundError } from '../errors.ts';
import { z } from 'zod';
import { retentionQuerySchema, retentionReport, subsidyCostQuerySchema, subsidyCostReport } from './cohorts.ts';
import { arrearsReport, arrearsReportQuerySchema } from './arrears.ts';
import { fundStatement, fundStatementQuerySchema } from './fund-statement.ts';
import { indicatorPeriods, indicatorReport, indicatorReportName, indicatorReportQuerySchema } from './indicator-report.ts';
import { fundSummary } from './summary.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { lpaProgressQuerySchema, lpaProgressReport } from './lpa-progress.ts';
import { reserveReport, reserveReportQuerySchema } from './reserves.ts';
import { reportRunSchema, storedReportKinds } from './model.ts';
import { listReportRuns, storedReport } from './store.ts';
import { reportOutputSchema, reportResponse, reportResult } from '../shared/table.ts';

const runsPerPageMax = 500;

export function reportRoutes({ db }: { readonly db: Db }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/reports/subsidy-cost',
      tag: 'reports',
      summary:
        'Premium dues by month and province, regency or LPA: premium, what premium assistance carries, the own share and what of it is paid.',
      description:
        'Rows by month, then code, and their total. A dinsos key sees its regency, an LPA key its own dues. format=json (default), csv or xlsx.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: subsidyCostQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(
          await subsidyCostReport(db, query, scopeFilter(request.principal)),
          query,
          `subsidy-cost-${query.by}-${query.from}-${query.to}`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/retention',
      tag: 'reports',
      summary:
        'Retention and graduation by cohort (year of enrolment) and coverage year: still in cover, subsidised, self-paying, self-paying and paid up.',
      description:
        'From the months of cover the premium cycles booked; rows by cohort, then coverage year. A dinsos key sees its regency, an LPA key its own members. format=json (default), csv or xlsx.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: retentionQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(
          await retentionReport(db, query.scheme, scopeFilter(request.principal)),
          query,
          `retention-${query.scheme ?? 'all'}`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/arrears',
      tag: 'reports',
      summary:
        'The arrears list: each participant with an own share unpaid, the oldest month unpaid, months and amount, whether cover stands, and when last reminded.',
      description:
        'From the dues as they stand today. A dinsos key sees its regency, an LPA key its own members. format=json (default), csv or xlsx.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: arrearsReportQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(await arrearsReport(db, query, scopeFilter(request.principal)), query, `arrears-${query.monthsAtLeast}`),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/honorarium',
      tag: 'reports',
      summary:
        'The LPA honorarium of a month, LPA by LPA: participants, assistance channelled, rate, honorarium, paid in the month, outstanding at its end.',
      description:
        'format=json (default) answers {title, about, columns, rows}; csv and xlsx answer the same rows as a file. `about` names the rule versions and the ledger entries the figures rest on. A dinsos key sees its regency, an LPA key itself.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: honorariumReportQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(
          await honorariumReport(db, query.period, scopeFilter(request.principal)),
          query,
          `honorarium-${query.period}`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/reserves',
      tag: 'reports',
      summary:
        'Reserves as of a day, from the ledger: case reserves, referred claims, IBNR, unearned premium, assets, adequacy, loss and claims ratios; case reserves by scheme, province, regency and LPA.',
      description:
        'format=json (default), csv or xlsx carry the same rows. A dinsos key sees its regency’s breakdown, an LPA key its own; the fund lines are for the directorate, finance and auditors.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: reserveReportQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(await reserveReport(db, query.asOf, scopeFilter(request.principal)), query, `reserves-${query.asOf}`),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/fund-statement',
      tag: 'reports',
      summary:
        'The fund’s statements from the ledger by chart code: income statement for from..to, balance sheet as of the end of to.',
      description: 'format=json (default), csv or xlsx carry the same rows. For the directorate, finance and auditors.',
      roles: ['directorate', 'finance', 'auditor'],
      query: fundStatementQuerySchema,
      responses: { 200: reportResponse('The statements in the format asked for.') },
      handle: async ({ query }) =>
        reportResult(await fundStatement(db, query.from, query.to), query, `fund-statement-${query.from}-${query.to}`),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/summary',
      tag: 'reports',
      summary:
        'The fund at a glance: enrolments by status, scheme and province, claims by status, and for the national roles the fund’s cash, receivables and reserves now.',
      description: 'A dinsos key sees its regency, an LPA key itself, without the fund’s money.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      responses: {
        200: {
          description: 'The summary.',
          schema: z.object({
            enrolments: z.object({
              byStatus: z.record(z.string(), z.int()),
              byScheme: z.array(z.object({ scheme: z.string(), status: z.string(), enrolments: z.int() })),
              byProvince: z.array(z.object({ code: z.string(), name: z.string(), status: z.string(), enrolments: z.int() })),
            }),
            claims: z.object({ byStatus: z.record(z.string(), z.int()) }),
            money: z
              .object({
                cash: z.string(),
                subsidyReceivable: z.string(),
                contributionsReceivable: z.string(),
                caseReserves: z.string(),
                ibnr: z.string(),
                unearnedPremium: z.string(),
              })
              .nullable(),
          }),
        },
      },
      handle: async ({ request }) => {
        const scope = scopeFilter(request.principal);
        const national = scope.regencyCode === undefined && scope.lpaId === undefined;
        return { status: 200, body: await fundSummary(db, scope, national) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/indicators',
      tag: 'reports',
      summary:
        'The fund’s performance indicators (the Microinsurance Network’s, as IRIS defines them) for a month and its year to date, or any period, for the fund or by scheme, province, regency or LPA, with the figures each rests on.',
      description:
        'Incurred claims, expense and combined ratios, rejections by reason, promptness of settlement in bands with medians, renewal, growth, coverage, graduation, solvency and liquidity; a row per period and group, a column per indicator; definitions in docs/indicators.md. Give month=YYYY-MM, or from and to. A dinsos key reads its regency, an LPA key itself, without the fund’s balance sheet. format=json (default), csv or xlsx.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: indicatorReportQuerySchema,
      responses: { 200: reportResponse('The indicators in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(
          await indicatorReport(db, indicatorPeriods(query), query.by, scopeFilter(request.principal)),
          query,
          indicatorReportName(query),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/lpa-progress',
      tag: 'reports',
      summary:
        'Each LPA’s progress: members in cover and lapsed, cards issued and delivered, claims filed, accepted, paid and paid by their deadline.',
      description: 'A dinsos key sees its regency’s LPAs, an LPA key itself. format=json (default), csv or xlsx.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      query: lpaProgressQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(
          await lpaProgressReport(db, query.from, query.to, scopeFilter(request.principal)),
          query,
          `lpa-progress-${query.from}-${query.to}`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/runs',
      tag: 'reports',
      summary: 'Reports kept by the monthly-reports job, newest first: kind, parameters, when and by whom produced.',
      roles: ['directorate', 'finance', 'auditor'],
      query: z.strictObject({ kind: z.enum(storedReportKinds).optional(), limit: pageLimit(runsPerPageMax, 50) }),
      responses: { 200: { description: 'Kept reports.', schema: z.object({ runs: z.array(reportRunSchema) }) } },
      handle: async ({ query }) => ({ status: 200, body: { runs: await listReportRuns(db, query) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/runs/:id',
      tag: 'reports',
      summary: 'A kept report exactly as it was produced, in JSON, CSV or XLSX.',
      roles: ['directorate', 'finance', 'auditor'],
      params: idParams,
      query: reportOutputSchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ params, query }) => {
        const stored = await storedReport(db, params.id);
        if (stored === null) throw new NotFoundError('report run', params.id);
        return reportResult(stored.table, query, `${stored.run.kind}-${Object.values(stored.run.parameters).join('-')}`);
      },
    }),
  ];
}
