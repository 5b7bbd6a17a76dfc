import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { uuidSchema } from '../ids.ts';
import { scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError, UnprocessableError } from '../errors.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { defineRoute, defineUploadRoute } from '../shared/http/route.ts';
import { idempotencyHeaderSchema } from '../shared/idempotency/model.ts';
import { claimTypes } from '../rules/catalogue.ts';
import type { RuleBook } from '../rules/load.ts';
import { checklistQuerySchema, checklistSchema, documentChecklist } from './checklist.ts';
import { explainClaim } from './explain.ts';
import {
  type Claim,
  claimReversalSchema,
  claimReviewSchema,
  claimSchema,
  claimStatuses,
  documentKindSchema,
  explanationSchema,
  newClaimSchema,
  pastDeadlineSchema,
  paymentSchema,
} from './model.ts';
import { reverseClaim } from './reverse.ts';
import { fileExtensions, scanBytesMax, scanMediaTypes, scanOf, scanSchema, uploadScan } from './scans.ts';
import { payClaim } from './pay.ts';
import { reviewClaim } from './review.ts';
import { queuedClaimSchema, reviewQueue, reviewQueueQuerySchema } from './review-queue.ts';
import { findDecision, listClaims, listPastDeadline } from './store.ts';
import { visibleClaim } from './visible.ts';
import { submitClaim } from './submit.ts';

const readers = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;
const documentParams = z.strictObject({ id: uuidSchema, kind: documentKindSchema });
// What a scan may be declared as; its content decides what it is.
const scanDeclaredTypes = [...scanMediaTypes, 'application/octet-stream'];
const claimsPerPageMax = 200;

// A retry under the same Idempotency-Key answers as the first request did, and says so.
const answered = ({ claim, replayed }: { claim: Claim; replayed: boolean }) => ({ status: 200, body: claim, replayed });

export interface ClaimDeps {
  readonly db: Db;
  readonly book: RuleBook;
  readonly defaultScheme: string;
  readonly today: () => string;
}

