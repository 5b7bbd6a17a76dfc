import { formatRupiah, fromNumeric } from '../money/index.ts';
import { eventValueKinds, policyAreas } from './catalogue.ts';
import { canonicalJson } from '../hash.ts';
import { describeComparison, describeCondition, describeConditionValue } from './describe.ts';
import { sourceSchema } from './source.ts';
import type { RuleVersion } from './load.ts';
import type { Condition, IbnrMethod, Rule } from './model.ts';
import { describeParameterValue, isParameterReference, type Parameter, percentText } from './parameters.ts';

// What changed between two versions, in the directorate's words: each
// parameter that moved, old → new, and then every rule it reaches, matched by
// id, with each value that changed in its conditions and its event, and the
// parameter it comes from. Pure: two versions in, lines of text out.
export function diffVersions(from: RuleVersion, to: RuleVersion): string[] {
  const lines: string[] = [];
  const label = `${from.scheme}@${from.version} → ${to.scheme}@${to.version}`;
  if (from.effectiveFrom !== to.effectiveFrom) lines.push(`in force from ${from.effectiveFrom} → ${to.effectiveFrom}`);
  const fromRounding = `${from.manifest.rounding.mode}/${from.manifest.rounding.decimalPlaces}`;
  const toRounding = `${to.manifest.rounding.mode}/${to.manifest.rounding.decimalPlaces}`;
  if (fromRounding !== toRounding) lines.push(`rounding ${fromRounding} → ${toRounding}`);
  for (const change of changedParameters(from, to)) lines.push(parameterLine(change));
  const fromIbnr = describeIbnr(from.manifest.reserving?.ibnr);
  const toIbnr = describeIbnr(to.manifest.reserving?.ibnr);
  if (fromIbnr !== toIbnr) lines.push(`IBNR ${fromIbnr} → ${toIbnr}`);
  for (const area of policyAreas) {
    const before = byId(from.areas[area].rules);
    const after = byId(to.areas[area].rules);
    const written = { from: writtenRules(from, area), to: writtenRules(to, area) };
    for (const id of [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))]) {
      const old = before.get(id);
      const next = after.get(id);
      if (old === undefined)
        lines.push(
          `${area}: rule ${id} added: "${next?.name}" (${next?.event.type}: ${describeParams(next?.event.params ?? {})})`,
        );
      else if (next === undefined) lines.push(`${area}: rule ${id} removed: "${old.name}"`);
      else
        lines.push(
          ...ruleChanges(old, next, written.from.get(id), written.to.get(id)).map((change) => `${area}: rule ${id}: ${change}`),
        );
    }
  }
  return lines.length === 0 ? [`${label}: no policy differences`] : [label, ...lines.map((line) => `  ${line}`)];
}

export function describeIbnr(method: IbnrMethod | undefined): string {
  if (method === undefined) return 'none declared';
  const lossRatio = (declared: { expectedLossRatio: string }) =>
    `an expected loss ratio of ${percentText(declared.expectedLossRatio)}`;
  switch (method.method) {
    case 'earned-premium-share':
      return `${percentText(method.rate)} of premium earned over ${method.months} months`;
    case 'chain-ladder':
      return `chain ladder on the last ${method.months} months of reported claims; with under ${method.minimumHistory} months of history, ${ibnrMethodNames[method.fallback]} at ${lossRatio(method)}`;
    case 'bornhuetter-ferguson':
    case 'expected-loss-ratio':
      return `${ibnrMethodNames[method.method]} on the last ${method.months} months at ${lossRatio(method)}`;
    default: {
      const unreachable: never = method;
      throw new Error(`unknown IBNR method ${JSON.stringify(unreachable)}`);
    }
  }
}

export const ibnrMethodNames: Readonly<Record<IbnrMethod['method'], string>> = {
  'earned-premium-share': 'share of earned premium',
  'chain-ladder': 'chain ladder',
  'bornhuetter-ferguson': 'Bornhuetter–Ferguson',
  'expected-loss-ratio': 'expected loss ratio',
};

// A parameter whose value (or only its source) differs between two versions.
export interface ParameterChange {
  readonly name: string;
  readonly before: Parameter | undefined;
  readonly after: Parameter | undefined;
  // False when only the source changed.
  readonly valueChanged: boolean;
}

export function changedParameters(from: RuleVersion, to: RuleVersion): ParameterChange[] {
  return sortedUnion([...from.parameters.keys()], [...to.parameters.keys()]).flatMap((name) => {
    const before = from.parameters.get(name);
    const after = to.parameters.get(name);
    const valueChanged = before?.value !== after?.value || before?.kind !== after?.kind || before?.formula !== after?.formula;
    return valueChanged || canonicalJson(before?.source) !== canonicalJson(after?.source)
      ? [{ name, before, after, valueChanged }]
      : [];
  });
}

