import { z } from 'zod';
import { callerOf, type Principal } from '../access/principal.ts';
import { uuidSchema } from '../ids.ts';
import type { Db } from '../db/knex.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import { isoDateSchema } from '../dates.ts';
import { openAccount } from './accounts.ts';
import { closePeriod } from './close.ts';
import {
  accountSchema,
  chartCodeSchema,
  chartLineSchema,
  entrySchema,
  monthSchema,
  newAccountSchema,
  newEntrySchema,
  ownerKinds,
  periodsSchema,
  reversalSchema,
  statementSchema,
  trialBalanceSchema,
} from './model.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { type Posted } from './model.ts';
import { postEntry, reverseEntry } from './post.ts';
import {
  findAccount,
  findEntry,
  listAccounts,
  listChart,
  listEntriesByReference,
  listPeriods,
  statementPage,
  trialBalance,
} from './store.ts';

// Finance books; the directorate and auditors read; an LPA reads its own
// accounts (and its participants'). Regional offices have no ledger view.
const readers = ['directorate', 'finance', 'auditor', 'lpa'] as const;
const fundReaders = ['directorate', 'finance', 'auditor'] as const;
const accountsPerPageMax = 500;
const statementLinesPerPageMax = 1000;
const entriesPerReferenceMax = 500;

const statementCursorSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}~\d{1,18}$/, 'must be the "next" value of the previous page')
  .transform((text) => {
    const [entryDate = '', postingId = ''] = text.split('~');
    return { entryDate, postingId };
  });

// A caller's key is its own: two clerks who both choose "1" post two entries.
// An API key's keep the prefix they were first stored under.
export function apiIdempotencyKey(principal: Principal, key: string): string {
  const caller = callerOf(principal);
  return `${caller.kind === 'api-key' ? 'api' : 'user'}:${caller.id}:${key}`;
}

// What a keyed write takes from its route: the client's Idempotency-Key
// scoped to its API key, today, and the prefix that names body fields.
export function keyedWrite(principal: Principal, headers: { 'idempotency-key': string }, today: string) {
  return { idempotencyKey: apiIdempotencyKey(principal, headers['idempotency-key']), today, fieldPrefix: 'body.' };
}

// A posted entry as a 201, saying when it is the replay of an earlier post.
export function postedResult(posted: Posted) {
  return {
    status: 201,
    body: posted.entry,
    headers: { Location: `/v1/ledger/entries/${posted.entry.id}` },
    replayed: posted.replayed,
  };
}

function ownLpa(principal: Principal): string | null {
  return principal.role === 'lpa' ? principal.lpaId : null;
}

// An LPA sees an entry on its own accounts, unless it also touches another LPA's.
function visibleTo(lpaId: string | null, postingLpaIds: readonly (string | null)[]): boolean {
  return lpaId === null || (postingLpaIds.includes(lpaId) && postingLpaIds.every((owner) => owner === null || owner === lpaId));
}

export interface LedgerDeps {
  readonly db: Db;
  readonly today: () => string;
}

