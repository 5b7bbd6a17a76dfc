// The claims benchmark: claims filed through the HTTP API by 16 concurrent
// LPA clients against the service on PostgreSQL with 100,000 enrolled
// participants; claims a second with p50 and p99 latency, beside pgbench
// running a bare transaction with the same reads and writes on plain tables
// (participant, enrolment lock, claim count, claim row, two postings, the two
// fund balances) in the same run.
import { recordFigures } from './bench-results.ts';
import { createApiKey } from '../src/auth/keys.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import {
  clientsCount,
  drive,
  insertApprovedLpas,
  insertEnrolledParticipants,
  pgbenchRate,
  startService,
  withScratchDatabase,
} from './bench-service.ts';
import { mulberry32 } from './synthetic-extract.ts';

const participantsCount = Number(process.env.BENCH_CLAIMS_PARTICIPANTS ?? 100_000);
const secondsPerRun = Number(process.env.BENCH_CLAIMS_SECONDS ?? 15);
const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
const random = mulberry32(2026);

// What an LPA files on an ordinary day: mostly sickness, some accidents and
// medical bills, against any participant.
function claimFor(participantId: string): Record<string, unknown> {
  const roll = random();
  const common = {
    participantId,
    incidentDate: '2026-11-01',
    reportDate: '2026-11-03',
    payout: { method: 'cash', receivedBy: 'Bench' },
  };
  if (roll < 0.7) return { ...common, claimType: 'sickness', sicknessDays: 5 + Math.floor(random() * 6) };
  if (roll < 0.9) return { ...common, claimType: 'accident' };
  return { ...common, claimType: 'accident-medical', costClaimed: `${100_000 + Math.floor(random() * 9_000_000)}.00` };
}

const bareTables = `
create table bare_ids as select row_number() over (order by p.id)::integer as n, p.id as participant_id, e.id as enrolment_id
  from participants p join enrolments e on e.participant_id = p.id;
alter table bare_ids add primary key (n);
create table bare_claims (id uuid primary key default gen_random_uuid(), participant_id uuid not null, enrolment_id uuid not null,
  claim_type text not null, status text not null, amount numeric(17, 2), decision jsonb not null, idempotency_key text not null unique);
create index bare_claims_enrolment on bare_claims (enrolment_id, status);
create table bare_accounts (id integer primary key, debits numeric(20, 2) not null default 0, credits numeric(20, 2) not null default 0);
insert into bare_accounts (id) values (1), (2);
create table bare_entries (id bigint generated always as identity primary key, reference_id text not null, idempotency_key text not null unique);
create table bare_postings (id bigint generated always as identity primary key, entry_id bigint not null references bare_entries (id),
  account_id integer not null references bare_accounts (id), amount numeric(17, 2) not null);
`;

// pgbench substitutes variables as text, so the uuids are looked up by n in each statement.
const bareClaim = `
\\set n random(1, ${participantsCount})
begin;
select lpa_id from participants where id = (select participant_id from bare_ids where n = :n);
select id from enrolments where id = (select enrolment_id from bare_ids where n = :n) for update;
select count(*) from bare_claims where enrolment_id = (select enrolment_id from bare_ids where n = :n) and status = 'approved';
insert into bare_entries (reference_id, idempotency_key) values ('bench', gen_random_uuid()::text) returning id \\gset
insert into bare_postings (entry_id, account_id, amount) values (:id, 1, 500000), (:id, 2, -500000);
update bare_accounts set debits = debits + 500000 where id = 1;
update bare_accounts set credits = credits + 500000 where id = 2;
insert into bare_claims (participant_id, enrolment_id, claim_type, status, amount, decision, idempotency_key)
  select participant_id, enrolment_id, 'sickness', 'approved', 500000, '{}', gen_random_uuid()::text from bare_ids where n = :n;
commit;
`;

const lines = await withScratchDatabase('claims', async ({ db }, url) => {
  const book = loadRuleBook(process.env.RULES_DIR ?? 'rules');
  await recordPublishedVersions(db, book, process.env.RULES_DIR ?? 'rules');
  const [lpaId = ''] = await insertApprovedLpas(db, 1);
  await insertEnrolledParticipants(db, lpaId, participantsCount, "date '2026-01-15'", '2026.1');
  const participantIds = await db('participants').pluck<string[]>('id');
  const { secret } = await createApiKey(db, { name: 'bench lpa', role: 'lpa', lpaId }, actor);

  const service = await startService(url);
  const statuses = new Map<string, number>();
  const file = async (client: number, n: number, round: string) => {
    const participantId = participantIds[Math.floor(random() * participantIds.length)] as string;
    const response = await service.post(
      '/v1/claims',
      { authorization: `Bearer ${secret}`, 'idempotency-key': `${round}-${client}-${n}` },
      claimFor(participantId),
    );
    if (response.status !== 201) throw new Error(`POST /v1/claims answered ${response.status}: ${response.body}`);
    const status = (JSON.parse(response.body) as { status: string }).status;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };
  let api;
  try {
    await drive(clientsCount, 2, (client, n) => file(client, n, 'warm'));
    statuses.clear();
    api = await drive(clientsCount, secondsPerRun, (client, n) => file(client, n, 'api'));
  } finally {
    service.stop();
  }

  await db.raw(bareTables);
  const bare = pgbenchRate(url, bareClaim, secondsPerRun);
  const column = (rate: number) => `${Math.round(rate).toLocaleString('en').padStart(6)} claims/s`;
  recordFigures([
    {
      bench: 'claims',
      name: 'POST /v1/claims',
      value: api.perSecond,
      unit: '/s',
      limit: bare,
      limitName: 'bare SQL (pgbench)',
      target: '≥ 600/s',
      met: api.perSecond >= 600,
      scale: participantsCount,
    },
    { bench: 'claims', name: 'POST /v1/claims p50', value: api.p50Ms, unit: 'ms', scale: participantsCount },
    {
      bench: 'claims',
      name: 'POST /v1/claims p99',
      value: api.p99Ms,
      unit: 'ms',
      target: '< 150 ms',
      met: api.p99Ms < 150,
      scale: participantsCount,
    },
  ]);
  return [
    `Claims: ${clientsCount} concurrent LPA clients, ${secondsPerRun} s, ${participantsCount.toLocaleString('en')} enrolled participants, PostgreSQL:`,
    `  POST /v1/claims (HTTP, auth, zod, rules, reserve entry)  ${column(api.perSecond)}   p50 ${api.p50Ms.toFixed(1)} ms, p99 ${api.p99Ms.toFixed(1)} ms   (${[...statuses].map(([status, count]) => `${count} ${status}`).join(', ')})`,
    `  bare SQL, pgbench (same reads and writes)               ${column(bare)}   (the limit: no rules, no checks, no triggers)`,
    `  targets ≥ 600 claims/s: ${api.perSecond >= 600 ? 'met' : 'NOT met'}; p99 < 150 ms: ${api.p99Ms < 150 ? 'met' : 'NOT met'}`,
    '',
  ];
});
process.stdout.write(lines.join('\n'));
