import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { type Amount, parseAmount, toAmountString, toDecimalString } from '../money/index.ts';
import { printTable } from '../shared/cli/output.ts';
import { compareMethods, type LossRatioBasis } from './method-comparison.ts';
import { type SigmaExtrapolation, sigmaExtrapolations } from './methods/mack.ts';
import { TriangleError } from './methods/triangle.ts';
import { fundTriangle, triangleCsv } from './fund-triangle.ts';
import { claimLags, type TriangleBasis } from './store.ts';
import { parsePremiumCsv, parseTriangleCsv, triangleCsvBytesMax } from './triangle-csv.ts';

// `askesos reserves methods`: the reserving methods on any cumulative
// triangle, so an actuary can hold them against a published example before
// trusting them with the fund's own claims.
export function registerReserveCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const reserves = program
    .command('reserves')
    .description('Reserves: the fund’s claim triangles, and the IBNR methods on any triangle');
  reserves
    .command('triangle')
    .description('The fund’s cumulative triangle: incident month × months to report (or to payment), amounts or counts')
    .option('--by <basis>', 'incident: months from incident to report; payment: months from incident to payment', 'incident')
    .option('--counts', 'count claims instead of adding their amounts')
    .option('--as-of <month>', 'the last month, YYYY-MM (default: this month)')
    .option(
      '--scheme <scheme>',
      'only the claims of this scheme, as its declared IBNR method reads them (default: the whole fund)',
    )
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV, as `reserves methods --triangle` reads it')
    .action(async (options: { by: string; counts?: boolean; asOf?: string; scheme?: string; json?: boolean; csv?: boolean }) => {
      const basis = basisOf(options.by);
      const asOf = options.asOf ?? todayIn(config().TIMEZONE).slice(0, 7);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(asOf))
        throw new InputError([{ field: '--as-of', message: 'must be a month, YYYY-MM' }]);
      const measure = options.counts === true ? 'counts' : 'amounts';
      const triangle = fundTriangle(await withDb((db) => claimLags(db, basis, asOf, options.scheme)), asOf, measure);
      const show = (value: Amount) => (measure === 'counts' ? toDecimalString(value) : toAmountString(value, 2));
      if (options.json === true) {
        const rows = triangle?.rows.map((row) => row.map(show)) ?? [];
        process.stdout.write(
          `${JSON.stringify({ basis, measure, asOf, origins: triangle?.origins ?? [], developments: triangle?.developments ?? [], rows }, null, 2)}\n`,
        );
        return;
      }
      if (triangle === null) {
        process.stdout.write(`No claims ${basis === 'incident' ? 'accepted' : 'paid'} by the end of ${asOf}.\n`);
        return;
      }
      if (options.csv === true) {
        process.stdout.write(triangleCsv(triangle, show));
        return;
      }
      printTable(
        triangle.rows.map((row, index) =>
          Object.fromEntries([['origin', triangle.origins[index]], ...row.map((cell, lag) => [String(lag), show(cell)])]),
        ),
        ['origin', ...triangle.developments],
      );
    });
  reserves
    .command('methods')
    .description('Chain ladder with Mack’s standard error, Bornhuetter–Ferguson and expected loss ratio on a cumulative triangle')
    .requiredOption('--triangle <file>', 'CSV: origin, then one column per development period; empty cells where not yet known')
    .option('--premium <file>', 'CSV: origin,premium, the premium each origin earned (with --elr)')
    .option('--elr <ratio>', 'the expected loss ratio, such as 0.6 (with --premium)')
    .option(
      '--last-sigma <how>',
      `how σ² is estimated where one origin knows both periods: ${sigmaExtrapolations.join(' or ')}`,
      'mack',
    )
    .option('--json', 'print JSON')
    .action((options: { triangle: string; premium?: string; elr?: string; lastSigma: string; json?: boolean }) => {
      const extrapolation = sigmaExtrapolationOf(options.lastSigma);
      const triangle = parseTriangleCsv(readText(options.triangle, '--triangle'), options.triangle);
      let comparison;
      try {
        comparison = compareMethods(triangle, lossRatioBasis(options, triangle.origins), extrapolation);
      } catch (error) {
        if (error instanceof TriangleError)
          throw new InputError(
            [{ field: options.triangle, message: error.message }],
            `Cannot run the methods on ${options.triangle}.`,
          );
        throw error;
      }
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
        return;
      }
      const withLossRatio = comparison.total.bornhuetterFerguson !== null;
      const rows = [...comparison.origins, { ...comparison.total, origin: 'Total', developmentFactor: null }].map((row) => ({
        origin: row.origin,
        latest: row.latest,
        cdf: row.developmentFactor,
        'CL ultimate': row.chainLadder.ultimate,
        'CL IBNR': row.chainLadder.ibnr,
        'Mack S.E.': row.chainLadder.standardError,
        'BF ultimate': row.bornhuetterFerguson?.ultimate,
        'BF IBNR': row.bornhuetterFerguson?.ibnr,
        'ELR ultimate': row.expectedLossRatio?.ultimate,
        'ELR IBNR': row.expectedLossRatio?.ibnr,
      }));
      const columns = ['origin', 'latest', 'cdf', 'CL ultimate', 'CL IBNR', 'Mack S.E.'];
      printTable(rows, withLossRatio ? [...columns, 'BF ultimate', 'BF IBNR', 'ELR ultimate', 'ELR IBNR'] : columns);
      process.stdout.write('\n');
      printTable(comparison.factors, ['from', 'to', 'factor', 'sigmaSquared']);
      for (const note of comparison.notes) process.stdout.write(`\n${note}\n`);
    });
}

function basisOf(value: string): TriangleBasis {
  if (value === 'incident' || value === 'payment') return value;
  throw new InputError([{ field: '--by', message: 'must be incident or payment' }]);
}

function sigmaExtrapolationOf(value: string): SigmaExtrapolation {
  const known = sigmaExtrapolations.find((extrapolation) => extrapolation === value);
  if (known === undefined)
    throw new InputError([{ field: '--last-sigma', message: `must be one of: ${sigmaExtrapolations.join(', ')}` }]);
  return known;
}

function lossRatioBasis(options: { premium?: string; elr?: string }, origins: readonly string[]): LossRatioBasis | null {
  if (options.premium === undefined && options.elr === undefined) return null;
  if (options.premium === undefined || options.elr === undefined)
    throw new InputError([
      { field: options.premium === undefined ? '--premium' : '--elr', message: 'is needed with --premium and --elr together' },
    ]);
  const ratio = parseAmount(options.elr, { decimalPlacesMax: 6, allowZero: false });
  if (!ratio.ok) throw new InputError([{ field: '--elr', message: ratio.reason }]);
  const premium = parsePremiumCsv(readText(options.premium, '--premium'), options.premium);
  const missing = origins.filter((origin) => !premium.has(origin));
  if (missing.length > 0)
    throw new InputError([{ field: options.premium, message: `has no premium for origin ${missing.join(', ')}` }]);
  return { premium, expectedLossRatio: ratio.value };
}

function readText(path: string, option: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError([{ field: option, message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  if (Buffer.byteLength(text) > triangleCsvBytesMax)
    throw new InputError([{ field: option, message: `is larger than ${triangleCsvBytesMax} bytes` }]);
  return text;
}
