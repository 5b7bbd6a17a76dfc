import { z } from 'zod';
import { isInScope, scopeFilter } from '../access/scope.ts';
import type { Principal } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { idParams } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { keyedWrite } from '../ledger/routes.ts';
import { findLpa, findParticipant } from '../registry/index.ts';
import { reportOutputSchema, reportResponse, reportResult } from '../shared/table.ts';
import type { RuleBook } from '../rules/load.ts';
import { isoDateSchema } from '../dates.ts';
import { applyForLoan, loanApplicationSchema } from './apply.ts';
import { loanPortfolio } from './arrears.ts';
import { disburseLoan, repayLoan, writeOffLoan } from './lending.ts';
import { rescheduleLoan } from './reschedule.ts';
import { loanOfLpa, loansOfParticipant, toLoan, transactionsOf } from './store.ts';
import { loanSchema, loanTransactionSchema } from './model.ts';
import { disbursementInputSchema, repaymentInputSchema, rescheduleInputSchema, writeOffInputSchema } from './transactions.ts';

const readers = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;

export function loanRoutes({ db, book, today }: { readonly db: Db; readonly book: RuleBook; readonly today: () => string }) {
  const visibleLoan = async (principal: Principal, id: string) => {
    const loan = await loanOfLpa(db, null, id);
    const lpa = loan === null ? null : await findLpa(db, loan.lpa_id);
    if (loan === null || lpa === null || !isInScope(principal, { regencyCode: lpa.regencyCode, lpaId: lpa.id }))
      throw new NotFoundError('loan', id);
    return loan;
  };
  const lpaOf = (principal: Principal) => {
    if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
    return principal.lpaId;
  };
  // A transaction on a loan, as its route received it: the LPA's own loans
  // for an LPA key (lpaId), any loan for the directorate (null).
  const loanRequest = <Input>(
    loanId: string,
    input: Input,
    headers: { 'idempotency-key': string },
    principal: Principal,
    lpaId: string | null,
  ) => ({ lpaId, loanId, input, ...keyedWrite(principal, headers, today()) });
  const transactionResult = ({ transaction, replayed }: { transaction: unknown; replayed: boolean }) => ({
    status: 201,
    body: transaction,
    replayed,
  });
  return [
    defineRoute({
      method: 'post',
      path: '/v1/participants/:id/loans',
      tag: 'loans',
      summary:
        'Apply for a loan for a member (their LPA’s key), decided at once by the savings rules in force on the day: approved, or refused with every reason.',
      description:
        'Needs an Idempotency-Key. The facts the rules read (months of savings, savings behind, loans out, days in arrears) are kept with the decision and its rule version. 400 names each term outside what the product allows; 422 when the member is not in cover or the rules offer no loans.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: loanApplicationSchema,
      responses: {
        201: { description: 'The loan as decided.', schema: loanSchema },
        409: { description: 'The key applied for another loan.' },
        422: { description: 'Not in cover, or no loans offered.' },
      },
      handle: async ({ params, body, headers, request }) => {
        const result = await applyForLoan(
          db,
          book,
          {
            lpaId: lpaOf(request.principal),
            participantId: params.id,
            input: body,
            ...keyedWrite(request.principal, headers, today()),
          },
          request.actor,
        );
        return { status: 201, body: result.loan, replayed: result.replayed };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/loans',
      tag: 'loans',
      summary: 'A member’s loans, newest first, each with its schedule and what is paid of it.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'Loans, newest first.', schema: z.object({ loans: z.array(loanSchema) }) } },
      handle: async ({ params, request }) => {
        const participant = await findParticipant(db, params.id);
        if (participant === null || !isInScope(request.principal, participant)) throw new NotFoundError('participant', params.id);
        return { status: 200, body: { loans: await loansOfParticipant(db, params.id, today()) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/loans/:id',
      tag: 'loans',
      summary:
        'A loan: terms, decision and rule version, schedule with what is paid, its standing on a day, and every transaction.',
      description: '`standing` is as of `on` (default today): what is due to be current, and the payoff that settles the loan.',
      roles: readers,
      params: idParams,
      query: z.strictObject({
        on: isoDateSchema.optional().meta({ description: 'The day to read the standing on; today when left out.' }),
      }),
      responses: {
        200: {
          description: 'The loan.',
          schema: loanSchema.extend({ transactions: z.array(loanTransactionSchema) }),
        },
      },
      handle: async ({ params, query, request }) => {
        const loan = await visibleLoan(request.principal, params.id);
        return {
          status: 200,
          body: { ...(await toLoan(db, loan, query.on ?? today())), transactions: await transactionsOf(db, loan.id) },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/loans/:id/disbursement',
      tag: 'loans',
      summary: 'Disburse an approved loan from the LPA’s pool cash (its own key); its schedule starts on the day.',
      description:
        'Needs an Idempotency-Key. 409 when the loan is not approved; 422 pool-cash-insufficient when the pool holds less.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: disbursementInputSchema,
      responses: {
        201: { description: 'The disbursement.', schema: loanTransactionSchema },
        409: { description: 'Not an approved loan.' },
        422: { description: 'The pool holds less cash than the loan.' },
      },
      handle: async ({ params, body, headers, request }) =>
        transactionResult(
          await disburseLoan(
            db,
            book,
            loanRequest(params.id, body, headers, request.principal, lpaOf(request.principal)),
            request.actor,
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/loans/:id/repayments',
      tag: 'loans',
      summary:
        'Record a loan repayment (the LPA’s key): penalties, then interest, then principal of what is due, oldest first; anything more repays ahead.',
      description:
        'Needs an Idempotency-Key. Paying the payoff (all principal, the interest due and the running month’s) closes the loan and waives the interest not yet earned. 422 repayment-exceeds-payoff above it.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: repaymentInputSchema,
      responses: {
        201: { description: 'The repayment and how it was split.', schema: loanTransactionSchema },
        409: { description: 'Not a disbursed loan.' },
        422: { description: 'More than the payoff.' },
      },
      handle: async ({ params, body, headers, request }) =>
        transactionResult(
          await repayLoan(db, loanRequest(params.id, body, headers, request.principal, lpaOf(request.principal)), request.actor),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/loans/:id/reschedule',
      tag: 'loans',
      summary:
        'Reschedule a member’s loan (the LPA’s key), with the reason: what is left is repaid over a new term from the day, at the loan’s rate.',
      description:
        'Needs an Idempotency-Key. Interest and penalties fallen due and unpaid are carried into the first new instalment; interest not yet due is not owed. The replaced instalments stay as history (`replacedOn`); no money moves. 409 when the loan is not disbursed and open, or has no principal left.',
      roles: ['lpa'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: rescheduleInputSchema,
      responses: {
        201: { description: 'The rescheduling.', schema: loanTransactionSchema },
        409: { description: 'Not a disbursed loan, or nothing to reschedule.' },
      },
      handle: async ({ params, body, headers, request }) => {
        const lpaId = lpaOf(request.principal);
        return transactionResult(
          await rescheduleLoan(
            db,
            book,
            { ...loanRequest(params.id, body, headers, request.principal, lpaId), lpaId },
            request.actor,
          ),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/loans/:id/write-off',
      tag: 'loans',
      summary: 'Write off what is left of a loan’s principal (directorate), with the reason: a loss in the LPA’s books.',
      description: 'Needs an Idempotency-Key. 409 when the loan is not disbursed and open.',
      roles: ['directorate'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: writeOffInputSchema,
      responses: {
        201: { description: 'The write-off.', schema: loanTransactionSchema },
        409: { description: 'Not a disbursed loan.' },
      },
      handle: async ({ params, body, headers, request }) => {
        await visibleLoan(request.principal, params.id);
        return transactionResult(
          await writeOffLoan(db, loanRequest(params.id, body, headers, request.principal, null), request.actor),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/loan-portfolio',
      tag: 'reports',
      summary: 'Each LPA’s loan portfolio today: loans out, principal outstanding, PAR1 and PAR30.',
      description: 'format=json (default), csv or xlsx. A dinsos key sees its regency, an LPA key itself.',
      roles: readers,
      query: reportOutputSchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) =>
        reportResult(await loanPortfolio(db, today(), scopeFilter(request.principal)), query, `loan-portfolio-${today()}`),
    }),
  ];
}
