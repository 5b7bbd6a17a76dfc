import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf, type Principal } from '../../../access/principal.ts';
import { isInScope, scopeFilter } from '../../../access/scope.ts';
import { paymentSchema, type Claim } from '../../../claims/model.ts';
import { payClaim } from '../../../claims/pay.ts';
import { findClaim, listClaims } from '../../../claims/store.ts';
import type { Db } from '../../../db/knex.ts';
import { ConflictError, type FieldIssue, InputError, NotFoundError, UnprocessableError } from '../../../errors.ts';
import { uuidSchema } from '../../../ids.ts';
import type { Entry } from '../../../ledger/model.ts';
import { apiIdempotencyKey } from '../../../ledger/routes.ts';
import { findEntry } from '../../../ledger/store.ts';
import { honorariumPaymentSchema } from '../../../lpa/model.ts';
import { payHonorarium, payStrengtheningIntoPool } from '../../../lpa/payments.ts';
import { fromNumeric } from '../../../money/index.ts';
import { visibleLpa } from '../../../registry/index.ts';
import { honorariumReport } from '../../../reports/honorarium.ts';
import type { ReportRow } from '../../../shared/table.ts';
import { DataTable, LinkedTable, Notice, PostForm } from '../../components.tsx';
import { type MessageKey, type Words } from '../../i18n/index.ts';
import { defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { Choice, EntryBooked, formRefused, fundReaders, Input, Problems } from './parts.tsx';

const claimsShownMax = 200;
const lpaPaymentKinds = ['honorarium', 'strengthening'] as const;
type LpaPaymentKind = (typeof lpaPaymentKinds)[number];
// What POST /v1/lpas/{id}/honorarium-payments and strengthening-payments take, and which of the two it is.
const lpaPaymentSchema = honorariumPaymentSchema.extend({ kind: z.enum(lpaPaymentKinds) });
// What the honorarium report says of an LPA's payable in the month.
const lpaFigures = ['honorarium', 'grants', 'paid', 'outstanding'] as const;
// Only finance pays, as POST /v1/claims/{id}/payment and the LPA payments admit it.
const payers = ['finance'] as const;

// A form's fields as posted: short text, checked in the handler against the
// API's own schema, so a mistake is shown on the form with what was typed.
const textField = z.string().max(200);
const claimPaymentBody = z.strictObject({ claim: textField, reference: textField, paidOn: textField, key: textField });
const lpaPaymentBody = z.strictObject({
  lpa: textField,
  kind: textField,
  amount: textField,
  paidOn: textField,
  reference: textField,
  key: textField,
});
type ClaimPaymentSent = z.output<typeof claimPaymentBody>;
type LpaPaymentSent = z.output<typeof lpaPaymentBody>;

// Pembayaran: approved claims awaiting payment and what the fund owes the
// LPAs, each paid through the function its API route calls, under a key
// made when the form was drawn, so a form sent twice pays once.
export function paymentPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const visibleClaim = async (principal: Principal, id: string) => {
    const parsed = uuidSchema.safeParse(id);
    const found = parsed.success ? await findClaim(db, parsed.data) : null;
    if (found === null || !isInScope(principal, { regencyCode: found.regencyCode, lpaId: found.lpaId }))
      throw new NotFoundError('claim', id);
    return found;
  };
  const lpaOf = async (principal: Principal, id: string) => {
    if (!uuidSchema.safeParse(id).success) throw new NotFoundError('LPA', id);
    return visibleLpa(db, principal, id);
  };
  const entryOf = async (id: string | null): Promise<Entry | null> =>
    id === null ? null : ((await findEntry(db, id))?.entry ?? null);
  // What the LPA is owed now: the honorarium report of this month, whose last column is the payable at its end.
  const owedOf = async (principal: Principal, lpaId?: string) => {
    const scope = { ...scopeFilter(principal), ...(lpaId === undefined ? {} : { lpaId }) };
    const report = await honorariumReport(db, today().slice(0, 7), scope);
    return report.rows.filter((row) => !fromNumeric(String(row['outstanding'] ?? '0')).isZero());
  };

  const claimPage = async (
    viewer: Viewer,
    id: string,
    state: { paid?: boolean; sent?: ClaimPaymentSent; problems?: string[] },
  ) => {
    const claim = await visibleClaim(viewer.principal, id);
    const entry = await entryOf(claim.paymentEntryId);
    return {
      kind: 'page',
      status: (state.problems ?? []).length > 0 ? 400 : 200,
      title: viewer.words.t('finance.claim.title'),
      body: (
        <ClaimPayment
          viewer={viewer}
          claim={claim}
          entry={entry}
          today={today()}
          paid={state.paid === true}
          sent={state.sent ?? null}
          problems={state.problems ?? []}
        />
      ),
    } satisfies PageResult;
  };

  const lpaPage = async (viewer: Viewer, id: string, state: { entryId?: string; sent?: LpaPaymentSent; problems?: string[] }) => {
    const lpa = await lpaOf(viewer.principal, id);
    const [owed] = await owedOf(viewer.principal, lpa.id);
    const entry = await entryOf(state.entryId ?? null);
    return {
      kind: 'page',
      status: (state.problems ?? []).length > 0 ? 400 : 200,
      title: viewer.words.t('finance.lpa.title', { name: lpa.name }),
      body: (
        <LpaPayment
          viewer={viewer}
          lpaId={lpa.id}
          owed={owed ?? null}
          entry={entry}
          today={today()}
          sent={state.sent ?? null}
          problems={state.problems ?? []}
        />
      ),
    } satisfies PageResult;
  };

  return {
    pages: [
      definePage({
        path: '/keuangan/pembayaran',
        roles: fundReaders,
        nav: 'nav.finance.payments',
        query: z.strictObject({}),
        render: async ({ viewer }) => {
          const scope = scopeFilter(viewer.principal);
          const [claims, owed] = await Promise.all([
            listClaims(db, { status: 'approved', ...scope, limit: claimsShownMax }),
            owedOf(viewer.principal),
          ]);
          return {
            kind: 'page',
            title: viewer.words.t('finance.payments.title'),
            body: <PaymentsDue viewer={viewer} claims={claims} owed={owed} month={today().slice(0, 7)} />,
          };
        },
      }),
      definePage({
        path: '/keuangan/pembayaran/klaim/:id',
        roles: fundReaders,
        query: z.strictObject({ paid: z.literal('1').optional() }),
        render: ({ viewer, query, params }) => claimPage(viewer, String(params.id), { paid: query.paid === '1' }),
      }),
      definePage({
        path: '/keuangan/pembayaran/lpa/:id',
        roles: fundReaders,
        query: z.strictObject({ entry: uuidSchema.optional() }),
        render: ({ viewer, query, params }) => lpaPage(viewer, String(params.id), { entryId: query.entry }),
      }),
    ],
    forms: [
      defineForm({
        path: '/keuangan/pembayaran/klaim',
        roles: payers,
        body: claimPaymentBody,
        handle: async ({ viewer, body, requestId }) => {
          const claim = await visibleClaim(viewer.principal, body.claim);
          const input = { reference: body.reference, ...(body.paidOn === '' ? {} : { paidOn: body.paidOn }) };
          return payOnce(
            viewer.words,
            { schema: paymentSchema, input, key: body.key },
            {
              pay: async (payment, key) => {
                await payClaim(
                  db,
                  { claimId: claim.id, ...payment, paidOnField: 'paidOn', idempotencyKey: key, today: today() },
                  actorOf(viewer.principal, requestId),
                );
                return `/keuangan/pembayaran/klaim/${claim.id}?paid=1`;
              },
              refuse: (problems) => claimPage(viewer, claim.id, { sent: body, problems }),
            },
          );
        },
        refused: ({ viewer }) => formRefused(viewer.words, '/keuangan/pembayaran'),
      }),
      defineForm({
        path: '/keuangan/pembayaran/lpa',
        roles: payers,
        body: lpaPaymentBody,
        handle: async ({ viewer, body, requestId }) => {
          const lpa = await lpaOf(viewer.principal, body.lpa);
          const { lpa: _lpa, key: sentKey, ...input } = body;
          return payOnce(
            viewer.words,
            { schema: lpaPaymentSchema, input, key: sentKey },
            {
              pay: async ({ kind, ...payment }, key) => {
                const pay = kind === 'strengthening' ? payStrengtheningIntoPool : payHonorarium;
                const request = {
                  lpaId: lpa.id,
                  payment,
                  idempotencyKey: apiIdempotencyKey(viewer.principal, key),
                  today: today(),
                  fieldPrefix: '',
                };
                const posted = await pay(db, request, actorOf(viewer.principal, requestId));
                return `/keuangan/pembayaran/lpa/${lpa.id}?entry=${posted.entry.id}`;
              },
              refuse: (problems) => lpaPage(viewer, lpa.id, { sent: body, problems }),
            },
          );
        },
        refused: ({ viewer }) => formRefused(viewer.words, '/keuangan/pembayaran'),
      }),
    ],
  };
}

