import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../src/rules/diff.ts';
import { loadRuleBook } from '../../src/rules/load.ts';

const book = loadRuleBook('rules');
const version = (scheme: string, name: string) => {
  const found = book.schemes.get(scheme)?.find((entry) => entry.version === name);
  if (found === undefined) throw new Error(`no ${scheme}@${name}`);
  return found;
};
const askesos = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../scripts/askesos.mjs'), ...args], {
    env: { PATH: process.env.PATH ?? '' },
  });

describe('rules diff', () => {
  it('says the honorarium cut in words and percent', () => {
    expect(diffVersions(version('askesos-ni-2012', '2012.1'), version('askesos-ni-2012', '2013.1'))).toEqual([
      'askesos-ni-2012@2012.1 → askesos-ni-2012@2013.1',
      '  in force from 2012-01-01 → 2013-01-01',
      '  lpa: "LPA honorarium, a share of the premium assistance channelled": rate 12.5 % → 7.5 %',
    ]);
  });

  it('says amounts in rupiah across schemes', () => {
    const lines = diffVersions(version('askesos-2003', '2003.1'), version('standalone', '2026.1'));
    expect(lines).toContain('  ceiling death: Rp 800.000 → Rp 5.000.000');
    expect(lines).toContain('  ceiling one-time-assistance: Rp 365.000 → (none)');
  });

  it('says the loan products’ rates in percent, like every other rate', () => {
    const added = diffVersions(version('standalone', '2027.2'), version('standalone', '2027.3')).find((line) =>
      line.includes('rule added "working capital'),
    );
    expect(added).toContain('monthlyRate 1.5 %');
    expect(added).toContain('penaltyMonthlyRate 1 %');
  });
});

describe('rules explain', () => {
  it('shows the version, the events and why each rule fired or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askesos-explain-'));
    try {
      writeFileSync(
        join(dir, 'facts.json'),
        JSON.stringify({
          coverageYear: 2,
          accreditation: 'accredited',
          cardDeliveryRate: '0.95',
          claimsPaidLate: 0,
          progressReportDelayDays: 3,
          savingsParticipationRate: null,
        }),
      );
      const { stdout } = await askesos(
        'rules',
        'explain',
        'standalone',
        '--date',
        '2026-11-25',
        '--area',
        'lpa',
        '--facts',
        join(dir, 'facts.json'),
      );
      expect(stdout).toMatch(/^standalone@2026\.1 \(hash [0-9a-f]{12}…\), lpa on 2026-11-25/);
      expect(stdout).toContain('strengthening {"amountPerParticipant":"25000.00"');
      expect(stdout).toContain('✔ fired  "strengthening grant of Rp 25,000 per participant in year 2" (priority 1)');
      expect(stdout).toContain('✔ coverageYear equal 2  (was 2)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses facts it cannot read with exit 2, naming the option', async () => {
    const outcome = await askesos(
      'rules',
      'explain',
      'standalone',
      '--date',
      '2026-11-25',
      '--area',
      'lpa',
      '--facts',
      '/nonexistent.json',
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--facts: cannot read /nonexistent.json as JSON');
  });
});
