import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { parseAmount } from '../money/index.ts';
import { printTable } from '../shared/cli/output.ts';
import { compareMethods, type LossRatioBasis } from './method-comparison.ts';
import { type SigmaExtrapolation, sigmaExtrapolations } from './methods/mack.ts';
import { TriangleError } from './methods/triangle.ts';
import { parsePremiumCsv, parseTriangleCsv, triangleCsvBytesMax } from './triangle-csv.ts';

// `askesos reserves methods`: the reserving methods on any cumulative
// triangle, so an actuary can hold them against a published example before
// trusting them with the fund's own claims.
export function registerReserveCommands(program: Command): void {
  const reserves = program.command('reserves').description('Reserves: the IBNR methods, on any triangle');
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
