import { type Amount, fromNumeric } from '../money/index.ts';
import type { RuleVersion } from './load.ts';

// What a version's benefit rules can pay, read from the benefit events
// themselves: the card a participant carries and the rules that decide
// their claims are the same data. A benefit that several rules pay at
// different amounts (death by coverage year, in 2003) is given as its range.
export type BenefitOffer =
  | { readonly benefit: string; readonly method: 'fixed'; readonly amountMin: Amount; readonly amountMax: Amount }
  | { readonly benefit: string; readonly method: 'reimbursement'; readonly amountMax: Amount }
  | {
      readonly benefit: string;
      readonly method: 'wage-multiple';
      readonly wageRate: Amount;
      readonly wageMonths: string;
      readonly insuredWage: Amount;
      readonly allowance: Amount;
      readonly allowanceMonths: string;
    };

export function benefitsOffered(version: RuleVersion): BenefitOffer[] {
  const offers = new Map<string, BenefitOffer>();
  for (const rule of version.areas.benefits.rules) {
    if (rule.event.type !== 'benefit') continue;
    const offer = offerOf(rule.event.params);
    const known = offers.get(offer.benefit);
    offers.set(offer.benefit, known === undefined ? offer : widened(known, offer));
  }
  return [...offers.values()];
}

function offerOf(params: Readonly<Record<string, unknown>>): BenefitOffer {
  const benefit = String(params.benefit);
  const param = (name: string) => fromNumeric(String(params[name]));
  switch (params.method) {
    case 'fixed':
      return { benefit, method: 'fixed', amountMin: param('amount'), amountMax: param('amount') };
    case 'reimbursement':
      return { benefit, method: 'reimbursement', amountMax: param('amountMax') };
    case 'wage-multiple':
      return {
        benefit,
        method: 'wage-multiple',
        wageRate: param('wageRate'),
        wageMonths: String(params.wageMonths),
        insuredWage: param('insuredWage'),
        allowance: param('allowance'),
        allowanceMonths: String(params.allowanceMonths),
      };
    default:
      throw new Error(`a benefit event with method ${String(params.method)} passed rule validation`);
  }
}

// Two rules paying one benefit: the card shows everything either may pay.
function widened(known: BenefitOffer, next: BenefitOffer): BenefitOffer {
  if (known.method === 'fixed' && next.method === 'fixed')
    return {
      ...known,
      amountMin: known.amountMin.lessThan(next.amountMin) ? known.amountMin : next.amountMin,
      amountMax: known.amountMax.greaterThan(next.amountMax) ? known.amountMax : next.amountMax,
    };
  if (known.method === 'reimbursement' && next.method === 'reimbursement')
    return known.amountMax.greaterThan(next.amountMax) ? known : next;
  return known;
}
