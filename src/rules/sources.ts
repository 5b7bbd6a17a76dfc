import { policyAreas } from './catalogue.ts';
import { describeIbnr, describeParams } from './diff.ts';
import { canonicalJson } from '../hash.ts';
import type { RuleVersion } from './load.ts';
import type { Rule } from './model.ts';
import { describeParameterValue, type Parameter, type Parameters } from './parameters.ts';
import type { Source } from './source.ts';

// One value of one version with where it comes from: the manifest's source,
// each ceiling, the IBNR method, and each rule's event.
export interface VersionValue {
  readonly file: string;
  readonly path: string;
  readonly value: string;
  readonly source: Source;
  // The rule whose event carries the value, for its conditions; null for the manifest's values.
  readonly rule: Rule | null;
}

// One value of policy with where it comes from, and the versions that hold
// it unchanged: the directorate's list of what rests on a document and what
// this rule file proposes.
export interface SourcedValue {
  readonly scheme: string;
  readonly versions: readonly string[];
  readonly file: string;
  readonly path: string;
  readonly value: string;
  readonly source: Source;
}

// Pure: every value of one version, in the order its files hold them
// (manifest first, then the areas in catalogue order).
export function valuesOf(version: RuleVersion): VersionValue[] {
  const { manifest } = version;
  const values: VersionValue[] = [
    {
      file: 'manifest.json',
      path: 'source',
      value: `the version: in force from ${version.effectiveFrom}, its rounding`,
      source: manifest.source,
      rule: null,
    },
  ];
  for (const parameter of version.parameters.values())
    values.push({
      file: 'manifest.json',
      path: `parameters.${parameter.name}`,
      value: `${parameter.name} ${describeParameterValue(parameter)}${parameter.formula === null ? '' : ` (= ${parameter.formula})`}`,
      source: parameter.source ?? workedOutSource(parameter, version.parameters),
      rule: null,
    });
  const ibnr = manifest.reserving?.ibnr;
  if (ibnr !== undefined)
    values.push({
      file: 'manifest.json',
      path: 'reserving.ibnr',
      value: `IBNR ${describeIbnr(ibnr)}`,
      source: ibnr.source,
      rule: null,
    });
  for (const area of policyAreas)
    version.areas[area].rules.forEach((rule, index) => {
      const params = describeParams(rule.event.params);
      values.push({
        file: `${area}.json`,
        path: `rules[${index}]`,
        value: `"${rule.name}": ${rule.event.type}${params === '' ? '' : ` ${params}`}`,
        source: rule.event.params.source as Source,
        rule,
      });
    });
  return values;
}

// Pure: every value of the versions given (one scheme's, oldest first) with
// its source, the illustrative ones first; a value the versions hold alike
// (same file, place, value and source) is listed once with all of them.
export function sourcesOf(versions: readonly RuleVersion[]): SourcedValue[] {
  const listed = new Map<string, SourcedValue & { versions: string[] }>();
  let order = 0;
  const orderOf = new Map<string, number>();
  for (const version of versions)
    for (const { file, path, value, source } of valuesOf(version)) {
      const key = canonicalJson([file, path, value, source]);
      const known = listed.get(key);
      if (known !== undefined) known.versions.push(version.version);
      else {
        listed.set(key, { scheme: version.scheme, versions: [version.version], file, path, value, source });
        orderOf.set(key, order++);
      }
    }
  return [...listed.entries()]
    .sort(
      ([keyA, a], [keyB, b]) =>
        Number(b.source.illustrative === true) - Number(a.source.illustrative === true) ||
        (orderOf.get(keyA) ?? 0) - (orderOf.get(keyB) ?? 0),
    )
    .map(([, value]) => value);
}

// A value worked out by a formula rests on its inputs: illustrative when any
// of them is, so `rules sources` lists it with what is still to be decided.
function workedOutSource(parameter: Parameter, parameters: Parameters): Source {
  const illustrative = parameter.inputs.filter((input) => parameters.get(input)?.source?.illustrative === true);
  const base = { document: 'Worked out from other values of this version', place: `= ${parameter.formula ?? ''}` };
  return illustrative.length === 0
    ? base
    : { ...base, illustrative: true, reason: `It rests on illustrative values: ${illustrative.join(', ')}` };
}