// A payment form's work: what the API's schema refuses is shown on the
// form, then what the fund refuses; a payment made goes to its page. The
// key came with the form, so the same form sent again pays once.
async function payOnce<T>(
  words: Words,
  form: { readonly schema: z.ZodType<T>; readonly input: unknown; readonly key: string },
  then: {
    readonly pay: (payment: T, key: string) => Promise<string>;
    readonly refuse: (problems: string[]) => Promise<PageResult>;
  },
): Promise<PageResult> {
  const payment = form.schema.safeParse(form.input);
  const key = uuidSchema.safeParse(form.key);
  if (!payment.success || !key.success)
    return then.refuse([
      ...(payment.success ? [] : payment.error.issues.map((issue) => fieldProblem(words, String(issue.path[0])))),
      ...(key.success ? [] : [words.t('finance.pay.keyMissing')]),
    ]);
  try {
    return { kind: 'redirect', to: await then.pay(payment.data, key.data) };
  } catch (error) {
    const problems = refusalOf(words, error);
    if (problems === null) throw error;
    return then.refuse(problems);
  }
}

const fieldLabels: Readonly<Record<string, MessageKey>> = {
  reference: 'finance.pay.reference',
  paidOn: 'finance.pay.paidOn',
  amount: 'finance.pay.amount',
  kind: 'finance.pay.kind',
};
const fieldRules: Readonly<Record<string, MessageKey>> = {
  reference: 'finance.pay.reference.rule',
  paidOn: 'finance.pay.paidOn.rule',
  amount: 'finance.pay.amount.rule',
  kind: 'finance.pay.kind.rule',
};

