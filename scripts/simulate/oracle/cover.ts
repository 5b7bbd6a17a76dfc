import { addMonthsClamped, monthsBetween } from '../calendar.ts';

// Months and years of cover, as the spec defines them: month of cover k
// starts on the enrolment date + (k − 1) months (PostgreSQL's clamping,
// always from the enrolment date); twelve make a coverage year.

export function monthStart(enrolledOn: string, monthOfCover: number): string {
  return addMonthsClamped(enrolledOn, monthOfCover - 1);
}

export function coverageYearOfMonth(monthOfCover: number): number {
  return Math.floor((monthOfCover - 1) / 12) + 1;
}

// The month of cover in force on a date on or after the enrolment.
export function monthOfCoverOn(enrolledOn: string, date: string): number {
  const guess = monthsBetween(enrolledOn, date) + 1;
  return monthStart(enrolledOn, guess) <= date ? guess : guess - 1;
}

export function coverageYearOn(enrolledOn: string, date: string): number {
  return coverageYearOfMonth(monthOfCoverOn(enrolledOn, date));
}

// A calendar month's due is for the month of cover that starts in it.
export function monthOfCoverForPeriod(enrolledOn: string, period: string): number {
  return monthsBetween(enrolledOn, period) + 1;
}

// The day coverage year `year` (≥ 2) begins: the re-check's anniversary.
export function anniversary(enrolledOn: string, year: number): string {
  return monthStart(enrolledOn, (year - 1) * 12 + 1);
}

// Cover as a list of spans [from, to) with to null while open: enrolment to
// lapse, reinstatement to the next lapse, and so on.
export interface CoverSpan {
  readonly from: string;
  readonly to: string | null;
}

export function coveredOn(spans: readonly CoverSpan[], date: string): boolean {
  return spans.some((span) => span.from <= date && (span.to === null || date < span.to));
}

// In force on at least one day of [first, last].
export function coveredDuring(spans: readonly CoverSpan[], first: string, last: string): boolean {
  return spans.some((span) => span.from <= last && (span.to === null || span.to > first));
}
