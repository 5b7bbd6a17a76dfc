import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { diffVersions } from '../../src/rules/diff.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { at, type ScratchRules, scratchRules } from './support.ts';

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
      '  parameter honorarium.rate: 12.5 % → 7.5 %',
      '  lpa: rule honorarium: rate 12.5 % → 7.5 % (honorarium.rate)',
    ]);
  });

  it('says amounts in rupiah across schemes', () => {
    const lines = diffVersions(version('askesos-2003', '2003.1'), version('standalone', '2026.1'));
    expect(lines).toContain('  parameter ceiling.death: Rp 800.000 → Rp 5.000.000');
    expect(lines).toContain('  parameter ceiling.one-time-assistance: Rp 365.000 → (none)');
  });

  it('says the loan products’ rates in percent, like every other rate', () => {
    const added = diffVersions(version('standalone', '2027.2'), version('standalone', '2027.3')).find((line) =>
      line.includes('rule working-capital-loan added'),
    );
    expect(added).toContain('monthlyRate 1.5 %');
    expect(added).toContain('penaltyMonthlyRate 1 %');
  });
});

describe('rules diff of a raised ceiling', () => {
  let rules: ScratchRules | undefined;
  afterEach(() => rules?.dispose());

  it('shows old → new for the ceiling, the threshold worked out from it, and each rule they reach, matched by id', () => {
    rules = scratchRules(['standalone']);
    rules.copyVersion('standalone', '2027.3', '2028.1');
    rules.edit(join('standalone', '2028.1', 'manifest.json'), (json) => {
      Object.assign(json, { version: '2028.1', effectiveFrom: '2028-01-01' });
      at(json, 'parameters', 'ceiling.accident-medical').amount = '6000000.00';
    });
    rules.publish('standalone', '2028.1');
    const versions = loadRuleBook(rules.dir).schemes.get('standalone') ?? [];
    const [from, to] = versions.slice(-2);
    if (from === undefined || to === undefined) throw new Error('two versions expected');
    expect(diffVersions(from, to)).toEqual([
      'standalone@2027.3 → standalone@2028.1',
      '  in force from 2027-07-01 → 2028-01-01',
      '  parameter ceiling.accident-medical: Rp 5.000.000 → Rp 6.000.000',
      '  parameter review.accident-medical-from: Rp 4.500.000 (= ceiling.accident-medical * (1 - review.near-ceiling-share)) → Rp 5.400.000 (= ceiling.accident-medical * (1 - review.near-ceiling-share))',
      '  benefits: rule accident-medical-care: name "medical care after an accident, up to Rp 5.000.000" → "medical care after an accident, up to Rp 6.000.000"',
      '  benefits: rule accident-medical-care: amountMax Rp 5.000.000 → Rp 6.000.000 (ceiling.accident-medical)',
      '  benefits: rule near-ceiling-review: condition costClaimed ≥ Rp 4.500.000 → Rp 5.400.000 (review.accident-medical-from)',
      '  benefits: rule near-ceiling-review: explanation The medical bills come to Rp 4.500.000 or more, within 10 % of the ceiling; the directorate checks the receipts. → The medical bills come to Rp 5.400.000 or more, within 10 % of the ceiling; the directorate checks the receipts.',
    ]);
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
      expect(stdout).toContain('✔ fired  "strengthening grant of Rp 25.000 per participant in year 2" (priority 1)');
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
