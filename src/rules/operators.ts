import { compareDecimals } from '../money/index.ts';

// The operators a rule may use, and the kinds of fact each accepts. The
// built-in numeric operators of json-rules-engine compare strings as text
// ('12.00' <= '9.50' is true), so they are allowed on integer facts only;
// money and rates use the decimal* operators, dates the date* ones.

export const factKinds = ['integer', 'decimal', 'date', 'boolean', 'enum'] as const;
export type FactKind = (typeof factKinds)[number];

type Compare = (factValue: unknown, value: unknown) => boolean;

const isDecimalText = (text: unknown): text is string => typeof text === 'string' && /^-?\d+(\.\d+)?$/.test(text);
const isDateText = (text: unknown): text is string => typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text);

function decimalCompare(test: (order: number) => boolean): Compare {
  return (factValue, value) => isDecimalText(factValue) && isDecimalText(value) && test(compareDecimals(factValue, value));
}

// ISO dates order as text once both are known to be YYYY-MM-DD.
function dateCompare(test: (order: number) => boolean): Compare {
  return (factValue, value) =>
    isDateText(factValue) && isDateText(value) && test(factValue < value ? -1 : factValue > value ? 1 : 0);
}

// Our operators, registered on json-rules-engine as well, so the reference
// engine and the compiled evaluator share their meaning exactly.
export const customOperators = {
  decimalEqual: decimalCompare((order) => order === 0),
  decimalLessThan: decimalCompare((order) => order < 0),
  decimalLessThanInclusive: decimalCompare((order) => order <= 0),
  decimalGreaterThan: decimalCompare((order) => order > 0),
  decimalGreaterThanInclusive: decimalCompare((order) => order >= 0),
  dateBefore: dateCompare((order) => order < 0),
  dateOnOrBefore: dateCompare((order) => order <= 0),
  dateAfter: dateCompare((order) => order > 0),
  dateOnOrAfter: dateCompare((order) => order >= 0),
} as const satisfies Record<string, Compare>;

// json-rules-engine's own semantics, written out: a numeric operator on a
// value that does not parse as a number is false, as the engine's validator makes it.
const isNumeric = (value: unknown) => Number.parseFloat(value as string).toString() !== 'NaN';
const builtInOperators = {
  equal: (factValue, value) => factValue === value,
  notEqual: (factValue, value) => factValue !== value,
  in: (factValue, value) => (value as unknown[]).indexOf(factValue) > -1,
  notIn: (factValue, value) => (value as unknown[]).indexOf(factValue) === -1,
  lessThan: (factValue, value) => isNumeric(factValue) && (factValue as number) < (value as number),
  lessThanInclusive: (factValue, value) => isNumeric(factValue) && (factValue as number) <= (value as number),
  greaterThan: (factValue, value) => isNumeric(factValue) && (factValue as number) > (value as number),
  greaterThanInclusive: (factValue, value) => isNumeric(factValue) && (factValue as number) >= (value as number),
} as const satisfies Record<string, Compare>;

export const operators: Readonly<Record<OperatorName, Compare>> = { ...builtInOperators, ...customOperators };

export const operatorNames = [...Object.keys(builtInOperators), ...Object.keys(customOperators)] as [
  OperatorName,
  ...OperatorName[],
];
export type OperatorName = keyof typeof builtInOperators | keyof typeof customOperators;

// Which operators suit which kind of fact, and what shape the value must have.
// Decimals have no equal: '250000' and '250000.00' are one amount but two texts.
export type ValueShape = 'single' | 'list';
export const operatorUse: Readonly<Record<OperatorName, { kinds: readonly FactKind[]; value: ValueShape }>> = {
  equal: { kinds: ['integer', 'boolean', 'enum', 'date'], value: 'single' },
  notEqual: { kinds: ['integer', 'boolean', 'enum', 'date'], value: 'single' },
  in: { kinds: ['integer', 'enum'], value: 'list' },
  notIn: { kinds: ['integer', 'enum'], value: 'list' },
  lessThan: { kinds: ['integer'], value: 'single' },
  lessThanInclusive: { kinds: ['integer'], value: 'single' },
  greaterThan: { kinds: ['integer'], value: 'single' },
  greaterThanInclusive: { kinds: ['integer'], value: 'single' },
  decimalEqual: { kinds: ['decimal'], value: 'single' },
  decimalLessThan: { kinds: ['decimal'], value: 'single' },
  decimalLessThanInclusive: { kinds: ['decimal'], value: 'single' },
  decimalGreaterThan: { kinds: ['decimal'], value: 'single' },
  decimalGreaterThanInclusive: { kinds: ['decimal'], value: 'single' },
  dateBefore: { kinds: ['date'], value: 'single' },
  dateOnOrBefore: { kinds: ['date'], value: 'single' },
  dateAfter: { kinds: ['date'], value: 'single' },
  dateOnOrAfter: { kinds: ['date'], value: 'single' },
};
