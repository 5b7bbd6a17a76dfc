import { z } from 'zod';
import { type Principal } from '../access/principal.ts';
import { uuidSchema } from '../ids.ts';
import { isInScope, scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { defineRoute } from '../shared/http/route.ts';
import type { RuleBook } from '../rules/load.ts';
import { membershipCardPdf } from './card.ts';
import { languageQuerySchema, markHandedOverSchema, markSentSchema, noticeKinds, noticeSchema, noticeStatuses } from './model.ts';
import { composeNotice, renderNoticePdf, renderNoticeText } from './render-notice.ts';
import { recordNoticeHandedOver, recordNoticeSent } from './outbox.ts';
import { findNotice, listNotices } from './store.ts';

const readers = ['directorate', 'dinsos', 'lpa', 'auditor'] as const;
const noticesPerPageMax = 200;

export interface NoticeDeps {
  readonly db: Db;
  readonly book: RuleBook;
  readonly today: () => string;
  // The heir lookup the card's QR code leads to, with {number} for the card number.
  readonly heirLookupUrl: string;
}

export function noticeRoutes({ db, book, today, heirLookupUrl }: NoticeDeps) {
  async function visibleNotice(principal: Principal, id: string) {
    const found = await findNotice(db, id);
    if (found === null || !isInScope(principal, { regencyCode: found.regencyCode, lpaId: found.notice.lpaId }))
      throw new NotFoundError('notice', id);
    return found;
  }

  return [
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id/card.pdf',
      tag: 'notices',
      summary:
        'The membership card as a PDF (ID-1 card size, front and back, in Bahasa Indonesia): name, masked NIK, number, what the cover pays under the rules in force on the card’s date, how to claim, the LPA, and a QR code to the heir lookup.',
      description:
        'For the participant’s LPA and the directorate. 409 when no card number is recorded yet (POST /v1/participants/{id}/card) or the participant has no cover in force.',
      roles: ['directorate', 'lpa'],
      params: idParams,
      responses: {
        200: { description: 'The card.', files: ['application/pdf'] },
        409: { description: 'No card number recorded, or no cover in force.' },
      },
      handle: async ({ params, request }) => {
        const { pdf, cardNumber } = await membershipCardPdf(db, book, {
          participantId: params.id,
          heirLookupUrl,
          visible: (holder) => isInScope(request.principal, { regencyCode: holder.regencyCode, lpaId: holder.lpaId }),
        });
        return {
          status: 200,
          body: pdf,
          headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="kartu-${cardNumber}.pdf"` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notices',
      tag: 'notices',
      summary:
        'The outbox: notices owed to participants of every decision they must hear of, within the key’s scope (an LPA its own). Page with after=<last id>.',
      roles: readers,
      query: z.strictObject({
        status: z.enum(noticeStatuses).optional(),
        kind: z.enum(noticeKinds).optional(),
        participantId: uuidSchema.optional(),
        after: uuidSchema.optional(),
        limit: pageLimit(noticesPerPageMax, 50),
      }),
      responses: { 200: { description: 'Notices, by id.', schema: z.object({ notices: z.array(noticeSchema) }) } },
      handle: async ({ query, request }) => ({
        status: 200,
        body: {
          notices: (await listNotices(db, { ...query, ...scopeFilter(request.principal) })).map((found) => found.notice),
        },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notices/:id',
      tag: 'notices',
      summary: 'One notice: the decision it tells of, the rule version that made it, and whether it was sent or handed over.',
      roles: readers,
      params: idParams,
      responses: { 200: { description: 'The notice.', schema: noticeSchema } },
      handle: async ({ params, request }) => ({ status: 200, body: (await visibleNotice(request.principal, params.id)).notice }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notices/:id/notice.txt',
      tag: 'notices',
      summary: 'The notice as plain text, in Bahasa Indonesia or (lang=en) English: for a phone message or to read out.',
      roles: readers,
      params: idParams,
      query: languageQuerySchema,
      responses: { 200: { description: 'The notice.', files: ['text/plain'] } },
      handle: async ({ params, query, request }) => {
        const found = await visibleNotice(request.principal, params.id);
        return {
          status: 200,
          body: renderNoticeText(composeNotice(found.notice, found.letterhead, query.lang)),
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notices/:id/notice.pdf',
      tag: 'notices',
      summary: 'The notice as a PDF letter (A5) for the LPA to print and hand over, in Bahasa Indonesia or (lang=en) English.',
      roles: readers,
      params: idParams,
      query: languageQuerySchema,
      responses: { 200: { description: 'The notice.', files: ['application/pdf'] } },
      handle: async ({ params, query, request }) => {
        const found = await visibleNotice(request.principal, params.id);
        const pdf = await renderNoticePdf(composeNotice(found.notice, found.letterhead, query.lang), found.notice.decidedOn);
        return {
          status: 200,
          body: pdf,
          headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="notice-${params.id}.pdf"` },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/notices/:id/sent',
      tag: 'notices',
      summary: 'Record that the LPA sent a pending notice itself (LPA keys, own notices): by text message, WhatsApp or post.',
      description: 'Marking a notice sent again answers it unchanged; a notice already handed over is a 409.',
      roles: ['lpa'],
      params: idParams,
      body: markSentSchema,
      responses: {
        200: { description: 'The notice.', schema: noticeSchema },
        409: { description: 'Already handed over.' },
      },
      handle: async ({ params, body, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        await recordNoticeSent(
          db,
          {
            lpaId: principal.lpaId,
            noticeId: params.id,
            channel: body.channel,
            reference: body.reference ?? null,
          },
          request.actor,
        );
        return { status: 200, body: (await visibleNotice(principal, params.id)).notice };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/notices/:id/handed-over',
      tag: 'notices',
      summary: 'Record that the LPA handed the printed notice to the participant or an heir (LPA keys, own notices).',
      description: 'A notice handed over again answers unchanged.',
      roles: ['lpa'],
      params: idParams,
      body: markHandedOverSchema,
      responses: { 200: { description: 'The notice.', schema: noticeSchema } },
      handle: async ({ params, body, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        await recordNoticeHandedOver(
          db,
          {
            lpaId: principal.lpaId,
            noticeId: params.id,
            on: body.on ?? today(),
            today: today(),
            fieldPrefix: 'body.',
          },
          request.actor,
        );
        return { status: 200, body: (await visibleNotice(principal, params.id)).notice };
      },
    }),
  ];
}
