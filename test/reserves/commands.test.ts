import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceDatabase, openServiceDatabase } from '../support/db.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../scripts/askesos.mjs');
const fixtures = join(import.meta.dirname, 'fixtures');

// The command as an actuary runs it, in a process of its own; it reads files
// and never opens the database.
describe('askesos reserves methods', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'askesos-reserves-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  async function askesos(...args: string[]) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('reproduces MackChainLadder(RAA, est.sigma = "Mack") as JSON: IBNR 52,135 and S.E. 26,909', async () => {
    const answer = await askesos('reserves', 'methods', '--triangle', join(fixtures, 'raa.csv'), '--json');
    expect(answer.code, answer.stderr).toBe(0);
    const comparison = JSON.parse(answer.stdout) as {
      origins: { origin: string; chainLadder: { ibnr: string; standardError: string } }[];
      total: { chainLadder: { ultimate: string; ibnr: string; standardError: string } };
    };
    expect(comparison.total.chainLadder).toEqual({ ultimate: '213122', ibnr: '52135', standardError: '26909' });
    expect(comparison.origins.at(-1)).toMatchObject({ origin: '1990', chainLadder: { ibnr: '16339', standardError: '24566' } });

    const logLinear = await askesos(
      'reserves',
      'methods',
      '--triangle',
      join(fixtures, 'raa.csv'),
      '--last-sigma',
      'log-linear',
      '--json',
    );
    expect(logLinear.code, logLinear.stderr).toBe(0);
    expect(JSON.parse(logLinear.stdout)).toMatchObject({
      sigmaExtrapolation: 'log-linear',
      total: { chainLadder: { standardError: '26881' } },
    });
  });

  it('prints every method side by side for people, and says why Mack is missing on a young triangle', async () => {
    const answer = await askesos(
      'reserves',
      'methods',
      '--triangle',
      join(fixtures, 'small.csv'),
      '--premium',
      join(fixtures, 'small-premium.csv'),
      '--elr',
      '0.6',
    );
    expect(answer.code, answer.stderr).toBe(0);
    const lines = answer.stdout.split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual([
      'origin',
      'latest',
      'cdf',
      'CL ultimate',
      'CL IBNR',
      'Mack S.E.',
      'BF ultimate',
      'BF IBNR',
      'ELR ultimate',
      'ELR IBNR',
    ]);
    expect(lines[3]?.split(/\s+/)).toEqual(['C', '130', '1.65', '214', '84', '-', '225', '95', '240', '110']);
    expect(answer.stdout).toContain('No Mack standard error: development 2 to 3: too little history');
  });

  it('refuses a bad cell with exit 2, naming the line and column', async () => {
    const file = join(out, 'bad.csv');
    writeFileSync(file, 'origin,1,2\nA,100,12O\nB,5,\n');
    const answer = await askesos('reserves', 'methods', '--triangle', file);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain(`${file} line 2, column 3 (origin A, development 2): must be digits`);
  });

  it('refuses --elr without --premium, and an unknown --last-sigma, with exit 2', async () => {
    const answer = await askesos('reserves', 'methods', '--triangle', join(fixtures, 'raa.csv'), '--elr', '0.6');
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain('--premium: is needed with --premium and --elr together');
    const sigma = await askesos('reserves', 'methods', '--triangle', join(fixtures, 'raa.csv'), '--last-sigma', 'linear');
    expect(sigma.code).toBe(2);
    expect(sigma.stderr).toContain('--last-sigma: must be one of: mack, log-linear');
  });
});

// On the database: the fund's own triangle (its figures are tested in fund-triangle.test.ts).
describe('askesos reserves triangle', { timeout: 120_000 }, () => {
  let database: ServiceDatabase;
  beforeAll(async () => {
    database = await openServiceDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  async function askesos(...args: string[]) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...database.env };
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('says so when the fund has no claims yet, and refuses an unknown basis with exit 2', async () => {
    const empty = await askesos('reserves', 'triangle', '--by', 'payment', '--as-of', '2027-06');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('No claims paid by the end of 2027-06.\n');
    const wrong = await askesos('reserves', 'triangle', '--by', 'report');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--by: must be incident or payment');
  });
});
