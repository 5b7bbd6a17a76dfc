// npm run bench [-- --scale 100k|300k|1m|<n>] [-- --growth] [-- --only a,b]:
// every benchmark, one after another, each in a process of its own, at
// one scale of synthetic fund (100,000 participants by default), or at
// 100k, 300k and 1m with --growth to show how each cost grows. Every figure
// is printed beside its bare limit and written to bench-results.json.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './bench-results.ts';

const benches: readonly { name: string; args: readonly string[]; env: (scale: number) => Record<string, string> }[] = [
  {
    name: 'eligibility',
    args: ['--import', 'tsx', 'scripts/bench.ts'],
    env: (scale) => ({ BENCH_ELIGIBILITY_PARTICIPANTS: String(scale) }),
  },
  {
    name: 'import',
    // Capped, as docs/operations.md tells operators to cap it: the figure includes the memory bound.
    args: ['--max-old-space-size=192', '--import', 'tsx', 'scripts/bench-import.ts'],
    env: (scale) => ({ BENCH_IMPORT_ROWS: String(scale) }),
  },
  { name: 'ledger', args: ['--import', 'tsx', 'scripts/bench-ledger.ts'], env: () => ({}) },
  {
    name: 'claims',
    args: ['--import', 'tsx', 'scripts/bench-claims.ts'],
    env: (scale) => ({ BENCH_CLAIMS_PARTICIPANTS: String(scale) }),
  },
  {
    name: 'premiums',
    args: ['--import', 'tsx', 'scripts/bench-premiums.ts'],
    env: (scale) => ({ BENCH_PREMIUM_PARTICIPANTS: String(scale) }),
  },
  {
    name: 'reports',
    args: ['--import', 'tsx', 'scripts/bench-reports.ts'],
    env: (scale) => ({ BENCH_REPORT_PARTICIPANTS: String(scale) }),
  },
  {
    // At 10,000 members whatever the scale: the console's first paint on the embedded database.
    name: 'console',
    args: ['--import', 'tsx', 'scripts/bench-console.ts'],
    env: () => ({}),
  },
  {
    name: 'impact',
    args: ['--import', 'tsx', 'scripts/bench-impact.ts'],
    env: (scale) => ({ BENCH_IMPACT_PARTICIPANTS: String(scale) }),
  },
];

function parseScale(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k|m)?$/i.exec(text);
  if (match === null) throw new Error(`--scale ${text}: give a number of participants such as 100k, 300k, 1m or 250000`);
  const factor = { k: 1_000, m: 1_000_000 }[(match[2] ?? '').toLowerCase() as 'k' | 'm'] ?? 1;
  return Math.round(Number(match[1]) * factor);
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const scales = args.includes('--growth') ? [100_000, 300_000, 1_000_000] : [parseScale(option('--scale') ?? '100k')];
const only = option('--only')?.split(',');
const chosen = benches.filter((bench) => only === undefined || only.includes(bench.name));

const runs: { scale: number; figures: Figure[] }[] = [];
for (const scale of scales) {
  const file = join(tmpdir(), `askesos-bench-${process.pid}-${scale}.jsonl`);
  rmSync(file, { force: true });
  process.stdout.write(`\n######## scale ${scale.toLocaleString('en')} participants ########\n\n`);
  for (const bench of chosen) {
    const run = spawnSync(process.execPath, bench.args, {
      stdio: 'inherit',
      env: { ...process.env, ...bench.env(scale), BENCH_RESULTS_FILE: file },
    });
    if (run.status !== 0) {
      process.stderr.write(`bench ${bench.name} failed (exit ${run.status ?? run.signal}); stopping\n`);
      process.exit(1);
    }
  }
  const figures = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Figure);
  rmSync(file, { force: true });
  runs.push({ scale, figures });
}

const shown = (figure: Figure) =>
  figure.unit === 's'
    ? `${figure.value.toFixed(2)} s`
    : figure.unit === '/s'
      ? `${Math.round(figure.value).toLocaleString('en')}/s`
      : `${figure.value.toFixed(1)} ${figure.unit}`;
// Against the limit: a time as how many times the bare one, a rate as its share of the bare one.
const ratio = (figure: Figure) =>
  figure.limit === undefined || figure.limit === 0
    ? ''
    : figure.unit === '/s'
      ? `${((figure.value / figure.limit) * 100).toFixed(1)} % of ${figure.limitName ?? 'the limit'}`
      : `${(figure.value / figure.limit).toFixed(1)} × ${figure.limitName ?? 'the limit'}`;

for (const { scale, figures } of runs) {
  process.stdout.write(`\nSummary at ${scale.toLocaleString('en')} participants:\n`);
  for (const figure of figures)
    process.stdout.write(
      `  ${`${figure.bench}: ${figure.name}`.padEnd(62)} ${shown(figure).padStart(12)}   ${ratio(figure)}${figure.target === undefined ? '' : `   target ${figure.target}: ${figure.met === true ? 'met' : 'NOT met'}`}\n`,
    );
}
if (runs.length > 1) {
  process.stdout.write(`\nHow each cost grows (${runs.map((run) => run.scale.toLocaleString('en')).join(' → ')}):\n`);
  const [first] = runs;
  for (const figure of first?.figures ?? []) {
    const values = runs.map((run) => run.figures.find((other) => other.bench === figure.bench && other.name === figure.name));
    const steps = values.map((value) => (value === undefined ? '-' : shown(value))).join(' → ');
    const last = values.at(-1);
    const growth =
      last === undefined || figure.value === 0
        ? ''
        : `   ×${(last.value / figure.value).toFixed(1)} for ×${((runs.at(-1)?.scale ?? 1) / (first?.scale ?? 1)).toFixed(0)} participants`;
    process.stdout.write(`  ${`${figure.bench}: ${figure.name}`.padEnd(62)} ${steps}${growth}\n`);
  }
}
writeFileSync(
  'bench-results.json',
  `${JSON.stringify({ generatedAt: new Date().toISOString(), machine: { cpus: cpus().length, memoryMb: Math.round(totalmem() / 1024 / 1024), node: process.version }, runs }, null, 2)}\n`,
);
process.stdout.write('\nFigures written to bench-results.json\n');
