import { parseArgs } from './simulate/args.ts';
import { firstOfEachKind, formatDiscrepancy } from './simulate/discrepancies.ts';
import { runSimulation, type SimulationResult } from './simulate/run.ts';

// The fund-life simulator: each seed's fund lived through the real service
// on a simulated clock and checked against an oracle written from the rule
// files and the study. Exits 1 when any run found a discrepancy.

const shownMax = 20;
const shownPerKind = 3;

function summarise(result: SimulationResult): string[] {
  const { scenario } = result;
  const lines = [
    `seed ${scenario.seed}: ${scenario.scheme} from ${scenario.start} to ${scenario.end}, ${scenario.members} people, ${scenario.lpas} LPAs, on ${result.database}`,
  ];
  for (const item of firstOfEachKind(result.discrepancies, shownPerKind, shownMax))
    lines.push(`  ${formatDiscrepancy(scenario.seed, item)}`);
  if (result.countsByKind.size > 0)
    lines.push(`  discrepancies by kind: ${[...result.countsByKind].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  if (result.observationCounts.size > 0)
    lines.push(
      `  observations (the spec leaves these open): ${[...result.observationCounts].map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
  lines.push(
    `  simulated years ${scenario.years}, members ${result.members}, claims ${result.claims}, restarts ${result.restarts} (${result.kills} kills), requests ${result.requests}, seconds ${result.seconds.toFixed(1)}, simulated years per second ${(scenario.years / result.seconds).toFixed(3)}`,
  );
  lines.push(
    `  seconds by phase: ${[...result.secondsByPhase]
      .sort((a, b) => b[1] - a[1])
      .map(([phase, spent]) => `${phase} ${spent.toFixed(1)}`)
      .join(', ')}`,
  );
  return lines;
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`simulate: ${(error as Error).message}\n`);
    return 2;
  }
  const failed: number[] = [];
  let years = 0;
  let seconds = 0;
  for (const seed of options.seeds) {
    const result = await runSimulation({
      seed,
      years: options.years,
      members: options.members,
      discrepanciesMax: options.discrepanciesMax,
      ...(options.start === undefined ? {} : { start: options.start }),
      ...(options.scheme === undefined ? {} : { scheme: options.scheme }),
      ...(options.verbose ? { echo: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      trace: options.trace,
    });
    process.stdout.write(`${summarise(result).join('\n')}\n`);
    if (result.discrepancies.length > 0) failed.push(seed);
    years += options.years;
    seconds += result.seconds;
  }
  if (options.seeds.length > 1)
    process.stdout.write(
      `${options.seeds.length} seeds, simulated years ${years}, seconds ${seconds.toFixed(1)}, simulated years per second ${(years / seconds).toFixed(3)}; ${failed.length === 0 ? 'no discrepancies' : `discrepancies in seeds ${failed.join(', ')}`}\n`,
    );
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
