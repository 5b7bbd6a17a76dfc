import { formatRupiah, fromNumeric } from '../money/index.ts';
import { policyAreas } from './catalogue.ts';
import { describeIbnr, describeParams } from './diff.ts';
import { canonicalJson } from '../hash.ts';
import type { RuleVersion } from './load.ts';
import type { Source } from './source.ts';

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

// Pure: every value of the versions given (one scheme's, oldest first) with
// its source, the illustrative ones first; a value the versions hold alike
// (same file, place, value and source) is listed once with all of them.
export function sourcesOf(versions: readonly RuleVersion[]): SourcedValue[] {
  const listed = new Map<string, SourcedValue & { versions: string[] }>();
  let order = 0;
  const orderOf = new Map<string, number>();
  const add = (version: RuleVersion, file: string, path: string, value: string, source: Source) => {
    const key = canonicalJson([file, path, value, source]);
    const known = listed.get(key);
    if (known !== undefined) known.versions.push(version.version);
    else {
      listed.set(key, { scheme: version.scheme, versions: [version.version], file, path, value, source });
      orderOf.set(key, order++);
    }
  };
  for (const version of versions) {
    const { manifest } = version;
    add(version, 'manifest.json', 'source', `the version: in force from ${version.effectiveFrom}, its rounding`, manifest.source);
    for (const [name, ceiling] of Object.entries(manifest.ceilings))
      add(
        version,
        'manifest.json',
        `ceilings.${name}`,
        `ceiling ${name} ${formatRupiah(fromNumeric(ceiling.amount))}`,
        ceiling.source,
      );
    const ibnr = manifest.reserving?.ibnr;
    if (ibnr !== undefined) add(version, 'manifest.json', 'reserving.ibnr', `IBNR ${describeIbnr(ibnr)}`, ibnr.source);
    for (const area of policyAreas)
      version.areas[area].rules.forEach((rule, index) => {
        const params = describeParams(rule.event.params);
        add(
          version,
          `${area}.json`,
          `rules[${index}]`,
          `"${rule.name}": ${rule.event.type}${params === '' ? '' : ` ${params}`}`,
          rule.event.params.source as Source,
        );
      });
  }
  return [...listed.entries()]
    .sort(
      ([keyA, a], [keyB, b]) =>
        Number(b.source.illustrative === true) - Number(a.source.illustrative === true) ||
        (orderOf.get(keyA) ?? 0) - (orderOf.get(keyB) ?? 0),
    )
    .map(([, value]) => value);
}
