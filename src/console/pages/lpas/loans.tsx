import { z } from 'zod';
import { actorOf, roles, type SessionPrincipal } from '../../../access/principal.ts';
import type { Db } from '../../../db/knex.ts';
import { apiIdempotencyKey } from '../../../ledger/routes.ts';
import { applyForLoan, loanApplicationSchema } from '../../../loans/apply.ts';
import { disburseLoan, repayLoan } from '../../../loans/lending.ts';
import { fromNumeric, sumAmounts, toAmountString } from '../../../money/index.ts';
import type { Loan, LoanTransaction } from '../../../loans/model.ts';
import { loansOfParticipant, transactionsOf } from '../../../loans/store.ts';
import { disbursementInputSchema, repaymentInputSchema } from '../../../loans/transactions.ts';
import type { RuleBook } from '../../../rules/load.ts';
import { visibleParticipant } from '../../../registry/index.ts';
import { DataTable, Notice, PostForm } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { badForm } from './agencies.tsx';
import {
  AmountField,
  domainRefusal,
  FormKeyField,
  idOf,
  InputField,
  isWholeRupiah,
  Problems,
  ReferenceField,
  type Refusal,
  type RefusalWords,
  schemaRefusal,
  TextAreaField,
  textOf,
} from './forms.tsx';
import { uuidSchema } from '../../../ids.ts';

const loanForms = ['apply', 'disburse', 'repay'] as const;
type LoanForm = (typeof loanForms)[number];
const formPaths: Readonly<Record<LoanForm, string>> = {
  apply: '/peserta/pinjaman/ajukan',
  disburse: '/peserta/pinjaman/cairkan',
  repay: '/peserta/pinjaman/angsuran',
};

const keyReused = { 'idempotency-key-reused': 'lpas.problem.keyReused' } as const;
const refusalWords: Readonly<Record<LoanForm, RefusalWords>> = {
  apply: {
    fields: {
      product: 'lpas.loans.problem.product',
      amount: 'lpas.problem.amount',
      termMonths: 'lpas.loans.problem.termMonths',
      graceMonths: 'lpas.loans.problem.graceMonths',
      purpose: 'lpas.loans.problem.purpose',
      appliedOn: 'lpas.loans.problem.appliedOn',
    },
    codes: { 'not-in-cover': 'lpas.loans.problem.notInCover', 'no-loans-offered': 'lpas.loans.problem.noLoans', ...keyReused },
  },
  disburse: {
    fields: { disbursedOn: 'lpas.loans.problem.disbursedOn', reference: 'lpas.problem.reference' },
    codes: {
      'loan-not-approved': 'lpas.loans.problem.notApproved',
      'pool-cash-insufficient': 'lpas.loans.problem.poolCash',
      ...keyReused,
    },
  },
  repay: {
    fields: {
      amount: 'lpas.problem.amount',
      paidOn: 'lpas.loans.problem.paidOn',
      reference: 'lpas.problem.reference',
    },
    codes: {
      'repayment-exceeds-payoff': 'lpas.loans.problem.exceedsPayoff',
      'loan-not-active': 'lpas.loans.problem.notActive',
      ...keyReused,
    },
  },
};
// The fields each form sends besides the member, the loan and the key.
const formFields: Readonly<Record<LoanForm, readonly string[]>> = {
  apply: ['product', 'amount', 'termMonths', 'graceMonths', 'purpose', 'appliedOn'],
  disburse: ['disbursedOn', 'reference'],
  repay: ['amount', 'paidOn', 'reference'],
};

interface Sent {
  readonly form: LoanForm;
  readonly loanId: string | undefined;
  readonly key: string;
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly refusal: Refusal;
}

// A count typed by a person ("10" months), as the API's schema takes it; anything else is left for the schema to refuse.
function countOf(text: string | undefined): number | string | undefined {
  return text !== undefined && /^[0-9]{1,3}$/.test(text) ? Number(text) : text;
}

