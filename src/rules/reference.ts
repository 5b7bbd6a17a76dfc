import { Engine } from 'json-rules-engine';
import type { Facts } from './compile.ts';
import type { Rule } from './model.ts';
import { customOperators } from './operators.ts';

// json-rules-engine as the reference semantics. A new Engine for every run:
// a shared Engine drops rules under concurrent runs (RULES-NOTES.md, item 1).
// Paths into facts are refused at validation, so the resolver never needs
// JSONPath (CVE-2024-21534).
export function newReferenceEngine(rules: readonly Rule[]): Engine {
  const engine = new Engine([], {
    allowUndefinedFacts: false,
    pathResolver: (value: unknown) => value,
  });
  for (const [name, compare] of Object.entries(customOperators)) engine.addOperator(name, compare);
  for (const rule of rules) {
    engine.addRule({ name: rule.name, priority: rule.priority, conditions: rule.conditions as never, event: rule.event });
  }
  return engine;
}

export async function referenceEvents(rules: readonly Rule[], facts: Facts): Promise<{ type: string; params: unknown }[]> {
  const { events } = await newReferenceEngine(rules).run({ ...facts });
  return events.map((event) => ({ type: event.type, params: event.params }));
}
