import { z } from 'zod';
import { type Amount, formatRupiah, fromNumeric, parseAmount, toDecimalString } from '../money/index.ts';
import { jsonPath, type RuleProblem } from './problems.ts';
import { type Source, sourceSchema } from './source.ts';

// A version's values of policy, each declared once in its manifest and named:
// the rules refer to them ({"param": "ceiling.death"}), texts quote them
// ("pays {ceiling.death}"), and a value may be worked out from others, as a
// spreadsheet cell is ("=ceiling.accident-medical * (1 - review.near-ceiling-share)"),
// so a threshold follows the ceiling it is measured against.

export const parameterKinds = ['amount', 'rate', 'count'] as const;
export type ParameterKind = (typeof parameterKinds)[number];

const parameterNamePattern = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;
export const parameterNameSchema = z
  .string()
  .max(80)
  .regex(parameterNamePattern, 'must be a name such as "ceiling.death" (lower case, words joined by "-" and ".")');

const valueText = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number' ? 'must be a decimal string such as "250000.00", not a JSON number' : undefined,
  })
  .min(1)
  .max(300);
export const parameterSchema = z
  .strictObject({
    amount: valueText.optional(),
    rate: valueText.optional(),
    count: valueText.optional(),
    source: sourceSchema.optional(),
  })
  .refine((entry) => parameterKinds.filter((kind) => entry[kind] !== undefined).length === 1, {
    message:
      'must give exactly one of amount, rate or count: a value such as "250000.00", or a formula such as "=ceiling.death * 2"',
  });
export const parametersSchema = z.record(parameterNameSchema, parameterSchema);

export interface Parameter {
  readonly name: string;
  readonly kind: ParameterKind;
  // Decimal text: as written for a declared value, worked out for a formula.
  readonly value: string;
  // Without the "=", for a value worked out from others; null when declared.
  readonly formula: string | null;
  // The parameters a formula reads.
  readonly inputs: readonly string[];
  // Null only for a formula: it rests on its inputs' sources.
  readonly source: Source | null;
}
export type Parameters = ReadonlyMap<string, Parameter>;

// A value as the rules and their texts read it.
export function isParameterReference(value: unknown): value is { param: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { param?: unknown }).param === 'string'
  );
}

// Every parameter with its value; formulas worked out in the order they need,
// a cycle or an unknown name reported where it is written.
export function resolveParameters(
  file: string,
  declaredParameters: z.output<typeof parametersSchema>,
): { parameters: Map<string, Parameter>; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const parameters = new Map<string, Parameter>();
  const pathOf = (name: string, ...rest: string[]) => jsonPath(['parameters', name, ...rest]);
  const entries = new Map(
    Object.entries(declaredParameters).map(([name, entry]) => {
      const kind = parameterKinds.find((candidate) => entry[candidate] !== undefined) ?? 'amount';
      return [name, { kind, text: entry[kind] ?? '', source: entry.source ?? null }];
    }),
  );
  const resolving = new Set<string>();

  const resolve = (name: string): Parameter | null => {
    const known = parameters.get(name);
    if (known !== undefined) return known;
    const entry = entries.get(name);
    if (entry === undefined || resolving.has(name)) return null;
    resolving.add(name);
    const report = (message: string) => problems.push({ file, path: pathOf(name, entry.kind), message });
    let parameter: Parameter | null = null;
    if (entry.text.startsWith('=')) {
      const formula = entry.text.slice(1).trim();
      const worked = evaluateFormula(formula, (input) => {
        if (!entries.has(input)) return { problem: `the formula reads "${input}", which is not a parameter of this version` };
        if (resolving.has(input)) return { problem: `the formula reads "${input}", which reads this value back (a cycle)` };
        const value = resolve(input);
        return value === null ? { problem: `the formula reads "${input}", which has a problem of its own` } : { value };
      });
      if ('problem' in worked) report(worked.problem);
      else {
        const problem = kindProblem(entry.kind, worked.value, true);
        if (problem !== null) report(`the formula gives ${toDecimalString(worked.value)}, which ${problem}`);
        else
          parameter = {
            name,
            kind: entry.kind,
            value: toDecimalString(worked.value),
            formula,
            inputs: worked.inputs,
            source: entry.source,
          };
      }
    } else {
      const parsed = parseAmount(entry.text, { decimalPlacesMax: entry.kind === 'amount' ? 2 : entry.kind === 'rate' ? 6 : 0 });
      if (!parsed.ok) report(parsed.reason);
      else if (entry.source === null)
        problems.push({ file, path: pathOf(name, 'source'), message: 'is missing: every value names its source' });
      else {
        const problem = kindProblem(entry.kind, parsed.value, false);
        if (problem !== null) report(problem);
        else parameter = { name, kind: entry.kind, value: entry.text, formula: null, inputs: [], source: entry.source };
      }
    }
    resolving.delete(name);
    if (parameter !== null) parameters.set(name, parameter);
    return parameter;
  };
  for (const name of entries.keys()) resolve(name);
  return { parameters, problems };
}