// A member's loans (pinjaman): each with its terms, its standing today, its
// schedule with what is paid of it and its transactions; for their own LPA
// an application, decided at once by the savings rules, the disbursement of
// an approved loan and a repayment, through the functions behind
// /v1/participants/{id}/loans and /v1/loans/{id}/disbursement, repayments.
export function loanPages({ db, book, today }: { readonly db: Db; readonly book: RuleBook; readonly today: () => string }) {
  const page = async (viewer: Viewer, id: string, done: LoanForm | undefined, sent?: Sent): Promise<PageResult> => {
    const participant = await visibleParticipant(db, viewer.principal, idOf('participant', id), today());
    const loans = await loansOfParticipant(db, participant.id, today());
    const transactions = await Promise.all(loans.map((loan) => transactionsOf(db, loan.id)));
    const { t } = viewer.words;
    return {
      kind: 'page',
      status: sent?.refusal.status ?? 200,
      title: t('lpas.loans.title', { name: participant.name }),
      body: (
        <>
          <p>
            <a href={`/peserta/${participant.id}`}>{t('lpas.savings.back', { name: participant.name })}</a>
          </p>
          {done !== undefined && <Notice kind="info">{t(`lpas.loans.done.${done}`)}</Notice>}
          {loans.length === 0 && <p class="empty">{t('lpas.loans.none')}</p>}
          {loans.map((loan, index) => (
            <LoanSection
              words={viewer.words}
              principal={viewer.principal}
              loan={loan}
              transactions={transactions[index] ?? []}
              today={today()}
              sent={sent?.loanId === loan.id ? sent : undefined}
            />
          ))}
          {viewer.principal.role === 'lpa' && (
            <ApplicationForm
              words={viewer.words}
              principal={viewer.principal}
              participantId={participant.id}
              product={loans[0]?.product}
              today={today()}
              sent={sent?.form === 'apply' ? sent : undefined}
            />
          )}
        </>
      ),
    };
  };

  const loansPage = definePage({
    path: '/peserta/:id/pinjaman',
    roles,
    query: z.strictObject({ done: z.enum(loanForms).optional() }),
    render: ({ viewer, query, params }) => page(viewer, String(params.id), query.done),
  });

  // Each form: its values as typed, parsed by the API's schema, handed to
  // the API's function with the key made when the form was rendered.
  const loanForm = (form: LoanForm) =>
    defineForm({
      path: formPaths[form],
      roles: ['lpa'],
      body: z.strictObject({
        participantId: z.string().max(100),
        loanId: z.string().max(100).optional(),
        key: z.string().max(100),
        ...Object.fromEntries(formFields[form].map((field) => [field, z.string().max(500).optional()])),
      }),
      handle: async ({ viewer, body, requestId }) => {
        const { principal } = viewer;
        const fields = body as Readonly<Record<string, string | undefined>>;
        const key = uuidSchema.safeParse(body.key);
        const loanId = form === 'apply' ? null : uuidSchema.safeParse(body.loanId).data;
        if (principal.role !== 'lpa') throw new Error('the form admits lpa sessions only');
        if (!key.success || loanId === undefined) return badForm(viewer.words);
        const values = Object.fromEntries(formFields[form].map((field) => [field, textOf(fields[field])]));
        const refused = (refusal: Refusal) =>
          page(viewer, body.participantId, undefined, { form, loanId: loanId ?? undefined, key: key.data, values, refusal });
        if (values.amount !== undefined && !isWholeRupiah(values.amount))
          return refused({ status: 400, problems: ['lpas.problem.amount'] });
        const keyed = {
          lpaId: principal.lpaId,
          idempotencyKey: apiIdempotencyKey(principal, key.data),
          today: today(),
          fieldPrefix: 'body.',
        };
        const actor = actorOf(principal, requestId);
        const participantId = idOf('participant', body.participantId);
        try {
          if (form === 'apply') {
            const input = loanApplicationSchema.safeParse({
              ...values,
              termMonths: countOf(values.termMonths),
              graceMonths: countOf(values.graceMonths),
            });
            if (!input.success) return refused(schemaRefusal(input.error, refusalWords.apply));
            await applyForLoan(db, book, { ...keyed, participantId, input: input.data }, actor);
          } else if (form === 'disburse') {
            const input = disbursementInputSchema.safeParse(values);
            if (!input.success) return refused(schemaRefusal(input.error, refusalWords.disburse));
            await disburseLoan(db, book, { ...keyed, loanId: loanId ?? '', input: input.data }, actor);
          } else {
            const input = repaymentInputSchema.safeParse(values);
            if (!input.success) return refused(schemaRefusal(input.error, refusalWords.repay));
            await repayLoan(db, { ...keyed, loanId: loanId ?? '', input: input.data }, actor);
          }
        } catch (error) {
          return refused(domainRefusal(error, refusalWords[form]));
        }
        return { kind: 'redirect', to: `/peserta/${participantId}/pinjaman?done=${form}` };
      },
      refused: ({ viewer }) => badForm(viewer.words),
    });

  return { pages: [loansPage], forms: loanForms.map(loanForm) };
}

