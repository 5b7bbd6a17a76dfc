import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { idParams } from '../shared/http/query.ts';
import { visibleLpa } from '../registry/index.ts';
import { defineRoute } from '../shared/http/route.ts';
import { entrySchema } from '../ledger/model.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { keyedWrite, postedResult } from '../ledger/routes.ts';
import {
  honorariumPaymentSchema,
  progressReportInputSchema,
  progressReportSchema,
  strengtheningDecisionSchema,
} from './model.ts';
import { type PayableRequest, payHonorarium, payStrengtheningIntoPool } from './payments.ts';
import type { Actor } from '../access/principal.ts';
import type { Posted } from '../ledger/model.ts';
import { fileProgressReport, listProgressReports } from './progress-reports.ts';
import { listStrengthening } from './strengthening.ts';

const readers = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;

export function lpaFinanceRoutes({ db, today }: { readonly db: Db; readonly today: () => string }) {
  // Finance pays out of an LPA's payable: the honorarium to its bank, grants into its pool.
  const payableRoute = (spec: {
    path: string;
    summary: string;
    description: string;
    refused: string;
    pay: (db: Db, request: PayableRequest, actor: Actor) => Promise<Posted>;
  }) =>
    defineRoute({
      method: 'post',
      path: spec.path,
      tag: 'lpa',
      summary: spec.summary,
      description: spec.description,
      roles: ['finance'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: honorariumPaymentSchema,
      responses: {
        201: { description: 'The ledger entry that booked it.', schema: entrySchema },
        422: { description: spec.refused },
      },
      handle: async ({ params, body, headers, request }) =>
        postedResult(
          await spec.pay(
            db,
            {
              lpaId: params.id,
              payment: body,
              ...keyedWrite(request.principal, headers, today()),
            },
            request.actor,
          ),
        ),
    });
  return [
    payableRoute({
      path: '/v1/lpas/:id/honorarium-payments',
      summary: 'Record an honorarium paid to an LPA (finance): its honorarium payable against cash. Needs an Idempotency-Key.',
      description:
        'A retry under the same key answers the first entry with "Idempotent-Replayed: true". 422 when the payment is more than the LPA is owed.',
      refused: 'More than the LPA is owed.',
      pay: payHonorarium,
    }),
    payableRoute({
      path: '/v1/lpas/:id/strengthening-payments',
      summary:
        'Pay an LPA’s strengthening grants into its savings-and-loans pool (finance): its payable against cash, and the pool’s cash against its strengthening capital.',
      description:
        'Needs an Idempotency-Key. 422 when the payment is more than the grants decided and not yet paid in, or than the payable holds.',
      refused: 'More than the LPA is owed in grants.',
      pay: payStrengtheningIntoPool,
    }),
    defineRoute({
      method: 'post',
      path: '/v1/lpas/:id/progress-reports',
      tag: 'lpa',
      summary: 'File the LPA’s progress report for a finished month (its own LPA key): what it did, in its words.',
      description:
        'The figures are the system’s (GET /v1/reports/lpa-progress). When a report is filed counts towards strengthening: the lpa rules read the days from the end of the month to its report. 409 when the month is already filed, 422 when it is not finished.',
      roles: ['lpa'],
      params: idParams,
      body: progressReportInputSchema,
      responses: {
        201: { description: 'The report as filed.', schema: progressReportSchema },
        409: { description: 'The month’s report is already filed.' },
        422: { description: 'The month is not finished.' },
      },
      handle: async ({ params, body, request }) => {
        const lpa = await visibleLpa(db, request.principal, params.id);
        return { status: 201, body: await fileProgressReport(db, { lpaId: lpa.id, input: body, today: today() }, request.actor) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/lpas/:id/progress-reports',
      tag: 'lpa',
      summary: 'The progress reports the LPA filed, newest first.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'Reports, newest first.', schema: z.object({ reports: z.array(progressReportSchema) }) } },
      handle: async ({ params, request }) => {
        const lpa = await visibleLpa(db, request.principal, params.id);
        return { status: 200, body: { reports: await listProgressReports(db, lpa.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/lpas/:id/strengthening',
      tag: 'lpa',
      summary:
        'Each strengthening decision for the LPA, newest first: granted or held back, every reason, the facts and the rule version.',
      roles: readers,
      params: idParams,
      responses: {
        200: { description: 'Decisions, newest first.', schema: z.object({ decisions: z.array(strengtheningDecisionSchema) }) },
      },
      handle: async ({ params, request }) => {
        const lpa = await visibleLpa(db, request.principal, params.id);
        return { status: 200, body: { decisions: await listStrengthening(db, lpa.id) } };
      },
    }),
  ];
}
