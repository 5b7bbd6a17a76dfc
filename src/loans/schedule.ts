import { sameDayMonthsLater } from '../dates.ts';
import { allocate, amount, type Amount, levelPayment, roundAmount, type RoundingMode } from '../money/index.ts';

// A loan's repayment schedule (jadwal angsuran), from its terms alone. Two
// interest methods, as village savings-and-loan groups run them:
// - flat (bunga flat): interest on the amount lent, the same every month,
//   rounded once for the whole term and shared out evenly;
// - declining balance (bunga menurun, anuitas): interest on what is still
//   owed each month, in level instalments; the last takes up the rounding.
// Grace months come first and pay interest only.

export const interestMethods = ['flat', 'declining-balance'] as const;
export type InterestMethod = (typeof interestMethods)[number];

export interface LoanTerms {
  readonly principal: Amount;
  readonly monthlyRate: Amount;
  readonly termMonths: number;
  readonly graceMonths: number;
  readonly method: InterestMethod;
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
    throw new RangeError(`principal ${principal.toFixed()} is not a positive amount in ${rounding.decimalPlaces} places`);
  const repaying = termMonths - graceMonths;
  const parts = terms.method === 'flat' ? flatParts(terms, repaying) : decliningParts(terms, repaying);
  let balance = principal;
  return parts.map((part, index) => {
    balance = balance.minus(part.principal);
    return {
      number: index + 1,
      dueOn: sameDayMonthsLater(terms.disbursedOn, index + 1),
      principal: part.principal,
      interest: part.interest,
      balanceAfter: balance,
    };
  });
}

type Part = { principal: Amount; interest: Amount };

function flatParts(terms: LoanTerms, repaying: number): Part[] {
  const { principal, monthlyRate, termMonths, graceMonths, rounding } = terms;
  const interestTotal = roundAmount(principal.times(monthlyRate).times(termMonths), rounding.mode, rounding.decimalPlaces);
  const evenly = (total: Amount, count: number) => allocate(total, Array(count).fill(amount('1')), rounding.decimalPlaces);
  const interest = evenly(interestTotal, termMonths);
  const repaid = [...Array<Amount>(graceMonths).fill(amount('0')), ...evenly(principal, repaying)];
  return interest.map((part, index) => ({ interest: part, principal: repaid[index] ?? amount('0') }));
}

function decliningParts(terms: LoanTerms, repaying: number): Part[] {
  const { principal, monthlyRate, graceMonths, rounding } = terms;
  const interestOn = (balance: Amount) => roundAmount(balance.times(monthlyRate), rounding.mode, rounding.decimalPlaces);
  const grace = Array.from({ length: graceMonths }, () => ({ principal: amount('0'), interest: interestOn(principal) }));
  const instalment = levelPayment(principal, monthlyRate, repaying, rounding);
  const parts: Part[] = [];
  let balance = principal;
  for (let month = 1; month <= repaying; month += 1) {
    const interest = interestOn(balance);
    const level = instalment.minus(interest);
    const share = month === repaying || level.greaterThan(balance) ? balance : level;
    parts.push({ principal: share, interest });
    balance = balance.minus(share);
  }
  return [...grace, ...parts];
}
