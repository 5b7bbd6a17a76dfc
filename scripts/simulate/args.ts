import { type SchemeName, schemeNames } from './oracle/policy.ts';

// `npm run simulate -- --seed 7 --years 3 --members 500 [--start 2026-03-01]
// [--scheme standalone|askesos-2003|askesos-ni-2012]`, or `--seeds 1..20`
// for a range; `--max-discrepancies N` stops a run at N; `--verbose` prints
// each discrepancy as found and a line a simulated year; `--trace P12,P40` every
// step of those people and what the oracle and the service hold for them.

export interface CliOptions {
  readonly seeds: readonly number[];
  readonly years: number;
  readonly members: number;
  readonly start?: string;
  readonly scheme?: SchemeName;
  readonly discrepanciesMax: number;
  readonly verbose: boolean;
  readonly trace: readonly string[];
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'verbose') flags.add(name);
    else {
      const value = inline ?? argv[(index += 1)];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, value);
    }
  }
  for (const name of values.keys())
    if (!['seed', 'seeds', 'years', 'members', 'start', 'scheme', 'max-discrepancies', 'trace'].includes(name))
      throw new Error(`unknown option --${name}`);
  const scheme = values.get('scheme');
  if (scheme !== undefined && !schemeNames.includes(scheme as SchemeName))
    throw new Error(`--scheme must be one of ${schemeNames.join(', ')}`);
  const start = values.get('start');
  if (start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new Error('--start must be YYYY-MM-DD');
  return {
    seeds: seedsOf(values.get('seeds') ?? values.get('seed') ?? '1'),
    years: positive('years', values.get('years') ?? '1'),
    members: Math.round(positive('members', values.get('members') ?? '100')),
    ...(start === undefined ? {} : { start }),
    ...(scheme === undefined ? {} : { scheme: scheme as SchemeName }),
    discrepanciesMax: Math.round(positive('max-discrepancies', values.get('max-discrepancies') ?? '200')),
    verbose: flags.has('verbose'),
    trace: (values.get('trace') ?? '').split(',').filter((label) => label !== ''),
  };
}

// "7", "1..20" or "3,5,8".
function seedsOf(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  if (range !== null) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (to < from) throw new Error(`--seeds ${text}: the range runs backwards`);
    return Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
  }
  const seeds = text.split(',').map(Number);
  if (seeds.some((seed) => !Number.isInteger(seed) || seed < 0))
    throw new Error(`--seed(s) ${text}: whole numbers, or a range A..B`);
  return seeds;
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
  return value;
}
