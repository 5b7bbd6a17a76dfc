import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf } from '../../../access/principal.ts';
import { documentChecklist } from '../../../claims/checklist.ts';
import { submitClaimWithScans } from '../../../claims/file-with-scans.ts';
import { newClaimSchema } from '../../../claims/model.ts';
import { scanBytesMax, scanMediaTypes } from '../../../claims/scans.ts';
import { findClaimByKey } from '../../../claims/store.ts';
import { isoDateSchema } from '../../../dates.ts';
import { ConflictError, IdempotencyKeyReusedError, InputError, UnprocessableError } from '../../../errors.ts';
import { uuidSchema } from '../../../ids.ts';
import { visibleParticipant } from '../../../registry/index.ts';
import { heirRelations } from '../../../registry/model.ts';
import { claimTypes, deathCauses } from '../../../rules/catalogue.ts';
import { RuleNotInForceError, UnknownSchemeError } from '../../../rules/evaluate.ts';
import { idempotencyHeaderSchema } from '../../../shared/idempotency/model.ts';
import { Notice } from '../../components.tsx';
import type { MessageKey, Words } from '../../i18n/index.ts';
import { type ConsoleOptions, defineForm, definePage, type PageResult, type UploadedFile, type Viewer } from '../../page.ts';
import { claimLabels, Input, Problems, Select } from './labels.tsx';

// Filing a claim, as POST /v1/claims files it, with the scan of each paper
// the rules ask for, in two steps: what happened and when (the rules in
// force that day decide which papers), then the rest, on one form posted
// once. Its hidden key, made when the form is drawn, is the claim's
// Idempotency-Key: a second press of the button files nothing more.

// Every scan at its limit, with room for the form's text.
const filingBytesMax = 4 * scanBytesMax + 64 * 1024;
const kindPattern = /^doc\.([a-z][a-z0-9-]{1,49})\.number$/;

const stepSchema = z.strictObject({
  participant: uuidSchema,
  claimType: z.enum(claimTypes).optional().catch(undefined),
  incidentDate: isoDateSchema.optional().catch(undefined),
  deathCause: z.enum(deathCauses).optional().catch(undefined),
});

type Values = Readonly<Record<string, string>>;

// The participant, before the claim type and incident date are chosen, or when the rules have no version for that day.
interface Unchosen {
  readonly participantId: string;
  readonly name: string;
  readonly missing: 'step' | 'rules' | null;
}

interface Step {
  readonly participantId: string;
  readonly participantName: string;
  readonly claimType: (typeof claimTypes)[number];
  readonly incidentDate: string;
  readonly deathCause: (typeof deathCauses)[number] | null;
  // What the rules in force ask for.
  readonly required: readonly string[];
  // What other versions of the scheme ask for of such a claim: papers the LPA may hold and attach.
  readonly optional: readonly string[];
  readonly rules: string;
}

