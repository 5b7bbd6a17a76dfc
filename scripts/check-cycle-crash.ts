// The premium cycle's crash and replica check, run by CI on PostgreSQL:
// three service processes (as `npm start` runs them, scheduler on) start on
// one database of CHECK_PARTICIPANTS (default 200,000) enrolments and catch
// up the month's cycle; all three are killed with SIGKILL half-way; three
// start again. The cycle must complete with every enrolment booked exactly
// once, one run recorded, and a ledger that balances. Exits 1 when not.
import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { todayIn } from '../src/clock.ts';
import { chart } from '../src/ledger/chart.ts';
import { ledgerDiscrepancies, trialBalance } from '../src/ledger/store.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { insertApprovedLpas, insertEnrolledParticipants, withScratchDatabase } from './bench-service.ts';

const participantsCount = Number(process.env.CHECK_PARTICIPANTS ?? 200_000);
const timezone = 'Asia/Jakarta';
// The replicas run today's month, as a service started today would.
const period = todayIn(timezone).slice(0, 7);
const replicasCount = 3;
const secondsMax = 300;

// Every replica started, so none outlives a failed check.
const started: ChildProcess[] = [];
process.on('exit', () => {
  for (const replica of started) if (replica.exitCode === null) replica.kill('SIGKILL');
});

function startReplica(url: string): ChildProcess {
  const replica = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      SCHEDULER_ENABLED: 'true',
      TIMEZONE: timezone,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.push(replica);
  return replica;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const failures = await withScratchDatabase('crash', async ({ db }, url) => {
  const rulesDir = process.env.RULES_DIR ?? 'rules';
  await recordPublishedVersions(db, loadRuleBook(rulesDir), rulesDir);
  const [lpaId = ''] = await insertApprovedLpas(db, 1);
  // Enrolled within the last year: no anniversary, so the re-check has nothing to do.
  await insertEnrolledParticipants(db, lpaId, participantsCount, "date '2026-01-01' + (g % 300)::int", '2026.1');
  const dues = async () =>
    Number(
      (
        await db('premium_dues')
          .where({ period: `${period}-01` })
          .count<{ count: string }[]>({ count: '*' })
      )[0]?.count,
    );
  const startedAt = performance.now();
  const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

  let replicas = Array.from({ length: replicasCount }, () => startReplica(url));
  const before = await (async () => {
    for (;;) {
      const booked = await dues();
      if (booked >= participantsCount / 10) return booked;
      if (performance.now() - startedAt > secondsMax * 1000) throw new Error(`no dues booked in ${secondsMax} s`);
      await sleep(20);
    }
  })();
  for (const replica of replicas) replica.kill('SIGKILL');
  await Promise.all(replicas.map((replica) => new Promise((resolve) => replica.once('exit', resolve))));
  const killedAt = await dues();
  const runAfterKill = await db('job_runs').where({ job: 'premium-cycle', period }).first('status');
  process.stdout.write(
    `${seconds()} s: ${replicasCount} replicas killed (SIGKILL) with ${killedAt.toLocaleString('en')} of ${participantsCount.toLocaleString('en')} dues of ${period} booked (seen ${before.toLocaleString('en')}); run left ${runAfterKill?.status}\n`,
  );

  replicas = Array.from({ length: replicasCount }, () => startReplica(url));
  for (;;) {
    const run = await db('job_runs').where({ job: 'premium-cycle', period }).first<{ status: string } | undefined>('status');
    if (run?.status === 'done') break;
    if (performance.now() - startedAt > secondsMax * 1000) throw new Error(`the cycle did not complete in ${secondsMax} s`);
    await sleep(100);
  }
  for (const replica of replicas) replica.kill('SIGTERM');
  await Promise.all(replicas.map((replica) => new Promise((resolve) => replica.once('exit', resolve))));
  process.stdout.write(`${seconds()} s: restarted ${replicasCount} replicas; the cycle of ${period} is done\n`);

  const problems: string[] = [];
  if (killedAt >= participantsCount) problems.push('the kill came after the cycle had finished: nothing was cut off');
  if (runAfterKill?.status !== 'running') problems.push(`after the kill the run was ${runAfterKill?.status}, not running`);
  const booked = await db('premium_dues')
    .where({ period: `${period}-01` })
    .first<{ dues: string; enrolments: string; premium: string | null }>(
      db.raw('count(*) as dues'),
      db.raw('count(distinct enrolment_id) as enrolments'),
      db.raw('sum(premium) as premium'),
    );
  if (Number(booked?.dues) !== participantsCount || Number(booked?.enrolments) !== participantsCount)
    problems.push(`dues: ${booked?.dues} for ${booked?.enrolments} enrolments, expected ${participantsCount} each`);
  const posted = await db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('ledger_accounts as a', 'a.id', 'p.account_id')
    .where({ 'e.reference_type': 'premium-cycle', 'e.reference_id': period, 'a.code': chart.unearnedPremiumReserve.code })
    .first<{ total: string | null }>(db.raw('-sum(p.amount) as total'));
  if (posted?.total !== booked?.premium) problems.push(`unearned premium booked ${posted?.total}, dues total ${booked?.premium}`);
  const runs = await db('job_runs').where({ job: 'premium-cycle' }).select('period', 'status');
  if (runs.length !== 1 || runs[0]?.status !== 'done') problems.push(`premium-cycle runs: ${JSON.stringify(runs)}`);
  problems.push(...(await ledgerDiscrepancies(db)));
  const { totals } = await trialBalance(db, null);
  if (totals.balance !== '0.00' || totals.debits !== totals.credits)
    problems.push(`trial balance: debits ${totals.debits}, credits ${totals.credits}`);
  process.stdout.write(
    `dues ${Number(booked?.dues).toLocaleString('en')} for ${Number(booked?.enrolments).toLocaleString('en')} enrolments, premium ${booked?.premium}, unearned premium booked ${posted?.total}; trial balance debits ${totals.debits} = credits ${totals.credits}\n`,
  );
  return problems;
});

if (failures.length > 0) {
  process.stderr.write(`CRASH CHECK FAILED:\n${failures.map((problem) => `  ${problem}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('crash check passed: every enrolment booked exactly once, one run, the ledger balances\n');
