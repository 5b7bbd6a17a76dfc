import { addDays, addMonthsClamped, maxDate, minDate } from '../calendar.ts';
import { Prng } from '../prng.ts';
import { type SchemeName, schemes } from '../oracle/policy.ts';

// The run's frame: which scheme, from when to when, how many members and
// LPAs. A flag sets what it names; the seed picks the rest, so that a range
// of seeds visits every scheme and the days its versions change.

export interface ScenarioOptions {
  readonly seed: number;
  readonly years: number;
  readonly members: number;
  readonly start?: string;
  readonly scheme?: SchemeName;
}

export interface Scenario {
  readonly seed: number;
  readonly scheme: SchemeName;
  readonly start: string;
  // The last simulated day; the run goes on to the first of the next month for its last check.
  readonly end: string;
  readonly years: number;
  readonly members: number;
  readonly lpas: number;
  // The last day a person may be entered: the scheme must still be in force.
  readonly lastEntry: string;
}

// A start in each scheme's life from which its later versions (and, for
// the two old schemes, their end) fall inside a run of a few years.
const startWindows: Readonly<Record<SchemeName, { readonly from: string; readonly months: number }>> = {
  standalone: { from: '2026-01-01', months: 12 },
  'askesos-ni-2012': { from: '2012-01-01', months: 36 },
  'askesos-2003': { from: '2003-01-01', months: 100 },
};

export function makeScenario(options: ScenarioOptions): Scenario {
  const prng = Prng.of(options.seed, 'scenario');
  const scheme =
    options.scheme ??
    prng.weighted<SchemeName>([
      [2, 'standalone'],
      [1, 'askesos-ni-2012'],
      [1, 'askesos-2003'],
    ]);
  const window = startWindows[scheme];
  const drawn = addMonthsClamped(window.from, prng.int(0, window.months - 1));
  // A run mostly starts on the first of a month; some start mid-month.
  const start = options.start ?? (prng.chance(0.75) ? drawn : addDays(drawn, prng.int(1, 27)));
  const end = addDays(addMonthsClamped(start, Math.round(options.years * 12)), -1);
  const endsOn = schemes[scheme].endsOn;
  const lastEntry =
    endsOn === null
      ? addDays(start, Math.floor((0.8 * (Date.parse(end) - Date.parse(start))) / 86_400_000))
      : minDate(endsOn, maxDate(start, addDays(end, -60)));
  return {
    seed: options.seed,
    scheme,
    start,
    end,
    years: options.years,
    members: options.members,
    lpas: Math.min(30, Math.max(2, Math.ceil(options.members / 120))),
    lastEntry: maxDate(start, minDate(lastEntry, end)),
  };
}
