import { addMonths, firstDay, lastDay, monthIndex, monthOf, monthsBetween } from '../calendar.ts';
import { coverageYearOfMonth, coveredDuring, type CoverSpan, monthOfCoverForPeriod } from './cover.ts';
import { type Money, type Premium, type SchemeName, premiumFor, versionOn } from './policy.ts';

// Which months an enrolment owes, by the spec: a month is owed when its
// cover was in force on at least one day of it, the participant had not died
// before it began, and the scheme had rules in force on its first day that
// set a premium for the month of cover that starts in it.

export interface EnrolmentHistory {
  readonly scheme: SchemeName;
  readonly enrolledOn: string;
  readonly spans: readonly CoverSpan[];
  // The death, once the fund has granted its benefit: the day, and the day it was granted.
  readonly death: { readonly on: string; readonly knownOn: string } | null;
}

export interface OwedMonth extends Premium {
  readonly period: string;
  readonly monthOfCover: number;
  readonly coverageYear: number;
  readonly version: string;
  // Optional: not owed by the spec (the participant had died), but booked
  // before the fund could know of the death; the spec does not say such a
  // due must be undone.
  readonly optional: boolean;
}

export type NotOwedWhy = 'not_in_cover' | 'after_death' | 'no_rules_in_force' | 'no_premium_set';

export interface MonthRuling {
  readonly period: string;
  readonly owed: OwedMonth | null;
  readonly why: NotOwedWhy | null;
}

export function rulingFor(history: EnrolmentHistory, period: string): MonthRuling {
  const first = firstDay(period);
  const notOwed = (why: NotOwedWhy): MonthRuling => ({ period, owed: null, why });
  if (!coveredDuring(history.spans, first, lastDay(period)) || history.enrolledOn > lastDay(period))
    return notOwed('not_in_cover');
  const died = history.death !== null && history.death.on < first;
  // Known before the month's first day, the death keeps its cycle from booking it; known later, the
  // month was booked before anyone could know.
  if (died && history.death !== null && history.death.knownOn < first) return notOwed('after_death');
  const version = versionOn(history.scheme, first);
  if (version === null) return notOwed('no_rules_in_force');
  const monthOfCover = monthOfCoverForPeriod(history.enrolledOn, period);
  const premium = premiumFor(history.scheme, version, monthOfCover, coverageYearOfMonth(monthOfCover));
  if (premium === null) return notOwed('no_premium_set');
  return {
    period,
    owed: { ...premium, period, monthOfCover, coverageYear: coverageYearOfMonth(monthOfCover), version, optional: died },
    why: null,
  };
}

// Every month from the enrolment's to `through` (YYYY-MM), oldest first.
export function monthRulings(history: EnrolmentHistory, through: string): MonthRuling[] {
  const start = monthOf(history.enrolledOn);
  const count = monthsBetween(start, through) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, offset) => rulingFor(history, addMonths(start, offset)));
}

// A payment's parts, applied to the oldest own shares first.
export function ownPaidByMonth(owed: readonly OwedMonth[], paid: Money): Map<string, Money> {
  const parts = new Map<string, Money>();
  let left = paid;
  for (const month of [...owed].sort((a, b) => monthIndex(a.period) - monthIndex(b.period))) {
    const part = left.lt(month.own) ? left : month.own;
    parts.set(month.period, part);
    left = left.minus(part);
  }
  return parts;
}
