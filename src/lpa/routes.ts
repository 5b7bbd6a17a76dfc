import type { Db } from '../db/knex.ts';
import { idParams } from '../http/query.ts';
import { defineRoute } from '../http/route.ts';
import { entrySchema, idempotencyHeaderSchema } from '../ledger/model.ts';
import { apiIdempotencyKey, postedResult } from '../ledger/routes.ts';
import { honorariumPaymentSchema, payHonorarium } from './payments.ts';

export function lpaFinanceRoutes({ db, today }: { readonly db: Db; readonly today: () => string }) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/lpas/:id/honorarium-payments',
      tag: 'lpa',
      summary: 'Record an honorarium paid to an LPA (finance): its honorarium payable against cash. Needs an Idempotency-Key.',
      description:
        'A retry under the same key answers the first entry with "Idempotent-Replayed: true". 422 when the payment is more than the LPA is owed.',
      roles: ['finance'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: honorariumPaymentSchema,
      responses: {
        201: { description: 'The ledger entry that booked it.', schema: entrySchema },
        422: { description: 'More than the LPA is owed.' },
      },
      handle: async ({ params, body, headers, request }) =>
        postedResult(
          await payHonorarium(
            db,
            {
              lpaId: params.id,
              payment: body,
              idempotencyKey: apiIdempotencyKey(request.principal, headers['idempotency-key']),
              today: today(),
              fieldPrefix: 'body.',
            },
            request.actor,
          ),
        ),
    }),
  ];
}
