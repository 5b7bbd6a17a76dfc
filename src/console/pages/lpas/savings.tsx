import { z } from 'zod';
import { actorOf, roles, type SessionPrincipal } from '../../../access/principal.ts';
import type { Db } from '../../../db/knex.ts';
import { uuidSchema } from '../../../ids.ts';
import { apiIdempotencyKey } from '../../../ledger/routes.ts';
import { visibleParticipant } from '../../../registry/index.ts';
import { savingsKinds, savingsMovementInputSchema, savingsStatementQuerySchema } from '../../../savings/model.ts';
import { savingsAccountsOf, savingsStatement } from '../../../savings/statement.ts';
import { depositSavings, withdrawSavings } from '../../../savings/transactions.ts';
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
  SelectField,
  textOf,
} from './forms.tsx';

const directions = ['deposit', 'withdrawal'] as const;
type Direction = (typeof directions)[number];

const movementWords: RefusalWords = {
  fields: {
    kind: 'lpas.savings.problem.kind',
    amount: 'lpas.problem.amount',
    date: 'lpas.problem.date',
    reference: 'lpas.problem.reference',
  },
  codes: {
    'mandatory-savings-locked': 'lpas.savings.problem.locked',
    'savings-insufficient': 'lpas.savings.problem.insufficient',
    'pool-cash-insufficient': 'lpas.savings.problem.poolCash',
    'idempotency-key-reused': 'lpas.problem.keyReused',
  },
};

const movementBody = z.strictObject({
  participantId: z.string().max(100),
  key: z.string().max(100),
  kind: z.string().max(20).optional(),
  amount: z.string().max(40).optional(),
  date: z.string().max(20).optional(),
  reference: z.string().max(200).optional(),
});

interface Sent {
  readonly direction: Direction;
  readonly key: string;
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly refusal: Refusal;
}

// A member's savings (tabungan): each account's balance and dues, its
// statement, and for their own LPA a deposit and a withdrawal, through the
// functions behind /v1/participants/{id}/savings.
export function savingsPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  const page = async (viewer: Viewer, id: string, done: Direction | undefined, sent?: Sent): Promise<PageResult> => {
    const participant = await visibleParticipant(db, viewer.principal, idOf('participant', id), today());
    const accounts = await savingsAccountsOf(db, participant.id, today());
    const statements = await Promise.all(
      accounts.map(async (account) => ({
        kind: account.kind,
        table: await savingsStatement(db, participant.id, savingsStatementQuerySchema.parse({ kind: account.kind })),
      })),
    );
    const { t } = viewer.words;
    return {
      kind: 'page',
      status: sent?.refusal.status ?? 200,
      title: t('lpas.savings.title', { name: participant.name }),
      body: (
        <>
          <p>
            <a href={`/peserta/${participant.id}`}>{t('lpas.savings.back', { name: participant.name })}</a>
          </p>
          {done !== undefined && <Notice kind="info">{t(`lpas.savings.done.${done}`)}</Notice>}
          <Accounts words={viewer.words} accounts={accounts} />
          {statements.map((statement) => (
            <Statement words={viewer.words} kind={statement.kind} rows={statement.table.rows} />
          ))}
          {viewer.principal.role === 'lpa' &&
            directions.map((direction) => (
              <MovementForm
                words={viewer.words}
                principal={viewer.principal}
                participantId={participant.id}
                direction={direction}
                today={today()}
                sent={sent?.direction === direction ? sent : undefined}
              />
            ))}
        </>
      ),
    };
  };

  const savings = definePage({
    path: '/peserta/:id/tabungan',
    roles,
    query: z.strictObject({ done: z.enum(directions).optional() }),
    render: ({ viewer, query, params }) => page(viewer, String(params.id), query.done),
  });

  const movementForm = (direction: Direction) =>
    defineForm({
      path: direction === 'deposit' ? '/peserta/tabungan/setor' : '/peserta/tabungan/tarik',
      roles: ['lpa'],
      body: movementBody,
      handle: async ({ viewer, body, requestId }) => {
        const { principal } = viewer;
        const key = uuidSchema.safeParse(body.key);
        if (principal.role !== 'lpa') throw new Error('the form admits lpa sessions only');
        if (!key.success) return badForm(viewer.words);
        const values = {
          kind: textOf(body.kind),
          amount: textOf(body.amount),
          date: textOf(body.date),
          reference: textOf(body.reference),
        };
        const refused = (refusal: Refusal) =>
          page(viewer, body.participantId, undefined, { direction, key: key.data, values, refusal });
        if (values.amount !== undefined && !isWholeRupiah(values.amount))
          return refused({ status: 400, problems: ['lpas.problem.amount'] });
        const input = savingsMovementInputSchema.safeParse(values);
        if (!input.success) return refused(schemaRefusal(input.error, movementWords));
        const request = {
          lpaId: principal.lpaId,
          participantId: idOf('participant', body.participantId),
          input: input.data,
          idempotencyKey: apiIdempotencyKey(principal, key.data),
          today: today(),
          fieldPrefix: 'body.',
        };
        try {
          const actor = actorOf(principal, requestId);
          await (direction === 'deposit' ? depositSavings(db, request, actor) : withdrawSavings(db, request, actor));
        } catch (error) {
          return refused(domainRefusal(error, movementWords));
        }
        return { kind: 'redirect', to: `/peserta/${request.participantId}/tabungan?done=${direction}` };
      },
      refused: ({ viewer }) => badForm(viewer.words),
    });

  return { pages: [savings], forms: directions.map(movementForm) };
}

