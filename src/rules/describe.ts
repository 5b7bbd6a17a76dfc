import { formatPercent, formatRupiah, fromNumeric } from '../money/index.ts';
import type { Condition } from './model.ts';
import type { OperatorName } from './operators.ts';

// A rule's conditions in one line a person reads: `costClaimed ≥ Rp 4.500.000`
// and `(age < 18 or age > 55)`, for the policy values page and the diff.

const operatorSigns: Readonly<Record<OperatorName, string>> = {
  equal: '=',
  notEqual: '≠',
  in: 'in',
  notIn: 'not in',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  decimalEqual: '=',
  decimalLessThan: '<',
  decimalLessThanInclusive: '≤',
  decimalGreaterThan: '>',
  decimalGreaterThanInclusive: '≥',
  dateBefore: 'before',
  dateOnOrBefore: 'on or before',
  dateAfter: 'after',
  dateOnOrAfter: 'on or after',
};

// The decimal facts (src/rules/catalogue.ts) by what they hold, so a
// threshold reads as rupiah or as a percentage; a test keeps this complete.
export const decimalFactUnits: Readonly<Record<string, 'rupiah' | 'rate'>> = {
  costClaimed: 'rupiah',
  monthlyWage: 'rupiah',
  cardDeliveryRate: 'rate',
  savingsParticipationRate: 'rate',
};

export function describeCondition(condition: Condition, nested = false): string {
  if ('all' in condition) return describeGroup(condition.all, 'and', nested);
  if ('any' in condition) return describeGroup(condition.any, 'or', nested);
  if ('not' in condition) return `not ${describeCondition(condition.not, true)}`;
  return `\`${describeComparison(condition)} ${describeConditionValue(condition.fact, condition.value)}\``;
}

// A leaf without its value: "costClaimed ≥".
export function describeComparison(condition: { fact: string; operator: OperatorName }): string {
  return `${condition.fact} ${operatorSigns[condition.operator]}`;
}

function describeGroup(children: readonly Condition[], joiner: 'and' | 'or', nested: boolean): string {
  if (children.length === 0) return 'always';
  const [only] = children;
  if (children.length === 1 && only !== undefined) return describeCondition(only, nested);
  const text = children.map((child) => describeCondition(child, true)).join(` ${joiner} `);
  return nested ? `(${text})` : text;
}

export function describeConditionValue(fact: string, value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((entry) => describeConditionValue(fact, entry)).join(', ')}]`;
  const unit = decimalFactUnits[fact];
  if (typeof value === 'string' && unit === 'rupiah') return formatRupiah(fromNumeric(value));
  if (typeof value === 'string' && unit === 'rate') return formatPercent(fromNumeric(value));
  return typeof value === 'string' ? value : JSON.stringify(value);
}