export function ledgerRoutes({ db, today }: LedgerDeps) {
  async function visibleAccount(principal: Principal, id: string, asOf?: string) {
    const account = await findAccount(db, id, asOf);
    const lpaId = ownLpa(principal);
    if (account === null || (lpaId !== null && account.lpaId !== lpaId)) throw new NotFoundError('ledger account', id);
    return account;
  }

  return [
    defineRoute({
      method: 'get',
      path: '/v1/ledger/chart',
      tag: 'ledger',
      summary: 'The chart of accounts: codes, types, who may hold each, and which must not go negative.',
      roles: readers,
      responses: { 200: { description: 'The chart.', schema: z.object({ chart: z.array(chartLineSchema) }) } },
      handle: async () => ({ status: 200, body: { chart: await listChart(db) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/accounts',
      tag: 'ledger',
      summary: 'Ledger accounts with their balances: all, or an LPA key’s own. Page with after=<last id>.',
      roles: readers,
      query: z.strictObject({
        code: chartCodeSchema.optional(),
        ownerKind: z.enum(ownerKinds).optional(),
        lpaId: uuidSchema.optional(),
        participantId: uuidSchema.optional(),
        after: uuidSchema.optional(),
        limit: pageLimit(accountsPerPageMax, 100),
      }),
      responses: { 200: { description: 'Accounts, by id.', schema: z.object({ accounts: z.array(accountSchema) }) } },
      handle: async ({ query, request }) => {
        const lpaId = ownLpa(request.principal);
        // An LPA key asking for another LPA's accounts sees none.
        if (lpaId !== null && query.lpaId !== undefined && query.lpaId !== lpaId) return { status: 200, body: { accounts: [] } };
        return { status: 200, body: { accounts: await listAccounts(db, { ...query, ...(lpaId === null ? {} : { lpaId }) }) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/ledger/accounts',
      tag: 'ledger',
      summary: 'Open an LPA’s or a participant’s sub-account for a chart code; asking again answers the same account.',
      roles: ['directorate', 'finance'],
      body: newAccountSchema,
      responses: {
        200: { description: 'The account already existed.', schema: accountSchema },
        201: { description: 'Opened.', schema: accountSchema },
      },
      handle: async ({ body, request }) => {
        const { account, opened } = await openAccount(db, body, request.actor, 'body.');
        return { status: opened ? 201 : 200, body: account, headers: { Location: `/v1/ledger/accounts/${account.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/accounts/:id',
      tag: 'ledger',
      summary: 'One account: its totals and balance now, or at the end of asOf.',
      roles: readers,
      params: idParams,
      query: z.strictObject({ asOf: isoDateSchema.optional() }),
      responses: { 200: { description: 'The account.', schema: accountSchema } },
      handle: async ({ params, query, request }) => ({
        status: 200,
        body: await visibleAccount(request.principal, params.id, query.asOf),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/accounts/:id/statement',
      tag: 'ledger',
      summary: 'An account statement: postings in date order with a running balance (debits minus credits).',
      roles: readers,
      params: idParams,
      query: z.strictObject({
        from: isoDateSchema.optional(),
        to: isoDateSchema.optional(),
        after: statementCursorSchema.optional(),
        limit: pageLimit(statementLinesPerPageMax, 200),
      }),
      responses: { 200: { description: 'The statement page.', schema: statementSchema } },
      handle: async ({ params, query, request }) => {
        const account = await visibleAccount(request.principal, params.id);
        const page = await statementPage(db, account, query);
        return { status: 200, body: { account, from: query.from ?? null, to: query.to ?? null, ...page } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/trial-balance',
      tag: 'ledger',
      summary: 'Trial balance by chart code, now or at the end of asOf. Debits equal credits; the balances sum to zero.',
      roles: fundReaders,
      query: z.strictObject({ asOf: isoDateSchema.optional() }),
      responses: { 200: { description: 'The trial balance.', schema: trialBalanceSchema } },
      handle: async ({ query }) => ({ status: 200, body: await trialBalance(db, query.asOf ?? null) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/ledger/entries',
      tag: 'ledger',
      summary: 'Post a journal entry (finance): signed postings, debits positive, summing to zero. Needs an Idempotency-Key.',
      description:
        'A retry with the same Idempotency-Key and body answers the first entry with "Idempotent-Replayed: true"; the same key with another body is a 422, and a retry while the first is still at work a 409. 409 also when the month is closed or an account that must not go negative would.',
      roles: ['finance'],
      headers: idempotencyHeaderSchema,
      body: newEntrySchema,
      responses: {
        201: { description: 'Posted (or replayed).', schema: entrySchema },
        409: { description: 'The month is closed, an account that must not go negative would, or the key posted other content.' },
      },
      handle: async ({ body, headers, request }) =>
        postedResult(
          await postEntry(
            db,
            { ...body, rule: null, idempotencyKey: apiIdempotencyKey(request.principal, headers['idempotency-key']) },
            { postedBy: request.actor.actor, requestId: request.actor.requestId },
            'body.',
          ),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/entries',
      tag: 'ledger',
      summary: 'The entries of one business event, in posting order: a claim’s reserve, payment and reversal, say.',
      roles: readers,
      query: z.strictObject({
        referenceType: z.string().regex(/^[a-z][a-z0-9-]{0,49}$/, 'must be a kebab-case kind such as "claim"'),
        referenceId: z.string().trim().min(1).max(200),
        limit: pageLimit(entriesPerReferenceMax, 100),
      }),
      responses: { 200: { description: 'The entries.', schema: z.object({ entries: z.array(entrySchema) }) } },
      handle: async ({ query, request }) => {
        const stored = await listEntriesByReference(db, query.referenceType, query.referenceId, query.limit);
        const lpaId = ownLpa(request.principal);
        return {
          status: 200,
          body: { entries: stored.filter((entry) => visibleTo(lpaId, entry.postingLpaIds)).map(({ entry }) => entry) },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/entries/:id',
      tag: 'ledger',
      summary: 'One journal entry with its postings, its rule version when a rule produced it, and its reversal if any.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The entry.', schema: entrySchema } },
      handle: async ({ params, request }) => {
        const stored = await findEntry(db, params.id);
        if (stored === null || !visibleTo(ownLpa(request.principal), stored.postingLpaIds))
          throw new NotFoundError('journal entry', params.id);
        return { status: 200, body: stored.entry };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/ledger/entries/:id/reversal',
      tag: 'ledger',
      summary: 'Reverse an entry (finance): post its mirror image, naming it, in an open month. Needs an Idempotency-Key.',
      roles: ['finance'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: reversalSchema,
      responses: {
        201: { description: 'The reversing entry (or the replay of it).', schema: entrySchema },
        409: { description: 'Already reversed, itself a reversal, a claim’s entry, or the month is closed.' },
      },
      handle: async ({ params, body, headers, request }) => {
        const original = await findEntry(db, params.id);
        // Undoing a claim's money without the claim would leave it payable.
        if (original?.entry.reference.type === 'claim')
          throw new ConflictError(
            'reverse-the-claim',
            `Entry ${params.id} belongs to claim ${original.entry.reference.id}; reverse the claim (POST /v1/claims/{id}/reversal) instead.`,
          );
        return postedResult(
          await reverseEntry(
            db,
            {
              entryId: params.id,
              entryDate: body.entryDate ?? today(),
              description: body.description,
              idempotencyKey: apiIdempotencyKey(request.principal, headers['idempotency-key']),
            },
            { postedBy: request.actor.actor, requestId: request.actor.requestId },
            'body.',
          ),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/ledger/periods',
      tag: 'ledger',
      summary: 'How far the ledger is closed, and the closes so far (latest first).',
      roles: readers,
      responses: { 200: { description: 'The periods.', schema: periodsSchema } },
      handle: async () => ({ status: 200, body: await listPeriods(db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/ledger/periods/:month/close',
      tag: 'ledger',
      summary:
        'Close a month that has ended, and every month before it. Entries dated in a closed month are refused; nothing reopens.',
      roles: ['directorate', 'finance'],
      params: z.strictObject({ month: monthSchema }),
      responses: {
        200: { description: 'The periods after the close.', schema: periodsSchema },
        409: { description: 'The month has not ended, or is already closed.' },
      },
      handle: async ({ params, request }) => ({
        status: 200,
        body: await closePeriod(db, params.month, today(), request.actor),
      }),
    }),
  ];
}
