import type { Amount } from '../../money/index.ts';

// A cumulative claims triangle: one row per origin period (the month or year
// the claims happened), one column per development period, each cell what
// had been reported (or paid) by then. Each row is known from its first
// column up to its latest diagonal; the cells after are what the methods
// estimate.
export interface Triangle {
  readonly origins: readonly string[];
  readonly developments: readonly string[];
  // Known cells only: row i holds developments 0 … rows[i].length - 1.
  readonly rows: readonly (readonly Amount[])[];
}

// Enough for 30 years of monthly origins; beyond it a file is a mistake.
export const triangleOriginsMax = 360;
export const triangleDevelopmentsMax = 360;

// Programmer errors only: the CSV edge refuses a bad triangle with the line
// and column to fix before one is built.
export function assertTriangle(triangle: Triangle): void {
  const { origins, developments, rows } = triangle;
  if (origins.length !== rows.length) throw new Error(`triangle: ${origins.length} origins but ${rows.length} rows`);
  if (developments.length < 2) throw new Error('triangle: a triangle needs at least two development periods');
  for (const [index, row] of rows.entries())
    if (row.length < 1 || row.length > developments.length)
      throw new Error(`triangle: origin ${origins[index]} has ${row.length} known cells of ${developments.length}`);
}

export function lastOf<T>(values: readonly T[]): T {
  const last = values.at(-1);
  if (last === undefined) throw new Error('lastOf: empty list');
  return last;
}

// A triangle the methods cannot develop, said in the actuary's terms; the
// command shows it as an input error.
export class TriangleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriangleError';
  }
}
