// The impact replay (askesos rules impact) over a synthetic fund on
// PostgreSQL: BENCH_IMPACT_PARTICIPANTS people (100,000 by default, a tenth
// of them refused, of many ages and welfare statuses, enrolled over 18
// months across 200 LPAs) and BENCH_IMPACT_CLAIMS claims in the window
// (20,000, the target's figure whatever the scale). Target: 1,000,000
// people and 20,000 claims within 60 s. Figures, not assertions.
import { performance } from 'node:perf_hooks';
import { allowanceClaimTypes } from '../src/claims/index.ts';
import { addMonths } from '../src/dates.ts';
import { impactOf } from '../src/impact/impact.ts';
import { impactChunkRowsMax, lookbackMonths } from '../src/impact/model.ts';
import { claimPage, enrolmentPage, withSnapshot } from '../src/impact/store.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { recordFigures } from './bench-results.ts';
import { insertApprovedLpas, insertEnrolledParticipants, peakResidentMb, withScratchDatabase } from './bench-service.ts';

const participantCount = Number(process.env.BENCH_IMPACT_PARTICIPANTS ?? 100_000);
const claimCount = Number(process.env.BENCH_IMPACT_CLAIMS ?? 20_000);
const lpaCount = 200;
const today = '2027-07-15';
const targetSeconds = 60;
const idBeforeAll = '00000000-0000-0000-0000-000000000000';

await withScratchDatabase('impact', async (database) => {
  const { db } = database;
  const book = loadRuleBook('rules');
  await recordPublishedVersions(db, book, 'rules');
  const lpas = await insertApprovedLpas(db, lpaCount);
  const seeding = performance.now();
  await insertEnrolledParticipants(db, lpas, participantCount, `date '2026-02-01' + (g % 540)::int`, '2026.1');
  // Ages from 18 to 67 and every welfare status, so the two books decide many different people; a tenth refused.
  await db.raw(
    `update participants set birth_date = date '1960-01-01' + (abs(hashtext(id::text)) % 18000),
       welfare_status = (array['poor', 'poor', 'near-poor', 'vulnerable', 'not-poor', 'unknown'])[1 + abs(hashtext(nik)) % 6]`,
  );
  await db.raw(
    `update enrolments set status = 'rejected', reasons = '[{"reason": "age_outside_working_age", "explanation": "bench"}]'
     where abs(hashtext(id::text)) % 10 = 0`,
  );
  // Accident claims in the window, filed as refused so that no reserve entry is needed: the replay reads what was filed, not its fate.
  await db.raw(
    `insert into claims (lpa_id, participant_id, enrolment_id, claim_type, incident_date, report_date, details, status, reasons,
       rule_scheme, rule_version, rule_hash, facts, events, trace, idempotency_key, fingerprint, submitted_by)
     select e.lpa_id, e.participant_id, e.id, 'accident', date '2026-08-01' + (n % 340)::int, date '2026-08-01' + (n % 340)::int,
       jsonb_build_object('payout', jsonb_build_object('method', 'cash', 'receivedBy', 'Bench'),
         'documents', jsonb_build_array(
           jsonb_build_object('kind', 'accident-statement', 'number', 'a' || n, 'date', (date '2026-08-01' + (n % 340)::int)::text),
           jsonb_build_object('kind', 'medical-certificate', 'number', 'm' || n, 'date', (date '2026-08-01' + (n % 340)::int)::text))),
       'rejected', '[]', e.rule_scheme, e.rule_version, e.rule_hash, '{}', '[]', '[]', 'bench-' || n, repeat('0', 64), 'bench'
     from (select *, row_number() over (order by id) as n from enrolments where status = 'active' limit ?) e`,
    [claimCount],
  );
  await db.raw('analyze');
  process.stdout.write(
    `seeded ${participantCount.toLocaleString('en')} people and ${claimCount.toLocaleString('en')} claims in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`,
  );

  const started = performance.now();
  const impact = await impactOf(db, book, { scheme: 'standalone', version: '2027.3', today }, async () => {});
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `impact of standalone/2027.3 as of ${today}: ${impact.eligibility.decided.toLocaleString('en')} people, ${impact.claims.replayed.toLocaleString('en')} claims in ${seconds.toFixed(1)} s (target ${targetSeconds} s at 1,000,000 people and 20,000 claims); peak ${peakResidentMb()} MB\n`,
  );
  // The bare limit: the same rows read by the same paged queries in one
  // snapshot, nothing decided.
  const scanning = performance.now();
  const scanned = await withSnapshot(db, async (trx) => {
    let rows = 0;
    for (let after = idBeforeAll; ;) {
      const page = await enrolmentPage(trx, 'standalone', after, impactChunkRowsMax);
      rows += page.length;
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.participantId;
    }
    const window = { scheme: 'standalone', from: `${addMonths(today, 1 - lookbackMonths)}-01`, to: today, allowanceClaimTypes };
    for (let after = idBeforeAll; ;) {
      const page = await claimPage(trx, window, after, impactChunkRowsMax);
      rows += page.length;
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.id;
    }
    return rows;
  });
  const bareSeconds = (performance.now() - scanning) / 1000;
  process.stdout.write(
    `bare scan of the same ${scanned.toLocaleString('en')} rows (the same paged queries, one snapshot, nothing decided): ${bareSeconds.toFixed(1)} s; the replay takes ${(seconds / bareSeconds).toFixed(2)} × it\n`,
  );
  recordFigures([
    {
      bench: 'impact',
      name: `impact replay, ${participantCount.toLocaleString('en')} people and ${claimCount.toLocaleString('en')} claims`,
      value: Number(seconds.toFixed(2)),
      unit: 's',
      limit: Number(bareSeconds.toFixed(2)),
      limitName: 'bare scan of the same rows',
      target: `${targetSeconds} s at 1,000,000 people`,
      scale: participantCount,
    },
    { bench: 'impact', name: 'impact replay peak memory', value: peakResidentMb(), unit: 'MB', scale: participantCount },
  ]);
});
