import { addDays } from '../dates.ts';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { amount, type Amount, fromNumeric, toAmountString } from '../money/index.ts';
import { ledgerDecimalPlaces } from './balance.ts';
import type { Books } from './chart.ts';
import { normalBalance } from './entry.ts';
import type { Account, AccountType, ChartLine, Entry, EntryDraft, OwnerKind, Periods, Statement, TrialBalance } from './model.ts';

type Runner = Db | Knex.Transaction;

const money = (value: Amount) => toAmountString(value, ledgerDecimalPlaces);

// The migration takes the same number: a posting holds this lock shared, a
// close holds it exclusive.
const periodLockKey = 7_310_001;

// ---------------------------------------------------------------- chart

export async function listChart(db: Runner): Promise<ChartLine[]> {
  const rows = await db('ledger_chart').orderBy('code', 'asc').select<
    {
      code: string;
      name: string;
      name_id: string;
      type: AccountType;
      owner_kinds: OwnerKind[];
      must_not_go_negative: boolean;
      books: Books;
    }[]
  >('code', 'name', 'name_id', 'type', 'owner_kinds', 'must_not_go_negative', 'books');
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    nameId: row.name_id,
    type: row.type,
    ownerKinds: row.owner_kinds,
    mustNotGoNegative: row.must_not_go_negative,
    books: row.books,
  }));
}

// ---------------------------------------------------------------- accounts

interface AccountRecord {
  id: string;
  code: string;
  name: string;
  type: AccountType;
  owner_kind: OwnerKind;
  lpa_id: string | null;
  participant_id: string | null;
  must_not_go_negative: boolean;
  debits_posted: string;
  credits_posted: string;
  postings_count: string;
  opened_at: Date;
}

const accountColumns = [
  'id',
  'code',
  'name',
  'type',
  'owner_kind',
  'lpa_id',
  'participant_id',
  'must_not_go_negative',
  'debits_posted',
  'credits_posted',
  'postings_count',
  'opened_at',
] as const;

function toAccount(row: AccountRecord, totals?: { debits: string; credits: string; count: string }): Account {
  const debits = fromNumeric(totals?.debits ?? row.debits_posted);
  const credits = fromNumeric(totals?.credits ?? row.credits_posted);
  const balance = debits.minus(credits);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    ownerKind: row.owner_kind,
    lpaId: row.lpa_id,
    participantId: row.participant_id,
    mustNotGoNegative: row.must_not_go_negative,
    debits: money(debits),
    credits: money(credits),
    balance: money(balance),
    normalBalance: money(normalBalance(row.type, balance)),
    postingsCount: Number(totals?.count ?? row.postings_count),
    openedAt: row.opened_at.toISOString(),
  };
}

export interface AccountOwner {
  readonly kind: OwnerKind;
  readonly lpaId: string | null;
  readonly participantId: string | null;
}

// The balance today, or as it stood at the end of asOf.
export async function findAccount(db: Runner, id: string, asOf?: string): Promise<Account | null> {
  const row = await db('ledger_accounts').where({ id }).first<AccountRecord | undefined>(accountColumns);
  if (row === undefined) return null;
  if (asOf === undefined) return toAccount(row);
  const totals = await db('journal_postings')
    .where({ account_id: id })
    .andWhere('entry_date', '<=', asOf)
    .first<{ debits: string; credits: string; count: string }>(
      db.raw('coalesce(sum(greatest(amount, 0)), 0) as debits'),
      db.raw('coalesce(sum(greatest(-amount, 0)), 0) as credits'),
      db.raw('count(*) as count'),
    );
  return toAccount(row, totals);
}

export async function findAccountByOwner(db: Runner, code: string, owner: AccountOwner): Promise<Account | null> {
  const row = await db('ledger_accounts')
    .where({ code, owner_kind: owner.kind })
    .andWhere((where) => (owner.lpaId === null ? where.whereNull('lpa_id') : where.where('lpa_id', owner.lpaId)))
    .andWhere((where) =>
      owner.participantId === null ? where.whereNull('participant_id') : where.where('participant_id', owner.participantId),
    )
    .first<AccountRecord | undefined>(accountColumns);
  return row === undefined ? null : toAccount(row);
}

export const fundOwner: AccountOwner = { kind: 'fund', lpaId: null, participantId: null };

