import { addDays, sameDayMonthsLater } from '../dates.ts';
import { allocate, amount, type Amount, levelPayment, roundAmount, type RoundingMode, toDecimalString } from '../money/index.ts';

// A loan's repayment schedule (jadwal angsuran), from its terms alone. Two
// interest methods, as village savings-and-loan groups run them:
// - flat (bunga flat): interest on the amount lent, the same every
//   instalment, rounded once for the whole term and shared out evenly;
// - declining balance (bunga menurun, anuitas): interest on what is still
//   owed each period, in level instalments; the last takes up the rounding.
// Repaid monthly, on the disbursement's day of the month, or weekly, as
// group lending often is: a month is then four weekly instalments at a
// quarter of the monthly rate each. Grace comes first and pays interest only.

export const interestMethods = ['flat', 'declining-balance'] as const;
export type InterestMethod = (typeof interestMethods)[number];
export const repaymentFrequencies = ['monthly', 'weekly'] as const;
export type RepaymentFrequency = (typeof repaymentFrequencies)[number];

const instalmentsPerMonth: Readonly<Record<RepaymentFrequency, number>> = { monthly: 1, weekly: 4 };

export interface LoanTerms {
  readonly principal: Amount;
  readonly monthlyRate: Amount;
  readonly termMonths: number;
  readonly graceMonths: number;
  readonly method: InterestMethod;
  readonly repayment: RepaymentFrequency;
  readonly disbursedOn: string;
  readonly rounding: { readonly mode: RoundingMode; readonly decimalPlaces: number };
}

export interface ScheduledInstalment {
  readonly number: number;
  readonly dueOn: string;
  readonly principal: Amount;
  readonly interest: Amount;
  // Principal still owed once this instalment is paid.
  readonly balanceAfter: Amount;
}

export function repaymentSchedule(terms: LoanTerms): ScheduledInstalment[] {
  const { principal, termMonths, graceMonths, rounding } = terms;
  if (!Number.isSafeInteger(termMonths) || termMonths < 1) throw new RangeError(`term of ${termMonths} months`);
  if (!Number.isSafeInteger(graceMonths) || graceMonths < 0 || graceMonths >= termMonths)
    throw new RangeError(`grace of ${graceMonths} months in a term of ${termMonths}`);
  if (!principal.greaterThan(0) || principal.decimalPlaces() > rounding.decimalPlaces)
    throw new RangeError(`principal ${toDecimalString(principal)} is not a positive amount in ${rounding.decimalPlaces} places`);
  const perMonth = instalmentsPerMonth[terms.repayment];
  const periods = { all: termMonths * perMonth, grace: graceMonths * perMonth };
  const parts = terms.method === 'flat' ? flatParts(terms, periods) : decliningParts(terms, periods, perMonth);
  let balance = principal;
  return parts.map((part, index) => {
    balance = balance.minus(part.principal);
    return {
      number: index + 1,
      dueOn:
        terms.repayment === 'monthly'
          ? sameDayMonthsLater(terms.disbursedOn, index + 1)
          : addDays(terms.disbursedOn, 7 * (index + 1)),
      principal: part.principal,
      interest: part.interest,
      balanceAfter: balance,
    };
  });
}

type Part = { principal: Amount; interest: Amount };
type Periods = { all: number; grace: number };

function flatParts(terms: LoanTerms, periods: Periods): Part[] {
  const { principal, monthlyRate, termMonths, rounding } = terms;
  const interestTotal = roundAmount(principal.times(monthlyRate).times(termMonths), rounding.mode, rounding.decimalPlaces);
  const evenly = (total: Amount, count: number) => allocate(total, Array(count).fill(amount('1')), rounding.decimalPlaces);
  const interest = evenly(interestTotal, periods.all);
  const repaid = [...Array<Amount>(periods.grace).fill(amount('0')), ...evenly(principal, periods.all - periods.grace)];
  return interest.map((part, index) => ({ interest: part, principal: repaid[index] ?? amount('0') }));
}

function decliningParts(terms: LoanTerms, periods: Periods, perMonth: number): Part[] {
  const { principal, rounding } = terms;
  const rate = terms.monthlyRate.dividedBy(perMonth);
  const interestOn = (balance: Amount) => roundAmount(balance.times(rate), rounding.mode, rounding.decimalPlaces);
  const grace = Array.from({ length: periods.grace }, () => ({ principal: amount('0'), interest: interestOn(principal) }));
  const repaying = periods.all - periods.grace;
  const instalment = levelPayment(principal, rate, repaying, rounding);
  const parts: Part[] = [];
  let balance = principal;
  for (let period = 1; period <= repaying; period += 1) {
    const interest = interestOn(balance);
    const level = instalment.minus(interest);
    const share = period === repaying || level.greaterThan(balance) ? balance : level;
    parts.push({ principal: share, interest });
    balance = balance.minus(share);
  }
  return [...grace, ...parts];
}