export function claimFiling({ db, rules: { book }, defaultScheme, today }: ConsoleOptions) {
  // The participant as the LPA may see them (another LPA's is a 404), and
  // the papers the rules in force on the incident date ask for.
  const stepOf = async (viewer: Viewer, values: Values): Promise<Step | Unchosen> => {
    const participant = await visibleParticipant(db, viewer.principal, values.participantId ?? '', today());
    const claimType = z.enum(claimTypes).safeParse(values.claimType);
    const incidentDate = isoDateSchema.safeParse(values.incidentDate);
    const deathCause = z.enum(deathCauses).safeParse(values.deathCause);
    const unchosen = (missing: Unchosen['missing']) => ({ participantId: participant.id, name: participant.name, missing });
    if (!claimType.success || !incidentDate.success || (claimType.data === 'death' && !deathCause.success))
      return unchosen(values.claimType === undefined && values.incidentDate === undefined ? null : 'step');
    const scheme = schemeOf(participant.enrolments) ?? defaultScheme;
    const asked = {
      scheme,
      claimType: claimType.data,
      deathCause: claimType.data === 'death' && deathCause.success ? deathCause.data : null,
    };
    const checklistOn = (date: string) => {
      try {
        return documentChecklist(book, { ...asked, date });
      } catch (error) {
        if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return null;
        throw error;
      }
    };
    const checklist = checklistOn(incidentDate.data);
    if (checklist === null) return unchosen('rules');
    // A version withdrawn before it came into force asks for nothing.
    const everAsked = (book.schemes.get(scheme) ?? []).flatMap((version) => checklistOn(version.effectiveFrom)?.documents ?? []);
    return {
      participantId: participant.id,
      participantName: participant.name,
      claimType: claimType.data,
      incidentDate: incidentDate.data,
      deathCause: checklist.deathCause,
      required: checklist.documents,
      optional: [...new Set(everAsked)].filter((kind) => !checklist.documents.includes(kind)),
      rules: `${checklist.scheme} ${checklist.version}`,
    };
  };

  const formPage = async (
    viewer: Viewer,
    values: Values,
    problems: readonly string[] = [],
    status = 200,
  ): Promise<PageResult> => {
    const { t } = viewer.words;
    const step = await stepOf(viewer, values);
    if (!('claimType' in step)) {
      const missing = {
        step: [t('claims.file.stepMissing')],
        rules: [t('claims.file.noRules', { date: values.incidentDate ?? '' })],
      };
      return {
        kind: 'page',
        status: step.missing === 'rules' ? 422 : step.missing === 'step' ? 400 : status,
        title: t('claims.file.titleFor', { name: step.name }),
        body: (
          <StepOne
            words={viewer.words}
            values={values}
            participantId={step.participantId}
            problems={[...problems, ...(step.missing === null ? [] : missing[step.missing])]}
          />
        ),
      };
    }
    return {
      kind: 'page',
      status,
      title: t('claims.file.titleFor', { name: step.participantName }),
      body: (
        <ClaimForm
          words={viewer.words}
          csrfToken={viewer.principal.csrfToken}
          step={step}
          values={values}
          problems={problems}
          // A key per drawing of the form: a refused form drawn again is a new filing.
          filingKey={randomUUID()}
        />
      ),
    };
  };

  return {
    page: definePage({
      path: '/klaim/baru',
      roles: ['lpa'],
      query: stepSchema,
      render: async ({ viewer, query }) =>
        formPage(viewer, {
          participantId: query.participant,
          ...(query.claimType === undefined ? {} : { claimType: query.claimType }),
          ...(query.incidentDate === undefined ? {} : { incidentDate: query.incidentDate }),
          ...(query.deathCause === undefined ? {} : { deathCause: query.deathCause }),
        }),
    }),
    form: defineForm({
      path: '/klaim/baru',
      roles: ['lpa'],
      multipart: { bytesMax: filingBytesMax, tooLarge: 'claims.file.tooLarge' },
      // Read field by field below, so a refusal can name each one and draw the form again as it was.
      body: z.record(z.string(), z.string().max(500)),
      handle: async ({ viewer, body, files, requestId }) => {
        const { principal, words } = viewer;
        if (principal.role !== 'lpa') throw new Error('the form admits lpa people only');
        const values = body as Values;
        const step = await stepOf(viewer, values);
        if (!('claimType' in step)) return formPage(viewer, values, [], 400);
        const filed = newClaimSchema.safeParse(claimInput(step, values));
        const scans = [...files.entries()].flatMap(([field, file]) => scanOf(field, file));
        if (!filed.success)
          return formPage(
            viewer,
            values,
            filed.error.issues.map((issue) => fieldProblem(words, issue.path, values)),
            400,
          );
        const key = idempotencyHeaderSchema.shape['idempotency-key'].safeParse(values.key);
        if (!key.success) throw new InputError([]);
        try {
          const { claim, replayed } = await submitClaimWithScans(
            db,
            book,
            {
              lpaId: principal.lpaId,
              claim: filed.data,
              idempotencyKey: key.data,
              today: today(),
              defaultScheme,
              fieldPrefix: '',
            },
            scans.map(({ kind, file }) => ({ kind, bytes: file.bytes })),
            actorOf(principal, requestId),
          );
          return { kind: 'redirect', to: `/klaim/${claim.id}?filed=${replayed ? 'again' : 'new'}` };
        } catch (error) {
          const refusal = await refusalOf(error, words, values, principal.lpaId);
          if (refusal === null) throw error;
          return formPage(viewer, values, [refusal], 400);
        }
      },
      refused: ({ viewer, problems }) => ({
        kind: 'page',
        status: 413,
        title: viewer.words.t('claims.file.title'),
        body: (
          <>
            <Notice kind="error">{problems.map((problem) => viewer.words.t(problem, { max: megabytes(scanBytesMax) }))}</Notice>
            <p>
              <a href="/peserta">{viewer.words.t('claims.file.backToParticipants')}</a>
            </p>
          </>
        ),
      }),
    }),
  };

  // What the domain refused, in the person's words; null for a fault.
  async function refusalOf(error: unknown, words: Words, values: Values, lpaId: string): Promise<string | null> {
    const { t } = words;
    if (error instanceof InputError)
      return error.issues.map((issue) => fieldProblem(words, issue.field.split('.'), values)).join(' ');
    if (error instanceof IdempotencyKeyReusedError || (error instanceof ConflictError && error.code === 'scan-exists')) {
      const earlier = await findClaimByKey(db, lpaId, values.key ?? '');
      return t('claims.file.keyUsed', { claim: earlier?.claim.id ?? '' });
    }
    if (error instanceof ConflictError && error.code === 'lpa-not-approved') return t('claims.file.lpaNotApproved');
    if (error instanceof UnprocessableError) return t('claims.file.noRules', { date: values.incidentDate ?? '' });
    return null;
  }
}