function LoanSection(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly loan: Loan;
  readonly transactions: readonly LoanTransaction[];
  readonly today: string;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, loan, transactions, today, sent } = props;
  const { t } = words;
  const id = (part: string) => `loan-${loan.id}-${part}`;
  return (
    <section aria-labelledby={id('title')}>
      <h2 id={id('title')}>
        {t('lpas.loans.heading', {
          amount: words.rupiah(loan.amount),
          date: words.date(loan.appliedOn),
          status: t(`lpas.loans.status.${loan.status}`),
        })}
      </h2>
      <dl class="details">
        <dt>{t('lpas.loans.product')}</dt>
        <dd>{loan.product}</dd>
        <dt>{t('lpas.loans.purpose')}</dt>
        <dd>{loan.purpose}</dd>
        <dt>{t('lpas.loans.terms')}</dt>
        <dd>
          {t('lpas.loans.termsText', {
            months: words.count(loan.termMonths),
            grace: words.count(loan.graceMonths),
            rate: words.percent(loan.monthlyRate),
            method: t(`lpas.loans.method.${loan.method}`),
          })}
        </dd>
        <dt>{t('lpas.loans.disbursedOn')}</dt>
        <dd>{loan.disbursedOn === null ? '—' : words.date(loan.disbursedOn)}</dd>
        <dt>{t('lpas.loans.outstanding')}</dt>
        <dd>{words.rupiah(loan.principalOutstanding)}</dd>
        {loan.standing !== null && (
          <>
            <dt>{t('lpas.loans.due', { date: words.date(loan.standing.on) })}</dt>
            <dd>{words.rupiah(loan.standing.due)}</dd>
            <dt>{t('lpas.loans.payoff', { date: words.date(loan.standing.on) })}</dt>
            <dd>{words.rupiah(loan.standing.payoff)}</dd>
          </>
        )}
        {loan.reasons.length > 0 && (
          <>
            <dt>{t('lpas.column.reasons')}</dt>
            <dd>{loan.reasons.map((reason) => reason.explanation).join('; ')}</dd>
          </>
        )}
      </dl>
      <h3 id={id('schedule')}>{t('lpas.loans.schedule')}</h3>
      <DataTable
        caption={t('lpas.loans.schedule')}
        columns={[
          { header: t('lpas.column.instalment'), numeric: true },
          { header: t('lpas.column.dueOn') },
          { header: t('lpas.column.principal'), numeric: true },
          { header: t('lpas.column.interest'), numeric: true },
          { header: t('lpas.column.penalty'), numeric: true },
          { header: t('lpas.column.paid'), numeric: true },
          { header: t('lpas.column.state') },
        ]}
        rows={loan.instalments.map((instalment) => [
          words.count(instalment.number),
          words.date(instalment.dueOn),
          words.rupiah(instalment.principal),
          words.rupiah(instalment.interest),
          words.rupiah(instalment.penalty),
          words.rupiah(paidOf(instalment)),
          instalment.replacedOn === null
            ? t(isSettled(instalment) ? 'lpas.loans.settled' : 'lpas.loans.open')
            : t('lpas.loans.replaced', { date: words.date(instalment.replacedOn) }),
        ])}
        empty={t('lpas.loans.noSchedule')}
      />
      <h3 id={id('transactions')}>{t('lpas.loans.transactions')}</h3>
      <DataTable
        caption={t('lpas.loans.transactions')}
        columns={[
          { header: t('lpas.column.date') },
          { header: t('lpas.column.kind') },
          { header: t('lpas.column.amount'), numeric: true },
          { header: t('lpas.column.reference') },
        ]}
        rows={transactions.map((transaction) => [
          words.date(transaction.date),
          t(`lpas.loans.transaction.${transaction.kind}`),
          words.rupiah(transaction.amount),
          transaction.reference ?? '—',
        ])}
        empty={t('lpas.loans.noTransactions')}
      />
      {principal.role === 'lpa' && loan.status === 'approved' && (
        <DisbursementForm words={words} principal={principal} loan={loan} today={today} sent={sent} />
      )}
      {principal.role === 'lpa' && loan.status === 'active' && (
        <RepaymentForm words={words} principal={principal} loan={loan} today={today} sent={sent} />
      )}
    </section>
  );
}

type Instalment = Loan['instalments'][number];

// What was paid of an instalment, and whether it is paid up: sums of the
// API's decimal strings, through the money module.
function paidOf(instalment: Instalment): string {
  const parts = [instalment.principalPaid, instalment.interestPaid, instalment.penaltyPaid];
  return toAmountString(sumAmounts(parts.map(fromNumeric)));
}

function isSettled(instalment: Instalment): boolean {
  const owed = sumAmounts([instalment.principal, instalment.interest, instalment.penalty].map(fromNumeric));
  const settled = sumAmounts([paidOf(instalment), instalment.interestWaived].map(fromNumeric));
  return !owed.greaterThan(settled);
}

