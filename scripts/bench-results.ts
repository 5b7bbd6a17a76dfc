import { appendFileSync } from 'node:fs';

// One figure a benchmark measured, beside the bare limit measured in the
// same run where there is one: a time (s, ms) is better lower, a rate (/s)
// higher.
export interface Figure {
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: 's' | 'ms' | '/s' | 'MB';
  readonly limit?: number;
  readonly limitName?: string;
  readonly target?: string;
  readonly met?: boolean;
  readonly scale?: number;
}

// `npm run bench` (scripts/bench-all.ts) names a file to collect them in; a
// benchmark run on its own only prints.
export function recordFigures(figures: readonly Figure[]): void {
  const file = process.env.BENCH_RESULTS_FILE;
  if (file === undefined || file === '') return;
  appendFileSync(file, figures.map((figure) => `${JSON.stringify(figure)}\n`).join(''));
}
