// npm run bench: eligibility throughput of the rule paths over 100,000
// generated participants, beside the bare-SQL limit measured in the same run.
// (The import benchmark, scripts/bench-import.ts, runs after it in a process
// of its own, so its memory peak is its own.) Figures, not assertions.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/knex.ts';
import type { Facts } from '../src/rules/compile.ts';
import { versionInForce } from '../src/rules/evaluate.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { newReferenceEngine } from '../src/rules/reference.ts';
import { recordFigures } from './bench-results.ts';
import { mulberry32 } from './synthetic-extract.ts';

const participantCount = Number(process.env.BENCH_ELIGIBILITY_PARTICIPANTS ?? 100_000);
const engineSampleCount = 20_000;
const batchSize = 1_000;

// A fixed seed, so every run measures the same population.
const random = mulberry32(2026);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const participants: Facts[] = Array.from({ length: participantCount }, () => ({
  age: 14 + Math.floor(random() * 56),
  maritalStatus: pick(['single', 'married', 'married', 'divorced', 'widowed']),
  isHeadOfFamily: random() < 0.7,
  sector: random() < 0.85 ? 'informal' : 'formal',
  welfareStatus: pick(['poor', 'poor', 'near-poor', 'vulnerable', 'not-poor', 'unknown']),
  // Every eligibility fact the catalogue names, as an enrolment gives them;
  // the standalone rules measured here do not read these two.
  willingToSave: pick([true, false, null]),
  attendsMonthlyMeeting: pick([true, false, null]),
}));

const book = loadRuleBook(process.env.RULES_DIR ?? 'rules');
const version = versionInForce(book, 'standalone', '2026-11-25');
const rules = version.areas.eligibility.rules;
const compiled = version.compiled.eligibility;

// The same policy written by hand, as the ceiling for any interpreter.
function handWritten(facts: Facts): number {
  let reasons = 0;
  const age = facts.age as number;
  if (age < 18 || age > 55) reasons += 1;
  if (facts.isHeadOfFamily === false) reasons += 1;
  if (facts.sector === 'formal') reasons += 1;
  // Standalone takes the vulnerable to poverty too (rentan miskin): only the not-poor are refused.
  if (facts.welfareStatus === 'not-poor') reasons += 1;
  if (facts.welfareStatus === 'unknown') reasons += 1;
  return reasons;
}

function rate(count: number, milliseconds: number): number {
  return Math.round((count / milliseconds) * 1000);
}

function timeSync(passes: number, work: () => number): { perSecond: number; check: number } {
  work();
  const started = performance.now();
  let check = 0;
  for (let pass = 0; pass < passes; pass += 1) check += work();
  return { perSecond: rate(participantCount * passes, performance.now() - started), check };
}

async function main(): Promise<void> {
  const compiledRun = timeSync(5, () => participants.reduce((total, facts) => total + compiled.events(facts).length, 0));
  const handRun = timeSync(20, () => participants.reduce((total, facts) => total + handWritten(facts), 0));
  if (compiledRun.check / 5 !== handRun.check / 20) throw new Error('the compiled rules and the hand-written predicate disagree');

  const sample = participants.slice(0, engineSampleCount);
  const engine = newReferenceEngine(rules);
  let started = performance.now();
  let engineEvents = 0;
  for (const facts of sample) engineEvents += (await engine.run({ ...facts })).events.length;
  const engineSequential = rate(sample.length, performance.now() - started);

  started = performance.now();
  for (let offset = 0; offset < sample.length; offset += batchSize) {
    const batch = sample.slice(offset, offset + batchSize);
    // One Engine per run: a shared one drops rules under concurrency.
    await Promise.all(batch.map((facts) => newReferenceEngine(rules).run({ ...facts })));
  }
  const engineBatched = rate(sample.length, performance.now() - started);
  const expectedEvents = sample.reduce((total, facts) => total + handWritten(facts), 0);
  if (engineEvents !== expectedEvents) throw new Error('json-rules-engine and the hand-written predicate disagree');

  const database = await openDatabase({ backend: 'pglite', dataDir: null });
  let sqlPerSecond = 0;
  try {
    await database.db.raw(
      'create table bench_participants (age int, marital_status text, is_head boolean, sector text, welfare_status text)',
    );
    for (let offset = 0; offset < participantCount; offset += 5_000) {
      await database.db('bench_participants').insert(
        participants.slice(offset, offset + 5_000).map((facts) => ({
          age: facts.age,
          marital_status: facts.maritalStatus,
          is_head: facts.isHeadOfFamily,
          sector: facts.sector,
          welfare_status: facts.welfareStatus,
        })),
      );
    }
    const predicate = `select sum((age < 18 or age > 55)::int + (not is_head)::int + (sector = 'formal')::int
        + (welfare_status = 'not-poor')::int + (welfare_status = 'unknown')::int) as reasons
      from bench_participants`;
    await database.db.raw(predicate);
    started = performance.now();
    const passes = 5;
    let sqlReasons = 0;
    for (let pass = 0; pass < passes; pass += 1) {
      const result = (await database.db.raw(predicate)) as { rows: { reasons: string }[] };
      sqlReasons = Number(result.rows[0]?.reasons ?? 0);
    }
    sqlPerSecond = rate(participantCount * passes, performance.now() - started);
    if (sqlReasons !== handRun.check / 20) throw new Error('the SQL predicate disagrees with the hand-written one');
  } finally {
    await database.close();
  }

  const bench = 'eligibility';
  const hand = { limit: handRun.perSecond, limitName: 'hand-written TypeScript' };
  recordFigures([
    {
      bench,
      name: 'compiled rules',
      value: compiledRun.perSecond,
      unit: '/s',
      ...hand,
      target: '≥ 500,000/s',
      met: compiledRun.perSecond >= 500_000,
    },
    { bench, name: 'json-rules-engine, one by one', value: engineSequential, unit: '/s', ...hand },
    { bench, name: 'json-rules-engine, batched', value: engineBatched, unit: '/s', ...hand },
    { bench, name: 'same predicate in SQL (PGlite)', value: sqlPerSecond, unit: '/s', ...hand },
  ]);
  const line = (label: string, perSecond: number) =>
    `  ${label.padEnd(44)} ${perSecond.toLocaleString('en').padStart(13)} /s   ${(perSecond / handRun.perSecond).toFixed(4).padStart(8)} × hand-written`;
  process.stdout.write(
    [
      `Eligibility (standalone@${version.version}, ${rules.length} rules) over ${participantCount.toLocaleString('en')} generated participants, one core:`,
      line('hand-written TypeScript (ceiling)', handRun.perSecond),
      line('compiled rules (our evaluation path)', compiledRun.perSecond),
      line(`json-rules-engine, one by one (${engineSampleCount.toLocaleString('en')})`, engineSequential),
      line(`json-rules-engine, Promise.all of ${batchSize}`, engineBatched),
      line('bare SQL limit: same predicate in PGlite', sqlPerSecond),
      `  compiled / json-rules-engine one by one: ${(compiledRun.perSecond / engineSequential).toFixed(1)} ×; target ≥ 500,000/s: ${compiledRun.perSecond >= 500_000 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
}

await main();
