import { scopeFilter } from '../auth/scope.ts';
import type { Db } from '../db/knex.ts';
import { defineRoute } from '../http/route.ts';
import { honorariumReport, honorariumReportQuerySchema } from './honorarium.ts';
import { renderReport, reportContentTypes } from './table.ts';

export function reportRoutes({ db }: { readonly db: Db }) {
  return [
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
      responses: { 200: { description: 'The report in the format asked for.' } },
      handle: async ({ query, request }) => {
        const table = await honorariumReport(db, query.period, scopeFilter(request.principal));
        return {
          status: 200,
          body: await renderReport(table, query.format),
          headers: {
            'Content-Type': reportContentTypes[query.format],
            ...(query.format === 'json'
              ? {}
              : { 'Content-Disposition': `attachment; filename="honorarium-${query.period}.${query.format}"` }),
          },
        };
      },
    }),
  ];
}
