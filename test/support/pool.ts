import { amount } from '../../src/money/index.ts';

// An LPA's savings-and-loans books balance: its cash and loans out equal
// what its members saved, its reserve and capital, and what its loans
// earned less what was written off. Lines as GET /v1/lpas/{id}/pool reads
// them, each on its own side, by chart code.
export function poolBooksBalance(lines: Readonly<Record<string, string | { toFixed(): string } | undefined>>): boolean {
  const value = (code: string) => amount(String(lines[code]?.toString() ?? '0'));
  const assets = value('1500').plus(value('1300'));
  const claims = ['2500', '2510', '3200', '3300', '4200', '4300'].reduce((sum, code) => sum.plus(value(code)), amount('0'));
  return assets.equals(claims.minus(value('5400')));
}
