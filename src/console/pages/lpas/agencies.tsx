import { z } from 'zod';
import { actorOf, roles, type SessionPrincipal } from '../../../access/principal.ts';
import { scopeFilter } from '../../../access/scope.ts';
import { addMonths } from '../../../dates.ts';
import type { Db } from '../../../db/knex.ts';
import { uuidSchema } from '../../../ids.ts';
import { monthSchema } from '../../../ledger/model.ts';
import { apiIdempotencyKey } from '../../../ledger/routes.ts';
import { progressReportInputSchema } from '../../../lpa/model.ts';
import { fileProgressReport, listProgressReports } from '../../../lpa/progress-reports.ts';
import { listStrengthening } from '../../../lpa/strengthening.ts';
import { changeLpaStatus, lpaActions, type LpaAction, nextLpaStatus, proposeLpa, visibleLpa } from '../../../registry/lpas.ts';
import { type Lpa, lpaStatusChangeSchema, lpaStatuses, lpaTypes, newLpaSchema } from '../../../registry/model.ts';
import { listLpas } from '../../../registry/store.ts';
import { honorariumReport } from '../../../reports/honorarium.ts';
import { lpaAccreditations } from '../../../rules/catalogue.ts';
import { claimReserveInputSchema } from '../../../savings/model.ts';
import { growClaimReserve, poolOf } from '../../../savings/pool.ts';
import { DataTable, Notice, PostForm } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import {
  AmountField,
  domainRefusal,
  FormKeyField,
  idOf,
  InputField,
  isWholeRupiah,
  labelOf,
  Problems,
  ReferenceField,
  type Refusal,
  type RefusalWords,
  schemaRefusal,
  SelectField,
  TextAreaField,
  textOf,
} from './forms.tsx';

const lpasPerPageMax = 200;
// The roles POST /v1/lpas and POST /v1/lpas/{id}/{action} admit.
const proposers = ['directorate', 'dinsos'] as const;
const deciders = ['directorate'] as const;
const textMax = 4000;

const doneNotices = ['propose', 'approve', 'suspend', 'close', 'progress-report', 'claim-reserve'] as const;
type Done = (typeof doneNotices)[number];

const proposeWords: RefusalWords = {
  fields: {
    name: 'lpas.propose.problem.name',
    type: 'lpas.propose.problem.type',
    regencyCode: 'lpas.propose.problem.regencyCode',
    contactName: 'lpas.propose.problem.contactName',
    contactPhone: 'lpas.propose.problem.contactPhone',
    bankName: 'lpas.propose.problem.bankName',
    bankAccountNumber: 'lpas.propose.problem.bankAccountNumber',
    accreditation: 'lpas.propose.problem.accreditation',
    accreditedOn: 'lpas.propose.problem.accreditedOn',
  },
};
const statusWords: RefusalWords = {
  fields: { reason: 'lpas.status.problem.reason' },
  codes: { 'invalid-lpa-transition': 'lpas.status.problem.transition' },
};
const reportWords: RefusalWords = {
  fields: { period: 'lpas.report.problem.period', notes: 'lpas.report.problem.notes' },
  codes: { month_not_finished: 'lpas.report.problem.notFinished', 'progress-report-filed': 'lpas.report.problem.filed' },
};

const reserveWords: RefusalWords = {
  fields: {
    amount: 'lpas.problem.amount',
    date: 'lpas.problem.date',
    from: 'lpas.reserve.problem.from',
    reference: 'lpas.problem.reference',
  },
  codes: {
    'reserve-exceeds-loan-income': 'lpas.reserve.problem.exceedsIncome',
    'idempotency-key-reused': 'lpas.problem.keyReused',
  },
};

// What a form sent back to its page: the values to show again and what was wrong.
interface Sent {
  readonly form: 'propose' | LpaAction | 'progress-report' | 'claim-reserve';
  // The key a form that moves money was rendered with, kept when it is shown again.
  readonly key?: string;
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly refusal: Refusal;
}

