import { amount, type Amount, fromNumeric, type RoundingMode, toAmountString } from '../money/index.ts';
import { decide, RuleNotInForceError, UnknownSchemeError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { savingsFacts, type LoanApplicationFacts } from '../savings/index.ts';
import type { InterestMethod, RepaymentFrequency } from './schedule.ts';

export interface LoanProduct {
  readonly product: string;
  readonly method: InterestMethod;
  readonly repayment: RepaymentFrequency;
  readonly monthlyRate: Amount;
  readonly amountMin: Amount;
  readonly amountMax: Amount;
  readonly termMonthsMax: number;
  readonly graceMonthsMax: number;
  readonly penaltyMonthlyRate: Amount;
}

export interface LoanReason {
  readonly reason: string;
  readonly explanation: string;
}

export interface LoanOffer {
  readonly version: string;
  readonly hash: string;
  readonly rounding: { readonly mode: RoundingMode; readonly decimalPlaces: number };
  readonly facts: Readonly<Record<string, unknown>>;
  readonly products: readonly LoanProduct[];
  // Every reason the rules give to refuse this member a loan; none when they may borrow.
  readonly refusals: readonly LoanReason[];
}

// Pure: what the savings rules in force on the day offer a member with
// these facts: the loan products, and every reason to refuse them one.
// Null when the rules of the member's scheme offer no loans at all.
export function loanOffer(
  book: RuleBook,
  request: {
    readonly scheme: string;
    readonly date: string;
    readonly coverageYear: number;
    readonly facts: LoanApplicationFacts;
  },
): LoanOffer | null {
  const facts = savingsFacts({ coverageYear: request.coverageYear, ...request.facts });
  let decision;
  try {
    decision = decide(book, { scheme: request.scheme, area: 'savings', date: request.date, facts });
  } catch (error) {
    if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return null;
    throw error;
  }
  const products = decision.events.flatMap((event): LoanProduct[] => {
    const text = (name: string) => String(event.params[name]);
    if (event.type === 'loan-product')
      return [
        {
          product: text('product'),
          method: text('method') as InterestMethod,
          repayment: text('repayment') as RepaymentFrequency,
          monthlyRate: fromNumeric(text('monthlyRate')),
          amountMin: fromNumeric(text('amountMin')),
          amountMax: fromNumeric(text('amountMax')),
          termMonthsMax: Number(text('termMonthsMax')),
          graceMonthsMax: Number(text('graceMonthsMax')),
          penaltyMonthlyRate: fromNumeric(text('penaltyMonthlyRate')),
        },
      ];
    // The first loan terms shipped, before products had names.
    if (event.type === 'loan-terms')
      return [
        {
          product: 'loan',
          method: 'flat',
          repayment: 'monthly',
          monthlyRate: fromNumeric(text('flatMonthlyRate')),
          amountMin: amount('1'),
          amountMax: fromNumeric(text('amountMax')),
          termMonthsMax: Number(text('termMonthsMax')),
          graceMonthsMax: 0,
          penaltyMonthlyRate: amount('0'),
        },
      ];
    return [];
  });
  if (products.length === 0) return null;
  const refusals = decision.events
    .filter((event) => event.type === 'loan-refused')
    .map((event) => ({ reason: String(event.params.reason), explanation: String(event.params.explanation) }));
  const { rounding } = versionInForce(book, request.scheme, request.date).manifest;
  return { version: decision.version, hash: decision.hash, rounding, facts, products, refusals };
}

export interface LoanTermsAsked {
  readonly product: string;
  readonly amount: Amount;
  readonly termMonths: number;
  readonly graceMonths: number;
}

// Pure: what is wrong with the terms asked for under the products offered,
// field by field; empty when a product admits them.
export function termProblems(products: readonly LoanProduct[], asked: LoanTermsAsked): { field: string; message: string }[] {
  const product = products.find((offered) => offered.product === asked.product);
  if (product === undefined)
    return [
      { field: 'product', message: `is not offered; the products are ${products.map((offered) => offered.product).join(', ')}` },
    ];
  const problems = [];
  if (asked.amount.lessThan(product.amountMin) || asked.amount.greaterThan(product.amountMax))
    problems.push({
      field: 'amount',
      message: `must be from ${toAmountString(product.amountMin)} to ${toAmountString(product.amountMax)} under ${product.product}`,
    });
  if (asked.termMonths > product.termMonthsMax)
    problems.push({ field: 'termMonths', message: `must be at most ${product.termMonthsMax} under ${product.product}` });
  if (asked.graceMonths > product.graceMonthsMax || asked.graceMonths >= asked.termMonths)
    problems.push({
      field: 'graceMonths',
      message: `must be at most ${product.graceMonthsMax} under ${product.product}, and fewer than the term`,
    });
  return problems;
}
