import { monthsBetween, addMonths } from '../dates.ts';
import { amount, type Amount } from '../money/index.ts';
import { type Triangle, triangleOriginsMax } from './methods/triangle.ts';
import type { ClaimLagRow } from './store.ts';

// The fund's own cumulative triangle: one origin per incident month from the
// first claim's to `asOf`, one development per month after it, each cell the
// claims (or their amount) reported or paid by then. The latest month knows
// only its month 0.

export type TriangleMeasure = 'amounts' | 'counts';

export function fundTriangle(rows: readonly ClaimLagRow[], asOf: string, measure: TriangleMeasure): Triangle | null {
  const first = firstOrigin(rows);
  if (first === null) return null;
  const months = monthsBetween(first, asOf) + 1;
  // Past the cap the oldest months are dropped: they are long developed.
  const start = months > triangleOriginsMax ? addMonths(asOf, 1 - triangleOriginsMax) : first;
  return cumulativeTriangle(rows, start, Math.min(months, triangleOriginsMax), measure);
}

// The incident month of the earliest claim, null when there is none.
export function firstOrigin(rows: readonly ClaimLagRow[]): string | null {
  return rows.reduce<string | null>(
    (earliest, row) => (earliest === null || row.origin < earliest ? row.origin : earliest),
    null,
  );
}

// The triangle of the last `months` incident months up to `asOf`, whether or
// not they had claims: the window a scheme's declared method reserves over.
export function windowTriangle(rows: readonly ClaimLagRow[], asOf: string, months: number, measure: TriangleMeasure): Triangle {
  return cumulativeTriangle(rows, addMonths(asOf, 1 - months), months, measure);
}

function cumulativeTriangle(rows: readonly ClaimLagRow[], start: string, count: number, measure: TriangleMeasure): Triangle {
  const origins = Array.from({ length: count }, (_, index) => addMonths(start, index));
  const incremental = new Map(rows.map((row) => [`${row.origin}/${row.lag}`, measure === 'counts' ? row.claims : row.amount]));
  return {
    origins,
    developments: Array.from({ length: count }, (_, lag) => String(lag)),
    rows: origins.map((origin, index) => {
      let total = amount('0');
      return Array.from({ length: count - index }, (_, lag) => {
        total = total.plus(incremental.get(`${origin}/${lag}`) ?? amount('0'));
        return total;
      });
    }),
  };
}

// The triangle as the CSV `reserves methods --triangle` reads.
export function triangleCsv(triangle: Triangle, show: (value: Amount) => string): string {
  const lines = [
    ['origin', ...triangle.developments].join(','),
    ...triangle.rows.map((row, index) =>
      [
        triangle.origins[index] ?? '',
        ...triangle.developments.map((_, lag) => (row[lag] === undefined ? '' : show(row[lag]))),
      ].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
