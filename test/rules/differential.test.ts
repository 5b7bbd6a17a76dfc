import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factCatalogue } from '../../src/rules/catalogue.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { canonicalJson } from '../../src/hash.ts';
import type { Condition, Rule } from '../../src/rules/model.ts';
import { operatorUse, type OperatorName } from '../../src/rules/operators.ts';
import { referenceEvents } from '../../src/rules/reference.ts';

// The compiled evaluator must decide exactly as json-rules-engine does, on
// random rule trees over the benefits facts (integers, enums, decimals and
// nulls) and random facts.
const facts = factCatalogue.benefits;
const factNames = Object.keys(facts);

const decimalText = fc
  .integer({ min: 0, max: 5_000_000 })
  .chain((units) => fc.constantFrom(String(units), `${units}.5`, `${units}.00`, `${units}.25`));
const valueFor = (name: string): fc.Arbitrary<unknown> => {
  const spec = facts[name];
  switch (spec?.kind) {
    case 'integer':
      return fc.integer({ min: -2, max: 12 });
    case 'decimal':
      return decimalText;
    case 'enum':
      return fc.constantFrom(...(spec.values ?? []));
    default:
      return fc.boolean();
  }
};

const leaf: fc.Arbitrary<Condition> = fc.constantFrom(...factNames).chain((fact) => {
  const kind = facts[fact]?.kind ?? 'integer';
  const usable = (Object.keys(operatorUse) as OperatorName[]).filter((name) => operatorUse[name].kinds.includes(kind));
  return fc
    .constantFrom(...usable)
    .chain((operator) =>
      (operatorUse[operator].value === 'list' ? fc.array(valueFor(fact), { minLength: 1, maxLength: 3 }) : valueFor(fact)).map(
        (value) => ({ fact, operator, value }) as Condition,
      ),
    );
});

const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('node'), { maxLength: 3 }).map((any) => ({ any })),
    tie('node').map((not) => ({ not })),
  ),
})).node;

const rule = (index: number): fc.Arbitrary<Rule> =>
  fc
    .record({
      priority: fc.integer({ min: 1, max: 3 }),
      conditions: fc.oneof(
        fc.array(condition, { maxLength: 4 }).map((all) => ({ all })),
        fc.array(condition, { maxLength: 4 }).map((any) => ({ any })),
      ),
    })
    .map(({ priority, conditions }) => ({
      id: `rule-${'abcdef'[index]}`,
      name: `rule ${index}`,
      priority,
      conditions,
      event: { type: 'benefit', params: { index: String(index) } },
    }));

const rules = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => rule(index))));

const factsArbitrary = fc.record(
  Object.fromEntries(
    factNames.map((name) => [name, facts[name]?.nullable ? fc.option(valueFor(name), { nil: null }) : valueFor(name)]),
  ),
) as fc.Arbitrary<Record<string, unknown>>;

const sorted = (events: readonly { type: string; params: unknown }[]) =>
  events.map((event) => canonicalJson({ type: event.type, params: event.params })).sort();

describe('compiled rules versus json-rules-engine', () => {
  it('fire the same events on random rules and facts', async () => {
    await fc.assert(
      fc.asyncProperty(rules, fc.array(factsArbitrary, { minLength: 1, maxLength: 5 }), async (ruleList, factList) => {
        const compiled = compileRules(ruleList);
        for (const given of factList) {
          expect(sorted(compiled.events(given))).toEqual(sorted(await referenceEvents(ruleList, given)));
          expect(sorted(compiled.explain(given).events)).toEqual(sorted(compiled.events(given)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('order events by priority, highest first, then file order', () => {
    const always = { all: [] };
    const compiled = compileRules([
      { id: 'low', name: 'low', priority: 1, conditions: always, event: { type: 'a', params: {} } },
      { id: 'high', name: 'high', priority: 9, conditions: always, event: { type: 'b', params: {} } },
      { id: 'low-too', name: 'low too', priority: 1, conditions: always, event: { type: 'c', params: {} } },
    ]);
    expect(compiled.events({}).map((event) => event.rule)).toEqual(['high', 'low', 'low too']);
  });
});