// The claim as POST /v1/claims takes it, from the form's flat fields; what
// does not parse is named by newClaimSchema's issues.
function claimInput(step: Step, values: Values): Record<string, unknown> {
  const text = (name: string) => (values[name] ?? '').trim();
  const whole = (name: string) => (text(name) === '' ? undefined : Number(text(name)));
  const documents = Object.keys(values)
    .flatMap((name) => kindPattern.exec(name)?.slice(1, 2) ?? [])
    .filter((kind) => text(`doc.${kind}.number`) !== '')
    .map((kind) => ({ kind, number: text(`doc.${kind}.number`), date: text(`doc.${kind}.date`) }));
  const payout =
    text('payoutMethod') === 'bank'
      ? { method: 'bank', bankName: text('bankName'), accountNumber: text('accountNumber'), accountHolder: text('accountHolder') }
      : { method: text('payoutMethod'), receivedBy: text('receivedBy') };
  const byType: Record<(typeof claimTypes)[number], Record<string, unknown>> = {
    sickness: { sicknessDays: whole('sicknessDays') },
    accident: {},
    'accident-medical': { costClaimed: text('costClaimed') },
    dentures: { costClaimed: text('costClaimed') },
    disability: { monthlyWage: text('monthlyWage'), disabilityPercent: whole('disabilityPercent') },
    death: {
      deathCause: step.deathCause,
      heir: {
        name: text('heirName'),
        relation: text('heirRelation'),
        ...(text('heirNik') === '' ? {} : { nik: text('heirNik') }),
      },
    },
  };
  return {
    participantId: step.participantId,
    claimType: step.claimType,
    incidentDate: step.incidentDate,
    reportDate: text('reportDate'),
    documents,
    payout,
    ...byType[step.claimType],
  };
}

// The form's field a path of the claim names, in the person's words.
const fieldKeys: Readonly<Record<string, MessageKey>> = {
  incidentDate: 'claims.field.incidentDate',
  reportDate: 'claims.field.reportDate',
  sicknessDays: 'claims.field.sicknessDays',
  costClaimed: 'claims.field.costClaimed',
  monthlyWage: 'claims.field.monthlyWage',
  disabilityPercent: 'claims.field.disabilityPercent',
  method: 'claims.field.payoutMethod',
  bankName: 'claims.field.bankName',
  accountNumber: 'claims.field.accountNumber',
  accountHolder: 'claims.field.accountHolder',
  receivedBy: 'claims.field.receivedBy',
  name: 'claims.field.heirName',
  nik: 'claims.field.heirNik',
  relation: 'claims.field.heirRelation',
  number: 'claims.field.documentNumber',
  date: 'claims.field.documentDate',
};

function fieldProblem(words: Words, path: readonly PropertyKey[], values: Values): string {
  const { t } = words;
  const [head, index] = path;
  const leaf = String(path.at(-1) ?? '');
  if (head === 'documents' || head === 'scans') {
    const kind =
      head === 'scans'
        ? String(index)
        : (Object.keys(values)
            .flatMap((name) => kindPattern.exec(name)?.slice(1, 2) ?? [])
            .filter((found) => (values[`doc.${found}.number`] ?? '').trim() !== '')[Number(index)] ?? '');
    const document = claimLabels(words).document(kind);
    return head === 'scans'
      ? t('claims.file.scanRefused', { document, max: megabytes(scanBytesMax) })
      : t('claims.file.documentInvalid', { document, field: t(fieldKeys[leaf] ?? 'claims.field.documentNumber') });
  }
  const key = fieldKeys[leaf] ?? fieldKeys[String(head)];
  return t('claims.file.fieldInvalid', { field: key === undefined ? String(head) : t(key) });
}

