// The ledger benchmark: two-line journal entries posted through the HTTP API
// by 16 concurrent clients, against the service running as `npm start` runs
// it, on PostgreSQL; beside it, in the same run and on the same server, the
// bare-SQL limit: pgbench doing the same inserts and balance updates on plain
// tables with no checks. Also postEntry called directly, to show what HTTP costs.
import { recordFigures } from './bench-results.ts';
import { createApiKey } from '../src/auth/keys.ts';
import { chart } from '../src/ledger/chart.ts';
import { openAccount } from '../src/ledger/accounts.ts';
import { postEntry } from '../src/ledger/post.ts';
import { amount } from '../src/money/index.ts';
import { clientsCount, drive, insertApprovedLpas, pgbenchRate, startService, withScratchDatabase } from './bench-service.ts';
import { mulberry32 } from './synthetic-extract.ts';

const accountsCount = 500;
const secondsPerRun = Number(process.env.BENCH_LEDGER_SECONDS ?? 15);
const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
const random = mulberry32(2026);

// Two distinct accounts and an amount, as a client would pick them.
function transfer(accountIds: readonly string[]): { debit: string; credit: string; rupiah: string } {
  const debit = Math.floor(random() * accountIds.length);
  const credit = (debit + 1 + Math.floor(random() * (accountIds.length - 1))) % accountIds.length;
  return {
    debit: accountIds[debit] as string,
    credit: accountIds[credit] as string,
    rupiah: `${1 + Math.floor(random() * 100_000)}.00`,
  };
}

const bareTables = `
create table bare_accounts (id integer primary key, debits numeric(20, 2) not null default 0,
  credits numeric(20, 2) not null default 0, count bigint not null default 0);
insert into bare_accounts (id) select generate_series(1, ${accountsCount});
create table bare_entries (id bigint generated always as identity primary key, entry_date date not null,
  description text not null, reference_type text not null, reference_id text not null, idempotency_key text not null unique);
create table bare_postings (id bigint generated always as identity primary key, entry_id bigint not null
  references bare_entries (id), account_id integer not null references bare_accounts (id), entry_date date not null,
  amount numeric(17, 2) not null);
create index bare_postings_account on bare_postings (account_id, entry_date, id);
`;

const bareEntry = `
\\set a random(1, ${accountsCount})
\\set b 1 + (:a + random(0, ${accountsCount - 2})) % ${accountsCount}
\\set rupiah random(1, 100000)
begin;
insert into bare_entries (entry_date, description, reference_type, reference_id, idempotency_key)
  values (current_date, 'bench', 'bench', 'bench', gen_random_uuid()::text) returning id \\gset
insert into bare_postings (entry_id, account_id, entry_date, amount)
  values (:id, :a, current_date, :rupiah), (:id, :b, current_date, -:rupiah);
update bare_accounts
  set debits = debits + case when id = :a then :rupiah else 0 end,
      credits = credits + case when id = :b then :rupiah else 0 end,
      count = count + 1
  where id in (:a, :b);
commit;
`;

const lines = await withScratchDatabase('ledger', async ({ db }, url) => {
  // One LPA per two accounts: each LPA's honorarium payable and loan interest income.
  const lpaIds = await insertApprovedLpas(db, accountsCount / 2);
  const accountIds: string[] = [];
  for (const id of lpaIds)
    for (const code of [chart.lpaHonorariumPayable.code, chart.loanInterestIncome.code])
      accountIds.push((await openAccount(db, { code, lpaId: id }, actor)).account.id);
  const { secret } = await createApiKey(db, { name: 'bench finance', role: 'finance' }, actor);

  const service = await startService(url);
  const post = async (client: number, n: number, round: string) => {
    const { debit, credit, rupiah } = transfer(accountIds);
    const response = await service.post(
      '/v1/ledger/entries',
      { authorization: `Bearer ${secret}`, 'idempotency-key': `${round}-${client}-${n}` },
      {
        entryDate: '2026-11-25',
        description: 'Honorarium accrual',
        reference: { type: 'bench', id: `${client}-${n}` },
        postings: [
          { accountId: debit, amount: rupiah },
          { accountId: credit, amount: `-${rupiah}` },
        ],
      },
    );
    if (response.status !== 201) throw new Error(`POST /v1/ledger/entries answered ${response.status}: ${response.body}`);
  };
  let api;
  try {
    await drive(clientsCount, 2, (client, n) => post(client, n, 'warm'));
    api = await drive(clientsCount, secondsPerRun, (client, n) => post(client, n, 'api'));
  } finally {
    service.stop();
  }

  const direct = await drive(clientsCount, secondsPerRun, async (client, n) => {
    const { debit, credit, rupiah } = transfer(accountIds);
    await postEntry(
      db,
      {
        entryDate: '2026-11-25',
        description: 'Honorarium accrual',
        reference: { type: 'bench', id: `${client}-${n}` },
        rule: null,
        idempotencyKey: `direct-${client}-${n}`,
        postings: [
          { accountId: debit, amount: amount(rupiah) },
          { accountId: credit, amount: amount(rupiah).negated() },
        ],
      },
      { postedBy: 'bench', requestId: null },
    );
  });

  await db.raw(bareTables);
  const bare = pgbenchRate(url, bareEntry, secondsPerRun);
  const trial = await db('journal_postings').first<{ total: string }>(db.raw('sum(amount) as total'));
  const column = (rate: number) => `${Math.round(rate).toLocaleString('en').padStart(7)} entries/s`;
  const pgbench = { limit: bare, limitName: 'bare SQL (pgbench)' };
  recordFigures([
    {
      bench: 'ledger',
      name: 'POST /v1/ledger/entries',
      value: api.perSecond,
      unit: '/s',
      ...pgbench,
      target: '≥ 50 % of bare',
      met: api.perSecond >= bare / 2,
    },
    { bench: 'ledger', name: 'POST /v1/ledger/entries p99', value: api.p99Ms, unit: 'ms' },
    { bench: 'ledger', name: 'postEntry direct', value: direct.perSecond, unit: '/s', ...pgbench },
  ]);
  return [
    `Ledger: two-line entries, ${clientsCount} concurrent clients, ${secondsPerRun} s each, ${accountsCount} accounts, PostgreSQL:`,
    `  POST /v1/ledger/entries (HTTP, auth, zod, idempotency)  ${column(api.perSecond)}   p50 ${api.p50Ms.toFixed(1)} ms, p99 ${api.p99Ms.toFixed(1)} ms`,
    `  postEntry called directly (no HTTP)                     ${column(direct.perSecond)}`,
    `  bare SQL, pgbench (same inserts and balance updates)    ${column(bare)}   (the limit: no checks, no triggers)`,
    `  API / bare: ${((api.perSecond / bare) * 100).toFixed(0)} %; target ≥ 50 %: ${api.perSecond >= bare / 2 ? 'met' : 'NOT met'}`,
    `  all postings sum to ${trial.total ?? '0'} after the run`,
    '',
  ];
});
process.stdout.write(lines.join('\n'));