// The fund's own account for a chart code; the ledger migration opens one for
// every code the fund holds, so a missing one is a broken database.
export async function findFundAccount(db: Runner, code: string): Promise<Account> {
  const account = await findAccountByOwner(db, code, fundOwner);
  if (account === null) throw new Error(`ledger invariant: the fund has no ${code} account`);
  return account;
}

// The fund's accounts are opened by migration and never closed or deleted,
// so their ids are remembered per database: every claim and payment posts to
// them, and the look-up would cost each a round trip.
const fundAccountIds = new WeakMap<object, Map<string, string>>();

export async function fundAccountId(db: Runner, code: string): Promise<string> {
  // A transaction shares its database's config object, so both find one cache.
  const database = (db.client as { config: object }).config;
  const ids = fundAccountIds.get(database) ?? new Map<string, string>();
  fundAccountIds.set(database, ids);
  const known = ids.get(code);
  if (known !== undefined) return known;
  const { id } = await findFundAccount(db, code);
  ids.set(code, id);
  return id;
}

export async function insertAccount(
  trx: Knex.Transaction,
  chart: ChartLine,
  owner: AccountOwner,
  name: string,
  openedBy: string,
): Promise<boolean> {
  const inserted = await trx.raw<{ rows: unknown[] }>(
    `insert into ledger_accounts (code, type, owner_kind, lpa_id, participant_id, name, must_not_go_negative, opened_by)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict do nothing returning id`,
    [chart.code, chart.type, owner.kind, owner.lpaId, owner.participantId, name, chart.mustNotGoNegative, openedBy],
  );
  return inserted.rows.length > 0;
}

export interface AccountFilter {
  readonly code?: string;
  readonly ownerKind?: OwnerKind;
  readonly lpaId?: string;
  readonly participantId?: string;
  readonly after?: string;
  readonly limit: number;
}

export async function listAccounts(db: Runner, filter: AccountFilter): Promise<Account[]> {
  const query = db('ledger_accounts').orderBy('id', 'asc').limit(filter.limit);
  if (filter.code !== undefined) query.where('code', filter.code);
  if (filter.ownerKind !== undefined) query.where('owner_kind', filter.ownerKind);
  if (filter.lpaId !== undefined) query.where('lpa_id', filter.lpaId);
  if (filter.participantId !== undefined) query.where('participant_id', filter.participantId);
  if (filter.after !== undefined) query.where('id', '>', filter.after);
  const rows = await query.select<AccountRecord[]>(accountColumns);
  return rows.map((row) => toAccount(row));
}

export interface PostingAccount {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly type: AccountType;
  readonly lpaId: string | null;
  readonly mustNotGoNegative: boolean;
}

export async function postingAccounts(db: Runner, ids: readonly string[]): Promise<Map<string, PostingAccount>> {
  const rows = await db('ledger_accounts')
    .whereIn('id', ids)
    .select<
      { id: string; code: string; name: string; type: AccountType; lpa_id: string | null; must_not_go_negative: boolean }[]
    >('id', 'code', 'name', 'type', 'lpa_id', 'must_not_go_negative');
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        code: row.code,
        name: row.name,
        type: row.type,
        lpaId: row.lpa_id,
        mustNotGoNegative: row.must_not_go_negative,
      },
    ]),
  );
}

// The participant or LPA an account is opened for: the ledger reads only
// what names the account and places it, and knows nothing else of them.
export async function participantHoldingAccounts(
  trx: Knex.Transaction,
  participantId: string,
): Promise<{ lpa_id: string; nik: string } | null> {
  return (
    (await trx('participants')
      .where({ id: participantId })
      .first<{ lpa_id: string; nik: string } | undefined>('lpa_id', 'nik')) ?? null
  );
}

export async function lpaHoldingAccounts(trx: Knex.Transaction, lpaId: string): Promise<{ name: string } | null> {
  return (await trx('lpas').where({ id: lpaId }).first<{ name: string } | undefined>('name')) ?? null;
}

// ---------------------------------------------------------------- entries

interface EntryRecord {
  id: string;
  sequence: string;
  entry_date: string;
  description: string;
  reference_type: string;
  reference_id: string;
  rule_scheme: string | null;
  rule_version: string | null;
  rule_hash: string | null;
  idempotency_key: string;
  fingerprint: string;
  reverses_entry_id: string | null;
  reversed_by_entry_id: string | null;
  posted_at: Date;
  posted_by: string;
}

