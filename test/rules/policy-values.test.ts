import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { factCatalogue } from '../../src/rules/catalogue.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { decimalFactUnits } from '../../src/rules/describe.ts';
import { headingAnchor, policyValuesCommand, policyValuesFile, renderPolicyValues } from '../../src/rules/policy-values.ts';
import { at, scratchRules } from './support.ts';

const generatedFile = join(import.meta.dirname, '../..', policyValuesFile);
const book = loadRuleBook('rules');
const rendered = renderPolicyValues(book);

// The text of one version's section, up to the next version or scheme.
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n### ${heading}\n`);
  expect(start, `no section "### ${heading}"`).toBeGreaterThan(0);
  const rest = markdown.slice(start + 1);
  const end = rest.search(/\n#{2,3} /);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('docs/policy-values.md', () => {
  it('is what the rule files give, so no figure in it is copied by hand', () => {
    const committed = readFileSync(generatedFile, 'utf8');
    if (committed === rendered) return;
    // The first line that differs, not a diff of the whole page.
    const lines = committed.split('\n');
    const expected = rendered.split('\n');
    let line = 0;
    while (line < expected.length && lines[line] === expected[line]) line += 1;
    expect.fail(
      `docs/policy-values.md is out of date with rules/: run "${policyValuesCommand}" and commit it.\n` +
        `First difference at line ${line + 1}:\n  in the file: ${lines[line] ?? '(end of file)'}\n  generated:   ${expected[line] ?? '(end of file)'}`,
    );
  });

  it('gives each version its values with their sources: the 2003 death ceiling from Table 1', () => {
    const section = sectionOf(rendered, 'askesos-2003 2003.1');
    expect(section).toContain('In force from 2003-01-01 to 2011-12-31');
    expect(section).toContain(
      '| ceiling.death Rp 800.000 | Kajian Askesos pasca BPJS Ketenagakerjaan (the study, shared/seed); Pendahuluan, Tabel 1 (Askesos 2003–2011) |',
    );
    expect(section).not.toContain('Rp 5.000.000');
  });

  it('shows the thresholds a rule’s conditions hold, amounts in rupiah and shares in percent', () => {
    const section = sectionOf(rendered, 'standalone 2027.2');
    expect(section).toMatch(
      /\| "no strengthening while fewer than 80 % of members hold their card": .* \| `coverageYear = 2` and `cardDeliveryRate < 80%` \| \*\*illustrative\*\*: /,
    );
    expect(section).toContain('`claimType = accident-medical` and `costClaimed ≥ Rp 4.500.000`');
    expect(section).toContain('| IBNR 5 % of premium earned over 12 months | **illustrative**: ');
    expect(sectionOf(rendered, 'standalone 2027.1')).toContain('None declared: the scheme holds no IBNR.');
  });

  it('has every heading the other pages link to', () => {
    const root = join(import.meta.dirname, '../..');
    const pages = ['README.md', ...readdirSync(join(root, 'docs')).map((file) => join('docs', file))].filter((file) =>
      file.endsWith('.md'),
    );
    const anchors = new Set(rendered.match(/^#+ .+$/gm)?.map((heading) => headingAnchor(heading.replace(/^#+ /, ''))));
    const links = pages.flatMap((page) =>
      [...readFileSync(join(root, page), 'utf8').matchAll(/policy-values\.md#([\w.-]+)/g)].map(
        (match) => `${page}: #${match[1]}`,
      ),
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !anchors.has(link.split('#')[1] ?? ''))).toEqual([]);
  });

  it('knows whether each decimal fact is an amount or a share', () => {
    const decimalFacts = Object.values(factCatalogue).flatMap((facts) =>
      Object.entries(facts).flatMap(([name, spec]) => (spec.kind === 'decimal' ? [name] : [])),
    );
    expect(Object.keys(decimalFactUnits).sort()).toEqual([...new Set(decimalFacts)].sort());
  });

  it('keeps a table row on one line whatever a source holds', () => {
    const rules = scratchRules(['standalone']);
    try {
      rules.edit('standalone/2026.1/manifest.json', (manifest) => {
        at(manifest, 'parameters', 'ceiling.death', 'source').place = 'Rekomendasi Kebijakan | strategy 3,\nclaims set low';
      });
      const markdown = renderPolicyValues(loadRuleBook(rules.dir));
      expect(markdown).toContain('strategy 3: claims set low) |\n| ceiling.death Rp 5.000.000 |');
      expect(markdown).toContain(
        '(Kajian Askesos pasca BPJS Ketenagakerjaan (the study, shared/seed); Rekomendasi Kebijakan \\| strategy 3, claims set low) |',
      );
      expect(renderPolicyValues(loadRuleBook(rules.dir))).toBe(markdown);
    } finally {
      rules.dispose();
    }
  });
});

describe('askesos rules docs', () => {
  const askesos = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../scripts/askesos.mjs'), 'rules', 'docs', ...args], {
      env: { PATH: process.env.PATH ?? '' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout,
        stderr: error.stderr,
      }),
    );

  it('writes the page, and --check fails with what to run once the page and the rules differ', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askesos-docs-'));
    const out = join(dir, 'policy-values.md');
    try {
      const written = await askesos('--out', out);
      const versions = [...book.schemes.values()].flat().length;
      expect(written).toMatchObject({ code: 0, stdout: `Wrote ${out}: ${book.schemes.size} schemes, ${versions} versions\n` });
      expect(readFileSync(out, 'utf8')).toBe(rendered);
      expect(await askesos('--check', '--out', out)).toMatchObject({ code: 0 });

      writeFileSync(out, rendered.replace('ceiling.death Rp 800.000', 'ceiling.death Rp 900.000'));
      const stale = await askesos('--check', '--out', out);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toBe(
        `${out} differs from the rule files in ./rules: run "${policyValuesCommand} --out ${out}" and commit the result\n`,
      );
      expect(readFileSync(out, 'utf8')).toContain('Rp 900.000');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