const proposeBody = z.strictObject(
  Object.fromEntries(Object.keys(proposeWords.fields).map((field) => [field, z.string().max(300).optional()])),
);
const statusBody = z.strictObject({ lpaId: z.string().max(100), reason: z.string().max(textMax).optional() });
const reportBody = z.strictObject({
  lpaId: z.string().max(100),
  period: z.string().max(20).optional(),
  notes: z.string().max(textMax).optional(),
});
const reserveBody = z.strictObject({
  lpaId: z.string().max(100),
  key: z.string().max(100),
  amount: z.string().max(40).optional(),
  date: z.string().max(20).optional(),
  from: z.string().max(20).optional(),
  reference: z.string().max(200).optional(),
});

// LPAs: the list in the person's scope, an LPA's page (details, progress
// reports, honorarium and strengthening, its savings-and-loans pool), a
// proposal, the directorate's decisions on it, and an LPA's own progress
// report and claim reserve, each through the function the API's route calls.
export function agencyPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const lpaPage = async (
    viewer: Viewer,
    id: string,
    month: string | undefined,
    done: Done | undefined,
    sent?: Sent,
  ): Promise<PageResult> => {
    const lpa = await visibleLpa(db, viewer.principal, idOf('LPA', id));
    const shownMonth = month ?? addMonths(`${today().slice(0, 7)}-01`, -1);
    const [reports, honorarium, strengthening, pool] = await Promise.all([
      listProgressReports(db, lpa.id),
      honorariumReport(db, shownMonth, { lpaId: lpa.id }),
      listStrengthening(db, lpa.id),
      poolOf(db, lpa.id),
    ]);
    return {
      kind: 'page',
      status: sent?.refusal.status ?? 200,
      title: lpa.name,
      body: (
        <LpaPage
          words={viewer.words}
          today={today()}
          principal={viewer.principal}
          lpa={lpa}
          done={done}
          sent={sent}
          reports={reports}
          month={shownMonth}
          honorarium={honorarium.rows[0]}
          strengthening={strengthening}
          pool={pool}
        />
      ),
    };
  };
  const proposePage = (viewer: Viewer, sent?: Sent): PageResult => ({
    kind: 'page',
    status: sent?.refusal.status ?? 200,
    title: viewer.words.t('lpas.propose.title'),
    body: <ProposeForm words={viewer.words} principal={viewer.principal} sent={sent} />,
  });

  const list = definePage({
    path: '/lpa',
    roles,
    nav: 'nav.lpas',
    query: z.strictObject({ status: z.enum(lpaStatuses).optional(), after: uuidSchema.optional() }),
    render: async ({ viewer, query }) => {
      const lpas = await listLpas(db, { ...query, ...scopeFilter(viewer.principal), limit: lpasPerPageMax });
      return {
        kind: 'page',
        title: viewer.words.t('lpas.list.title'),
        body: <LpaList words={viewer.words} principal={viewer.principal} lpas={lpas} status={query.status} />,
      };
    },
  });
  // Listed before the LPA's page, whose path would otherwise take "usulan" for an id.
  const propose = definePage({
    path: '/lpa/usulan',
    roles: proposers,
    query: z.strictObject({}),
    render: async ({ viewer }) => proposePage(viewer),
  });
  const detail = definePage({
    path: '/lpa/:id',
    roles,
    query: z.strictObject({ month: monthSchema.optional(), done: z.enum(doneNotices).optional() }),
    render: ({ viewer, query, params }) => lpaPage(viewer, String(params.id), query.month, query.done),
  });

  const proposeForm = defineForm({
    path: '/lpa',
    roles: proposers,
    body: proposeBody,
    handle: async ({ viewer, body, requestId }) => {
      const values = Object.fromEntries(Object.entries(body).map(([field, value]) => [field, textOf(value)]));
      const refused = (refusal: Refusal) => proposePage(viewer, { form: 'propose', values, refusal });
      const input = newLpaSchema.safeParse(values);
      if (!input.success) return refused(schemaRefusal(input.error, proposeWords));
      try {
        const lpa = await proposeLpa(db, viewer.principal, input.data, actorOf(viewer.principal, requestId));
        return { kind: 'redirect', to: `/lpa/${lpa.id}?done=propose` };
      } catch (error) {
        return refused(domainRefusal(error, proposeWords));
      }
    },
    refused: ({ viewer }) =>
      proposePage(viewer, { form: 'propose', values: {}, refusal: { status: 400, problems: ['lpas.problem.form'] } }),
  });

  const statusForms = lpaActions.map((action) =>
    defineForm({
      path: `/lpa/${action}`,
      roles: deciders,
      body: statusBody,
      handle: async ({ viewer, body, requestId }) => {
        const values = { reason: textOf(body.reason) };
        const input = lpaStatusChangeSchema.safeParse(values);
        const refused = (refusal: Refusal) =>
          lpaPage(viewer, body.lpaId, undefined, undefined, { form: action, values, refusal });
        if (!input.success) return refused(schemaRefusal(input.error, statusWords));
        // Read first, as the page was: an LPA the person cannot see is a 404 here as there.
        const lpa = await visibleLpa(db, viewer.principal, idOf('LPA', body.lpaId));
        try {
          await changeLpaStatus(db, lpa.id, action, input.data.reason, actorOf(viewer.principal, requestId));
        } catch (error) {
          return refused(domainRefusal(error, statusWords));
        }
        return { kind: 'redirect', to: `/lpa/${lpa.id}?done=${action}` };
      },
      refused: ({ viewer }) => badForm(viewer.words),
    }),
  );

  const reportForm = defineForm({
    path: '/lpa/progress-report',
    roles: ['lpa'],
    body: reportBody,
    handle: async ({ viewer, body, requestId }) => {
      const values = { period: textOf(body.period), notes: textOf(body.notes) };
      const refused = (refusal: Refusal) =>
        lpaPage(viewer, body.lpaId, undefined, undefined, { form: 'progress-report', values, refusal });
      const lpa = await visibleLpa(db, viewer.principal, idOf('LPA', body.lpaId));
      const input = progressReportInputSchema.safeParse(values);
      if (!input.success) return refused(schemaRefusal(input.error, reportWords));
      try {
        await fileProgressReport(db, { lpaId: lpa.id, input: input.data, today: today() }, actorOf(viewer.principal, requestId));
      } catch (error) {
        return refused(domainRefusal(error, reportWords));
      }
      return { kind: 'redirect', to: `/lpa/${lpa.id}?done=progress-report` };
    },
    refused: ({ viewer }) => badForm(viewer.words),
  });

  // The LPA grows its claim reserve as POST /v1/lpas/{id}/claim-reserve does, under the key its form was rendered with.
  const reserveForm = defineForm({
    path: '/lpa/claim-reserve',
    roles: ['lpa'],
    body: reserveBody,
    handle: async ({ viewer, body, requestId }) => {
      const key = uuidSchema.safeParse(body.key);
      if (!key.success) return badForm(viewer.words);
      const values = {
        amount: textOf(body.amount),
        date: textOf(body.date),
        from: textOf(body.from),
        reference: textOf(body.reference),
      };
      const refused = (refusal: Refusal) =>
        lpaPage(viewer, body.lpaId, undefined, undefined, { form: 'claim-reserve', key: key.data, values, refusal });
      const lpa = await visibleLpa(db, viewer.principal, idOf('LPA', body.lpaId));
      if (values.amount !== undefined && !isWholeRupiah(values.amount))
        return refused({ status: 400, problems: ['lpas.problem.amount'] });
      const input = claimReserveInputSchema.safeParse(values);
      if (!input.success) return refused(schemaRefusal(input.error, reserveWords));
      try {
        await growClaimReserve(
          db,
          {
            lpaId: lpa.id,
            input: input.data,
            idempotencyKey: apiIdempotencyKey(viewer.principal, key.data),
            today: today(),
            fieldPrefix: 'body.',
          },
          actorOf(viewer.principal, requestId),
        );
      } catch (error) {
        return refused(domainRefusal(error, reserveWords));
      }
      return { kind: 'redirect', to: `/lpa/${lpa.id}?done=claim-reserve` };
    },
    refused: ({ viewer }) => badForm(viewer.words),
  });

  return { pages: [list, propose, detail], forms: [proposeForm, ...statusForms, reportForm, reserveForm] };
}

