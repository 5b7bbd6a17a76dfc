import { monthsBetween, sameDayMonthsLater } from '../dates.ts';

// One count of cover, used by claims, premiums, savings and loans, in
// TypeScript here and in SQL below (a fast-check test holds the two equal).
//
// Month of cover k starts on the enrolment date plus k − 1 months: the same
// day of the month, or the month's last day when it is shorter, always
// counted from the enrolment date (as PostgreSQL adds an interval), so an
// enrolment on 31 January has months starting 28 or 29 February, then 31
// March. Coverage years are twelve months of cover, counted from the
// enrolment anniversary, as Table 1's death benefit by year needs.
//
// Every calendar month from the enrolment's on has exactly one month of
// cover starting in it; a month's premium or savings due is for that one,
// which is also the one in force on the calendar month's last day.

export function monthOfCoverOn(enrolledOn: string, date: string): number {
  if (date < enrolledOn) throw new Error(`monthOfCoverOn: ${date} is before the enrolment on ${enrolledOn}`);
  const months = monthsBetween(enrolledOn, date);
  return months - (sameDayMonthsLater(enrolledOn, months) > date ? 1 : 0) + 1;
}

export function coverageYearOfMonth(monthOfCover: number): number {
  return Math.floor((monthOfCover - 1) / 12) + 1;
}

export function coverageYear(enrolledOn: string, date: string): number {
  return coverageYearOfMonth(monthOfCoverOn(enrolledOn, date));
}

// The month of cover a calendar month (YYYY-MM or any day of it) owes for:
// the one starting in it. The enrolment's own month is month 1.
export function monthOfCoverStartingIn(enrolledOn: string, period: string): number {
  return monthsBetween(enrolledOn, period) + 1;
}

// The same counts in SQL, over a date column or expression and the enrolment date's.
export function monthOfCoverOnSql(enrolledOn: string, date: string): string {
  const months = monthsBetweenSql(enrolledOn, date);
  return `(${months} - case when (${enrolledOn} + make_interval(months => ${months}))::date > ${date} then 1 else 0 end + 1)`;
}

export function monthOfCoverStartingInSql(enrolledOn: string, period: string): string {
  return `(${monthsBetweenSql(enrolledOn, period)} + 1)`;
}

export function coverageYearOfMonthSql(monthOfCover: string): string {
  return `((${monthOfCover} - 1) / 12 + 1)`;
}

function monthsBetweenSql(from: string, to: string): string {
  return `((extract(year from ${to}) - extract(year from ${from})) * 12 + extract(month from ${to}) - extract(month from ${from}))::int`;
}
