// Today's date on the fund's clock, as YYYY-MM-DD. Only the edges (routes,
// jobs, commands) ask for it; decision code is always handed its date.
export function todayIn(timezone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
