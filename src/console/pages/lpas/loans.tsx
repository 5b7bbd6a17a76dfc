import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf, roles, type SessionPrincipal } from '../../../access/principal.ts';
import type { Db } from '../../../db/knex.ts';
import { apiIdempotencyKey } from '../../../ledger/routes.ts';
import { repayLoan } from '../../../loans/lending.ts';
import { fromNumeric, sumAmounts, toAmountString } from '../../../money/index.ts';
import type { Loan, LoanTransaction } from '../../../loans/model.ts';
import { loansOfParticipant, transactionsOf } from '../../../loans/store.ts';
import { repaymentInputSchema } from '../../../loans/transactions.ts';
import { visibleParticipant } from '../../../registry/index.ts';
import { DataTable, Notice, PostForm } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { badForm } from './agencies.tsx';
import {
  domainRefusal,
  InputField,
  isWholeRupiah,
  Problems,
  type Refusal,
  type RefusalWords,
  schemaRefusal,
  textOf,
} from './forms.tsx';
import { formKeySchema, uuidOf } from './savings.tsx';

const repaymentWords: RefusalWords = {
  fields: {
    amount: 'lpas.loans.problem.amount',
    paidOn: 'lpas.loans.problem.paidOn',
    reference: 'lpas.loans.problem.reference',
  },
  codes: {
    'repayment-exceeds-payoff': 'lpas.loans.problem.exceedsPayoff',
    'loan-not-active': 'lpas.loans.problem.notActive',
    'idempotency-key-reused': 'lpas.problem.keyReused',
  },
};

const repaymentBody = z.strictObject({
  participantId: z.string().max(100),
  loanId: z.string().max(100),
  key: z.string().max(100),
  amount: z.string().max(40).optional(),
  paidOn: z.string().max(20).optional(),
  reference: z.string().max(200).optional(),
});

interface Sent {
  readonly loanId: string;
  readonly key: string;
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly refusal: Refusal;
}

// A member's loans (pinjaman): each with its terms, its standing today, its
// schedule with what is paid of it and its transactions, and for their own
// LPA a repayment, through the functions behind /v1/participants/{id}/loans
// and /v1/loans/{id}/repayments.
export function loanPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const page = async (viewer: Viewer, id: string, done: boolean, sent?: Sent): Promise<PageResult> => {
    const participant = await visibleParticipant(db, viewer.principal, uuidOf(id), today());
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
          {done && <Notice kind="info">{t('lpas.loans.done')}</Notice>}
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
        </>
      ),
    };
  };

  const loansPage = definePage({
    path: '/peserta/:id/pinjaman',
    roles,
    query: z.strictObject({ done: z.literal('repayment').optional() }),
    render: ({ viewer, query, params }) => page(viewer, String(params.id), query.done === 'repayment'),
  });

  const repaymentForm = defineForm({
    path: '/peserta/pinjaman/angsuran',
    roles: ['lpa'],
    body: repaymentBody,
    handle: async ({ viewer, body, requestId }) => {
      const { principal } = viewer;
      const key = formKeySchema.safeParse(body.key);
      const loanId = formKeySchema.safeParse(body.loanId);
      if (principal.role !== 'lpa' || !key.success || !loanId.success) return badForm(viewer.words);
      const values = { amount: textOf(body.amount), paidOn: textOf(body.paidOn), reference: textOf(body.reference) };
      const refused = (refusal: Refusal) =>
        page(viewer, body.participantId, false, { loanId: loanId.data, key: key.data, values, refusal });
      if (values.amount !== undefined && !isWholeRupiah(values.amount))
        return refused({ status: 400, problems: ['lpas.loans.problem.amount'] });
      const input = repaymentInputSchema.safeParse(values);
      if (!input.success) return refused(schemaRefusal(input.error, repaymentWords));
      try {
        await repayLoan(
          db,
          {
            lpaId: principal.lpaId,
            loanId: loanId.data,
            input: input.data,
            idempotencyKey: apiIdempotencyKey(principal, key.data),
            today: today(),
            fieldPrefix: 'body.',
          },
          actorOf(principal, requestId),
        );
      } catch (error) {
        return refused(domainRefusal(error, repaymentWords));
      }
      return { kind: 'redirect', to: `/peserta/${uuidOf(body.participantId)}/pinjaman?done=repayment` };
    },
    refused: ({ viewer }) => badForm(viewer.words),
  });

  return { pages: [loansPage], forms: [repaymentForm] };
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

function RepaymentForm(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly loan: Loan;
  readonly today: string;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, loan, today, sent } = props;
  const { t } = words;
  const id = (field: string) => `repay-${loan.id}-${field}`;
  return (
    <section aria-labelledby={id('title')}>
      <h3 id={id('title')}>{t('lpas.loans.repay.title')}</h3>
      <Problems words={words} problems={sent?.refusal.problems ?? []} />
      <PostForm action="/peserta/pinjaman/angsuran" csrfToken={principal.csrfToken} submit={t('lpas.loans.repay.submit')}>
        <input type="hidden" name="participantId" value={loan.participantId} />
        <input type="hidden" name="loanId" value={loan.id} />
        {/* Made once per rendering: a second submit of this form repeats the first, as a retried Idempotency-Key does. */}
        <input type="hidden" name="key" value={sent?.key ?? randomUUID()} />
        <InputField
          id={id('amount')}
          name="amount"
          type="text"
          inputMode="numeric"
          label={t('lpas.field.amount')}
          hint={t('lpas.field.amount.hint')}
          value={sent?.values.amount}
          maxLength={15}
        />
        <InputField
          id={id('paidOn')}
          name="paidOn"
          type="date"
          label={t('lpas.field.paidOn')}
          value={sent?.values.paidOn ?? today}
        />
        <InputField
          id={id('reference')}
          name="reference"
          type="text"
          label={t('lpas.field.reference')}
          hint={t('lpas.field.reference.hint')}
          value={sent?.values.reference}
          maxLength={100}
        />
      </PostForm>
    </section>
  );
}
