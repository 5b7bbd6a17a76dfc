// The ledger benchmark: two-line journal entries posted through the HTTP API
// by 16 concurrent clients, against the service running as `npm start` runs
// it, on PostgreSQL; beside it, in the same run and on the same server, the
// bare-SQL limit: pgbench doing the same inserts and balance updates on plain
// tables with no checks. Also postEntry called directly, to show what HTTP costs.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knex from 'knex';
import { createApiKey } from '../src/auth/keys.ts';
import { openDatabase } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { openAccount } from '../src/ledger/accounts.ts';
import { postEntry } from '../src/ledger/post.ts';
import { amount } from '../src/money/index.ts';
import { mulberry32 } from './synthetic-extract.ts';

const clientsCount = 16;
const accountsCount = 500;
const secondsPerRun = Number(process.env.BENCH_LEDGER_SECONDS ?? 15);
const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
const random = mulberry32(2026);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

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

// Runs `work` from `clients` loops until the time is up; entries per second.
async function drive(clients: number, seconds: number, work: (client: number, n: number) => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        await work(client, n);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

// node:http with kept-alive sockets: the load generator should cost the
// machine as little as pgbench does, so the service gets the CPU.
const agent = new Agent({ keepAlive: true, maxSockets: clientsCount });
function postJson(
  port: number,
  path: string,
  options: { headers: Record<string, string>; body: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

async function waitUntilReady(base: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not become ready in 60 s');
}

const bareScript = `
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

async function bareRate(url: string, db: knex.Knex): Promise<number> {
  await db.raw(`create table bare_accounts (id integer primary key, debits numeric(20, 2) not null default 0,
    credits numeric(20, 2) not null default 0, count bigint not null default 0)`);
  await db.raw(`insert into bare_accounts (id) select generate_series(1, ${accountsCount})`);
  await db.raw(`create table bare_entries (id bigint generated always as identity primary key, entry_date date not null,
    description text not null, reference_type text not null, reference_id text not null, idempotency_key text not null unique)`);
  await db.raw(`create table bare_postings (id bigint generated always as identity primary key, entry_id bigint not null
    references bare_entries (id), account_id integer not null references bare_accounts (id), entry_date date not null,
    amount numeric(17, 2) not null)`);
  await db.raw('create index bare_postings_account on bare_postings (account_id, entry_date, id)');
  const dir = mkdtempSync(join(tmpdir(), 'askesos-bench-ledger-'));
  try {
    writeFileSync(join(dir, 'entry.sql'), bareScript);
    const output = execFileSync(
      'pgbench',
      ['-n', '-c', String(clientsCount), '-j', '2', '-T', String(secondsPerRun), '-f', join(dir, 'entry.sql'), url],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = /tps = ([0-9.]+)/.exec(output)?.[1];
    if (tps === undefined) throw new Error(`pgbench printed no tps:\n${output}`);
    return Number(tps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchLedger(serverUrl: string): Promise<string[]> {
  const databaseName = `askesos_bench_ledger_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${databaseName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const database = await openDatabase({ backend: 'postgres', url: url.toString(), poolMax: clientsCount + 4 });
  let service: ReturnType<typeof spawn> | null = null;
  try {
    await migrateLatest(database.db);
    // One LPA per two accounts: each LPA's honorarium payable and loan interest income.
    const lpaIds = await database.db('lpas').insert(
      Array.from({ length: accountsCount / 2 }, (_, index) => ({
        name: `Bench LPA ${index + 1}`,
        type: 'association',
        regency_code: '6210',
        contact_name: 'Bench',
        contact_phone: '0812000000',
        bank_name: 'Bank',
        bank_account_number: '0123456789',
        accreditation: 'none',
        status: 'approved',
        proposed_by: 'bench',
      })),
      ['id'],
    );
    const accountIds: string[] = [];
    for (const { id } of lpaIds as { id: string }[])
      for (const code of ['2400', '4200'])
        accountIds.push((await openAccount(database.db, { code, lpaId: id }, actor)).account.id);
    const { secret } = await createApiKey(database.db, { name: 'bench finance', role: 'finance' }, actor);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = spawn(
      process.execPath,
      [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', 'src/main.ts'],
      {
        env: {
          ...process.env,
          DATABASE_URL: url.toString(),
          PORT: String(port),
          HOST: '127.0.0.1',
          DB_POOL_MAX: String(clientsCount + 4),
          SCHEDULER_ENABLED: 'false',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await waitUntilReady(base);

    const post = async (client: number, n: number, round: string) => {
      const { debit, credit, rupiah } = transfer(accountIds);
      const response = await postJson(port, '/v1/ledger/entries', {
        headers: { authorization: `Bearer ${secret}`, 'idempotency-key': `${round}-${client}-${n}` },
        body: JSON.stringify({
          entryDate: '2026-11-25',
          description: 'Honorarium accrual',
          reference: { type: 'bench', id: `${client}-${n}` },
          postings: [
            { accountId: debit, amount: rupiah },
            { accountId: credit, amount: `-${rupiah}` },
          ],
        }),
      });
      if (response.status !== 201) throw new Error(`POST /v1/ledger/entries answered ${response.status}: ${response.body}`);
    };
    await drive(clientsCount, 2, (client, n) => post(client, n, 'warm'));
    const apiRate = await drive(clientsCount, secondsPerRun, (client, n) => post(client, n, 'api'));
    service.kill('SIGTERM');
    service = null;

    const directRate = await drive(clientsCount, secondsPerRun, async (client, n) => {
      const { debit, credit, rupiah } = transfer(accountIds);
      await postEntry(
        database.db,
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

    const bare = await bareRate(url.toString(), database.db);
    const trial = await database.db('journal_postings').first<{ total: string }>(database.db.raw('sum(amount) as total'));
    const column = (rate: number) => `${Math.round(rate).toLocaleString('en').padStart(7)} entries/s`;
    return [
      `Ledger: two-line entries, ${clientsCount} concurrent clients, ${secondsPerRun} s each, ${accountsCount} accounts, PostgreSQL:`,
      `  POST /v1/ledger/entries (HTTP, auth, zod, idempotency)  ${column(apiRate)}`,
      `  postEntry called directly (no HTTP)                     ${column(directRate)}`,
      `  bare SQL, pgbench (same inserts and balance updates)    ${column(bare)}   (the limit: no checks, no triggers)`,
      `  API / bare: ${((apiRate / bare) * 100).toFixed(0)} %; target ≥ 50 %: ${apiRate >= bare / 2 ? 'met' : 'NOT met'}`,
      `  all postings sum to ${trial.total ?? '0'} after the run`,
      '',
    ];
  } finally {
    agent.destroy();
    service?.kill('SIGTERM');
    await database.close();
    await admin.raw(`drop database if exists ${databaseName} with (force)`);
    await admin.destroy();
  }
}

// PostgreSQL from DATABASE_URL, or the machine's own; a scratch database is
// made and dropped again.
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
process.stdout.write((await benchLedger(serverUrl)).join('\n'));