function scanOf(field: string, file: UploadedFile): { kind: string; file: UploadedFile }[] {
  const kind = /^scan\.([a-z][a-z0-9-]{1,49})$/.exec(field)?.[1];
  return kind === undefined ? [] : [{ kind, file }];
}

// The scheme of the participant's latest enrolment that was accepted, as their claim's cover will be.
function schemeOf(
  enrolments: readonly { readonly status: string; readonly enrolledOn: string; readonly rule: { readonly scheme: string } }[],
): string | undefined {
  return enrolments
    .filter((enrolment) => enrolment.status !== 'rejected')
    .toSorted((a, b) => a.enrolledOn.localeCompare(b.enrolledOn))
    .at(-1)?.rule.scheme;
}

function megabytes(bytes: number): number {
  return bytes / (1024 * 1024);
}

// The payout's fields: the one for cash, then the bank's.
const payoutFields: readonly (readonly [name: string, id: string, label: MessageKey, hint: MessageKey])[] = [
  ['receivedBy', 'received-by', 'claims.field.receivedBy', 'claims.file.forCash'],
  ['bankName', 'bank-name', 'claims.field.bankName', 'claims.file.forBank'],
  ['accountNumber', 'account-number', 'claims.field.accountNumber', 'claims.file.forBank'],
  ['accountHolder', 'account-holder', 'claims.field.accountHolder', 'claims.file.forBank'],
];

function StepOne(props: {
  readonly words: Words;
  readonly values: Values;
  readonly participantId: string;
  readonly problems: readonly string[];
}) {
  const { words, values, participantId, problems } = props;
  const { t } = words;
  const labels = claimLabels(words);
  return (
    <>
      <p>
        <a href={`/peserta/${participantId}`}>{t('claims.file.backToParticipant')}</a>
      </p>
      <Problems title={t('claims.file.problems')} problems={problems} />
      <p class="lead">{t('claims.file.stepOneLead')}</p>
      <form method="get" action="/klaim/baru" class="stacked">
        <input type="hidden" name="participant" value={participantId} />
        <Select
          id="claim-type"
          name="claimType"
          label={t('claims.field.claimType')}
          value={values.claimType}
          required
          options={[['', t('claims.choose')], ...claimTypes.map((type) => [type, labels.claimType(type)] as const)]}
        />
        <Input
          id="incident-date"
          name="incidentDate"
          type="date"
          label={t('claims.field.incidentDate')}
          value={values.incidentDate}
          required
        />
        <Select
          id="death-cause"
          name="deathCause"
          label={t('claims.field.deathCause')}
          value={values.deathCause}
          options={[
            ['', t('claims.deathCause.notDeath')],
            ...deathCauses.map((cause) => [cause, labels.deathCause(cause)] as const),
          ]}
        />
        <button type="submit">{t('claims.file.next')}</button>
      </form>
    </>
  );
}