export interface StoredEntry {
  readonly entry: Entry;
  readonly fingerprint: string;
  // For scope checks: the LPA of each posting's account, null for the fund's.
  readonly postingLpaIds: readonly (string | null)[];
}

export interface Poster {
  readonly postedBy: string;
  readonly requestId: string | null;
}

export interface InsertedEntry {
  readonly id: string;
  readonly sequence: string;
  readonly postedAt: Date;
  readonly accounts: ReadonlyMap<string, { readonly code: string; readonly name: string }>;
}

export interface EntryToInsert {
  readonly draft: EntryDraft;
  readonly fingerprint: string;
  readonly poster: Poster;
}

// Entries and their postings in one statement: outside a caller's
// transaction that is one round trip and one implicit transaction, at whose
// end the deferred balance checks run. Entries get their sequence in the
// order given; postings go in by account, which is the order every writer
// locks account rows in, so concurrent batches wait rather than deadlock.
// Answers by idempotency key; an entry whose key was already taken is absent.
// The keys within one call must differ.
export async function insertEntries(db: Runner, entries: readonly EntryToInsert[]): Promise<Map<string, InsertedEntry>> {
  const accountIds = [...new Set(entries.flatMap(({ draft }) => draft.postings.map((posting) => posting.accountId)))];
  const result = await db.raw<{
    rows: {
      idempotency_key: string;
      id: string;
      sequence: string;
      posted_at: Date;
      accounts: { id: string; code: string; name: string }[];
    }[];
  }>(
    `with wanted as (
       select * from jsonb_to_recordset(?::jsonb) as wanted (position integer, id uuid, entry_date date, description text,
         reference_type text, reference_id text, rule_scheme text, rule_version text, rule_hash text, idempotency_key text,
         fingerprint text, postings_count integer, reverses_entry_id uuid, posted_by text, request_id text)
     ), entry as (
       insert into journal_entries (id, entry_date, description, reference_type, reference_id, rule_scheme, rule_version, rule_hash,
         idempotency_key, fingerprint, postings_count, reverses_entry_id, posted_by, request_id)
       select coalesce(id, gen_random_uuid()), entry_date, description, reference_type, reference_id, rule_scheme, rule_version, rule_hash,
         idempotency_key, fingerprint, postings_count, reverses_entry_id, posted_by, request_id
       from wanted order by position
       on conflict (idempotency_key) do nothing
       returning id, sequence, posted_at, idempotency_key, entry_date
     ), posted as (
       insert into journal_postings (entry_id, account_id, entry_date, amount)
       select entry.id, posting.account_id, entry.entry_date, posting.amount
       from jsonb_to_recordset(?::jsonb) as posting (idempotency_key text, account_id uuid, amount numeric)
       join entry using (idempotency_key)
       order by posting.account_id, entry.sequence
       returning 1
     )
     select entry.idempotency_key, entry.id, entry.sequence, entry.posted_at,
       (select json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name))
        from ledger_accounts a where a.id = any (?::uuid[])) as accounts
     from entry`,
    [
      JSON.stringify(
        entries.map(({ draft, fingerprint, poster }, position) => ({
          position,
          id: draft.entryId ?? null,
          entry_date: draft.entryDate,
          description: draft.description,
          reference_type: draft.reference.type,
          reference_id: draft.reference.id,
          rule_scheme: draft.rule?.scheme ?? null,
          rule_version: draft.rule?.version ?? null,
          rule_hash: draft.rule?.hash ?? null,
          idempotency_key: draft.idempotencyKey,
          fingerprint,
          postings_count: draft.postings.length,
          reverses_entry_id: draft.reversesEntryId ?? null,
          posted_by: poster.postedBy,
          request_id: poster.requestId,
        })),
      ),
      JSON.stringify(
        entries.flatMap(({ draft }) =>
          draft.postings.map((posting) => ({
            idempotency_key: draft.idempotencyKey,
            account_id: posting.accountId,
            amount: money(posting.amount),
          })),
        ),
      ),
      accountIds,
    ],
  );
  const accounts = new Map(
    (result.rows[0]?.accounts ?? []).map((account) => [account.id, { code: account.code, name: account.name }]),
  );
  return new Map(
    result.rows.map((row) => [row.idempotency_key, { id: row.id, sequence: row.sequence, postedAt: row.posted_at, accounts }]),
  );
}

