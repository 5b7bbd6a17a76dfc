import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Money goes in and out only through src/money: nothing else imports
// decimal.js, formats with toFixed (which rounds silently, or writes "NaN"), or
// calls amount() on anything but a literal (a stored value is fromNumeric's,
// input is parseAmount's or amountSchema's).

const root = resolve(import.meta.dirname, '../..');

const breaches = [
  { rule: 'imports decimal.js', pattern: /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]decimal\.js['"]/ },
  { rule: 'formats with toFixed', pattern: /\.toFixed\(/ },
  { rule: 'calls amount() on a value, not a literal', pattern: /(?<![.\w$])amount\((?!\s*['"])/ },
] as const;

function breachesIn(path: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      breaches.filter(({ pattern }) => pattern.test(line)).map(({ rule }) => `${path}:${index + 1} ${rule}`),
    );
}

function sourcesOutsideMoney(): string[] {
  return readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .map((path) => `src/${path.replaceAll('\\', '/')}`)
    .filter((path) => /\.tsx?$/.test(path) && !path.startsWith('src/money/'))
    .sort();
}

describe('money boundaries', () => {
  it('are kept by every file of src/ outside src/money', () => {
    const files = sourcesOutsideMoney();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((path) => breachesIn(path, readFileSync(join(root, path), 'utf8')))).toEqual([]);
  });

  it('are breached by the lines they are there to refuse', () => {
    const planted = [
      "import { Decimal } from 'decimal.js';",
      "const { Decimal } = await import('decimal.js');",
      'rate: product.monthlyRate.toFixed(),',
      'const paid = amount(claim.amount);',
      "const owed = amount(row.total ?? '0');",
    ].join('\n');
    expect(breachesIn('planted.ts', planted)).toEqual([
      'planted.ts:1 imports decimal.js',
      'planted.ts:2 imports decimal.js',
      'planted.ts:3 formats with toFixed',
      'planted.ts:4 calls amount() on a value, not a literal',
      'planted.ts:5 calls amount() on a value, not a literal',
    ]);
    const kept = [
      "import { amount, fromNumeric } from './index.ts';",
      "let total = amount('0');",
      'const paid = fromNumeric(claim.amount);',
      "db.raw('coalesce(sum(amount), 0) as total')",
      'amount: toAmountString(value),',
    ].join('\n');
    expect(breachesIn('kept.ts', kept)).toEqual([]);
  });
});