function ClaimForm(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly step: Step;
  readonly values: Values;
  readonly problems: readonly string[];
  readonly filingKey: string;
}) {
  const { words, csrfToken, step, values, problems, filingKey } = props;
  const { t } = words;
  const labels = claimLabels(words);
  const value = (name: string) => values[name];
  const accept = scanMediaTypes.join(',');
  const changeLink = `/klaim/baru?participant=${step.participantId}`;
  return (
    <>
      <p>
        <a href={`/peserta/${step.participantId}`}>{t('claims.file.backToParticipant')}</a>
      </p>
      <Problems title={t('claims.file.problems')} problems={problems} />
      <dl class="details">
        <dt>{t('claims.field.claimType')}</dt>
        <dd>{labels.claimType(step.claimType)}</dd>
        <dt>{t('claims.field.incidentDate')}</dt>
        <dd>{words.date(step.incidentDate)}</dd>
        {step.deathCause !== null && (
          <>
            <dt>{t('claims.field.deathCause')}</dt>
            <dd>{labels.deathCause(step.deathCause)}</dd>
          </>
        )}
        <dt>{t('claims.field.rules')}</dt>
        <dd>{step.rules}</dd>
      </dl>
      <p>
        <a href={changeLink}>{t('claims.file.change')}</a>
      </p>
      <form method="post" action="/klaim/baru" enctype="multipart/form-data" class="stacked claim-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="key" value={filingKey} />
        <input type="hidden" name="participantId" value={step.participantId} />
        <input type="hidden" name="claimType" value={step.claimType} />
        <input type="hidden" name="incidentDate" value={step.incidentDate} />
        {step.deathCause !== null && <input type="hidden" name="deathCause" value={step.deathCause} />}
        <Input
          id="report-date"
          name="reportDate"
          type="date"
          label={t('claims.field.reportDate')}
          value={value('reportDate')}
          required
          hint={t('claims.file.reportDateHint')}
        />
        {step.claimType === 'sickness' && (
          <Input
            id="sickness-days"
            name="sicknessDays"
            type="number"
            min={1}
            max={366}
            label={t('claims.field.sicknessDays')}
            value={value('sicknessDays')}
            required
          />
        )}
        {(step.claimType === 'accident-medical' || step.claimType === 'dentures') && (
          <Input
            id="cost-claimed"
            name="costClaimed"
            type="text"
            inputMode="decimal"
            label={t('claims.field.costClaimed')}
            value={value('costClaimed')}
            required
            hint={t('claims.file.rupiahHint')}
          />
        )}
        {step.claimType === 'disability' && (
          <>
            <Input
              id="monthly-wage"
              name="monthlyWage"
              type="text"
              inputMode="decimal"
              label={t('claims.field.monthlyWage')}
              value={value('monthlyWage')}
              required
              hint={t('claims.file.rupiahHint')}
            />
            <Input
              id="disability-percent"
              name="disabilityPercent"
              type="number"
              min={1}
              max={100}
              label={t('claims.field.disabilityPercent')}
              value={value('disabilityPercent')}
              required
            />
          </>
        )}
        {step.claimType === 'death' && (
          <fieldset>
            <legend>{t('claims.file.heir')}</legend>
            <Input
              id="heir-name"
              name="heirName"
              type="text"
              label={t('claims.field.heirName')}
              value={value('heirName')}
              required
            />
            <Select
              id="heir-relation"
              name="heirRelation"
              label={t('claims.field.heirRelation')}
              value={value('heirRelation')}
              required
              options={[
                ['', t('claims.choose')],
                ...heirRelations.map((relation) => [relation, t(`relation.${relation}`)] as const),
              ]}
            />
            <Input
              id="heir-nik"
              name="heirNik"
              type="text"
              inputMode="numeric"
              label={t('claims.field.heirNik')}
              value={value('heirNik')}
              hint={t('claims.file.optional')}
            />
          </fieldset>
        )}
        <fieldset>
          <legend>{t('claims.file.documents')}</legend>
          <p class="hint">
            {step.required.length === 0 ? t('claims.file.noDocuments') : t('claims.file.documentsHint')}{' '}
            {t('claims.file.scanHint', { max: megabytes(scanBytesMax) })}
          </p>
          {[...step.required.map((kind) => [kind, true] as const), ...step.optional.map((kind) => [kind, false] as const)].map(
            ([kind, required]) => (
              <fieldset class="document">
                <legend>
                  {labels.document(kind)}
                  {required ? ` (${t('claims.file.required')})` : ''}
                </legend>
                <Input
                  id={`doc-${kind}-number`}
                  name={`doc.${kind}.number`}
                  type="text"
                  label={t('claims.field.documentNumber')}
                  value={value(`doc.${kind}.number`)}
                />
                <Input
                  id={`doc-${kind}-date`}
                  name={`doc.${kind}.date`}
                  type="date"
                  label={t('claims.field.documentDate')}
                  value={value(`doc.${kind}.date`)}
                />
                <Input id={`scan-${kind}`} name={`scan.${kind}`} type="file" accept={accept} label={t('claims.field.scan')} />
              </fieldset>
            ),
          )}
        </fieldset>
        <fieldset>
          <legend>{t('claims.file.payout')}</legend>
          <Select
            id="payout-method"
            name="payoutMethod"
            label={t('claims.field.payoutMethod')}
            value={value('payoutMethod') ?? 'cash'}
            options={[
              ['cash', t('claims.payout.cash')],
              ['bank', t('claims.payout.bank')],
            ]}
          />
          {payoutFields.map(([name, id, label, hint]) => (
            <Input
              id={id}
              name={name}
              type="text"
              label={t(label)}
              value={value(name)}
              hint={t(hint)}
              {...(name === 'accountNumber' ? { inputMode: 'numeric' as const } : {})}
            />
          ))}
        </fieldset>
        <button type="submit">{t('claims.file.submit')}</button>
      </form>
    </>
  );
}
