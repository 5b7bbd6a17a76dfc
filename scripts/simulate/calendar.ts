// Calendar arithmetic on ISO dates (YYYY-MM-DD) and months (YYYY-MM), in UTC
// so that no local zone shifts a day. The oracle and the simulator share it;
// it is written here rather than imported from src/ so that the oracle owes
// nothing to the code it judges.

const dayMs = 86_400_000;

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return iso(new Date(utc(date).getTime() + days * dayMs));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / dayMs);
}

// Months counted from year 0, so that months subtract.
export function monthIndex(dateOrMonth: string): number {
  const [year = 0, month = 1] = dateOrMonth.split('-').map(Number);
  return year * 12 + month - 1;
}

export function monthOfIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(dateOrMonth: string, months: number): string {
  return monthOfIndex(monthIndex(dateOrMonth) + months);
}

export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

export function firstDay(month: string): string {
  return `${month}-01`;
}

export function lastDay(month: string): string {
  return addDays(firstDay(addMonths(month, 1)), -1);
}

// PostgreSQL's `date + interval 'n months'`: the same day of the month,
// clamped to the month's last day, always counted from the date given (31
// January + 1 month is 28 or 29 February, + 2 months is 31 March).
export function addMonthsClamped(date: string, months: number): string {
  const month = addMonths(date, months);
  const last = lastDay(month);
  const day = date.slice(8, 10);
  return day <= last.slice(8, 10) ? `${month}-${day}` : last;
}

// 0 Sunday … 6 Saturday.
export function weekday(date: string): number {
  return utc(date).getUTCDay();
}

// Monday to Friday, as the death benefit's deadline counts them (study, Table 3).
export function addWorkingDays(date: string, workingDays: number): string {
  let day = date;
  for (let left = workingDays; left > 0;) {
    day = addDays(day, 1);
    const dow = weekday(day);
    if (dow !== 0 && dow !== 6) left -= 1;
  }
  return day;
}

// Whole years completed on a date.
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function isLeapDay(date: string): boolean {
  return date.slice(5) === '02-29';
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