function fieldProblem(words: Words, field: string): string {
  const label = fieldLabels[field];
  const rule = fieldRules[field];
  if (label === undefined || rule === undefined) return words.t('finance.pay.refused');
  return words.t('finance.problem', { field: words.t(label), message: words.t(rule) });
}

// A payment the fund refuses, in the person's words; null for anything else (our bug, a 500).
function refusalOf(words: Words, error: unknown): string[] | null {
  if (error instanceof InputError)
    return error.issues.map((issue: FieldIssue) => {
      const label = fieldLabels[issue.field];
      return label === undefined
        ? words.t('finance.pay.refused')
        : words.t('finance.problem', { field: words.t(label), message: issue.message });
    });
  if (error instanceof ConflictError || error instanceof UnprocessableError) {
    const known: Readonly<Record<string, MessageKey>> = {
      'already-paid': 'finance.pay.alreadyPaid',
      'claim-not-payable': 'finance.pay.notPayable',
      'balance-would-go-negative': 'finance.pay.noCash',
      'period-closed': 'finance.pay.periodClosed',
      'payment-exceeds-honorarium': 'finance.pay.exceeds',
      'payment-exceeds-strengthening': 'finance.pay.exceeds',
    };
    const key = known[error.code];
    return [key === undefined ? words.t('finance.pay.refused') : words.t(key)];
  }
  return null;
}

function claimTypeLabel(words: Words, claimType: string): string {
  const key = `finance.claimType.${claimType}`;
  return words.named(key, claimType);
}

