import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf, callerOf, type SessionPrincipal } from '../../access/principal.ts';
import { ConflictError, IdempotencyKeyReusedError, InputError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { uuidSchema } from '../../ids.ts';
import { recordCard } from '../../registry/card.ts';
import { enrolParticipant } from '../../registry/enrol.ts';
import { removeHeir, replaceHeirs } from '../../registry/heirs.ts';
import { visibleLpa, visibleParticipant } from '../../registry/index.ts';
import { enrolmentSchema } from '../../registry/model.ts';
import { requestFingerprint } from '../../shared/idempotency/model.ts';
import { answerOnce } from '../../shared/idempotency/once.ts';
import type { Logger } from '../../log.ts';
import { Notice } from '../components.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { type ConsoleOptions, type ConsoleSection, defineForm, definePage, type PageResult, type Viewer } from '../page.ts';
import { CardRecordForm, type CardForm, cardFormSchema, parseCard } from './enrolment/card.tsx';
import { EnrolmentFormPage } from './enrolment/form.tsx';
import {
  heirRemovalPath,
  heirRemovalSchema,
  type HeirsForm,
  heirsFormPath,
  heirsFormSchema,
  HeirsFormView,
  heirsProblems,
  parseHeirs,
} from './enrolment/heirs.tsx';
import {
  domainProblems,
  type EnrolmentForm,
  enrolmentFormSchema,
  formOf,
  parseEnrolment,
  type Problem,
} from './enrolment/input.ts';
import { type RefusalView, schemeName } from './enrolment/refusal.tsx';

// Enrolment (participants: enrol, heirs, card). An LPA officer enrols a
// person into their own LPA, as POST /v1/participants does for an LPA key:
// the same domain function, the same scheme, the person's principal. The
// decision is kept either way; a refusal comes back with every reason.

const formPath = '/pendaftaran';
const enrolmentResultSchema = z.object({ participantId: z.uuid(), enrolment: enrolmentSchema });

// What a conflict the domain refuses with tells the officer.
const conflictProblems: Readonly<Record<string, MessageKey>> = {
  'already-enrolled': 'enrolment.conflict.alreadyEnrolled',
  'lpa-not-approved': 'enrolment.conflict.lpaNotApproved',
  'idempotency-key-in-flight': 'enrolment.conflict.inFlight',
  'rule-not-in-force': 'enrolment.conflict.ruleNotInForce',
};

export function enrolmentSection({ db, rules: { book }, defaultScheme, today }: ConsoleOptions): ConsoleSection {
  const lpaOf = (principal: SessionPrincipal) => {
    if (principal.role !== 'lpa') throw new Error('enrolment admits lpa people only');
    return principal.lpaId;
  };

  const formPage = async (
    viewer: Viewer,
    page: { form: EnrolmentForm; problems: readonly Problem[]; refusal: RefusalView | null; status: number },
  ): Promise<PageResult> => {
    const { principal, words } = viewer;
    const lpa = await visibleLpa(db, principal, lpaOf(principal));
    return {
      kind: 'page',
      status: page.status,
      title: words.t('enrolment.title'),
      body: (
        <EnrolmentFormPage
          words={words}
          csrfToken={principal.csrfToken}
          idempotencyKey={randomUUID()}
          lpaName={lpa.name}
          scheme={schemeName(words, defaultScheme)}
          form={page.form}
          problems={page.problems}
          refusal={page.refusal}
        />
      ),
    };
  };

  // The refused decision as it was kept, and the person as submitted, to correct and send again.
  const refusalOf = async (principal: SessionPrincipal, participantId: string, enrolmentId: string) => {
    const participant = await visibleParticipant(db, principal, participantId, today());
    const enrolment = participant.enrolments.find((found) => found.id === enrolmentId && found.status === 'rejected');
    if (enrolment === undefined) throw new NotFoundError('enrolment', enrolmentId);
    return {
      form: formOf(participant, enrolment.enrolledOn),
      refusal: { participantId, name: participant.name, enrolment },
    };
  };

  const enrol = async (viewer: Viewer, key: string, form: EnrolmentForm, requestId: string, log: Logger) => {
    const { principal } = viewer;
    const parsed = parseEnrolment(form);
    if ('problems' in parsed) return formPage(viewer, { form, problems: parsed.problems, refusal: null, status: 400 });
    const claim = {
      caller: callerOf(principal),
      key,
      fingerprint: requestFingerprint({ method: 'POST', path: formPath, body: form }),
    };
    const refused = (problems: Problem[], status: number) => formPage(viewer, { form, problems, refusal: null, status });
    let answered;
    try {
      answered = await answerOnce(
        db,
        claim,
        async () => {
          const result = await enrolParticipant(
            db,
            book,
            { scheme: defaultScheme, lpaId: lpaOf(principal), input: parsed.input, today: today(), fieldPrefix: '' },
            actorOf(principal, requestId),
          );
          return { status: 201, headers: {}, body: result };
        },
        log,
      );
    } catch (error) {
      if (error instanceof InputError) return refused(domainProblems(form, error.issues), 400);
      if (error instanceof IdempotencyKeyReusedError)
        return refused([{ field: 'form', key: 'enrolment.conflict.keyReused' }], 422);
      if ((error instanceof ConflictError || error instanceof UnprocessableError) && error.code in conflictProblems)
        return refused(
          [{ field: 'form', key: conflictProblems[error.code] ?? 'error.badInput.body' }],
          error instanceof ConflictError ? 409 : 422,
        );
      throw error;
    }
    // A form sent twice gets the first decision again, from the kept answer.
    const { participantId, enrolment } = enrolmentResultSchema.parse(answered.answer.body);
    return {
      kind: 'redirect' as const,
      to:
        enrolment.status === 'active'
          ? `/peserta/${participantId}?enrolled=1`
          : `${formPath}?peserta=${participantId}&keputusan=${enrolment.id}`,
    };
  };

  const cardPage = (viewer: Viewer, form: CardForm, problems: readonly MessageKey[]): PageResult => ({
    kind: 'page',
    status: 400,
    title: viewer.words.t('enrolment.card.record'),
    body: (
      <>
        <p>
          <a href={`/peserta/${form.participant}`}>{viewer.words.t('participant.details')}</a>
        </p>
        <CardRecordForm
          words={viewer.words}
          csrfToken={viewer.principal.csrfToken}
          form={form}
          problems={problems}
          titled={false}
        />
      </>
    ),
  });

  // The participant the form names, as the officer may see them: another LPA's is a 404.
  const heirsHolder = (viewer: Viewer, participant: string) => {
    const id = uuidSchema.safeParse(participant);
    if (!id.success) throw new NotFoundError('participant', participant);
    return visibleParticipant(db, viewer.principal, id.data, today());
  };

  const heirsPage = (viewer: Viewer, name: string, form: HeirsForm, problems: readonly Problem[]): PageResult => ({
    kind: 'page',
    status: 400,
    title: name,
    body: (
      <>
        <p>
          <a href={`/peserta/${form.participant}`}>{viewer.words.t('participant.details')}</a>
        </p>
        <HeirsFormView
          words={viewer.words}
          csrfToken={viewer.principal.csrfToken}
          form={form}
          problems={problems}
          removable={[]}
        />
      </>
    ),
  });

  const heirsSaved = (participantId: string) => ({ kind: 'redirect' as const, to: `/peserta/${participantId}?heirs=1` });

  return {
    pages: [
      definePage({
        path: formPath,
        roles: ['lpa'],
        nav: 'nav.enrolment',
        query: z.strictObject({ peserta: uuidSchema.optional(), keputusan: uuidSchema.optional() }),
        render: async ({ viewer, query }) => {
          if (query.peserta !== undefined && query.keputusan !== undefined)
            return formPage(viewer, {
              ...(await refusalOf(viewer.principal, query.peserta, query.keputusan)),
              problems: [],
              status: 200,
            });
          return formPage(viewer, { form: { enrolledOn: today() }, problems: [], refusal: null, status: 200 });
        },
      }),
    ],
    forms: [
      defineForm({
        path: formPath,
        roles: ['lpa'],
        body: enrolmentFormSchema,
        handle: async ({ viewer, body: { key, ...form }, requestId, log }) => enrol(viewer, key, form, requestId, log),
        refused: ({ viewer }) => ({
          kind: 'page',
          status: 400,
          title: viewer.words.t('enrolment.title'),
          body: (
            <>
              <Notice kind="error">{viewer.words.t('error.badInput.body')}</Notice>
              <p>
                <a href={formPath}>{viewer.words.t('enrolment.title')}</a>
              </p>
            </>
          ),
        }),
      }),
      defineForm({
        path: '/peserta/kartu',
        roles: ['lpa'],
        body: cardFormSchema,
        handle: async ({ viewer, body, requestId }) => {
          const participantId = uuidSchema.safeParse(body.participant);
          if (!participantId.success) throw new NotFoundError('participant', body.participant);
          const parsed = parseCard(body);
          if ('problems' in parsed) return cardPage(viewer, body, parsed.problems);
          try {
            await recordCard(
              db,
              book,
              { principal: viewer.principal, participantId: participantId.data, card: parsed.card, today: today() },
              actorOf(viewer.principal, requestId),
            );
          } catch (error) {
            if (error instanceof ConflictError && error.code === 'card-number-taken')
              return cardPage(viewer, body, ['enrolment.card.problem.taken']);
            throw error;
          }
          return { kind: 'redirect', to: `/peserta/${participantId.data}?card=1` };
        },
        refused: () => ({ kind: 'redirect', to: '/peserta' }),
      }),
      defineForm({
        path: heirsFormPath,
        roles: ['lpa'],
        body: heirsFormSchema,
        handle: async ({ viewer, body, requestId }) => {
          const participant = await heirsHolder(viewer, body.participant);
          const parsed = parseHeirs(body);
          if ('problems' in parsed) return heirsPage(viewer, participant.name, body, parsed.problems);
          try {
            // The same heirs sent twice (a double submit) write once: rows given again are kept as they are.
            await replaceHeirs(
              db,
              {
                principal: viewer.principal,
                participantId: participant.id,
                heirs: parsed.heirs,
                today: today(),
                fieldPrefix: '',
              },
              actorOf(viewer.principal, requestId),
            );
          } catch (error) {
            if (error instanceof InputError) return heirsPage(viewer, participant.name, body, heirsProblems(body, error.issues));
            throw error;
          }
          return heirsSaved(participant.id);
        },
        refused: () => ({ kind: 'redirect', to: '/peserta' }),
      }),
      defineForm({
        path: heirRemovalPath,
        roles: ['lpa'],
        body: heirRemovalSchema,
        handle: async ({ viewer, body, requestId }) => {
          const participant = await heirsHolder(viewer, body.participant);
          await removeHeir(
            db,
            { principal: viewer.principal, participantId: participant.id, heirId: body.heir, today: today() },
            actorOf(viewer.principal, requestId),
          );
          return heirsSaved(participant.id);
        },
        refused: () => ({ kind: 'redirect', to: '/peserta' }),
      }),
    ],
  };
}
