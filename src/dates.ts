import { z } from 'zod';
import { type FieldIssue, InputError } from './errors.ts';

// Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so that no local
// time zone or daylight saving shifts a day.

const dayMs = 86_400_000;

function utc(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

export function addDays(isoDate: string, days: number): string {
  const date = utc(isoDate);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

// Whole days from one date to a later one: 0 for the same day.
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / dayMs);
}

// The date a number of working days after the given one. Working days are
// Monday to Friday; national holidays are not counted out, so a deadline
// over a holiday falls early and is reported early, never late.
export function addWorkingDays(isoDate: string, workingDays: number): string {
  let date = isoDate;
  for (let left = workingDays; left > 0;) {
    date = addDays(date, 1);
    const weekday = utc(date).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date;
}

// Calendar months from the month of one date (or YYYY-MM) to the month of
// another, whatever their days: 0 within a month, 1 from January to February.
export function monthsBetween(from: string, to: string): number {
  const index = (date: string) => {
    const [year, month] = date.split('-').map(Number) as [number, number];
    return year * 12 + month - 1;
  };
  return index(to) - index(from);
}

// The month (YYYY-MM) some months after the month of a date (or YYYY-MM).
export function addMonths(date: string, months: number): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const index = year * 12 + month - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

// The same day of the month some months after a date, or the month's last
// day when it is shorter: a loan disbursed on 31 January falls due on 28 or
// 29 February, then on 31 March.
export function sameDayMonthsLater(isoDate: string, months: number): string {
  const [month = '', day = ''] = [addMonths(isoDate, months), isoDate.slice(8, 10)];
  const lastDay = addDays(`${addMonths(`${month}-01`, 1)}-01`, -1).slice(8, 10);
  return `${month}-${day < lastDay ? day : lastDay}`;
}

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text),
    'is not a calendar date',
  );

// Time only moves forward: a date the fund cannot know yet is refused, by
// the field that carried it.
export function futureDateIssues(today: string, dates: Readonly<Record<string, string>>): FieldIssue[] {
  return Object.entries(dates)
    .filter(([, date]) => date > today)
    .map(([field]) => ({ field, message: `must not be after today (${today})` }));
}

export function refuseFutureDates(today: string, dates: Readonly<Record<string, string>>): void {
  const issues = futureDateIssues(today, dates);
  if (issues.length > 0) throw new InputError(issues);
}
