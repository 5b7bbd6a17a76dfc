import type { Condition, Rule } from './model.ts';
import { operators } from './operators.ts';

// Conditions are turned into plain closures once per version, so evaluating a
// rule costs a few function calls instead of a json-rules-engine run. The
// engine stays the reference: a differential property test keeps the two in
// agreement on random rules and facts.

export type Facts = Readonly<Record<string, unknown>>;
type Test = (facts: Facts) => boolean;

export type TraceNode =
  | { fact: string; operator: string; value: unknown; factValue: unknown; result: boolean }
  | { all: TraceNode[]; result: boolean }
  | { any: TraceNode[]; result: boolean }
  | { not: TraceNode; result: boolean };

export interface FiredEvent {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly rule: string;
  readonly ruleId: string;
}

export interface RuleTrace {
  readonly rule: string;
  readonly ruleId: string;
  readonly priority: number;
  readonly fired: boolean;
  readonly conditions: TraceNode;
}

export interface CompiledRules {
  // Events of the rules whose conditions hold, highest priority first, then
  // in file order.
  events(facts: Facts): FiredEvent[];
  explain(facts: Facts): { events: FiredEvent[]; trace: RuleTrace[] };
}

export function compileRules(rules: readonly Rule[]): CompiledRules {
  const ordered = rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => ({ rule, test: compileCondition(rule.conditions) }));
  return {
    events: (facts) => {
      const fired: FiredEvent[] = [];
      for (const { rule, test } of ordered) if (test(facts)) fired.push(eventOf(rule));
      return fired;
    },
    explain: (facts) => {
      const trace = ordered.map(({ rule }) => {
        const conditions = traceCondition(rule.conditions, facts);
        return { rule: rule.name, ruleId: rule.id, priority: rule.priority, fired: conditions.result, conditions };
      });
      const events = ordered.filter((_, index) => trace[index]?.fired === true).map(({ rule }) => eventOf(rule));
      return { events, trace };
    },
  };
}

function eventOf(rule: Rule): FiredEvent {
  return { type: rule.event.type, params: rule.event.params, rule: rule.name, ruleId: rule.id };
}

function compileCondition(condition: Condition): Test {
  if ('all' in condition) {
    const tests = condition.all.map(compileCondition);
    return (facts) => tests.every((test) => test(facts));
  }
  if ('any' in condition) {
    // json-rules-engine holds an empty list true, for any as for all.
    if (condition.any.length === 0) return () => true;
    const tests = condition.any.map(compileCondition);
    return (facts) => tests.some((test) => test(facts));
  }
  if ('not' in condition) {
    const test = compileCondition(condition.not);
    return (facts) => !test(facts);
  }
  const compare = operators[condition.operator];
  const { fact, value } = condition;
  return (facts) => compare(facts[fact], value);
}

function traceCondition(condition: Condition, facts: Facts): TraceNode {
  if ('all' in condition) {
    const all = condition.all.map((child) => traceCondition(child, facts));
    return { all, result: all.every((node) => node.result) };
  }
  if ('any' in condition) {
    const any = condition.any.map((child) => traceCondition(child, facts));
    return { any, result: any.length === 0 || any.some((node) => node.result) };
  }
  if ('not' in condition) {
    const not = traceCondition(condition.not, facts);
    return { not, result: !not.result };
  }
  const factValue = facts[condition.fact];
  return {
    fact: condition.fact,
    operator: condition.operator,
    value: condition.value,
    factValue,
    result: operators[condition.operator](factValue, condition.value),
  };
}
