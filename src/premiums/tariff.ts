import { amount, type Amount, roundAmount } from '../money/index.ts';
import { decide, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';

// Months of cover count calendar months from the enrolment's month: the month
// of enrolment is month 1, whatever its day, so every month has one number.
// Coverage years are twelve of them.
export function monthOfCover(enrolledOn: string, periodStart: string): number {
  const [fromYear, fromMonth] = enrolledOn.split('-').map(Number) as [number, number];
  const [year, month] = periodStart.split('-').map(Number) as [number, number];
  return (year - fromYear) * 12 + (month - fromMonth) + 1;
}

export function coverageYearOfMonth(month: number): number {
  return Math.floor((month - 1) / 12) + 1;
}

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
}

// Pure: what one month of cover costs and who pays it, by the subsidy rules
// of the scheme version in force on the first day of the month. The rules
// read only the coverage year and month of cover, so the cycle asks once per
// combination, not once per person. Null when no premium rule applies.
export function premiumTariff(book: RuleBook, scheme: string, periodStart: string, month: number): Tariff | null {
  const coverageYear = coverageYearOfMonth(month);
  const decision = decide(book, {
    scheme,
    area: 'subsidy',
    date: periodStart,
    facts: { coverageYear, monthOfCover: month },
  });
  const premiumEvent = decision.events.find((event) => event.type === 'premium');
  if (premiumEvent === undefined) return null;
  const { rounding } = versionInForce(book, scheme, periodStart).manifest;
  const premium = amount(String(premiumEvent.params.premium));
  const subsidyShare = roundAmount(
    premium.times(amount(String(premiumEvent.params.subsidyRate))),
    rounding.mode,
    rounding.decimalPlaces,
  );
  return {
    scheme,
    version: decision.version,
    hash: decision.hash,
    coverageYear,
    monthOfCover: month,
    premium,
    subsidyShare,
    ownShare: premium.minus(subsidyShare),
  };
}
