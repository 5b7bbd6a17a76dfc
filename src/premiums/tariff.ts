import { amount, type Amount, fromNumeric, roundAmount } from '../money/index.ts';
import { decide, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { coverageYearOfMonth } from '../registry/index.ts';

export interface Tariff {
  readonly scheme: string;
  readonly version: string;
  readonly hash: string;
  readonly coverageYear: number;
  readonly monthOfCover: number;
  readonly premium: Amount;
  // What premium assistance pays; the participant owes the rest.
  readonly subsidyShare: Amount;
  readonly ownShare: Amount;
  // Months the premium is earned over: 1 for a monthly premium, more for an
  // assistance given once for years of cover.
  readonly earnMonths: number;
  // What the rules say of an own share left unpaid; null when they say
  // nothing (arrears are kept, cover does not lapse for them).
  readonly arrears: ArrearsTerms | null;
  // After how many months unpaid the participant is reminded; null for never.
  readonly reminderAfterMonths: number | null;
}

export interface ArrearsTerms {
  readonly graceMonths: number;
  readonly reinstateWithinMonths: number;
}

// Pure: what one month of cover costs and who pays it, by the subsidy rules
// of the scheme version in force on the first day of the month: a monthly
// premium split by the subsidy rate, or an assistance the state gives once
// (the 2003 scheme) for years of cover. The rules read only the coverage
// year and month of cover, so the cycle asks once per combination, not once
// per person. Null when no rule sets a premium for the month (the months a
// one-time assistance already covers). With it, the rules' terms for arrears
// and reminders.
export function premiumTariff(book: RuleBook, scheme: string, periodStart: string, month: number): Tariff | null {
  const coverageYear = coverageYearOfMonth(month);
  const decision = decide(book, {
    scheme,
    area: 'subsidy',
    date: periodStart,
    facts: { coverageYear, monthOfCover: month },
  });
  const arrearsEvent = decision.events.find((event) => event.type === 'arrears');
  const arrears =
    arrearsEvent === undefined
      ? null
      : {
          graceMonths: Number(arrearsEvent.params.graceMonths),
          reinstateWithinMonths: Number(arrearsEvent.params.reinstateWithinMonths),
        };
  const reminder = decision.events.find((event) => event.type === 'arrears-reminder');
  const reminderAfterMonths = reminder === undefined ? null : Number(reminder.params.afterMonths);
  const base = {
    scheme,
    version: decision.version,
    hash: decision.hash,
    coverageYear,
    monthOfCover: month,
    arrears,
    reminderAfterMonths,
  };
  const assistance = decision.events.find((event) => event.type === 'one-time-assistance');
  if (assistance !== undefined) {
    const given = fromNumeric(String(assistance.params.amount));
    return {
      ...base,
      premium: given,
      subsidyShare: given,
      ownShare: amount('0'),
      earnMonths: Number(assistance.params.coverageYears) * 12,
    };
  }
  const premiumEvent = decision.events.find((event) => event.type === 'premium');
  if (premiumEvent === undefined) return null;
  const { rounding } = versionInForce(book, scheme, periodStart).manifest;
  const premium = fromNumeric(String(premiumEvent.params.premium));
  const subsidyShare = roundAmount(
    premium.times(fromNumeric(String(premiumEvent.params.subsidyRate))),
    rounding.mode,
    rounding.decimalPlaces,
  );
  return { ...base, premium, subsidyShare, ownShare: premium.minus(subsidyShare), earnMonths: 1 };
}
