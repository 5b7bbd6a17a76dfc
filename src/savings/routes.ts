import { z } from 'zod';
import { isInScope } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { idParams } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { entrySchema } from '../ledger/model.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { keyedWrite, postedResult } from '../ledger/routes.ts';
import { reportResponse, reportResult } from '../shared/table.ts';
import { findParticipant } from '../registry/index.ts';
import { visibleLpa } from '../registry/index.ts';
import {
  claimReserveInputSchema,
  poolSchema,
  savingsAccountSchema,
  savingsMovementInputSchema,
  savingsMovementSchema,
  savingsStatementQuerySchema,
} from './model.ts';
import { growClaimReserve, poolOf } from './pool.ts';
import { savingsAccountsOf, savingsStatement } from './statement.ts';
import { depositSavings, type SavingsMovementRequest, withdrawSavings } from './transactions.ts';

const readers = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;

export function savingsRoutes({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const visibleParticipant = async (principal: Parameters<typeof isInScope>[0], id: string) => {
    const participant = await findParticipant(db, id);
    if (participant === null || !isInScope(principal, participant)) throw new NotFoundError('participant', id);
    return participant;
  };
  const moved = { description: 'The movement and the balance after it.', schema: savingsMovementSchema };
  const keyReused = { description: 'The key posted another movement, or the month is closed.' };
  const movement = (direction: 'deposit' | 'withdrawal') =>
    defineRoute({
      method: 'post',
      path: direction === 'deposit' ? '/v1/participants/:id/savings/deposits' : '/v1/participants/:id/savings/withdrawals',
      tag: 'savings',
      summary:
        direction === 'deposit'
          ? 'Record a member’s savings deposit at their LPA (its own key): the pool’s cash and the member’s savings, up.'
          : 'Pay out a member’s savings (their LPA’s key): never more than they saved, or than the pool holds in cash.',
      description:
        direction === 'deposit'
          ? 'Needs an Idempotency-Key; a retry answers the first with "Idempotent-Replayed: true". The account opens with its first deposit.'
          : 'Needs an Idempotency-Key. 422 mandatory-savings-locked while the member is in cover (mandatory savings are paid out when they leave the scheme), savings-insufficient above the balance, pool-cash-insufficient when the cash is lent out.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: savingsMovementInputSchema,
      responses:
        direction === 'deposit'
          ? { 201: moved, 409: keyReused }
          : { 201: moved, 409: keyReused, 422: { description: 'Locked, or more than is there.' } },
      handle: async ({ params, body, headers, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        const movementRequest: SavingsMovementRequest = {
          lpaId: principal.lpaId,
          participantId: params.id,
          input: body,
          ...keyedWrite(principal, headers, today()),
        };
        const done =
          direction === 'deposit'
            ? await depositSavings(db, movementRequest, request.actor)
            : await withdrawSavings(db, movementRequest, request.actor);
        return { status: 201, body: done.movement, replayed: done.replayed };
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/savings',
      tag: 'savings',
      summary: 'A member’s savings accounts: balance, whether it is locked, mandatory savings due and how far behind.',
      roles: readers,
      params: idParams,
      responses: {
        200: { description: 'Accounts, mandatory first.', schema: z.object({ accounts: z.array(savingsAccountSchema) }) },
      },
      handle: async ({ params, request }) => {
        await visibleParticipant(request.principal, params.id);
        return { status: 200, body: { accounts: await savingsAccountsOf(db, params.id, today()) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/savings/statement',
      tag: 'savings',
      summary:
        'A member’s savings statement: balance brought forward, each movement with the balance after it, balance carried forward.',
      description: 'format=json (default), csv or xlsx.',
      roles: readers,
      params: idParams,
      query: savingsStatementQuerySchema,
      responses: { 200: reportResponse('The statement in the format asked for.') },
      handle: async ({ params, query, request }) => {
        await visibleParticipant(request.principal, params.id);
        return reportResult(await savingsStatement(db, params.id, query), query, `savings-${query.kind}-${params.id}`);
      },
    }),
    movement('deposit'),
    movement('withdrawal'),
    defineRoute({
      method: 'post',
      path: '/v1/lpas/:id/claim-reserve',
      tag: 'savings',
      summary: 'Grow the LPA’s claim reserve (its own key): out of its loans’ income, or with cash it brings into the pool.',
      description:
        'Needs an Idempotency-Key. 422 reserve-exceeds-loan-income above what the loans earned and is not yet set aside.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: claimReserveInputSchema,
      responses: {
        201: { description: 'The ledger entry that booked it.', schema: entrySchema },
        409: { description: 'The key posted another entry, or the month is closed.' },
        422: { description: 'More than the loans earned.' },
      },
      handle: async ({ params, body, headers, request }) => {
        const lpa = await visibleLpa(db, request.principal, params.id);
        return postedResult(
          await growClaimReserve(
            db,
            {
              lpaId: lpa.id,
              input: body,
              ...keyedWrite(request.principal, headers, today()),
            },
            request.actor,
          ),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/lpas/:id/pool',
      tag: 'savings',
      summary:
        'The LPA’s savings-and-loans pool: cash, members’ savings, loans out, claim reserve, strengthening capital, loan income and losses.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The pool’s books.', schema: poolSchema } },
      handle: async ({ params, request }) => {
        const lpa = await visibleLpa(db, request.principal, params.id);
        return { status: 200, body: await poolOf(db, lpa.id) };
      },
    }),
  ];
}
