import type { z } from 'zod';
import { compareDecimals } from '../money/index.ts';
import { ceilingChecks, eventCatalogue, factCatalogue, type FactSpec, factValueProblem, type PolicyArea } from './catalogue.ts';
import { conditionListMax, type RuleFile, ruleFileSchema } from './model.ts';
import { type OperatorName, operatorNames, operatorUse } from './operators.ts';
import { jsonPath, type RuleProblem } from './problems.ts';
import type { Parameters } from './parameters.ts';
import { newReferenceEngine } from './reference.ts';

type Report = (path: readonly PropertyKey[], message: string) => void;

const conditionDepthMax = 10;

// Checks one policy file of one version: its shape, every fact and operator
// against what the code supplies, every event against what the code reads,
// every amount against the version's ceilings, and the engine's own parse.
// Parameter references are filled in before: `raw` holds values.
export function validateRuleFile(
  file: string,
  area: PolicyArea,
  raw: unknown,
  parameters: Parameters,
  used: Set<string>,
): { rules: RuleFile | null; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const report: Report = (path, message) => problems.push({ file, path: jsonPath(path), message });

  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(issue.path, issueMessage(issue));
    return { rules: null, problems };
  }
  const ruleFile = parsed.data;
  if (ruleFile.area !== area) report(['area'], `must be "${area}", the name of this file`);

  const events = eventCatalogue[area] as Record<string, z.ZodType>;
  const ids = new Set<string>();
  ruleFile.rules.forEach((rule, index) => {
    if (ids.has(rule.id)) report(['rules', index, 'id'], `"${rule.id}" is the id of an earlier rule in this file`);
    ids.add(rule.id);
    if (!conditionKeys.some((key) => key in rule.conditions))
      report(['rules', index, 'conditions'], 'must start with all, any or not');
    else checkCondition(area, rule.conditions, ['rules', index, 'conditions'], report);
    const eventPath = ['rules', index, 'event'];
    const schema = events[rule.event.type];
    if (schema === undefined) {
      report([...eventPath, 'type'], `unknown event "${rule.event.type}" for ${area}; known: ${Object.keys(events).join(', ')}`);
      return;
    }
    const params = schema.safeParse(rule.event.params);
    if (!params.success) {
      for (const issue of params.error.issues) report([...eventPath, 'params', ...issue.path], issueMessage(issue));
      return;
    }
    for (const check of ceilingChecks(rule.event.type, rule.event.params)) {
      const ceiling = parameters.get(`ceiling.${check.ceiling}`)?.value;
      used.add(`ceiling.${check.ceiling}`);
      if (ceiling === undefined) {
        report([...eventPath, 'params'], `manifest.json declares no parameter "ceiling.${check.ceiling}"`);
        continue;
      }
      for (const [name, amount] of Object.entries(check.amounts)) {
        // Unbounded: a wage multiple may run past the 15 digits an amount has.
        if (compareDecimals(amount, ceiling) > 0) {
          report(
            [...eventPath, 'params', ...name.split(' ').slice(0, 1)],
            `${name} ${amount} is above the ceiling ${ceiling} declared for "${check.ceiling}"`,
          );
        }
      }
    }
  });

  if (problems.length === 0) {
    try {
      newReferenceEngine(ruleFile.rules);
    } catch (error) {
      report(['rules'], `json-rules-engine refuses the rules: ${(error as Error).message}`);
    }
  }
  return { rules: problems.length === 0 ? ruleFile : null, problems };
}

const conditionKeys = ['all', 'any', 'not'] as const;
const leafKeys = ['fact', 'operator', 'value'];

function checkCondition(area: PolicyArea, raw: unknown, path: PropertyKey[], report: Report, depth = 0): void {
  if (depth > conditionDepthMax) return report(path, `conditions nest deeper than ${conditionDepthMax} levels`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return report(path, 'must be an object with all, any, not, or fact/operator/value');
  const node = raw as Record<string, unknown>;
  const keys = Object.keys(node);
  const group = conditionKeys.find((key) => key in node);
  if (group !== undefined) {
    const extra = keys.filter((key) => key !== group);
    if (extra.length > 0) return report(path, `unknown key(s) beside "${group}": ${extra.join(', ')}`);
    const children = node[group];
    if (group === 'not') return checkCondition(area, children, [...path, 'not'], report, depth + 1);
    if (!Array.isArray(children)) return report([...path, group], 'must be a list of conditions');
    // The engine holds an empty "any" true, which no reader would guess.
    if (group === 'any' && children.length === 0) return report([...path, group], 'must not be empty');
    if (children.length > conditionListMax) return report([...path, group], `must have at most ${conditionListMax} conditions`);
    children.forEach((child, index) => checkCondition(area, child, [...path, group, index], report, depth + 1));
    return;
  }
  const extra = keys.filter((key) => !leafKeys.includes(key));
  if (extra.length > 0) {
    const why = extra.includes('path')
      ? ' (JSONPath into facts is not allowed)'
      : extra.includes('params')
        ? ' (fact params are not allowed)'
        : '';
    return report(path, `unknown key(s): ${extra.join(', ')}${why}`);
  }
  if (typeof node.fact !== 'string') return report([...path, 'fact'], 'must name a fact');
  const spec = factCatalogue[area][node.fact];
  if (spec === undefined) {
    return report(
      [...path, 'fact'],
      `unknown fact "${node.fact}" for ${area}; known: ${Object.keys(factCatalogue[area]).join(', ')}`,
    );
  }
  if (typeof node.operator !== 'string' || !(operatorNames as readonly string[]).includes(node.operator)) {
    return report([...path, 'operator'], `unknown operator ${JSON.stringify(node.operator)}; known: ${operatorNames.join(', ')}`);
  }
  const use = operatorUse[node.operator as OperatorName];
  if (!use.kinds.includes(spec.kind)) {
    const allowed = Object.entries(operatorUse)
      .filter(([, entry]) => entry.kinds.includes(spec.kind))
      .map(([name]) => name);
    return report(
      [...path, 'operator'],
      `operator "${node.operator}" does not apply to ${spec.kind} fact "${node.fact}"; use one of: ${allowed.join(', ')}`,
    );
  }
  if (!('value' in node)) return report([...path, 'value'], 'is required');
  if (typeof node.value === 'object' && node.value !== null && !Array.isArray(node.value)) {
    return report([...path, 'value'], 'must be a literal (fact references are not allowed)');
  }
  if (use.value === 'list') {
    if (!Array.isArray(node.value) || node.value.length === 0)
      return report([...path, 'value'], `must be a non-empty list for "${node.operator}"`);
    node.value.forEach((item, index) => checkValue(spec, item, [...path, 'value', index], report));
    return;
  }
  checkValue(spec, node.value, [...path, 'value'], report);
}

function checkValue(spec: FactSpec, value: unknown, path: PropertyKey[], report: Report): void {
  const problem = factValueProblem(spec, value);
  if (problem !== null) report(path, problem);
}

export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key(s): ${issue.keys.join(', ')}`;
  return issue.message;
}
