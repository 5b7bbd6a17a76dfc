// npm run bench: eligibility throughput over 100,000 generated participants,
// first of the path an enrolment runs (decideEligibility: the version in
// force, decide()'s fact checks and its trace), then of the compiled rules
// alone, json-rules-engine and SQL for comparison, each beside the bare limit
// measured in the same run. (The import benchmark, scripts/bench-import.ts,
// runs after it in a process of its own, so its memory peak is its own.)
// Figures, not assertions.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/knex.ts';
import { decideEligibility, type EligibilityPerson } from '../src/registry/eligibility.ts';
import type { Occupation } from '../src/registry/occupations.ts';
import type { maritalStatuses, sectors, welfareStatuses } from '../src/rules/catalogue.ts';
import { decide, versionInForce } from '../src/rules/evaluate.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { newReferenceEngine } from '../src/rules/reference.ts';
import { recordFigures } from './bench-results.ts';
import { mulberry32 } from './synthetic-extract.ts';

const participantCount = Number(process.env.BENCH_ELIGIBILITY_PARTICIPANTS ?? 100_000);
const engineSampleCount = 20_000;
const batchSize = 1_000;
const scheme = 'standalone';
const decidedOn = '2026-11-25';

// The facts the eligibility rules read, as decideEligibility builds them.
type Facts = {
  readonly age: number;
  readonly maritalStatus: (typeof maritalStatuses)[number];
  readonly isHeadOfFamily: boolean;
  readonly sector: (typeof sectors)[number];
  readonly welfareStatus: (typeof welfareStatuses)[number];
  readonly willingToSave: boolean | null;
  readonly attendsMonthlyMeeting: boolean | null;
};

// A fixed seed, so every run measures the same population.
const random = mulberry32(2026);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const participants: Facts[] = Array.from({ length: participantCount }, () => ({
  age: 14 + Math.floor(random() * 56),
  maritalStatus: pick(['single', 'married', 'married', 'divorced', 'widowed'] as const),
  isHeadOfFamily: random() < 0.7,
  sector: random() < 0.85 ? 'informal' : 'formal',
  welfareStatus: pick(['poor', 'poor', 'near-poor', 'vulnerable', 'not-poor', 'unknown'] as const),
  // Every eligibility fact the catalogue names, as an enrolment gives them;
  // the standalone rules measured here do not read these two.
  willingToSave: pick([true, false, null]),
  attendsMonthlyMeeting: pick([true, false, null]),
}));

// The same participants as an LPA submits them: a birth date that makes the
// age on the decision date, an occupation of the sector. Before timing, the
// bench checks that decide() is given exactly the facts above.
const occupationOf: Readonly<Record<Facts['sector'], Occupation>> = { informal: 'street-vendor', formal: 'teacher' };
const persons: EligibilityPerson[] = participants.map(({ age, sector, ...facts }) => ({
  ...facts,
  birthDate: `${Number(decidedOn.slice(0, 4)) - age}-06-15`,
  occupation: occupationOf[sector],
}));

const book = loadRuleBook(process.env.RULES_DIR ?? 'rules');
const version = versionInForce(book, scheme, decidedOn);
const rules = version.areas.eligibility.rules;
const compiled = version.compiled.eligibility;

// The same policy written by hand, as the ceiling for any interpreter.
function handWritten(facts: Facts): number {
  let reasons = 0;
  if (facts.age < 18 || facts.age > 55) reasons += 1;
  if (!facts.isHeadOfFamily) reasons += 1;
  if (facts.sector === 'formal') reasons += 1;
  // Standalone takes the vulnerable to poverty too (rentan miskin): only the not-poor are refused.
  if (facts.welfareStatus === 'not-poor') reasons += 1;
  if (facts.welfareStatus === 'unknown') reasons += 1;
  return reasons;
}

function sameFacts(given: Readonly<Record<string, unknown>>, facts: Facts): boolean {
  const names = Object.keys(facts) as (keyof Facts)[];
  return Object.keys(given).length === names.length && names.every((name) => given[name] === facts[name]);
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
  persons.forEach((person, index) => {
    const { decision } = decideEligibility(book, scheme, person, decidedOn);
    if (!sameFacts(decision.facts, participants[index] as Facts))
      throw new Error(`participant ${index}: decide() got other facts`);
  });
  const serviceRun = timeSync(5, () =>
    persons.reduce((total, person) => total + decideEligibility(book, scheme, person, decidedOn).reasons.length, 0),
  );
  // decide() given the facts directly: the service path less building them (the age from the birth date).
  const decideRun = timeSync(5, () =>
    participants.reduce(
      (total, facts) => total + decide(book, { scheme, area: 'eligibility', date: decidedOn, facts }).events.length,
      0,
    ),
  );
  const compiledRun = timeSync(5, () => participants.reduce((total, facts) => total + compiled.events(facts).length, 0));
  const handRun = timeSync(20, () => participants.reduce((total, facts) => total + handWritten(facts), 0));
  if (serviceRun.check / 5 !== handRun.check / 20) throw new Error('decideEligibility and the hand-written predicate disagree');
  if (decideRun.check / 5 !== handRun.check / 20) throw new Error('decide() and the hand-written predicate disagree');
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
  const targetPerSecond = 500_000;
  const met = serviceRun.perSecond >= targetPerSecond;
  recordFigures([
    {
      bench,
      name: 'service path: decideEligibility → decide()',
      value: serviceRun.perSecond,
      unit: '/s',
      ...hand,
      target: `≥ ${targetPerSecond.toLocaleString('en')}/s`,
      met,
    },
    { bench, name: 'decide() given the facts: checks, trace', value: decideRun.perSecond, unit: '/s', ...hand },
    { bench, name: 'compiled events() alone: no checks, no trace', value: compiledRun.perSecond, unit: '/s', ...hand },
    { bench, name: 'json-rules-engine, one by one', value: engineSequential, unit: '/s', ...hand },
    { bench, name: 'json-rules-engine, batched', value: engineBatched, unit: '/s', ...hand },
    { bench, name: 'same predicate in SQL (PGlite)', value: sqlPerSecond, unit: '/s', ...hand },
  ]);
  const line = (label: string, perSecond: number) =>
    `  ${label.padEnd(58)} ${perSecond.toLocaleString('en').padStart(13)} /s   ${(perSecond / handRun.perSecond).toFixed(4).padStart(8)} × hand-written`;
  process.stdout.write(
    [
      `Eligibility (${scheme}@${version.version}, ${rules.length} rules) over ${participantCount.toLocaleString('en')} generated participants, one core:`,
      line('hand-written TypeScript (ceiling, the bare limit)', handRun.perSecond),
      line('service path: decideEligibility → decide(), checks, trace', serviceRun.perSecond),
      line('decide() given the facts (checks, trace; no age to work out)', decideRun.perSecond),
      line('compiled events() alone (no fact checks, no trace)', compiledRun.perSecond),
      line(`json-rules-engine, one by one (${sample.length.toLocaleString('en')})`, engineSequential),
      line(`json-rules-engine, Promise.all of ${batchSize.toLocaleString('en')}`, engineBatched),
      line('bare SQL: same predicate in PGlite', sqlPerSecond),
      `  the service path runs at ${(serviceRun.perSecond / decideRun.perSecond).toFixed(2)} × decide() alone, which runs at ${(decideRun.perSecond / compiledRun.perSecond).toFixed(2)} × the compiled rules alone`,
      `  service path / json-rules-engine one by one: ${(serviceRun.perSecond / engineSequential).toFixed(1)} ×; target ≥ ${targetPerSecond.toLocaleString('en')}/s: ${met ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
}

await main();
