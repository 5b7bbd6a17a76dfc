import { amount, type Amount, fromNumeric } from '../money/index.ts';
import { decide, RuleNotInForceError, UnknownSchemeError } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';

export interface MandatorySavings {
  readonly monthlyAmount: Amount;
  readonly version: string;
  readonly hash: string;
}

// Pure: what a member of a scheme in a coverage year must save each month
// (simpanan wajib) under the savings rules in force on the date; null when
// the rules ask for nothing (the New Initiative had no savings) or none
// are in force.
export function mandatorySavings(
  book: RuleBook,
  request: { readonly scheme: string; readonly date: string; readonly coverageYear: number },
): MandatorySavings | null {
  let decision;
  try {
    decision = decide(book, {
      scheme: request.scheme,
      area: 'savings',
      date: request.date,
      facts: savingsFacts({ coverageYear: request.coverageYear }),
    });
  } catch (error) {
    if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return null;
    throw error;
  }
  const monthly = decision.events
    .filter((event) => event.type === 'mandatory-savings')
    .reduce((sum, event) => sum.plus(fromNumeric(String(event.params.monthlyAmount))), amount('0'));
  return monthly.isZero() ? null : { monthlyAmount: monthly, version: decision.version, hash: decision.hash };
}

// The savings facts for a member who is not asking for a loan: the loan
// facts are about a loan application and answer "none" here.
export function savingsFacts(facts: { coverageYear: number } & Partial<LoanApplicationFacts>): Record<string, unknown> {
  return {
    coverageYear: facts.coverageYear,
    savingsMonthsPaid: facts.savingsMonthsPaid ?? 0,
    savingsMonthsBehind: facts.savingsMonthsBehind ?? 0,
    loansOutstanding: facts.loansOutstanding ?? 0,
    loanDaysInArrears: facts.loanDaysInArrears ?? 0,
  };
}

export interface LoanApplicationFacts {
  readonly savingsMonthsPaid: number;
  readonly savingsMonthsBehind: number;
  readonly loansOutstanding: number;
  readonly loanDaysInArrears: number;
}