function PaymentsDue(props: { viewer: Viewer; claims: readonly Claim[]; owed: readonly ReportRow[]; month: string }) {
  const { viewer, claims, owed, month } = props;
  const { words } = viewer;
  const { t } = words;
  const pays = viewer.principal.role === 'finance';
  return (
    <>
      <p class="lead">{t(pays ? 'finance.payments.lead' : 'finance.payments.readOnly')}</p>
      <section aria-labelledby="claims-due-title">
        <h2 id="claims-due-title">{t('finance.payments.claims')}</h2>
        <LinkedTable
          caption={t('finance.payments.claims')}
          columns={[
            { header: t('finance.claim.number') },
            { header: t('finance.claim.type') },
            { header: t('finance.claim.acceptedOn') },
            { header: t('finance.claim.dueOn') },
            { header: t('finance.claim.amount'), numeric: true },
          ]}
          rows={claims.map((claim) => [
            <a href={`/keuangan/pembayaran/klaim/${claim.id}`}>
              {pays ? t('finance.claim.pay', { number: claim.id.slice(0, 8) }) : claim.id.slice(0, 8)}
            </a>,
            claimTypeLabel(words, claim.claimType),
            claim.acceptedOn === null ? '—' : words.date(claim.acceptedOn),
            claim.paymentDueOn === null ? '—' : words.date(claim.paymentDueOn),
            claim.amount === null ? '—' : words.rupiah(claim.amount),
          ])}
          empty={t('finance.payments.noClaims')}
        />
      </section>
      <section aria-labelledby="lpas-due-title">
        <h2 id="lpas-due-title">{t('finance.payments.lpas')}</h2>
        <p>{t('finance.payments.lpasAbout', { month: words.month(month) })}</p>
        <LinkedTable
          caption={t('finance.payments.lpas')}
          columns={[
            { header: t('finance.lpa.name') },
            ...lpaFigures.map((item) => ({ header: t(`finance.lpa.${item}`), numeric: true })),
          ]}
          rows={owed.map((row) => [
            <a href={`/keuangan/pembayaran/lpa/${String(row['lpaId'])}`}>{String(row['lpa'])}</a>,
            ...lpaFigures.map((item) => words.rupiah(String(row[item] ?? '0'))),
          ])}
          empty={t('finance.payments.noLpas')}
        />
      </section>
    </>
  );
}

function ClaimPayment(props: {
  viewer: Viewer;
  claim: Claim;
  entry: Entry | null;
  today: string;
  paid: boolean;
  sent: ClaimPaymentSent | null;
  problems: readonly string[];
}) {
  const { viewer, claim, entry, today, paid, sent, problems } = props;
  const { words } = viewer;
  const { t } = words;
  const payout = claim.details['payout'] as Readonly<Record<string, unknown>> | undefined;
  return (
    <>
      <p>
        <a href="/keuangan/pembayaran">{t('finance.payments.back')}</a>
      </p>
      <Problems words={words} problems={problems} />
      {paid && claim.status === 'paid' && (
        <Notice kind="info">
          {t('finance.claim.paidNotice', {
            amount: words.rupiah(claim.amount ?? '0'),
            reference: claim.payoutReference ?? '',
            date: words.date(claim.paidOn ?? today),
          })}
        </Notice>
      )}
      <section aria-labelledby="claim-title">
        <h2 id="claim-title">{t('finance.claim.details')}</h2>
        <dl class="details">
          <dt>{t('finance.claim.number')}</dt>
          <dd>{claim.id}</dd>
          <dt>{t('finance.claim.type')}</dt>
          <dd>{claimTypeLabel(words, claim.claimType)}</dd>
          <dt>{t('finance.claim.participant')}</dt>
          <dd>
            <a href={`/peserta/${claim.participantId}`}>{claim.participantId}</a>
          </dd>
          <dt>{t('finance.claim.status')}</dt>
          <dd>{t(`status.claim.${claim.status}` as MessageKey)}</dd>
          <dt>{t('finance.claim.amount')}</dt>
          <dd>{claim.amount === null ? '—' : words.rupiah(claim.amount)}</dd>
          <dt>{t('finance.claim.acceptedOn')}</dt>
          <dd>{claim.acceptedOn === null ? '—' : words.date(claim.acceptedOn)}</dd>
          <dt>{t('finance.claim.dueOn')}</dt>
          <dd>{claim.paymentDueOn === null ? '—' : words.date(claim.paymentDueOn)}</dd>
          <dt>{t('finance.claim.payout')}</dt>
          <dd>{payout === undefined ? '—' : Object.values(payout).map(String).join(', ')}</dd>
          {claim.paidOn !== null && (
            <>
              <dt>{t('finance.claim.paidOn')}</dt>
              <dd>{words.date(claim.paidOn)}</dd>
              <dt>{t('finance.pay.reference')}</dt>
              <dd>{claim.payoutReference ?? '—'}</dd>
            </>
          )}
        </dl>
      </section>
      {claim.status === 'approved' && viewer.principal.role === 'finance' && (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">{t('finance.claim.payTitle')}</h2>
          <PostForm action="/keuangan/pembayaran/klaim" csrfToken={viewer.principal.csrfToken} submit={t('finance.claim.submit')}>
            <input type="hidden" name="claim" value={claim.id} />
            <PaymentFields words={words} sent={sent} today={today} />
          </PostForm>
        </section>
      )}
      {entry !== null && <EntryBooked words={words} entry={entry} />}
    </>
  );
}

