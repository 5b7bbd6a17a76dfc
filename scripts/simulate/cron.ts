// The five-field cron expressions the job registry uses (minute hour
// day-of-month month day-of-week), read in the fund's time zone: for a day,
// the minutes at which an expression fires. Numbers, *, lists, ranges and
// steps; anything else (names, @daily, seconds) is refused loudly rather than
// misread.

interface Field {
  readonly values: ReadonlySet<number>;
  readonly restricted: boolean;
}

const bounds = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;

function parseField(text: string, [min, max]: readonly [number, number], expression: string): Field {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (match === null) throw new Error(`cron: cannot read "${part}" in "${expression}"`);
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    if (from < min || to > max || from > to || step < 1) throw new Error(`cron: "${part}" is out of range in "${expression}"`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return { values, restricted: text !== '*' };
}

export interface CronSchedule {
  // Minutes after local midnight at which it fires on the day, ascending.
  minutesOn(date: string): number[];
}

export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron: "${expression}" does not have five fields`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) =>
    parseField(field, bounds[index] as readonly [number, number], expression),
  ) as [Field, Field, Field, Field, Field];
  const minutesOfDay = [...hour.values]
    .sort((a, b) => a - b)
    .flatMap((h) => [...minute.values].sort((a, b) => a - b).map((m) => h * 60 + m));
  return {
    minutesOn(date: string) {
      const [year = 0, monthNumber = 1, day = 1] = date.split('-').map(Number);
      if (!month.values.has(monthNumber)) return [];
      const dow = new Date(Date.UTC(year, monthNumber - 1, day)).getUTCDay();
      const domMatches = dayOfMonth.values.has(day);
      const dowMatches = dayOfWeek.values.has(dow) || (dow === 0 && dayOfWeek.values.has(7));
      // Vixie cron: when both day fields are restricted, either may match.
      const dayMatches = dayOfMonth.restricted && dayOfWeek.restricted ? domMatches || dowMatches : domMatches && dowMatches;
      return dayMatches ? minutesOfDay : [];
    },
  };
}

// The instant a local time in a fixed-offset zone stands for.
export function instantOf(date: string, minuteOfDay: number, utcOffsetMinutes: number): Date {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day, 0, minuteOfDay - utcOffsetMinutes));
}
