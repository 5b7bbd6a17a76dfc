// What the HTTP benchmarks share: a scratch PostgreSQL database, the service
// started as `npm start` starts it, a light load generator that records each
// request's latency, and pgbench for the bare-SQL limit in the same run.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knex from 'knex';
import { type Database, openDatabase } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';

export const clientsCount = 16;

// A fresh database on the server (DATABASE_URL, or the machine's own), migrated,
// dropped again after `work`.
export async function withScratchDatabase<T>(name: string, work: (database: Database, url: string) => Promise<T>): Promise<T> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `askesos_bench_${name}_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${databaseName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const database = await openDatabase({ backend: 'postgres', url: url.toString(), poolMax: clientsCount + 4 });
  try {
    await migrateLatest(database.db);
    return await work(database, url.toString());
  } finally {
    await database.close();
    // BENCH_KEEP=1 leaves the database behind, to look into a result.
    if (process.env.BENCH_KEEP === undefined) await admin.raw(`drop database if exists ${databaseName} with (force)`);
    else process.stderr.write(`kept database ${databaseName}\n`);
    await admin.destroy();
  }
}

// Approved LPAs straight into the table: the registry's checks are not what
// these benchmarks measure.
export async function insertApprovedLpas(db: Database['db'], count: number): Promise<string[]> {
  const rows = await db('lpas').insert(
    Array.from({ length: count }, (_, index) => ({
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
  return (rows as { id: string }[]).map((row) => row.id);
}

// Participants enrolled as an import would leave them, straight into the
// tables: the registry's own checks are measured by the import benchmark.
// `enrolledOn` is an SQL expression over the series number g.
export async function insertEnrolledParticipants(
  db: Database['db'],
  lpaIds: string | readonly string[],
  count: number,
  enrolledOn: string,
  ruleVersion: string,
): Promise<void> {
  // Several LPAs take the participants in turn.
  const lpas = typeof lpaIds === 'string' ? [lpaIds] : [...lpaIds];
  await db.raw(
    `insert into participants (nik, kk, lpa_id, name, birth_date, sex, marital_status, is_head_of_family, occupation, welfare_status, address)
     select '6210' || lpad(g::text, 12, '0'), '6210' || lpad(g::text, 12, '0'), (?::uuid[])[1 + g % ?], 'Peserta Uji', date '1984-06-12', 'male', 'married',
            true, 'motorbike-taxi-driver', 'poor', 'Jl. Tjilik Riwut km 3'
     from generate_series(1, ?) g`,
    [lpas, lpas.length, count],
  );
  await db.raw(
    `insert into enrolments (participant_id, lpa_id, enrolled_on, status, reasons, rule_scheme, rule_version, rule_hash, facts, events)
     select p.id, p.lpa_id, ${enrolledOn}, 'active', '[]', v.scheme, v.version, v.hash, '{}', '[]'
     from (select id, lpa_id, row_number() over (order by id) as g from participants) p, rule_versions v
     where v.scheme = 'standalone' and v.version = ?`,
    [ruleVersion],
  );
  await db.raw('analyze');
}

// The most memory this process has held (VmHWM), in MB.
export function peakResidentMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kilobytes = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

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

export interface RunningService {
  post(path: string, headers: Record<string, string>, body: unknown): Promise<Answer>;
  stop(): void;
  // SIGKILL, as a machine losing power would; resolves once the process is gone.
  kill(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | null;
}

// The service in a process of its own; BENCH_PROFILE=1 writes its CPU
// profile to /tmp/prof for a look at where the time goes.
export async function startService(databaseUrl: string): Promise<RunningService> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']),
      '--import',
      'tsx',
      'src/app/main.ts',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        DB_POOL_MAX: String(clientsCount + 4),
        SCHEDULER_ENABLED: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // node:http with kept-alive sockets: the load generator should cost the
  // machine as little as pgbench does, so the service gets the CPU.
  const agent = new Agent({ keepAlive: true, maxSockets: clientsCount });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const text = JSON.stringify(body);
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        },
        (response) => {
          let received = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            received += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: received, retryAfter: response.headers['retry-after'] ?? null }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(text);
    });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error('the service did not become ready in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    post,
    stop: () => {
      agent.destroy();
      child.kill('SIGTERM');
    },
    kill: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
      agent.destroy();
    },
  };
}

export interface Driven {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

// Runs `work` from `clients` loops until the time is up.
export async function drive(
  clients: number,
  seconds: number,
  work: (client: number, n: number) => Promise<void>,
): Promise<Driven> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        const begun = performance.now();
        await work(client, n);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), p50Ms: at(0.5), p99Ms: at(0.99) };
}

// pgbench from the same number of clients for the same time: transactions a second.
export function pgbenchRate(url: string, script: string, seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'askesos-bench-'));
  try {
    writeFileSync(join(dir, 'bare.sql'), script);
    const output = execFileSync(
      'pgbench',
      ['-n', '-c', String(clientsCount), '-j', '2', '-T', String(seconds), '-f', join(dir, 'bare.sql'), url],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = /tps = ([0-9.]+)/.exec(output)?.[1];
    if (tps === undefined) throw new Error(`pgbench printed no tps:\n${output}`);
    return Number(tps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