const entryColumns = `e.id, e.sequence, e.entry_date, e.description, e.reference_type, e.reference_id, e.rule_scheme,
  e.rule_version, e.rule_hash, e.idempotency_key, e.fingerprint, e.reverses_entry_id, e.posted_at, e.posted_by,
  (select r.id from journal_entries r where r.reverses_entry_id = e.id) as reversed_by_entry_id`;

async function storedEntry(db: Runner, row: EntryRecord | undefined): Promise<StoredEntry | null> {
  if (row === undefined) return null;
  const postings = await db('journal_postings as p')
    .join('ledger_accounts as a', 'a.id', 'p.account_id')
    .where('p.entry_id', row.id)
    .orderBy('p.id', 'asc')
    .select<{ account_id: string; code: string; name: string; lpa_id: string | null; amount: string }[]>(
      'p.account_id',
      'a.code',
      'a.name',
      'a.lpa_id',
      'p.amount',
    );
  return {
    fingerprint: row.fingerprint,
    postingLpaIds: postings.map((posting) => posting.lpa_id),
    entry: {
      id: row.id,
      sequence: row.sequence,
      entryDate: row.entry_date,
      description: row.description,
      reference: { type: row.reference_type, id: row.reference_id },
      rule:
        row.rule_scheme === null || row.rule_version === null || row.rule_hash === null
          ? null
          : { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
      idempotencyKey: row.idempotency_key,
      reversesEntryId: row.reverses_entry_id,
      reversedByEntryId: row.reversed_by_entry_id,
      postedAt: row.posted_at.toISOString(),
      postedBy: row.posted_by,
      postings: postings.map((posting) => ({
        accountId: posting.account_id,
        accountCode: posting.code,
        accountName: posting.name,
        amount: posting.amount,
      })),
    },
  };
}

export async function findEntry(db: Runner, id: string): Promise<StoredEntry | null> {
  const result = await db.raw<{ rows: EntryRecord[] }>(`select ${entryColumns} from journal_entries e where e.id = ?`, [id]);
  return storedEntry(db, result.rows[0]);
}

export async function findEntryByKey(db: Runner, idempotencyKey: string): Promise<StoredEntry | null> {
  const result = await db.raw<{ rows: EntryRecord[] }>(
    `select ${entryColumns} from journal_entries e where e.idempotency_key = ?`,
    [idempotencyKey],
  );
  return storedEntry(db, result.rows[0]);
}

export async function listEntriesByReference(db: Runner, type: string, id: string, limit: number): Promise<StoredEntry[]> {
  const result = await db.raw<{ rows: EntryRecord[] }>(
    `select ${entryColumns} from journal_entries e where e.reference_type = ? and e.reference_id = ? order by e.sequence limit ?`,
    [type, id, limit],
  );
  const entries: StoredEntry[] = [];
  for (const row of result.rows) {
    const stored = await storedEntry(db, row);
    if (stored !== null) entries.push(stored);
  }
  return entries;
}

// Locks, in account order, every account the given entries posted to: a
// caller about to post several entries in one transaction takes its locks in
// the one order all writers use, instead of entry by entry.
export async function lockAccountsOf(trx: Knex.Transaction, entryIds: readonly string[]): Promise<void> {
  await trx.raw(
    `select id from ledger_accounts
     where id in (select account_id from journal_postings where entry_id = any (?::uuid[]))
     order by id for update`,
    [[...entryIds]],
  );
}

// ---------------------------------------------------------------- statements

export interface StatementQuery {
  readonly from?: string;
  readonly to?: string;
  // The last line of the previous page: its date and posting id.
  readonly after?: { readonly entryDate: string; readonly postingId: string };
  readonly limit: number;
}

export async function statementPage(
  db: Runner,
  account: Account,
  query: StatementQuery,
): Promise<Omit<Statement, 'account' | 'from' | 'to'>> {
  const lines = db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .where('p.account_id', account.id)
    .orderBy([
      { column: 'p.entry_date', order: 'asc' },
      { column: 'p.id', order: 'asc' },
    ])
    .limit(query.limit + 1);
  if (query.from !== undefined) lines.andWhere('p.entry_date', '>=', query.from);
  if (query.to !== undefined) lines.andWhere('p.entry_date', '<=', query.to);
  if (query.after !== undefined)
    lines.andWhereRaw('(p.entry_date, p.id) > (?::date, ?::bigint)', [query.after.entryDate, query.after.postingId]);
  const rows = await lines.select<
    {
      id: string;
      entry_id: string;
      entry_date: string;
      description: string;
      reference_type: string;
      reference_id: string;
      amount: string;
    }[]
  >('p.id', 'p.entry_id', 'p.entry_date', 'e.description', 'e.reference_type', 'e.reference_id', 'p.amount');

  // Everything before the page's first line: before `from`, or up to the cursor.
  const opening = db('journal_postings').where('account_id', account.id);
  if (query.after !== undefined)
    opening.andWhereRaw('(entry_date, id) <= (?::date, ?::bigint)', [query.after.entryDate, query.after.postingId]);
  else if (query.from !== undefined) opening.andWhere('entry_date', '<', query.from);
  else opening.whereRaw('false');
  const openingRow = await opening.first<{ total: string }>(db.raw('coalesce(sum(amount), 0) as total'));
  const openingBalance = fromNumeric(openingRow.total);

  const page = rows.slice(0, query.limit);
  let running = openingBalance;
  const last = page.at(-1);
  return {
    openingBalance: money(openingBalance),
    lines: page.map((row) => {
      const value = fromNumeric(row.amount);
      running = running.plus(value);
      return {
        postingId: row.id,
        entryId: row.entry_id,
        entryDate: row.entry_date,
        description: row.description,
        reference: { type: row.reference_type, id: row.reference_id },
        debit: value.greaterThan(0) ? money(value) : null,
        credit: value.lessThan(0) ? money(value.negated()) : null,
        runningBalance: money(running),
      };
    }),
    next: rows.length > query.limit && last !== undefined ? `${last.entry_date}~${last.id}` : null,
  };
}

// ---------------------------------------------------------------- trial balance

// By chart code, each code's sub-accounts (one per LPA or participant) rolled
// up; today's totals come from the accounts, a past date's from the postings.
export async function trialBalance(db: Runner, asOf: string | null): Promise<TrialBalance> {
  const totals =
    asOf === null
      ? { accounts: 'count(*)', debits: 'sum(a.debits_posted)', credits: 'sum(a.credits_posted)' }
      : {
          accounts: 'count(distinct a.id)',
          debits: 'coalesce(sum(greatest(p.amount, 0)), 0)',
          credits: 'coalesce(sum(greatest(-p.amount, 0)), 0)',
        };
  const query = db('ledger_accounts as a').join('ledger_chart as c', 'c.code', 'a.code');
  if (asOf !== null)
    query.leftJoin('journal_postings as p', (join) =>
      join.on('p.account_id', 'a.id').andOn('p.entry_date', '<=', db.raw('?', [asOf])),
    );
  const rows = await query
    .groupBy('c.code', 'c.name', 'c.type')
    .orderBy('c.code', 'asc')
    .select<{ code: string; name: string; type: AccountType; accounts: string; debits: string; credits: string }[]>(
      'c.code',
      'c.name',
      'c.type',
      db.raw(`${totals.accounts} as accounts`),
      db.raw(`${totals.debits} as debits`),
      db.raw(`${totals.credits} as credits`),
    );
  let debitsTotal = amount('0');
  let creditsTotal = amount('0');
  const lines = rows.map((row) => {
    const debits = fromNumeric(row.debits);
    const credits = fromNumeric(row.credits);
    debitsTotal = debitsTotal.plus(debits);
    creditsTotal = creditsTotal.plus(credits);
    return {
      code: row.code,
      name: row.name,
      type: row.type,
      accounts: Number(row.accounts),
      debits: money(debits),
      credits: money(credits),
      balance: money(debits.minus(credits)),
    };
  });
  return {
    asOf,
    lines,
    totals: { debits: money(debitsTotal), credits: money(creditsTotal), balance: money(debitsTotal.minus(creditsTotal)) },
  };
}

// The balance of the fund's account with a code as of a day, split by the
// scheme of the rules that made each entry ('' for entries no rule made):
// what each scheme holds of a reserve the rules set, such as IBNR.
export async function balancesByScheme(db: Runner, code: string, asOf: string): Promise<Map<string, Amount>> {
  const result = await db.raw<{ rows: { scheme: string; balance: string }[] }>(
    `select coalesce(e.rule_scheme, '') as scheme, sum(p.amount) as balance
     from journal_postings p
     join ledger_accounts a on a.id = p.account_id and a.code = ? and a.owner_kind = 'fund'
     join journal_entries e on e.id = p.entry_id
     where p.entry_date <= ?::date
     group by 1 order by 1`,
    [code, asOf],
  );
  return new Map(result.rows.map((row) => [row.scheme, fromNumeric(row.balance)]));
}

// The ledger's own audit, in one query: every account's totals equal the sum
// of its postings, and all postings together sum to zero. Lists what is wrong.
export async function ledgerDiscrepancies(db: Runner): Promise<string[]> {
  const drifted = await db.raw<{
    rows: { id: string; debits_posted: string; credits_posted: string; debits: string; credits: string }[];
  }>(`
    select a.id, a.debits_posted, a.credits_posted, coalesce(p.debits, 0) as debits, coalesce(p.credits, 0) as credits
    from ledger_accounts a
    left join (
      select account_id, sum(greatest(amount, 0)) as debits, sum(greatest(-amount, 0)) as credits
      from journal_postings group by account_id
    ) p on p.account_id = a.id
    where a.debits_posted <> coalesce(p.debits, 0) or a.credits_posted <> coalesce(p.credits, 0)
  `);
  const total = await db('journal_postings').first<{ total: string }>(db.raw('coalesce(sum(amount), 0) as total'));
  const problems = drifted.rows.map(
    (row) => `account ${row.id}: totals ${row.debits_posted}/${row.credits_posted} but postings ${row.debits}/${row.credits}`,
  );
  if (!fromNumeric(total.total).isZero()) problems.push(`all postings sum to ${total.total}, not zero`);
  return problems;
}

// ---------------------------------------------------------------- periods

export async function listPeriods(db: Runner): Promise<Periods> {
  const rows = await db('ledger_period_closes')
    .orderBy('closed_through', 'desc')
    .limit(120)
    .select<{ closed_through: string; closed_at: Date; closed_by: string }[]>('closed_through', 'closed_at', 'closed_by');
  return {
    closedThrough: rows[0]?.closed_through ?? null,
    closes: rows.map((row) => ({
      closedThrough: row.closed_through,
      closedAt: row.closed_at.toISOString(),
      closedBy: row.closed_by,
    })),
  };
}

// The day itself, or the first day after the ledger is closed through when the
// day falls in a closed month: where late bookings of a closed month go.
export async function firstOpenDay(db: Runner, day: string): Promise<string> {
  const row = await db('ledger_period_closes').first<{ closed: string | null }>(db.raw('max(closed_through) as closed'));
  return row.closed !== null && day <= row.closed ? addDays(row.closed, 1) : day;
}

// Waits for every entry in flight to commit, then reads the closed date; the
// caller's transaction holds the lock until it commits its close.
export async function lockPeriodsForClose(trx: Knex.Transaction): Promise<string | null> {
  await trx.raw('select pg_advisory_xact_lock(?)', [periodLockKey]);
  const row = await trx('ledger_period_closes').first<{ closed: string | null }>(trx.raw('max(closed_through) as closed'));
  return row.closed;
}

export async function insertClose(trx: Knex.Transaction, closedThrough: string, closedBy: string, requestId: string | null) {
  await trx('ledger_period_closes').insert({ closed_through: closedThrough, closed_by: closedBy, request_id: requestId });
}

// Ledger accounts locked for the rest of the transaction, in id order, so
// that what they hold is read once and then posted against (a payment
// checked against a balance, income drawn on).
export async function lockLedgerAccounts(trx: Knex.Transaction, accountIds: readonly string[]): Promise<void> {
  await trx('ledger_accounts').whereIn('id', accountIds).orderBy('id').forUpdate().select('id');
}

// Whether an entry was already posted under this idempotency key.
export async function entryKeyTaken(trx: Knex.Transaction, idempotencyKey: string): Promise<boolean> {
  return (await trx('journal_entries').where({ idempotency_key: idempotencyKey }).first('id')) !== undefined;
}
