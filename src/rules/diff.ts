import { formatRupiah, fromNumeric, toDecimalString } from '../money/index.ts';
import { policyAreas } from './catalogue.ts';
import { canonicalJson } from '../hash.ts';
import { sourceSchema } from './source.ts';
import type { RuleVersion } from './load.ts';
import type { IbnrMethod, Rule } from './model.ts';

// What changed between two versions, in the directorate's words: rules added,
// removed or changed by name, and each policy value that moved, amounts in
// rupiah. Pure: two versions in, lines of text out.
export function diffVersions(from: RuleVersion, to: RuleVersion): string[] {
  const lines: string[] = [];
  const label = `${from.scheme}@${from.version} → ${to.scheme}@${to.version}`;
  if (from.effectiveFrom !== to.effectiveFrom) lines.push(`in force from ${from.effectiveFrom} → ${to.effectiveFrom}`);
  const fromRounding = `${from.manifest.rounding.mode}/${from.manifest.rounding.decimalPlaces}`;
  const toRounding = `${to.manifest.rounding.mode}/${to.manifest.rounding.decimalPlaces}`;
  if (fromRounding !== toRounding) lines.push(`rounding ${fromRounding} → ${toRounding}`);
  for (const name of sortedUnion(Object.keys(from.manifest.ceilings), Object.keys(to.manifest.ceilings))) {
    const before = from.manifest.ceilings[name];
    const after = to.manifest.ceilings[name];
    if (before?.amount !== after?.amount) lines.push(`ceiling ${name}: ${money(before?.amount)} → ${money(after?.amount)}`);
    else if (canonicalJson(before?.source) !== canonicalJson(after?.source)) lines.push(`ceiling ${name}: source changed`);
  }
  const fromIbnr = describeIbnr(from.manifest.reserving?.ibnr);
  const toIbnr = describeIbnr(to.manifest.reserving?.ibnr);
  if (fromIbnr !== toIbnr) lines.push(`IBNR ${fromIbnr} → ${toIbnr}`);
  for (const area of policyAreas) {
    const before = byName(from.areas[area].rules);
    const after = byName(to.areas[area].rules);
    for (const name of sortedUnion([...before.keys()], [...after.keys()])) {
      const old = before.get(name);
      const next = after.get(name);
      if (old === undefined)
        lines.push(`${area}: rule added "${name}" (${next?.event.type}: ${describeParams(next?.event.params ?? {})})`);
      else if (next === undefined) lines.push(`${area}: rule removed "${name}"`);
      else lines.push(...ruleChanges(area, name, old, next));
    }
  }
  return lines.length === 0 ? [`${label}: no policy differences`] : [label, ...lines.map((line) => `  ${line}`)];
}

export function describeIbnr(method: Pick<IbnrMethod, 'rate' | 'months'> | undefined): string {
  if (method === undefined) return 'none declared';
  return `${percent(method.rate)} of premium earned over ${method.months} months`;
}

function ruleChanges(area: string, name: string, old: Rule, next: Rule): string[] {
  const lines: string[] = [];
  if (canonicalJson(old.conditions) !== canonicalJson(next.conditions)) lines.push(`${area}: "${name}": conditions changed`);
  if (old.priority !== next.priority) lines.push(`${area}: "${name}": priority ${old.priority} → ${next.priority}`);
  if (old.event.type !== next.event.type) lines.push(`${area}: "${name}": event ${old.event.type} → ${next.event.type}`);
  for (const param of sortedUnion(Object.keys(old.event.params), Object.keys(next.event.params))) {
    const before = old.event.params[param];
    const after = next.event.params[param];
    if (canonicalJson(before) !== canonicalJson(after)) {
      lines.push(`${area}: "${name}": ${param} ${value(param, before)} → ${value(param, after)}`);
    }
  }
  return lines;
}

export function describeParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .filter(([param]) => param !== 'source')
    .map(([param, entry]) => `${param} ${value(param, entry)}`)
    .join(', ');
}

const amountParams = new Set([
  'amount',
  'amountMin',
  'amountMax',
  'allowance',
  'insuredWage',
  'premium',
  'monthlyAmount',
  'amountPerParticipant',
]);
const rateParams = new Set(['rate', 'subsidyRate', 'wageRate', 'flatMonthlyRate', 'monthlyRate', 'penaltyMonthlyRate']);

function value(param: string, entry: unknown): string {
  if (entry === undefined) return '(none)';
  if (param === 'source') {
    const source = sourceSchema.safeParse(entry);
    if (source.success)
      return `${source.data.document}, ${source.data.place}${source.data.illustrative === true ? ' (illustrative)' : ''}`;
  }
  if (typeof entry === 'string' && amountParams.has(param)) return formatRupiah(fromNumeric(entry));
  if (typeof entry === 'string' && rateParams.has(param)) return percent(entry);
  return typeof entry === 'string' ? entry : JSON.stringify(entry);
}

// "12.5 %", not formatPercent's Indonesian "12,5%": the IBNR description is
// written into journal entries, and those already read this way.
function percent(rate: string): string {
  return `${toDecimalString(fromNumeric(rate).times(100))} %`;
}

function money(text: string | undefined): string {
  return text === undefined ? '(none)' : formatRupiah(fromNumeric(text));
}

function byName(rules: readonly Rule[]): Map<string, Rule> {
  return new Map(rules.map((rule) => [rule.name, rule]));
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
