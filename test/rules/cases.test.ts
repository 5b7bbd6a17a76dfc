import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCases } from '../../src/rules/cases.ts';
import { canonicalJson } from '../../src/hash.ts';
import { loadRuleBook } from '../../src/rules/load.ts';

const book = loadRuleBook('rules');
const results = runCases(book);

describe('the shipped rule sets', () => {
  it('pass every case in their cases/ folders', () => {
    expect(results.filter((result) => !result.passed)).toEqual([]);
    for (const versions of book.schemes.values()) {
      for (const version of versions)
        expect(version.cases.length, `${version.scheme}@${version.version} has cases`).toBeGreaterThan(0);
    }
  });

  // Each figure of the study (Table 1, subsidy, honorarium, savings) must be
  // what some passing case expects, so no figure goes untested.
  it.each([
    ['askesos-2003', '"amount":"250000.00"'],
    ['askesos-2003', '"amount":"400000.00"'],
    ['askesos-2003', '"amount":"600000.00"'],
    ['askesos-2003', '"amount":"800000.00"'],
    ['askesos-2003', '"amount":"365000.00"'],
    ['askesos-2003', '"monthlyAmount":"5000.00"'],
    ['askesos-2003', '"reason":"claim_limit_reached"'],
    ['askesos-ni-2012', '"premium":"10400.00"'],
    ['askesos-ni-2012', '"rate":"0.125"'],
    ['askesos-ni-2012', '"rate":"0.075"'],
    ['askesos-ni-2012', '"amountMax":"20000000.00"'],
    ['askesos-ni-2012', '"amountMax":"2000000.00"'],
    ['askesos-ni-2012', '"allowance":"200000.00","allowanceMonths":"24"'],
    ['askesos-ni-2012', '"wageMonths":"80","wageRate":"0.70"'],
    ['askesos-ni-2012', '"amount":"21000000.00"'],
    ['askesos-ni-2012', '"amount":"48000000.00"'],
    ['standalone', '"subsidyRate":"0.5"'],
    ['standalone', '"amountPerParticipant":"25000.00"'],
    ['standalone', '"type":"loan-terms"'],
    ['standalone', '"reason":"not_poor_or_vulnerable"'],
  ])('%s has a case expecting %s', (scheme, figure) => {
    const expectations = book.schemes
      .get(scheme)
      ?.flatMap((version) => version.cases)
      .map((ruleCase) => canonicalJson(ruleCase.expect));
    expect(expectations?.some((text) => text.includes(figure))).toBe(true);
  });

  it('are checked by "askesos rules test", one line per case', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, '../../scripts/askesos.mjs'), 'rules', 'test'],
      {
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    expect(stdout).toContain('PASS  askesos-2003@2003.1  death in coverage year 2 pays Rp 600,000');
    expect(stdout).toContain(`\n${results.length} passed, 0 failed\n`);
  });
});