interface LoanFormProps {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly loan: Loan;
  readonly today: string;
  readonly sent: Sent | undefined;
}

// The hidden fields every loan form carries: whose, which loan, and the key made at rendering.
function Hidden({ participantId, loanId, sent }: { participantId: string; loanId?: string; sent: Sent | undefined }) {
  return (
    <>
      <input type="hidden" name="participantId" value={participantId} />
      {loanId !== undefined && <input type="hidden" name="loanId" value={loanId} />}
      <FormKeyField sent={sent} />
    </>
  );
}

function DisbursementForm({ words, principal, loan, today, sent }: LoanFormProps) {
  const { t } = words;
  const id = (field: string) => `disburse-${loan.id}-${field}`;
  const mine = sent?.form === 'disburse' ? sent : undefined;
  return (
    <section aria-labelledby={id('title')}>
      <h3 id={id('title')}>{t('lpas.loans.disburse.title')}</h3>
      <Problems words={words} problems={mine?.refusal.problems ?? []} />
      <PostForm action={formPaths.disburse} csrfToken={principal.csrfToken} submit={t('lpas.loans.disburse.submit')}>
        <Hidden participantId={loan.participantId} loanId={loan.id} sent={mine} />
        <InputField
          id={id('disbursedOn')}
          name="disbursedOn"
          type="date"
          label={t('lpas.field.disbursedOn')}
          value={mine?.values.disbursedOn ?? today}
        />
        <ReferenceField words={words} id={id('reference')} value={mine?.values.reference} />
      </PostForm>
    </section>
  );
}

function RepaymentForm({ words, principal, loan, today, sent }: LoanFormProps) {
  const { t } = words;
  const id = (field: string) => `repay-${loan.id}-${field}`;
  const mine = sent?.form === 'repay' ? sent : undefined;
  return (
    <section aria-labelledby={id('title')}>
      <h3 id={id('title')}>{t('lpas.loans.repay.title')}</h3>
      <Problems words={words} problems={mine?.refusal.problems ?? []} />
      <PostForm action={formPaths.repay} csrfToken={principal.csrfToken} submit={t('lpas.loans.repay.submit')}>
        <Hidden participantId={loan.participantId} loanId={loan.id} sent={mine} />
        <AmountField words={words} id={id('amount')} value={mine?.values.amount} />
        <InputField
          id={id('paidOn')}
          name="paidOn"
          type="date"
          label={t('lpas.field.paidOn')}
          value={mine?.values.paidOn ?? today}
        />
        <ReferenceField words={words} id={id('reference')} value={mine?.values.reference} />
      </PostForm>
    </section>
  );
}

// An application, decided at once by the savings rules in force on its day.
function ApplicationForm(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly participantId: string;
  readonly product: string | undefined;
  readonly today: string;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, participantId, product, today, sent } = props;
  const { t } = words;
  const value = (field: string) => sent?.values[field];
  return (
    <section aria-labelledby="apply-title">
      <h2 id="apply-title">{t('lpas.loans.apply.title')}</h2>
      <p>{t('lpas.loans.apply.intro')}</p>
      <Problems words={words} problems={sent?.refusal.problems ?? []} />
      <PostForm action={formPaths.apply} csrfToken={principal.csrfToken} submit={t('lpas.loans.apply.submit')}>
        <Hidden participantId={participantId} sent={sent} />
        <InputField
          id="apply-product"
          name="product"
          type="text"
          label={t('lpas.field.product')}
          hint={t('lpas.field.product.hint')}
          value={value('product') ?? product}
          maxLength={64}
        />
        <AmountField words={words} id="apply-amount" value={value('amount')} />
        <InputField
          id="apply-termMonths"
          name="termMonths"
          type="text"
          inputMode="numeric"
          label={t('lpas.field.termMonths')}
          value={value('termMonths')}
          maxLength={3}
        />
        <InputField
          id="apply-graceMonths"
          name="graceMonths"
          type="text"
          inputMode="numeric"
          label={t('lpas.field.graceMonths')}
          value={value('graceMonths') ?? '0'}
          maxLength={2}
        />
        <TextAreaField
          id="apply-purpose"
          name="purpose"
          label={t('lpas.field.purpose')}
          value={value('purpose')}
          maxLength={500}
        />
        <InputField
          id="apply-appliedOn"
          name="appliedOn"
          type="date"
          label={t('lpas.field.appliedOn')}
          value={value('appliedOn') ?? today}
        />
      </PostForm>
    </section>
  );
}