// A form whose hidden fields were tampered with: nothing to show it again with.
export function badForm(words: Words): PageResult {
  return {
    kind: 'page',
    status: 400,
    title: words.t('error.badInput.title'),
    body: <Problems words={words} problems={['lpas.problem.form']} />,
  };
}

function isAction(form: Sent['form']): form is LpaAction {
  return (lpaActions as readonly string[]).includes(form);
}

function statusText(words: Words, status: Lpa['status']): string {
  return words.t(`lpas.status.${status}`);
}

function LpaList(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly lpas: readonly Lpa[];
  readonly status: Lpa['status'] | undefined;
}) {
  const { words, principal, lpas, status } = props;
  const { t } = words;
  const last = lpas.at(-1);
  return (
    <>
      {(proposers as readonly string[]).includes(principal.role) && (
        <p>
          <a href="/lpa/usulan">{t('lpas.list.propose')}</a>
        </p>
      )}
      <form method="get" action="/lpa" class="search">
        <label for="status">{t('lpas.list.filter')}</label>
        <select id="status" name="status">
          <option value="">{t('lpas.list.allStatuses')}</option>
          {lpaStatuses.map((value) => (
            <option value={value} selected={value === status}>
              {statusText(words, value)}
            </option>
          ))}
        </select>
        <button type="submit">{t('lpas.list.show')}</button>
      </form>
      {lpas.length === 0 ? (
        <p class="empty">{t('lpas.list.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('lpas.list.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('lpas.column.name')}</th>
              <th scope="col">{t('lpas.column.type')}</th>
              <th scope="col">{t('lpas.column.regency')}</th>
              <th scope="col">{t('lpas.column.status')}</th>
              <th scope="col">{t('lpas.column.accreditation')}</th>
            </tr>
          </thead>
          <tbody>
            {lpas.map((lpa) => (
              <tr>
                <td>
                  <a href={`/lpa/${lpa.id}`}>{lpa.name}</a>
                </td>
                <td>{t(`lpas.type.${lpa.type}`)}</td>
                <td>{lpa.regencyCode}</td>
                <td>{statusText(words, lpa.status)}</td>
                <td>{t(`lpas.accreditation.${lpa.accreditation}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lpas.length === lpasPerPageMax && last !== undefined && (
        <p>
          <a href={`/lpa?${new URLSearchParams({ ...(status === undefined ? {} : { status }), after: last.id }).toString()}`}>
            {t('lpas.list.next')}
          </a>
        </p>
      )}
    </>
  );
}

function ProposeForm({ words, principal, sent }: { words: Words; principal: SessionPrincipal; sent: Sent | undefined }) {
  const { t } = words;
  const value = (field: string) => sent?.values[field];
  return (
    <>
      <p>
        <a href="/lpa">{t('lpas.back')}</a>
      </p>
      <p class="lead">{t('lpas.propose.intro')}</p>
      <Problems words={words} problems={sent?.refusal.problems ?? []} />
      <PostForm action="/lpa" csrfToken={principal.csrfToken} submit={t('lpas.propose.submit')}>
        <InputField id="name" name="name" type="text" label={t('lpas.field.name')} value={value('name')} maxLength={200} />
        <SelectField
          id="type"
          name="type"
          label={t('lpas.field.type')}
          value={value('type')}
          options={lpaTypes.map((type) => ({ value: type, label: t(`lpas.type.${type}`) }))}
        />
        <InputField
          id="regencyCode"
          name="regencyCode"
          type="text"
          inputMode="numeric"
          label={t('lpas.field.regencyCode')}
          hint={t('lpas.field.regencyCode.hint')}
          value={value('regencyCode') ?? (principal.role === 'dinsos' ? principal.regencyCode : undefined)}
          maxLength={4}
        />
        <InputField
          id="contactName"
          name="contactName"
          type="text"
          label={t('lpas.field.contactName')}
          value={value('contactName')}
        />
        <InputField
          id="contactPhone"
          name="contactPhone"
          type="text"
          label={t('lpas.field.contactPhone')}
          hint={t('lpas.field.contactPhone.hint')}
          value={value('contactPhone')}
        />
        <InputField id="bankName" name="bankName" type="text" label={t('lpas.field.bankName')} value={value('bankName')} />
        <InputField
          id="bankAccountNumber"
          name="bankAccountNumber"
          type="text"
          inputMode="numeric"
          label={t('lpas.field.bankAccountNumber')}
          hint={t('lpas.field.bankAccountNumber.hint')}
          value={value('bankAccountNumber')}
        />
        <SelectField
          id="accreditation"
          name="accreditation"
          label={t('lpas.field.accreditation')}
          value={value('accreditation')}
          options={lpaAccreditations.map((level) => ({ value: level, label: t(`lpas.accreditation.${level}`) }))}
        />
        <InputField
          id="accreditedOn"
          name="accreditedOn"
          type="date"
          optional
          label={t('lpas.field.accreditedOn')}
          hint={t('lpas.field.accreditedOn.hint')}
          value={value('accreditedOn')}
        />
      </PostForm>
    </>
  );
}

type StrengtheningView = Awaited<ReturnType<typeof listStrengthening>>[number];
type ReportView = Awaited<ReturnType<typeof listProgressReports>>[number];
type PoolView = Awaited<ReturnType<typeof poolOf>>;
type HonorariumRow = Awaited<ReturnType<typeof honorariumReport>>['rows'][number];

function LpaPage(props: {
  readonly words: Words;
  readonly today: string;
  readonly principal: SessionPrincipal;
  readonly lpa: Lpa;
  readonly done: Done | undefined;
  readonly sent: Sent | undefined;
  readonly reports: readonly ReportView[];
  readonly month: string;
  readonly honorarium: HonorariumRow | undefined;
  readonly strengthening: readonly StrengtheningView[];
  readonly pool: PoolView;
}) {
  const { words, principal, lpa, done, sent, today } = props;
  const { t } = words;
  const actions = lpaActions.filter((action) => nextLpaStatus(lpa.status, action) !== null);
  return (
    <>
      <p>
        <a href="/lpa">{t('lpas.back')}</a>
      </p>
      {done !== undefined && <Notice kind="info">{t(`lpas.done.${done}`)}</Notice>}
      {/* A decision refused because the status moved on: its form is no longer shown, so its words are here. */}
      {sent !== undefined && isAction(sent.form) && !actions.includes(sent.form) && (
        <Problems words={words} problems={sent.refusal.problems} />
      )}
      <LpaDetails words={words} lpa={lpa} />
      {principal.role === 'directorate' && actions.length > 0 && (
        <section aria-labelledby="decide-title">
          <h2 id="decide-title">{t('lpas.status.title')}</h2>
          {actions.map((action) => (
            <StatusForm
              words={words}
              principal={principal}
              lpa={lpa}
              action={action}
              sent={sent?.form === action ? sent : undefined}
            />
          ))}
        </section>
      )}
      <ProgressReports
        words={words}
        principal={principal}
        lpa={lpa}
        reports={props.reports}
        sent={sent?.form === 'progress-report' ? sent : undefined}
      />
      <Honorarium words={words} lpa={lpa} month={props.month} row={props.honorarium} />
      <Strengthening words={words} decisions={props.strengthening} />
      <Pool
        words={words}
        principal={principal}
        lpa={lpa}
        pool={props.pool}
        today={today}
        sent={sent?.form === 'claim-reserve' ? sent : undefined}
      />
    </>
  );
}

function LpaDetails({ words, lpa }: { words: Words; lpa: Lpa }) {
  const { t } = words;
  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{t('lpas.details')}</h2>
      <dl class="details">
        <dt>{t('lpas.column.status')}</dt>
        <dd>{t('lpas.statusSince', { status: statusText(words, lpa.status), date: words.day(lpa.statusChangedAt) })}</dd>
        <dt>{t('lpas.statusReason')}</dt>
        <dd>{lpa.statusReason ?? '—'}</dd>
        <dt>{t('lpas.field.type')}</dt>
        <dd>{t(`lpas.type.${lpa.type}`)}</dd>
        <dt>{t('lpas.field.regencyCode')}</dt>
        <dd>{lpa.regencyCode}</dd>
        <dt>{t('lpas.field.contactName')}</dt>
        <dd>{lpa.contactName}</dd>
        <dt>{t('lpas.field.contactPhone')}</dt>
        <dd>{lpa.contactPhone}</dd>
        <dt>{t('lpas.field.bankName')}</dt>
        <dd>{lpa.bankName}</dd>
        <dt>{t('lpas.field.bankAccountNumber')}</dt>
        <dd>{lpa.bankAccountNumber}</dd>
        <dt>{t('lpas.field.accreditation')}</dt>
        <dd>
          {lpa.accreditedOn === null
            ? t(`lpas.accreditation.${lpa.accreditation}`)
            : t('lpas.accreditedOn', { level: t(`lpas.accreditation.${lpa.accreditation}`), date: words.date(lpa.accreditedOn) })}
        </dd>
        <dt>{t('lpas.proposed')}</dt>
        <dd>{t('lpas.proposedBy', { who: lpa.proposedBy, date: words.day(lpa.createdAt) })}</dd>
      </dl>
    </section>
  );
}

function StatusForm(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly lpa: Lpa;
  readonly action: LpaAction;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, lpa, action, sent } = props;
  const { t } = words;
  return (
    <section aria-labelledby={`${action}-title`}>
      <h3 id={`${action}-title`}>{t(`lpas.status.${action}.title`)}</h3>
      <Problems words={words} problems={sent?.refusal.problems ?? []} />
      <PostForm action={`/lpa/${action}`} csrfToken={principal.csrfToken} submit={t(`lpas.status.${action}.submit`)}>
        <input type="hidden" name="lpaId" value={lpa.id} />
        <TextAreaField
          id={`${action}-reason`}
          name="reason"
          label={t('lpas.field.reason')}
          hint={t('lpas.field.reason.hint')}
          value={sent?.values.reason}
          maxLength={500}
        />
      </PostForm>
    </section>
  );
}

function ProgressReports(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly lpa: Lpa;
  readonly reports: readonly ReportView[];
  readonly sent: Sent | undefined;
}) {
  const { words, principal, lpa, reports, sent } = props;
  const { t } = words;
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">{t('lpas.reports.title')}</h2>
      <DataTable
        caption={t('lpas.reports.title')}
        columns={[
          { header: t('lpas.column.period') },
          { header: t('lpas.column.submittedOn') },
          { header: t('lpas.column.notes') },
          { header: t('lpas.column.submittedBy') },
        ]}
        rows={reports.map((report) => [
          words.month(report.period),
          words.date(report.submittedOn),
          report.notes,
          report.submittedBy,
        ])}
        empty={t('lpas.reports.none')}
      />
      {principal.role === 'lpa' && (
        <section aria-labelledby="report-form-title">
          <h3 id="report-form-title">{t('lpas.report.title')}</h3>
          <Problems words={words} problems={sent?.refusal.problems ?? []} />
          <PostForm action="/lpa/progress-report" csrfToken={principal.csrfToken} submit={t('lpas.report.submit')}>
            <input type="hidden" name="lpaId" value={lpa.id} />
            <InputField
              id="report-period"
              name="period"
              type="month"
              label={t('lpas.field.period')}
              hint={t('lpas.field.period.hint')}
              value={sent?.values.period}
            />
            <TextAreaField
              id="report-notes"
              name="notes"
              label={t('lpas.field.notes')}
              value={sent?.values.notes}
              maxLength={textMax}
            />
          </PostForm>
        </section>
      )}
    </section>
  );
}

// The honorarium report's line for this LPA and month: what was booked as
// owed to it, what finance paid it in the month and what it was still owed.
function Honorarium({ words, lpa, month, row }: { words: Words; lpa: Lpa; month: string; row: HonorariumRow | undefined }) {
  const { t } = words;
  const amount = (key: string) => words.rupiah(String(row?.[key] ?? '0'));
  return (
    <section aria-labelledby="honorarium-title">
      <h2 id="honorarium-title">{t('lpas.honorarium.title', { month: words.month(month) })}</h2>
      <form method="get" action={`/lpa/${lpa.id}`} class="search">
        <label for="month">{t('lpas.honorarium.month')}</label>
        <input id="month" name="month" type="month" value={month} required />
        <button type="submit">{t('lpas.list.show')}</button>
      </form>
      {row === undefined ? (
        <p class="empty">{t('lpas.honorarium.none')}</p>
      ) : (
        <dl class="details">
          <dt>{t('lpas.honorarium.participants')}</dt>
          <dd>{words.count(Number(row.participants ?? 0))}</dd>
          <dt>{t('lpas.honorarium.subsidy')}</dt>
          <dd>{amount('subsidy')}</dd>
          <dt>{t('lpas.honorarium.rate')}</dt>
          <dd>{rates(words, String(row.rate ?? ''))}</dd>
          <dt>{t('lpas.honorarium.due')}</dt>
          <dd>{amount('honorarium')}</dd>
          <dt>{t('lpas.honorarium.grants')}</dt>
          <dd>{amount('grants')}</dd>
          <dt>{t('lpas.honorarium.paid')}</dt>
          <dd>{amount('paid')}</dd>
          <dt>{t('lpas.honorarium.outstanding')}</dt>
          <dd>{amount('outstanding')}</dd>
        </dl>
      )}
    </section>
  );
}

// The rates an LPA's honorarium was shared at in a month ("0.075; 0.125"), as percents.
function rates(words: Words, text: string): string {
  return text === ''
    ? '—'
    : text
        .split('; ')
        .map((rate) => words.percent(rate))
        .join('; ');
}

function Strengthening({ words, decisions }: { words: Words; decisions: readonly StrengtheningView[] }) {
  const { t } = words;
  return (
    <section aria-labelledby="strengthening-title">
      <h2 id="strengthening-title">{t('lpas.strengthening.title')}</h2>
      <DataTable
        caption={t('lpas.strengthening.title')}
        columns={[
          { header: t('lpas.column.period') },
          { header: t('lpas.column.coverageYear'), numeric: true },
          { header: t('lpas.column.participants'), numeric: true },
          { header: t('lpas.column.decision') },
          { header: t('lpas.column.amount'), numeric: true },
          { header: t('lpas.column.reasons') },
        ]}
        rows={decisions.map((decision) => [
          words.month(decision.period),
          words.count(decision.coverageYear),
          words.count(decision.participants),
          t(decision.granted ? 'lpas.strengthening.granted' : 'lpas.strengthening.heldBack'),
          words.rupiah(decision.amount),
          decision.reasons.map((reason) => reason.explanation).join('; ') || '—',
        ])}
        empty={t('lpas.strengthening.none')}
      />
    </section>
  );
}

// The pool's books, each line on its own side; the claim reserve is one of
// them, and its own LPA may grow it.
function Pool(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly lpa: Lpa;
  readonly pool: PoolView;
  readonly today: string;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, lpa, pool, today, sent } = props;
  const { t } = words;
  return (
    <section aria-labelledby="pool-title">
      <h2 id="pool-title">{t('lpas.pool.title')}</h2>
      <p>{t('lpas.pool.available', { amount: words.rupiah(pool.available) })}</p>
      <DataTable
        caption={t('lpas.pool.title')}
        columns={[{ header: t('lpas.column.account') }, { header: t('lpas.column.balance'), numeric: true }]}
        rows={pool.lines.map((line) => [labelOf(words, `lpas.pool.line.${line.code}`, line.name), words.rupiah(line.balance)])}
        empty={t('table.empty')}
      />
      {principal.role === 'lpa' && (
        <section aria-labelledby="reserve-title">
          <h3 id="reserve-title">{t('lpas.reserve.title')}</h3>
          <p>{t('lpas.reserve.intro')}</p>
          <Problems words={words} problems={sent?.refusal.problems ?? []} />
          <PostForm action="/lpa/claim-reserve" csrfToken={principal.csrfToken} submit={t('lpas.reserve.submit')}>
            <input type="hidden" name="lpaId" value={lpa.id} />
            <FormKeyField sent={sent} />
            <SelectField
              id="reserve-from"
              name="from"
              label={t('lpas.field.reserveFrom')}
              value={sent?.values.from}
              options={claimReserveInputSchema.shape.from.options.map((source) => ({
                value: source,
                label: t(`lpas.reserve.from.${source}`),
              }))}
            />
            <AmountField words={words} id="reserve-amount" value={sent?.values.amount} />
            <InputField
              id="reserve-date"
              name="date"
              type="date"
              label={t('lpas.field.date')}
              value={sent?.values.date ?? today}
            />
            <ReferenceField words={words} id="reserve-reference" value={sent?.values.reference} />
          </PostForm>
        </section>
      )}
    </section>
  );
}
