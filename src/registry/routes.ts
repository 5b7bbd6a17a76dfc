import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { type Principal } from '../access/principal.ts';
import { regencyCodeSchema, uuidSchema } from '../ids.ts';
import { isInScope, scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { idParams, pageLimit } from '../shared/http/query.ts';
import { createRateLimiter } from '../shared/http/rate-limit.ts';
import { defineRoute, definePublicRoute, defineUploadRoute } from '../shared/http/route.ts';
import type { RuleBook } from '../rules/load.ts';
import { recordCard } from './card.ts';
import { enrolParticipant } from './enrol.ts';
import { replaceHeirs } from './heirs.ts';
import { visibleParticipant as visibleParticipantOf } from './participants.ts';
import { changeLpaStatus, lpaActions, proposeLpa, visibleLpa } from './lpas.ts';
import {
  cardInputSchema,
  enrolmentSchema,
  heirsInputSchema,
  heirsPerParticipantMax,
  importViewSchema,
  lpaSchema,
  lpaStatusChangeSchema,
  lpaStatuses,
  membershipLookupSchema,
  membershipSchema,
  newLpaSchema,
  participantInputSchema,
  participantViewSchema,
  targetPopulationInputSchema,
  targetPopulationSchema,
} from './model.ts';
import { findMembership, listLpas, listParticipantIds, listRegions, listTargetPopulations, regencyExists } from './store.ts';
import { importErrorLines } from './import-store.ts';
import { findImport } from './import-store.ts';
import { beginImport, ImportFileError } from './import.ts';
import { dataQuality, dataQualityQuerySchema, dataQualityTable } from './quality.ts';
import { reportResponse, reportResult } from '../shared/table.ts';
import { declareTargetPopulation, importRegions } from './regions.ts';
import { isoDateSchema } from '../dates.ts';

const allRoles = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;
const regencyParams = z.strictObject({ code: regencyCodeSchema });
const lpasPerPageMax = 200;
const participantsPerPageMax = 200;
const importBytesMax = 512 * 1024 * 1024;
const nikFilter = z
  .string()
  .regex(/^[0-9]{16}$/, 'must be a NIK of 16 digits')
  .optional();
const participantsFound = {
  description: 'Participants, by id.',
  schema: z.object({ participants: z.array(participantViewSchema) }),
};

export interface RegistryDeps {
  readonly db: Db;
  readonly book: RuleBook;
  readonly defaultScheme: string;
  readonly today: () => string;
}

export function registryRoutes({ db, book, defaultScheme, today }: RegistryDeps) {
  const lookupLimit = createRateLimiter({ requestsMax: 10, windowSeconds: 60, clientsTrackedMax: 100_000 });

  async function visibleImport(principal: Principal, id: string) {
    const found = await findImport(db, id);
    if (found === null || !isInScope(principal, { regencyCode: found.regencyCode, lpaId: found.lpaId }))
      throw new NotFoundError('import', id);
    const { regencyCode: _scope, ...view } = found;
    return view;
  }

  async function participantsFor(principal: Principal, filter: { nik?: string; after?: string; limit: number }) {
    const ids = await listParticipantIds(db, { ...filter, ...scopeFilter(principal) });
    const participants = [];
    for (const id of ids) participants.push(await visibleParticipant(principal, id));
    return participants;
  }

  const visibleParticipant = (principal: Principal, id: string) => visibleParticipantOf(db, principal, id, today());

  return [
    defineRoute({
      method: 'get',
      path: '/v1/regions',
      tag: 'registry',
      summary: 'Provinces and their regencies, by official code.',
      roles: allRoles,
      responses: {
        200: {
          description: 'The region list.',
          schema: z.object({
            provinces: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                regencies: z.array(z.object({ code: z.string(), name: z.string() })),
              }),
            ),
          }),
        },
      },
      handle: async () => ({ status: 200, body: { provinces: await listRegions(db) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/regions',
      tag: 'registry',
      summary: 'Add or rename provinces (2-digit codes) and regencies (4-digit codes) by official code.',
      roles: ['directorate'],
      body: z.strictObject({
        regions: z
          .array(z.strictObject({ code: z.string().max(4), name: z.string().trim().max(100) }))
          .min(1)
          .max(10_000),
      }),
      responses: {
        200: { description: 'How many of each were written.', schema: z.object({ provinces: z.int(), regencies: z.int() }) },
      },
      handle: async ({ body, request }) => ({
        status: 200,
        body: await importRegions(db, body.regions, request.actor, (index) => `body.regions.${index}`),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/regions/regencies/:code/target-population',
      tag: 'registry',
      summary:
        'Declare the people a regency aims to cover (e.g. its informal workers) as of a day, with the source: what the coverage ratio divides by.',
      description:
        'The directorate for any regency, a dinsos key for its own (another regency answers 404). The same day again replaces its figure; audited.',
      roles: ['directorate', 'dinsos'],
      params: regencyParams,
      body: targetPopulationInputSchema,
      responses: { 200: { description: 'The declaration as kept.', schema: targetPopulationSchema } },
      handle: async ({ params, body, request }) => {
        if (!isInScope(request.principal, { regencyCode: params.code, lpaId: null }))
          throw new NotFoundError('regency', params.code);
        const saved = await declareTargetPopulation(db, params.code, body, request.actor, {
          today: today(),
          asOfField: 'body.asOf',
        });
        return { status: 200, body: saved };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/regions/regencies/:code/target-population',
      tag: 'registry',
      summary: 'The target populations a regency has declared, the latest day first.',
      roles: allRoles,
      params: regencyParams,
      responses: {
        200: { description: 'The declarations.', schema: z.object({ declarations: z.array(targetPopulationSchema) }) },
      },
      handle: async ({ params }) => {
        if (!(await regencyExists(db, params.code))) throw new NotFoundError('regency', params.code);
        return { status: 200, body: { declarations: await listTargetPopulations(db, params.code) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/lpas',
      tag: 'registry',
      summary: 'Propose an LPA (dinsos for its own regency, or the directorate). It starts as proposed.',
      roles: ['directorate', 'dinsos'],
      body: newLpaSchema,
      responses: { 201: { description: 'Proposed.', schema: lpaSchema } },
      handle: async ({ body, request }) => {
        const lpa = await proposeLpa(db, request.principal, body, request.actor);
        return { status: 201, body: lpa, headers: { Location: `/v1/lpas/${lpa.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/lpas',
      tag: 'registry',
      summary: 'LPAs the key may see: all, its regency’s (dinsos) or its own (lpa). Page with after=<last id>.',
      roles: allRoles,
      query: z.strictObject({
        status: z.enum(lpaStatuses).optional(),
        after: uuidSchema.optional(),
        limit: pageLimit(lpasPerPageMax, 50),
      }),
      responses: { 200: { description: 'LPAs, by id.', schema: z.object({ lpas: z.array(lpaSchema) }) } },
      handle: async ({ query, request }) => ({
        status: 200,
        body: { lpas: await listLpas(db, { ...query, ...scopeFilter(request.principal) }) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/lpas/:id',
      tag: 'registry',
      summary: 'One LPA.',
      roles: allRoles,
      params: idParams,
      responses: { 200: { description: 'The LPA.', schema: lpaSchema } },
      handle: async ({ params, request }) => ({ status: 200, body: await visibleLpa(db, request.principal, params.id) }),
    }),
    ...lpaActions.map((action) =>
      defineRoute({
        method: 'post',
        path: `/v1/lpas/:id/${action}`,
        tag: 'registry',
        summary: `${action[0]?.toUpperCase()}${action.slice(1)} an LPA, with a reason. A suspended or closed LPA cannot enrol or file claims.`,
        roles: ['directorate'],
        params: idParams,
        body: lpaStatusChangeSchema,
        responses: { 200: { description: 'The LPA with its new status.', schema: lpaSchema } },
        handle: async ({ params, body, request }) => ({
          status: 200,
          body: await changeLpaStatus(db, params.id, action, body.reason, request.actor),
        }),
      }),
    ),
    defineRoute({
      method: 'post',
      path: '/v1/participants',
      tag: 'registry',
      summary:
        'Enrol a participant (LPA keys). The eligibility rules in force on enrolledOn decide; a refusal is kept with its reasons.',
      description:
        'Answers 201 either way: the enrolment is "active" or "rejected" with reasons, rule version and hash. 409 if the NIK already has an active enrolment or the LPA is not approved.',
      roles: ['lpa'],
      body: participantInputSchema,
      responses: {
        201: { description: 'The decision.', schema: z.object({ participantId: z.uuid(), enrolment: enrolmentSchema }) },
      },
      handle: async ({ body, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        const result = await enrolParticipant(
          db,
          book,
          { scheme: defaultScheme, lpaId: principal.lpaId, input: body, today: today(), fieldPrefix: 'body.' },
          request.actor,
        );
        return { status: 201, body: result, headers: { Location: `/v1/participants/${result.participantId}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/participants',
      tag: 'registry',
      summary: 'Participants the key may see, optionally by NIK. Page with after=<last id>.',
      description:
        'A NIK in a URL is kept by every proxy and browser history on the way: to search by NIK, prefer POST /v1/participants/search.',
      roles: allRoles,
      query: z.strictObject({
        nik: nikFilter,
        after: uuidSchema.optional(),
        limit: pageLimit(participantsPerPageMax, 50),
      }),
      responses: { 200: participantsFound },
      handle: async ({ query, request }) => ({
        status: 200,
        body: { participants: await participantsFor(request.principal, query) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/participants/search',
      tag: 'registry',
      summary: 'The same search as GET /v1/participants, with the filters in a JSON body, so a NIK stays out of URLs and logs.',
      roles: allRoles,
      writesNothing: true,
      body: z.strictObject({
        nik: nikFilter,
        after: uuidSchema.optional(),
        limit: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(participantsPerPageMax, `must be at most ${participantsPerPageMax}`)
          .default(50)
          .meta({ description: `How many rows to return, 1 to ${participantsPerPageMax}.` }),
      }),
      responses: { 200: participantsFound },
      handle: async ({ body, request }) => ({
        status: 200,
        body: { participants: await participantsFor(request.principal, body) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/participants/:id',
      tag: 'registry',
      summary: 'One participant, with heirs, card and every enrolment decision.',
      roles: allRoles,
      params: idParams,
      responses: { 200: { description: 'The participant.', schema: participantViewSchema } },
      handle: async ({ params, request }) => ({ status: 200, body: await visibleParticipant(request.principal, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/participants/:id/card',
      tag: 'registry',
      summary: 'Record the participant card’s number, issue date and delivery date (the study found cards left in LPA offices).',
      roles: ['lpa'],
      params: idParams,
      body: cardInputSchema,
      responses: { 200: { description: 'The participant with the card.', schema: participantViewSchema } },
      handle: async ({ params, body, request }) => {
        await recordCard(
          db,
          book,
          { principal: request.principal, participantId: params.id, card: body, today: today() },
          request.actor,
        );
        return { status: 200, body: await visibleParticipant(request.principal, params.id) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/participants/:id/heirs',
      tag: 'registry',
      summary:
        'Replace the participant’s heirs (ahli waris) with the list sent (LPA keys, own members): to record a new heir or correct one.',
      description:
        'The list is every heir the participant has now, at most ' +
        `${heirsPerParticipantMax}. An heir sent again exactly as recorded keeps its id; one left out is removed. ` +
        'Sending the same list again changes nothing, so a retry is safe without an Idempotency-Key. A death claim keeps the heir it was filed for, so no claim changes. Audited with the heirs before and after.',
      roles: ['lpa'],
      params: idParams,
      body: heirsInputSchema,
      responses: { 200: { description: 'The participant with the heirs as now recorded.', schema: participantViewSchema } },
      handle: async ({ params, body, request }) => {
        await replaceHeirs(
          db,
          { principal: request.principal, participantId: params.id, heirs: body.heirs, today: today(), fieldPrefix: 'body.' },
          request.actor,
        );
        return { status: 200, body: await visibleParticipant(request.principal, params.id) };
      },
    }),
    defineUploadRoute({
      method: 'post',
      path: '/v1/imports',
      tag: 'registry',
      summary: 'Import participants from a CSV extract (LPA keys). Checks the file at once, then enrols in the background.',
      description:
        'Send the CSV as the body with Content-Type text/csv (header and columns as for "askesos import participants"). 202 with the import to poll (a file whose import was cut off resumes where it stopped); 200 with the first import when this file was imported before and is done. A broken file is refused with 400 and writes nothing.',
      roles: ['lpa'],
      upload: { contentType: 'text/csv', bytesMax: importBytesMax },
      query: z.strictObject({
        enrolledOn: isoDateSchema.optional().meta({ description: 'Enrolment date; today when absent.' }),
        fileName: z.string().min(1).max(200).default('upload.csv'),
      }),
      responses: {
        200: { description: 'This file was imported before and is done; nothing changed.', schema: importViewSchema },
        202: { description: 'Accepted, or an import cut off resumed; poll the Location.', schema: importViewSchema },
      },
      handle: async ({ query, file, request }) => {
        const { principal } = request;
        if (principal.role !== 'lpa') throw new Error('the route admits lpa keys only');
        let begun;
        try {
          begun = await beginImport(
            db,
            book,
            {
              lpaId: principal.lpaId,
              filePath: file.path,
              fileName: query.fileName,
              enrolledOn: query.enrolledOn ?? today(),
              today: today(),
              scheme: defaultScheme,
            },
            request.actor,
          );
        } catch (error) {
          if (error instanceof ImportFileError) throw new InputError([{ field: 'body', message: error.message }]);
          throw error;
        }
        const log = request.log;
        // A file imported before and done is answered as it was; one cut off
        // (its runner died) resumes from its last committed line.
        const done = begun.summary.reused && begun.summary.status === 'done';
        if (!done) {
          void begun
            .finish()
            .catch((error: unknown) => log.error({ err: error, importId: begun.summary.importId }, 'import failed'))
            .finally(() => rm(file.path, { force: true }));
        } else await rm(file.path, { force: true });
        const view = await visibleImport(request.principal, begun.summary.importId);
        return { status: done ? 200 : 202, body: view, headers: { Location: `/v1/imports/${view.id}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:id',
      tag: 'registry',
      summary: 'An import: its status and counts.',
      roles: allRoles,
      params: idParams,
      responses: { 200: { description: 'The import.', schema: importViewSchema } },
      handle: async ({ params, request }) => ({ status: 200, body: await visibleImport(request.principal, params.id) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:id/errors',
      tag: 'registry',
      summary: 'The bad rows of an import as CSV: line, column, reason.',
      roles: allRoles,
      params: idParams,
      responses: { 200: { description: 'text/csv' } },
      handle: async ({ params, request }) => {
        await visibleImport(request.principal, params.id);
        const lines: string[] = [];
        for await (const line of importErrorLines(db, params.id)) lines.push(line);
        return {
          status: 200,
          body: lines.join(''),
          headers: {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="import-${params.id}-errors.csv"`,
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/data-quality',
      tag: 'registry',
      summary:
        'Data quality per LPA: import rows refused by reason, enrolments rejected by the rules by reason, suspected duplicate people.',
      description:
        'Within the key’s scope; narrow it with regencyCode or lpaId. One table: a row per LPA and section (participants, active enrolments, import rows refused, enrolments rejected), then a row per suspected duplicate person. format=json (default), csv or xlsx.',
      roles: allRoles,
      query: dataQualityQuerySchema,
      responses: { 200: reportResponse('The report in the format asked for.') },
      handle: async ({ query, request }) => {
        const own = scopeFilter(request.principal);
        const { format: _format, locale: _locale, ...narrowed } = query;
        const scope = { ...narrowed, ...own };
        // A narrower filter than the key's scope is fine; a wider one is not.
        const wider =
          (own.regencyCode !== undefined && query.regencyCode !== undefined && query.regencyCode !== own.regencyCode) ||
          (own.lpaId !== undefined && query.lpaId !== undefined && query.lpaId !== own.lpaId);
        const quality = wider ? { lpas: [], suspectedDuplicates: [] } : await dataQuality(db, scope);
        return reportResult(dataQualityTable(quality, scope), query, 'data-quality');
      },
    }),
    definePublicRoute({
      method: 'post',
      path: '/v1/membership-lookups',
      tag: 'registry',
      summary:
        'For a participant or an heir: is this NIK, with this birth date, a member? Says the status and the LPA to contact, nothing else. Rate limited.',
      body: membershipLookupSchema,
      responses: {
        200: {
          description: 'The answer; member false when the NIK and birth date do not match a member.',
          schema: membershipSchema,
        },
      },
      handle: async ({ body, request }) => {
        lookupLimit(request.clientIp);
        const found = await findMembership(db, body.nik, body.birthDate);
        return {
          status: 200,
          body:
            found === null || found.status === 'rejected'
              ? { member: false, status: null, lpa: null }
              : {
                  member: found.status === 'active',
                  status: found.status,
                  lpa: { name: found.lpaName, contactName: found.contactName, contactPhone: found.contactPhone },
                },
        };
      },
    }),
  ];
}
