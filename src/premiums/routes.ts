import { refuseFutureDates } from '../dates.ts';
import { z } from 'zod';
import { isInScope } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { idParams } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { entrySchema } from '../ledger/model.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { apiIdempotencyKey, postedResult } from '../ledger/routes.ts';
import type { RuleBook } from '../rules/load.ts';
import { findParticipant } from '../registry/index.ts';
import { contributionInputSchema, contributionSchema, coverLapseSchema, dueSchema, subsidyReceiptSchema } from './model.ts';
import { recordSubsidyReceipt } from './receipts.ts';
import { recordContribution } from './contributions.ts';
import { duesOf, lapsesOf } from './store.ts';

export function premiumRoutes({ db, book, today }: { readonly db: Db; readonly book: RuleBook; readonly today: () => string }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/dues',
      tag: 'premiums',
      summary: 'The participant’s premium dues by month: premium, subsidy share, own share, paid and outstanding.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      params: idParams,
      responses: { 200: { description: 'Dues, oldest first.', schema: z.object({ dues: z.array(dueSchema) }) } },
      handle: async ({ params, request }) => {
        const participant = await findParticipant(db, params.id);
        if (participant === null || !isInScope(request.principal, participant)) throw new NotFoundError('participant', params.id);
        return { status: 200, body: { dues: await duesOf(db, params.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/lapses',
      tag: 'premiums',
      summary:
        'Each time the participant’s cover lapsed, why (not eligible at a re-check, or arrears), under which rules, and any reinstatement.',
      roles: ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'],
      params: idParams,
      responses: { 200: { description: 'Lapses, oldest first.', schema: z.object({ lapses: z.array(coverLapseSchema) }) } },
      handle: async ({ params, request }) => {
        const participant = await findParticipant(db, params.id);
        if (participant === null || !isInScope(request.principal, participant)) throw new NotFoundError('participant', params.id);
        return { status: 200, body: { lapses: await lapsesOf(db, params.id) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/participants/:id/contributions',
      tag: 'premiums',
      summary: 'Record what a participant paid of their own share (LPA keys): cash in, applied to the oldest dues first.',
      description:
        'Needs an Idempotency-Key; a retry with the same body answers the first with "Idempotent-Replayed: true", another body under the key is a 422. 422 when the payment is more than the participant owes. A payment that clears every due of a cover lapsed for arrears reinstates it when the rules in force on the payment day allow (within their months of the lapse): `reinstated` names it.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: contributionInputSchema,
      responses: {
        201: { description: 'The contribution and the dues it paid.', schema: contributionSchema },
        422: { description: 'More than the participant owes, or the key recorded another payment.' },
      },
      handle: async ({ params, body, headers, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        const { contribution, replayed } = await recordContribution(
          db,
          book,
          {
            lpaId: principal.lpaId,
            participantId: params.id,
            input: body,
            idempotencyKey: headers['idempotency-key'],
            today: today(),
            fieldPrefix: 'body.',
          },
          request.actor,
        );
        return { status: 201, body: contribution, replayed };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/subsidy-receipts',
      tag: 'premiums',
      summary:
        'Record premium assistance received from the state budget (finance): cash against subsidy receivable. Needs an Idempotency-Key.',
      description: 'A retry under the same key answers the first entry with "Idempotent-Replayed: true".',
      roles: ['finance'],
      headers: idempotencyHeaderSchema,
      body: subsidyReceiptSchema,
      responses: {
        201: { description: 'The ledger entry that booked it.', schema: entrySchema },
        409: { description: 'The key posted another entry, or the month is closed.' },
        422: { description: 'The receipt is more than the premium assistance owed (receipt-exceeds-receivable).' },
      },
      handle: async ({ body, headers, request }) => {
        refuseFutureDates(today(), { 'body.receivedOn': body.receivedOn });
        return postedResult(
          await recordSubsidyReceipt(
            db,
            body,
            { idempotencyKey: apiIdempotencyKey(request.principal, headers['idempotency-key']), fieldPrefix: 'body.' },
            request.actor,
          ),
        );
      },
    }),
  ];
}
