import { eventValueKinds, factCatalogue, type PolicyArea } from './catalogue.ts';
import { fillPlaceholders, isParameterReference, type Parameters } from './parameters.ts';
import { jsonPath, type RuleProblem } from './problems.ts';

// Puts each parameter's value where a rule file refers to it, before the file
// is checked, so every check of a value (its kind, its ceiling) sees the value
// itself. A value of policy written as a literal is refused here: it belongs
// in the manifest, once.
export function fillReferences(
  file: string,
  area: PolicyArea,
  raw: unknown,
  parameters: Parameters,
  used: Set<string>,
): { filled: unknown; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const report = (path: readonly PropertyKey[], message: string) => problems.push({ file, path: jsonPath(path), message });
  if (!isRecord(raw)) return { filled: raw, problems };
  const filled = structuredClone(raw);
  const text = (value: string, path: readonly PropertyKey[]) =>
    fillPlaceholders(
      value,
      parameters,
      (name) => used.add(name),
      (name) => report(path, `quotes {${name}}, which is not a parameter of this version`),
    );

  if (typeof filled.description === 'string') filled.description = text(filled.description, ['description']);
  if (!Array.isArray(filled.rules)) return { filled, problems };
  filled.rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    const path = ['rules', index];
    if (typeof rule.name === 'string') rule.name = text(rule.name, [...path, 'name']);
    fillCondition(rule.conditions, [...path, 'conditions']);
    const params = isRecord(rule.event) ? rule.event.params : undefined;
    if (!isRecord(params)) return;
    for (const [key, value] of Object.entries(params)) {
      const at = [...path, 'event', 'params', key];
      const kind = eventValueKinds[key];
      if (key === 'explanation' && typeof value === 'string') params[key] = text(value, at);
      else if (isParameterReference(value)) {
        const parameter = parameters.get(value.param);
        if (parameter === undefined) report([...at, 'param'], `"${value.param}" is not a parameter of this version`);
        else if (kind === undefined) report(at, `${key} does not take a parameter`);
        else if (parameter.kind !== kind)
          report([...at, 'param'], `${key} takes ${aKind(kind)}; "${value.param}" is ${aKind(parameter.kind)}`);
        else {
          used.add(parameter.name);
          params[key] = parameter.value;
        }
      } else if (kind !== undefined && value !== undefined) {
        report(
          at,
          `write the ${kind} as a parameter: declare it in manifest.json "parameters" and put {"param": "<its name>"} here`,
        );
      }
    }
  });
  return { filled, problems };

  function fillCondition(node: unknown, path: readonly PropertyKey[]): void {
    if (!isRecord(node)) return;
    for (const group of ['all', 'any'] as const) {
      const children = node[group];
      if (Array.isArray(children)) children.forEach((child, index) => fillCondition(child, [...path, group, index]));
    }
    if ('not' in node) fillCondition(node.not, [...path, 'not']);
    if (typeof node.fact !== 'string') return;
    const spec = factCatalogue[area][node.fact];
    if (spec === undefined) return;
    const at = [...path, 'value'];
    if (!isParameterReference(node.value)) {
      if (spec.kind === 'decimal' && node.value !== undefined)
        report(
          at,
          `write the amount or rate as a parameter: declare it in manifest.json "parameters" and put {"param": "<its name>"} here`,
        );
      return;
    }
    const parameter = parameters.get(node.value.param);
    if (parameter === undefined) {
      report([...at, 'param'], `"${node.value.param}" is not a parameter of this version`);
      return;
    }
    if (spec.kind === 'integer' && parameter.kind === 'count') node.value = Number(parameter.value);
    else if (spec.kind === 'decimal') node.value = parameter.value;
    else {
      report([...at, 'param'], `${node.fact} is ${aKind(spec.kind)} fact; "${parameter.name}" is ${aKind(parameter.kind)}`);
      return;
    }
    used.add(parameter.name);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function aKind(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
