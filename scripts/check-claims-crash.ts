// Claims under SIGKILL, run by CI on PostgreSQL: an LPA files CHECK_CLAIMS
// (default 3,000) claims from 16 clients at once, each under its own
// Idempotency-Key; the service is killed with SIGKILL part-way, started
// again, and every request is sent again under the same key. Every claim
// must exist exactly once, one acknowledged before the kill must come back
// as the same claim, each must have exactly one reserve entry, and the
// ledger must balance. Exits 1 when not.
import { performance } from 'node:perf_hooks';
import { createApiKey } from '../src/auth/keys.ts';
import { ledgerDiscrepancies, trialBalance } from '../src/ledger/store.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { insertApprovedLpas, insertEnrolledParticipants, startService, withScratchDatabase } from './bench-service.ts';

const claimsCount = Number(process.env.CHECK_CLAIMS ?? 3_000);
const clients = 16;
const actor = { actor: 'crash-check', actorRole: 'operator' as const, actorKeyId: null, requestId: null };

const failures = await withScratchDatabase('claims_crash', async ({ db }, url) => {
  const rulesDir = process.env.RULES_DIR ?? 'rules';
  await recordPublishedVersions(db, loadRuleBook(rulesDir), rulesDir);
  const [lpaId = ''] = await insertApprovedLpas(db, 1);
  await insertEnrolledParticipants(db, lpaId, claimsCount, "date '2026-01-15'", '2026.1');
  const participants = await db('participants').orderBy('id').pluck<string[]>('id');
  const { secret } = await createApiKey(db, { name: 'crash lpa', role: 'lpa', lpaId }, actor);
  const claim = (index: number) => ({
    participantId: participants[index],
    claimType: 'sickness',
    sicknessDays: 5 + (index % 6),
    incidentDate: '2026-11-01',
    reportDate: '2026-11-03',
    payout: { method: 'cash', receivedBy: 'Crash check' },
  });
  const headers = (index: number) => ({ authorization: `Bearer ${secret}`, 'idempotency-key': `crash-claim-${index}` });
  const startedAt = performance.now();
  const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

  // Before the kill: what the service acknowledged, key by key.
  const acknowledged = new Map<number, string>();
  let service = await startService(url);
  let next = 0;
  const killAfter = Math.floor(claimsCount / 3);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < claimsCount) {
        const index = next;
        next += 1;
        try {
          const response = await service.post('/v1/claims', headers(index), claim(index));
          if (response.status === 201) acknowledged.set(index, (JSON.parse(response.body) as { id: string }).id);
        } catch {
          // The connection died with the service: the outcome is unknown, which the retry settles.
          return;
        }
        if (acknowledged.size === killAfter) await service.kill();
      }
    }),
  );
  const claimsAtKill = Number((await db('claims').count<{ count: string }[]>({ count: '*' }))[0]?.count);
  process.stdout.write(
    `${seconds()} s: service killed (SIGKILL) after ${acknowledged.size.toLocaleString('en')} acknowledged claims, ${claimsAtKill.toLocaleString('en')} committed, of ${claimsCount.toLocaleString('en')}\n`,
  );

  // After: every request again, under its key.
  service = await startService(url);
  const problems: string[] = [];
  next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < claimsCount) {
        const index = next;
        next += 1;
        let response = await service.post('/v1/claims', headers(index), claim(index));
        // A key its dead holder left at work is free again once its hold runs out, as the 409 says.
        while (response.status === 409 && response.retryAfter !== null) {
          await new Promise((resolve) => setTimeout(resolve, Number(response.retryAfter) * 1000));
          response = await service.post('/v1/claims', headers(index), claim(index));
        }
        if (response.status !== 201) {
          problems.push(`claim ${index} answered ${response.status} after the restart: ${response.body.slice(0, 200)}`);
          continue;
        }
        const id = (JSON.parse(response.body) as { id: string }).id;
        const before = acknowledged.get(index);
        if (before !== undefined && before !== id) problems.push(`claim ${index} was ${before} before the kill and ${id} after`);
      }
    }),
  );
  service.stop();
  process.stdout.write(`${seconds()} s: restarted and sent all ${claimsCount.toLocaleString('en')} again under their keys\n`);

  if (claimsAtKill >= claimsCount) problems.push('the kill came after every claim was in: nothing was cut off');
  const stored = await db('claims').first<{ claims: string; keys: string }>(
    db.raw('count(*) as claims'),
    db.raw('count(distinct idempotency_key) as keys'),
  );
  if (Number(stored?.claims) !== claimsCount || Number(stored?.keys) !== claimsCount)
    problems.push(`claims: ${stored?.claims} under ${stored?.keys} keys, expected ${claimsCount} each`);
  const reserves = await db.raw<{ rows: { entries: string; claims: string }[] }>(
    `select count(*) as entries, count(distinct reference_id) as claims from journal_entries where reference_type = 'claim'`,
  );
  const [reserve] = reserves.rows;
  const approved = Number(
    (await db('claims').whereIn('status', ['approved', 'paid']).count<{ count: string }[]>({ count: '*' }))[0]?.count,
  );
  if (Number(reserve?.entries) !== approved || Number(reserve?.claims) !== approved)
    problems.push(
      `reserve entries: ${reserve?.entries} for ${reserve?.claims} claims, expected one for each of ${approved} approved`,
    );
  problems.push(...(await ledgerDiscrepancies(db)));
  const { totals } = await trialBalance(db, null);
  if (totals.balance !== '0.00' || totals.debits !== totals.credits)
    problems.push(`trial balance: debits ${totals.debits}, credits ${totals.credits}`);
  process.stdout.write(
    `claims ${stored?.claims} under ${stored?.keys} keys; ${reserve?.entries} reserve entries for ${approved} approved; trial balance debits ${totals.debits} = credits ${totals.credits}\n`,
  );
  return problems;
});

if (failures.length > 0) {
  process.stderr.write(`CLAIMS CRASH CHECK FAILED:\n${failures.map((problem) => `  ${problem}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  'claims crash check passed: every claim once, the acknowledged ones unchanged, one reserve each, the ledger balances\n',
);
