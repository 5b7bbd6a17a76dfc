import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadRuleBook } from '../../src/rules/load.ts';
import { sourcesOf } from '../../src/rules/sources.ts';

const book = loadRuleBook('rules');
const versionsOf = (scheme: string) => book.schemes.get(scheme) ?? [];

describe('the sources of the shipped values', () => {
  it('list the illustrative values first, each saying why', () => {
    const values = sourcesOf(versionsOf('standalone'));
    const firstDocumented = values.findIndex((value) => value.source.illustrative !== true);
    expect(firstDocumented).toBeGreaterThan(0);
    expect(values.slice(firstDocumented).every((value) => value.source.illustrative !== true)).toBe(true);
    expect(values.slice(0, firstDocumented).every((value) => (value.source.reason ?? '').length > 0)).toBe(true);
  });

  it('mark the invented rules of the standalone scheme as illustrative, not as a decree', () => {
    const values = sourcesOf(versionsOf('standalone'));
    const named = (name: string) => values.find((value) => value.value.startsWith(`"${name}"`));
    for (const name of [
      'a death claim needs the death certificate, the family card and the heir’s identity card',
      'a claim reported more than 90 days after the incident goes to review',
      'medical bills within 10 % of the ceiling go to review',
    ].map((text) => text.replace('’', "'")))
      expect(named(name)?.source).toMatchObject({ illustrative: true });
    expect(named('a claim reported more than 90 days after the incident goes to review')?.versions).toEqual([
      '2026.2',
      '2027.1',
      '2027.2',
      '2027.3',
    ]);
  });

  it('give the New Initiative’s figures their table, and its insured wage as the rule file’s assumption', () => {
    const values = sourcesOf(versionsOf('askesos-ni-2012'));
    const death = values.find((value) => value.path === 'parameters.ceiling.death');
    expect(death?.source).toEqual({
      document: expect.stringContaining('Kajian Askesos'),
      place: 'Pendahuluan, Tabel 1 (Askesos New Initiative 2012–2014)',
    });
    const disability = values.find((value) => value.path === 'parameters.ceiling.disability');
    expect(disability?.source).toMatchObject({ illustrative: true, reason: expect.stringContaining('assumption') });
    expect(values.filter((value) => value.source.illustrative === true).length).toBeLessThan(
      values.filter((value) => value.source.illustrative !== true).length,
    );
  });

  it('are printed by "askesos rules sources", the illustrative first', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, '../../scripts/askesos.mjs'), 'rules', 'sources', 'standalone'],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    const illustrative = stdout.indexOf('Illustrative: the document gives no figure');
    const documented = stdout.indexOf('From a document');
    expect(illustrative).toBe(0);
    expect(documented).toBeGreaterThan(illustrative);
    const reviewRule = stdout.indexOf('"a claim reported more than 90 days after the incident goes to review"');
    expect(reviewRule).toBeGreaterThan(illustrative);
    expect(reviewRule).toBeLessThan(documented);
    expect(stdout).toContain('standalone 2026.2–2027.3  benefits.json');
    expect(stdout.slice(documented)).toContain('"head of family": ineligible');
  });
});