// What every payment form asks: the transfer's reference and the day the
// money left, with the key made when the form is drawn, so that the form
// sent twice pays once.
function PaymentFields(props: {
  words: Words;
  sent: { readonly key: string; readonly reference: string; readonly paidOn: string } | null;
  today: string;
}) {
  const { words, sent, today } = props;
  const { t } = words;
  return (
    <>
      <input type="hidden" name="key" value={sent?.key ?? randomUUID()} />
      <Input
        id="reference"
        name="reference"
        type="text"
        label={t('finance.pay.reference')}
        hint={t('finance.pay.reference.hint')}
        value={sent?.reference ?? ''}
        maxLength={100}
      />
      <Input
        id="paid-on"
        name="paidOn"
        type="date"
        label={t('finance.pay.paidOn')}
        hint={t('finance.pay.paidOn.hint')}
        value={sent?.paidOn ?? today}
        max={today}
      />
    </>
  );
}

function LpaPayment(props: {
  viewer: Viewer;
  lpaId: string;
  owed: ReportRow | null;
  entry: Entry | null;
  today: string;
  sent: LpaPaymentSent | null;
  problems: readonly string[];
}) {
  const { viewer, lpaId, owed, entry, today, sent, problems } = props;
  const { words } = viewer;
  const { t } = words;
  return (
    <>
      <p>
        <a href="/keuangan/pembayaran">{t('finance.payments.back')}</a>
      </p>
      <Problems words={words} problems={problems} />
      {entry !== null && (
        <Notice kind="info">{t('finance.lpa.paidNotice', { entry: entry.sequence, date: words.date(entry.entryDate) })}</Notice>
      )}
      <section aria-labelledby="owed-title">
        <h2 id="owed-title">{t('finance.lpa.owed')}</h2>
        {owed === null ? (
          <p class="empty">{t('finance.lpa.nothingOwed')}</p>
        ) : (
          <DataTable
            caption={t('finance.lpa.owed')}
            columns={[{ header: t('column.item') }, { header: t('column.amount'), numeric: true }]}
            rows={lpaFigures.map((item) => [t(`finance.lpa.${item}`), words.rupiah(String(owed[item] ?? '0'))])}
            empty={t('table.empty')}
          />
        )}
      </section>
      {owed !== null && viewer.principal.role === 'finance' && (
        <section aria-labelledby="pay-lpa-title">
          <h2 id="pay-lpa-title">{t('finance.lpa.payTitle')}</h2>
          <PostForm action="/keuangan/pembayaran/lpa" csrfToken={viewer.principal.csrfToken} submit={t('finance.lpa.submit')}>
            <input type="hidden" name="lpa" value={lpaId} />
            <Choice
              id="kind"
              name="kind"
              label={t('finance.pay.kind')}
              value={sent?.kind ?? 'honorarium'}
              options={lpaPaymentKinds.map((kind): readonly [LpaPaymentKind, string] => [kind, t(`finance.pay.kind.${kind}`)])}
            />
            <Input
              id="amount"
              name="amount"
              type="text"
              inputMode="decimal"
              label={t('finance.pay.amount')}
              hint={t('finance.pay.amount.hint')}
              value={sent?.amount ?? String(owed['outstanding'] ?? '')}
              maxLength={20}
            />
            <PaymentFields words={words} sent={sent} today={today} />
          </PostForm>
        </section>
      )}
      {entry !== null && <EntryBooked words={words} entry={entry} />}
    </>
  );
}