export function claimRoutes({ db, book, defaultScheme, today }: ClaimDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/claims',
      tag: 'claims',
      summary:
        'File a claim for a participant of the LPA (LPA keys). The benefit rules in force on the incident date decide at once.',
      description:
        'Answers 201 with the decision: "approved" with the amount (its case reserve is booked in the ledger in the same transaction), "rejected" with reasons (a missing document the rules ask for is one), or "referred" to the directorate with reasons and the amount the rules would pay. Needs an Idempotency-Key: a retry with the same body answers the first claim with "Idempotent-Replayed: true"; the same key with another body is a 422.',
      roles: ['lpa'],
      headers: idempotencyHeaderSchema,
      body: newClaimSchema,
      responses: {
        201: { description: 'The claim and its decision.', schema: claimSchema },
        409: { description: 'The LPA is not approved.' },
        422: { description: 'The key filed another claim, or no rule version is in force on the incident date.' },
      },
      handle: async ({ body, headers, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        const { claim, replayed } = await submitClaim(
          db,
          book,
          {
            lpaId: principal.lpaId,
            claim: body,
            idempotencyKey: headers['idempotency-key'],
            today: today(),
            defaultScheme,
            fieldPrefix: 'body.',
          },
          request.actor,
        );
        return {
          status: 201,
          body: claim,
          headers: { Location: `/v1/claims/${claim.id}` },
          replayed,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims',
      tag: 'claims',
      summary: 'Claims the key may see: an LPA its own, a dinsos its regency’s, the rest all. Page with after=<last id>.',
      roles: readers,
      query: z.strictObject({
        participantId: uuidSchema.optional(),
        status: z.enum(claimStatuses).optional(),
        claimType: z.enum(claimTypes).optional(),
        after: uuidSchema.optional(),
        limit: pageLimit(claimsPerPageMax, 50),
      }),
      responses: { 200: { description: 'Claims, by id.', schema: z.object({ claims: z.array(claimSchema) }) } },
      handle: async ({ query, request }) => ({
        status: 200,
        body: { claims: await listClaims(db, { ...query, ...scopeFilter(request.principal) }) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/past-deadline',
      tag: 'claims',
      summary:
        'Approved claims not paid by the deadline their rules set (in working days from acceptance), oldest deadline first.',
      roles: readers,
      query: z.strictObject({ limit: pageLimit(claimsPerPageMax, 200) }),
      responses: {
        200: { description: 'Claims past their payment deadline.', schema: z.object({ claims: z.array(pastDeadlineSchema) }) },
      },
      handle: async ({ query, request }) => ({
        status: 200,
        body: { claims: await listPastDeadline(db, { ...query, today: today(), ...scopeFilter(request.principal) }) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/checklist',
      tag: 'claims',
      summary:
        'The documents to file with a claim of a type (and, for a death, its cause), as the benefit rules in force on the date ask for them.',
      description:
        'Read from the rules themselves: the kinds a claim filed without papers would be told it misses. An empty list where the rules in force ask for none. 422 rule-not-in-force when no version of the scheme is in force on the date.',
      roles: readers,
      query: checklistQuerySchema,
      responses: {
        200: { description: 'The checklist, with the rule version it comes from.', schema: checklistSchema },
        422: { description: 'No version of the scheme is in force on the date.' },
      },
      handle: async ({ query }) => {
        try {
          const checklist = documentChecklist(book, {
            scheme: query.scheme ?? defaultScheme,
            date: query.date ?? today(),
            claimType: query.claimType,
            deathCause: query.deathCause ?? null,
          });
          return { status: 200, body: checklist };
        } catch (error) {
          if (error instanceof UnknownSchemeError) throw new InputError([{ field: 'query.scheme', message: error.message }]);
          if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/review-queue',
      tag: 'claims',
      summary:
        'Referred claims for the directorate’s review, filtered, and sampled: a random share, claims above a value, or claims unusual against their LPA’s past; each with why it is listed.',
      description:
        'Without sampling every referred claim the filters leave is listed (reason "referred"). randomPercent with seed picks the claims whose bucket (SHA-256 of "seed:id", first four bytes modulo 10,000) is below the percent in basis points: the same seed picks the same claims again. above picks amounts above it. unusual=1 picks amounts above the 95th percentile (nearest rank) of what the same LPA was granted for the same benefit, once it has 20 such claims. A claim any of them picks is listed with each reason. At most 500 referred claims, the longest waiting first, are considered.',
      roles: ['directorate'],
      query: reviewQueueQuerySchema,
      responses: {
        200: {
          description: 'The claims listed, the longest waiting first, with why each is.',
          schema: z.object({
            considered: z.int().meta({ description: 'Referred claims the filters left, before sampling.' }),
            claims: z.array(queuedClaimSchema),
          }),
        },
      },
      handle: async ({ query, request }) => {
        const queue = await reviewQueue(db, request.principal, query);
        return {
          status: 200,
          body: {
            considered: queue.considered,
            claims: queue.claims.map(({ claim, reasons }) => ({ ...claim, sampledFor: reasons })),
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/:id',
      tag: 'claims',
      summary: 'One claim with its decision and rule version.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The claim.', schema: claimSchema } },
      handle: async ({ params, request }) => ({ status: 200, body: await visibleClaim(db, request.principal, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/claims/:id/review',
      tag: 'claims',
      summary:
        'Approve or reject a referred claim (directorate), with the reason. Approval books the case reserve at the amount the rules set.',
      description:
        'Needs an Idempotency-Key; a retry under the same key and body answers the review with "Idempotent-Replayed: true", with another body it is a 422. 409 when the claim is not referred or was reviewed under another key.',
      roles: ['directorate'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: claimReviewSchema,
      responses: {
        200: { description: 'The reviewed claim.', schema: claimSchema },
        409: { description: 'Not referred, or reviewed under another key.' },
        422: { description: 'The key reviewed this claim with another outcome or reason.' },
      },
      handle: async ({ params, body, headers, request }) =>
        answered(
          await reviewClaim(
            db,
            book,
            { claimId: params.id, ...body, idempotencyKey: headers['idempotency-key'], today: today() },
            request.actor,
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/claims/:id/payment',
      tag: 'claims',
      summary:
        'Pay an approved claim (finance): claims payable against cash, with the payout reference and the day it was paid. Needs an Idempotency-Key.',
      description:
        'paidOn is the day the money left the fund (today when absent): not in the future and not before the claim was accepted (400 naming body.paidOn); the claim, its payment entry and the deadline figures take that day. A retry under the same key answers the payment with "Idempotent-Replayed: true". 409 when the claim is not approved, was paid under another key, the fund’s cash would go below zero, or paidOn falls in a closed month of the ledger.',
      roles: ['finance'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: paymentSchema,
      responses: {
        200: { description: 'The paid claim.', schema: claimSchema },
        409: {
          description:
            'Not approved, paid under another key, the fund’s cash would go below zero, or paidOn is in a closed month.',
        },
      },
      handle: async ({ params, body, headers, request }) =>
        answered(
          await payClaim(
            db,
            {
              claimId: params.id,
              reference: body.reference,
              paidOn: body.paidOn,
              paidOnField: 'body.paidOn',
              idempotencyKey: headers['idempotency-key'],
              today: today(),
            },
            request.actor,
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/claims/:id/reversal',
      tag: 'claims',
      summary:
        'Reverse an approved or paid claim, with the reason: its entries are mirrored and it no longer counts against the limit.',
      description:
        'Needs an Idempotency-Key; a retry under the same key answers the reversal. 409 when the claim was rejected or already reversed.',
      roles: ['directorate', 'finance'],
      params: idParams,
      headers: idempotencyHeaderSchema,
      body: claimReversalSchema,
      responses: {
        200: { description: 'The reversed claim.', schema: claimSchema },
        409: { description: 'The claim was rejected, or reversed under another key.' },
      },
      handle: async ({ params, body, headers, request }) =>
        answered(
          await reverseClaim(
            db,
            { claimId: params.id, reason: body.reason, idempotencyKey: headers['idempotency-key'], today: today() },
            request.actor,
          ),
        ),
    }),
    defineUploadRoute({
      method: 'post',
      path: '/v1/claims/:id/documents/:kind/scan',
      tag: 'claims',
      summary:
        'Upload the scan of a document filed with the claim (the LPA that filed it): PDF, PNG or JPEG, told by its content, at most 5 MB.',
      description:
        'Send the file as the body, declared as application/pdf, image/png, image/jpeg or application/octet-stream: what it is comes from its first bytes, and anything else is a 422 scan-type-not-accepted. One scan per document kind: the same bytes again answer 200 with the scan kept, other bytes a 409 scan-exists. 404 for a claim of another LPA or a kind not filed with the claim. The upload is audited.',
      // The LPA holds the papers and filed the claim; the directorate and
      // finance judge and pay it on what the LPA sent, so they read scans
      // and never add them.
      roles: ['lpa'],
      upload: { contentType: scanDeclaredTypes, bytesMax: scanBytesMax },
      params: documentParams,
      responses: {
        200: { description: 'These bytes were the scan already; nothing changed.', schema: scanSchema },
        201: { description: 'The scan, kept.', schema: scanSchema },
        409: { description: 'The document already has a scan with other bytes.' },
        422: { description: 'The content is not a PDF, PNG or JPEG.' },
      },
      handle: async ({ params, file, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        try {
          const bytes = await readFile(file.path);
          const { scan, replayed } = await uploadScan(
            db,
            { claimId: params.id, kind: params.kind, bytes, lpaId: principal.lpaId },
            request.actor,
          );
          return {
            status: replayed ? 200 : 201,
            body: scan,
            headers: { Location: `/v1/claims/${scan.claimId}/documents/${scan.kind}/scan` },
          };
        } finally {
          await rm(file.path, { force: true });
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/:id/documents/:kind/scan',
      tag: 'claims',
      summary: 'The scan of a document of the claim, as uploaded, with its media type (to those who may see the claim).',
      roles: readers,
      params: documentParams,
      responses: { 200: { description: 'The scan’s bytes.', files: [...scanMediaTypes] } },
      handle: async ({ params, request }) => {
        const claim = await visibleClaim(db, request.principal, params.id);
        const { scan, bytes } = await scanOf(db, claim.id, params.kind);
        return {
          status: 200,
          body: bytes,
          headers: {
            'Content-Type': scan.mediaType,
            'Content-Disposition': `inline; filename="${scan.kind}-${claim.id}.${fileExtensions[scan.mediaType]}"`,
            ETag: `"${scan.sha256}"`,
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/claims/:id/explanation',
      tag: 'claims',
      summary: 'Why the claim was decided as it was, in plain words, with the facts the rules saw.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The explanation.', schema: explanationSchema } },
      handle: async ({ params, request }) => {
        const claim = await visibleClaim(db, request.principal, params.id);
        const decision = await findDecision(db, claim.id);
        if (decision === null) throw new NotFoundError('claim', params.id);
        return { status: 200, body: explainClaim(claim, decision) };
      },
    }),
  ];
}