type AccountView = Awaited<ReturnType<typeof savingsAccountsOf>>[number];
type StatementRows = Awaited<ReturnType<typeof savingsStatement>>['rows'];

function Accounts({ words, accounts }: { words: Words; accounts: readonly AccountView[] }) {
  const { t } = words;
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t('lpas.savings.accounts')}</h2>
      <DataTable
        caption={t('lpas.savings.accounts')}
        columns={[
          { header: t('lpas.column.kind') },
          { header: t('lpas.column.openedOn') },
          { header: t('lpas.column.balance'), numeric: true },
          { header: t('lpas.column.locked') },
          { header: t('lpas.column.duesTotal'), numeric: true },
          { header: t('lpas.column.monthsBehind'), numeric: true },
          { header: t('lpas.column.amountBehind'), numeric: true },
        ]}
        rows={accounts.map((account) => [
          t(`lpas.savings.kind.${account.kind}`),
          words.date(account.openedOn),
          words.rupiah(account.balance),
          t(account.locked ? 'lpas.savings.locked' : 'lpas.savings.open'),
          words.rupiah(account.duesTotal),
          words.count(account.monthsBehind),
          words.rupiah(account.amountBehind),
        ])}
        empty={t('lpas.savings.none')}
      />
    </section>
  );
}

// The statement (buku tabungan): the balance brought forward, each movement,
// the balance carried forward. The ledger's descriptions are in English,
// so the rows are told apart by what they carry: a balance row has no entry.
function Statement({ words, kind, rows }: { words: Words; kind: AccountView['kind']; rows: StatementRows }) {
  const { t } = words;
  const rupiahCell = (value: string | number | null | undefined) =>
    value === null || value === undefined || value === '' ? '' : words.rupiah(String(value));
  const last = rows.length - 1;
  return (
    <section aria-labelledby={`statement-${kind}-title`}>
      <h2 id={`statement-${kind}-title`}>{t('lpas.savings.statement', { kind: t(`lpas.savings.kind.${kind}`) })}</h2>
      <DataTable
        caption={t('lpas.savings.statement', { kind: t(`lpas.savings.kind.${kind}`) })}
        columns={[
          { header: t('lpas.column.date') },
          { header: t('lpas.column.reference') },
          { header: t('lpas.column.deposit'), numeric: true },
          { header: t('lpas.column.withdrawal'), numeric: true },
          { header: t('lpas.column.balance'), numeric: true },
        ]}
        rows={rows.map((row, index) => [
          row.date === '' || row.date === null ? '' : words.date(String(row.date)),
          row.entry === null
            ? t(index === last ? 'lpas.savings.carriedForward' : 'lpas.savings.broughtForward')
            : String(row.reference ?? ''),
          rupiahCell(row.deposit),
          rupiahCell(row.withdrawal),
          rupiahCell(row.balance),
        ])}
        empty={t('lpas.savings.none')}
      />
    </section>
  );
}

function MovementForm(props: {
  readonly words: Words;
  readonly principal: SessionPrincipal;
  readonly participantId: string;
  readonly direction: Direction;
  readonly today: string;
  readonly sent: Sent | undefined;
}) {
  const { words, principal, participantId, direction, today, sent } = props;
  const { t } = words;
  const id = (field: string) => `${direction}-${field}`;
  return (
    <section aria-labelledby={id('title')}>
      <h2 id={id('title')}>{t(`lpas.savings.${direction}.title`)}</h2>
      <Problems words={words} problems={sent?.refusal.problems ?? []} />
      <PostForm
        action={direction === 'deposit' ? '/peserta/tabungan/setor' : '/peserta/tabungan/tarik'}
        csrfToken={principal.csrfToken}
        submit={t(`lpas.savings.${direction}.submit`)}
      >
        <input type="hidden" name="participantId" value={participantId} />
        <FormKeyField sent={sent} />
        <SelectField
          id={id('kind')}
          name="kind"
          label={t('lpas.field.savingsKind')}
          value={sent?.values.kind ?? (direction === 'deposit' ? 'mandatory' : 'voluntary')}
          options={savingsKinds.map((kind) => ({ value: kind, label: t(`lpas.savings.kind.${kind}`) }))}
        />
        <AmountField words={words} id={id('amount')} value={sent?.values.amount} />
        <InputField id={id('date')} name="date" type="date" label={t('lpas.field.date')} value={sent?.values.date ?? today} />
        <ReferenceField words={words} id={id('reference')} value={sent?.values.reference} />
      </PostForm>
    </section>
  );
}