function kindProblem(kind: ParameterKind, value: Amount, worked: boolean): string | null {
  if (value.isNegative()) return 'must not be negative';
  switch (kind) {
    case 'amount':
      return value.decimalPlaces() > 2 ? 'has more than 2 decimal places; an amount is in rupiah and sen' : null;
    case 'rate':
      if (value.greaterThan(1)) return 'must be a rate between 0 and 1';
      return worked && value.decimalPlaces() > 6 ? 'has more than 6 decimal places' : null;
    case 'count':
      return value.isInteger() ? null : 'must be a whole count';
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown parameter kind ${String(unreachable)}`);
    }
  }
}

type Lookup = (name: string) => { value: Parameter } | { problem: string };

// Decimal arithmetic on + - * / and parentheses, operators set apart by
// spaces: names hold "-" ("ceiling.accident-medical"), so "a-b" is one name.
function evaluateFormula(formula: string, lookup: Lookup): { value: Amount; inputs: string[] } | { problem: string } {
  const tokens = formula
    .replace(/([()])/g, ' $1 ')
    .trim()
    .split(/\s+/)
    .filter((token) => token !== '');
  const inputs: string[] = [];
  let position = 0;
  const peek = () => tokens[position];
  class FormulaProblem extends Error {}
  const fail = (message: string): never => {
    throw new FormulaProblem(message);
  };

  const operand = (): Amount => {
    const token = tokens[position++];
    if (token === undefined) return fail('the formula ends where a value is expected');
    if (token === '(') {
      const value = sum();
      if (tokens[position++] !== ')') fail('a "(" is not closed');
      return value;
    }
    if (/^\d{1,15}(\.\d{1,6})?$/.test(token)) return fromNumeric(token);
    if (!parameterNamePattern.test(token))
      return fail(`"${token}" is neither a number nor a parameter name (put spaces around + - * /)`);
    const found = lookup(token);
    if ('problem' in found) return fail(found.problem);
    if (!inputs.includes(token)) inputs.push(token);
    return fromNumeric(found.value.value);
  };
  const product = (): Amount => {
    let value = operand();
    while (peek() === '*' || peek() === '/') {
      const operator = tokens[position++];
      const right = operand();
      if (operator === '/' && right.isZero()) fail('the formula divides by zero');
      value = operator === '*' ? value.times(right) : value.dividedBy(right);
    }
    return value;
  };
  const sum = (): Amount => {
    let value = product();
    while (peek() === '+' || peek() === '-') {
      const operator = tokens[position++];
      const right = product();
      value = operator === '+' ? value.plus(right) : value.minus(right);
    }
    return value;
  };
  try {
    if (tokens.length === 0) return { problem: 'the formula is empty' };
    const value = sum();
    if (position < tokens.length) return { problem: `unexpected "${tokens[position]}" in the formula` };
    return { value, inputs };
  } catch (error) {
    if (error instanceof FormulaProblem) return { problem: error.message };
    throw error;
  }
}

// A parameter's value as a sentence quotes it: rupiah, percent or a count.
export function describeParameterValue(parameter: Pick<Parameter, 'kind' | 'value'>): string {
  switch (parameter.kind) {
    case 'amount':
      return formatRupiah(fromNumeric(parameter.value));
    case 'rate':
      return percentText(parameter.value);
    case 'count':
      return parameter.value;
    default: {
      const unreachable: never = parameter.kind;
      throw new Error(`unknown parameter kind ${String(unreachable)}`);
    }
  }
}

// "12.5 %", not formatPercent's Indonesian "12,5%": rule texts and the IBNR
// description written into journal entries read this way.
export function percentText(rate: string): string {
  return `${toDecimalString(fromNumeric(rate).times(100))} %`;
}

const placeholder = /\{([^{}]+)\}/g;

// A text with its {parameter} placeholders filled in; each name it reads is
// passed to `used`, each it cannot find to `missing`.
export function fillPlaceholders(
  text: string,
  parameters: Parameters,
  used: (name: string) => void,
  missing: (name: string) => void,
): string {
  return text.replace(placeholder, (whole, name: string) => {
    const parameter = parameters.get(name);
    if (parameter === undefined) {
      missing(name);
      return whole;
    }
    used(name);
    return describeParameterValue(parameter);
  });
}
