import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { roundingModeSchema } from '../money/index.ts';
import { countParam, policyAreas, rateParam } from './catalogue.ts';
import type { OperatorName } from './operators.ts';
import { parametersSchema } from './parameters.ts';
import { sourceSchema } from './source.ts';

// The file format of a rule set: rules/<scheme>/<version>/manifest.json and
// one file per policy area. Schemas are strict: a misspelt key is an error,
// not a silently ignored setting.

export const manifestSchema = z.strictObject({
  scheme: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a kebab-case scheme name'),
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, 'must be a version such as "2012.2"'),
  title: z.string().min(1).max(200),
  effectiveFrom: isoDateSchema,
  effectiveTo: isoDateSchema.optional(),
  currency: z.literal('IDR'),
  rounding: z.strictObject({ mode: roundingModeSchema, decimalPlaces: z.int().min(0).max(2) }),
  // Every value of policy the rules refer to, each once, with its source.
  // Those named "ceiling.<benefit or payment>" cap what an event may carry.
  parameters: parametersSchema,
  // How the fund reserves for claims incurred but not yet reported; a
  // version that declares nothing holds no IBNR for its scheme. The triangle
  // methods read the scheme's own monthly triangle of reported claims over
  // its last `months` incident months, and the premium each month earned.
  reserving: z
    .strictObject({
      ibnr: z.discriminatedUnion('method', [
        z.strictObject({
          method: z.literal('earned-premium-share').meta({
            description: 'IBNR is the rate times the premium the scheme earned over the months before the date.',
          }),
          rate: rateParam(),
          months: countParam(),
          source: sourceSchema,
        }),
        z.strictObject({
          method: z.literal('chain-ladder').meta({
            description:
              'IBNR is what the chain ladder projects on the triangle; with fewer than `minimumHistory` months since the scheme’s first claim, or a triangle the chain ladder cannot develop, the `fallback` method.',
          }),
          months: triangleMonths(),
          minimumHistory: countParam(),
          fallback: z.enum(['bornhuetter-ferguson', 'expected-loss-ratio']),
          expectedLossRatio: rateParam(),
          source: sourceSchema,
        }),
        z.strictObject({
          method: z.literal('bornhuetter-ferguson').meta({
            description:
              'IBNR is the expected loss ratio times each month’s earned premium, times the share the chain ladder says is still to be reported; expected loss ratio when the chain ladder cannot develop the triangle.',
          }),
          months: triangleMonths(),
          expectedLossRatio: rateParam(),
          source: sourceSchema,
        }),
        z.strictObject({
          method: z.literal('expected-loss-ratio').meta({
            description: 'IBNR is the expected loss ratio times the premium earned, less the claims reported, month by month.',
          }),
          months: triangleMonths(),
          expectedLossRatio: rateParam(),
          source: sourceSchema,
        }),
      ]),
    })
    .optional(),
  // The source of the version as a whole: its dates, rounding and scheme.
  source: sourceSchema,
  notes: z.array(z.string().min(1).max(2000)).max(50),
});
// A triangle needs two months to have a development, and is kept within what
// the methods read (thirty years of months).
function triangleMonths() {
  return z.string().regex(/^([2-9]|[1-9]\d|[1-2]\d\d|3[0-5]\d|360)$/, 'must be a whole count of months from 2 to 360');
}

export type IbnrMethod = NonNullable<Manifest['reserving']>['ibnr'];
export type Manifest = z.infer<typeof manifestSchema>;

export interface LeafCondition {
  fact: string;
  operator: OperatorName;
  value: unknown;
}
export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionListMax = 50;

export const ruleSchema = z.strictObject({
  // Stable across versions, so a diff matches a rule by it; it carries no
  // number, because amounts and counts change and the id must not.
  id: z
    .string({
      error: (issue) => (issue.input === undefined ? 'is missing: every rule has an id such as "death-benefit"' : undefined),
    })
    .regex(/^[a-z]+(-[a-z]+)*$/, 'must be kebab-case words without digits, such as "death-benefit"')
    .max(80),
  name: z.string().min(1).max(200),
  priority: z.int().min(1).max(100).default(1),
  // Checked node by node in validate.ts, which can say which operator or
  // fact is wrong; a zod union could only say that no branch matched.
  conditions: z.custom<Condition>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object with all, any or not',
  ),
  event: z.strictObject({ type: z.string().min(1), params: z.record(z.string(), z.unknown()) }),
});
export type Rule = z.output<typeof ruleSchema>;

export const rulesPerFileMax = 500;

export const ruleFileSchema = z.strictObject({
  area: z.enum(policyAreas),
  description: z.string().min(1).max(2000),
  rules: z.array(ruleSchema).max(rulesPerFileMax),
});
export type RuleFile = z.output<typeof ruleFileSchema>;

export const caseSchema = z.strictObject({
  name: z.string().min(1).max(300),
  area: z.enum(policyAreas),
  date: isoDateSchema,
  facts: z.record(z.string(), z.unknown()),
  expect: z.union([
    z.strictObject({
      version: z.string(),
      events: z.array(z.strictObject({ type: z.string(), params: z.record(z.string(), z.unknown()) })),
    }),
    z.strictObject({ error: z.literal('rule_not_in_force') }),
  ]),
});
export type RuleCase = z.infer<typeof caseSchema>;
export const caseFileSchema = z.array(caseSchema).min(1).max(1000);