function parameterLine({ name, before, after, valueChanged }: ParameterChange): string {
  const formula = (parameter: Parameter | undefined) => (parameter?.formula == null ? '' : ` (= ${parameter.formula})`);
  const shown = (parameter: Parameter | undefined) =>
    parameter === undefined ? '(none)' : `${describeParameterValue(parameter)}${formula(parameter)}`;
  return valueChanged ? `parameter ${name}: ${shown(before)} → ${shown(after)}` : `parameter ${name}: source changed`;
}

// A rule as its file writes it, references and placeholders unfilled: the
// diff names the parameter a changed value comes from.
function writtenRules(version: RuleVersion, area: string): Map<string, Record<string, unknown>> {
  const file = version.content[`${area}.json`] as { rules?: Record<string, unknown>[] } | undefined;
  return new Map((file?.rules ?? []).map((rule) => [String(rule.id), rule]));
}

function ruleChanges(
  old: Rule,
  next: Rule,
  oldWritten?: Record<string, unknown>,
  nextWritten?: Record<string, unknown>,
): string[] {
  const changes: string[] = [];
  if (old.name !== next.name) changes.push(`name "${old.name}" → "${next.name}"`);
  if (old.priority !== next.priority) changes.push(`priority ${old.priority} → ${next.priority}`);
  changes.push(...conditionChanges(old.conditions, next.conditions, nextWritten?.conditions));
  if (old.event.type !== next.event.type) changes.push(`event ${old.event.type} → ${next.event.type}`);
  const writtenParams = (nextWritten?.event as { params?: Record<string, unknown> } | undefined)?.params ?? {};
  const oldWrittenParams = (oldWritten?.event as { params?: Record<string, unknown> } | undefined)?.params ?? {};
  for (const param of sortedUnion(Object.keys(old.event.params), Object.keys(next.event.params))) {
    const before = old.event.params[param];
    const after = next.event.params[param];
    if (canonicalJson(before) !== canonicalJson(after))
      changes.push(
        `${param} ${value(param, before)} → ${value(param, after)}${from(writtenParams[param] ?? oldWrittenParams[param])}`,
      );
  }
  return changes;
}

// Conditions of the same shape are compared value by value; a changed shape
// is shown whole, before and after.
function conditionChanges(old: Condition, next: Condition, written: unknown): string[] {
  if (!sameShape(old, next)) {
    return canonicalJson(old) === canonicalJson(next)
      ? []
      : [`conditions ${describeCondition(old)} → ${describeCondition(next)}`];
  }
  const changes: string[] = [];
  const walk = (before: Condition, after: Condition, writtenNode: unknown): void => {
    const children = (node: unknown, key: string) => ((node as Record<string, unknown> | undefined)?.[key] ?? []) as unknown[];
    if ('all' in before && 'all' in after)
      before.all.forEach((child, index) => walk(child, after.all[index] as Condition, children(writtenNode, 'all')[index]));
    else if ('any' in before && 'any' in after)
      before.any.forEach((child, index) => walk(child, after.any[index] as Condition, children(writtenNode, 'any')[index]));
    else if ('not' in before && 'not' in after) walk(before.not, after.not, (writtenNode as { not?: unknown } | undefined)?.not);
    else if ('fact' in before && 'fact' in after && canonicalJson(before.value) !== canonicalJson(after.value))
      changes.push(
        `condition ${describeComparison(after)} ${describeConditionValue(before.fact, before.value)} → ${describeConditionValue(after.fact, after.value)}${from((writtenNode as { value?: unknown } | undefined)?.value)}`,
      );
  };
  walk(old, next, written);
  return changes;
}

function sameShape(a: Condition, b: Condition): boolean {
  if ('all' in a && 'all' in b)
    return a.all.length === b.all.length && a.all.every((child, index) => sameShape(child, b.all[index] as Condition));
  if ('any' in a && 'any' in b)
    return a.any.length === b.any.length && a.any.every((child, index) => sameShape(child, b.any[index] as Condition));
  if ('not' in a && 'not' in b) return sameShape(a.not, b.not);
  return 'fact' in a && 'fact' in b && a.fact === b.fact && a.operator === b.operator;
}

function from(written: unknown): string {
  return isParameterReference(written) ? ` (${written.param})` : '';
}

export function describeParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .filter(([param]) => param !== 'source')
    .map(([param, entry]) => `${param} ${value(param, entry)}`)
    .join(', ');
}

function value(param: string, entry: unknown): string {
  if (entry === undefined) return '(none)';
  if (param === 'source') {
    const source = sourceSchema.safeParse(entry);
    if (source.success)
      return `${source.data.document}, ${source.data.place}${source.data.illustrative === true ? ' (illustrative)' : ''}`;
  }
  const kind = eventValueKinds[param];
  if (typeof entry === 'string' && kind === 'amount') return formatRupiah(fromNumeric(entry));
  if (typeof entry === 'string' && kind === 'rate') return percentText(entry);
  return typeof entry === 'string' ? entry : JSON.stringify(entry);
}

function byId(rules: readonly Rule[]): Map<string, Rule> {
  return new Map(rules.map((rule) => [rule.id, rule]));
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
