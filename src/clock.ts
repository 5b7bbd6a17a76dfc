// The fund's clock. Only the edges (routes, jobs, commands) ask it; decision
// code is always handed its date or instant, so tests move time by handing
// another clock.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

// Today's date on the fund's clock, as YYYY-MM-DD.
export function todayIn(timezone: string, now: Date = new Date()): string {
  return formatterFor(timezone).format(now);
}

// Building a formatter loads time-zone data: once per zone, not per request.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  const known = formatters.get(timezone);
  if (known !== undefined) return known;
  const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  formatters.set(timezone, formatter);
  return formatter;
}
