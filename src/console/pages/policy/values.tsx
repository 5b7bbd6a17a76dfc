import { changedParameters, diffVersions } from '../../../rules/diff.ts';
import type { RuleVersion } from '../../../rules/load.ts';
import type { Parameter } from '../../../rules/parameters.ts';
import { DataTable } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';

// A version's values as its manifest holds them, written as people read
// them: rupiah for amounts, percents for rates, whole counts.

export function parameterText(words: Words, parameter: Parameter | undefined): string {
  if (parameter === undefined) return words.t('policy.value.none');
  switch (parameter.kind) {
    case 'amount':
      return words.rupiah(parameter.value);
    case 'rate':
      return words.percent(parameter.value);
    case 'count':
      return words.count(Number(parameter.value));
    default: {
      const unreachable: never = parameter.kind;
      throw new Error(`unknown parameter kind ${String(unreachable)}`);
    }
  }
}

// Parameters are named "<group>.<what>": ceilings together, eligibility together.
export function groupOf(name: string): string {
  return name.split('.')[0] ?? name;
}

export function ParameterGroups({ words, version }: { readonly words: Words; readonly version: RuleVersion }) {
  const { t } = words;
  const groups = [...new Set([...version.parameters.keys()].map(groupOf))];
  return (
    <section aria-labelledby="parameters-title">
      <h2 id="parameters-title">{t('policy.version.parameters')}</h2>
      <p class="hint">{t('policy.version.parametersHint')}</p>
      {groups.map((group) => {
        const parameters = [...version.parameters.values()].filter((parameter) => groupOf(parameter.name) === group);
        return (
          <section class="policy-group" aria-labelledby={`group-${group}`}>
            <h3 id={`group-${group}`}>{group}</h3>
            <div class="figure-table" tabIndex={0}>
              <DataTable
                caption={t('policy.version.groupCaption', { group })}
                columns={[
                  { header: t('policy.column.parameter') },
                  { header: t('policy.column.value'), numeric: true },
                  { header: t('policy.column.source') },
                ]}
                rows={parameters.map((parameter) => [
                  parameter.name,
                  parameterText(words, parameter),
                  parameter.formula === null
                    ? `${parameter.source?.document ?? ''}; ${parameter.source?.place ?? ''}${parameter.source?.illustrative === true ? ` (${t('policy.value.illustrative')})` : ''}`
                    : t('policy.value.formula', { formula: parameter.formula }),
                ])}
                empty={t('table.empty')}
              />
            </div>
          </section>
        );
      })}
    </section>
  );
}

// What a version changes against the one before it, as GET
// /v1/rules/{scheme}/{version}/diff works it out: each value old → new,
// then each rule it reaches, in the rule files' own words.
export function VersionDiff(props: { readonly words: Words; readonly from: RuleVersion; readonly to: RuleVersion }) {
  const { words, from, to } = props;
  const { t } = words;
  const changes = changedParameters(from, to);
  const rows: string[][] = [
    ...(from.effectiveFrom === to.effectiveFrom
      ? []
      : [[t('policy.diff.effectiveFrom'), words.date(from.effectiveFrom), words.date(to.effectiveFrom)]]),
    ...changes.map((change) =>
      change.valueChanged
        ? [change.name, parameterText(words, change.before), parameterText(words, change.after)]
        : [change.name, t('policy.diff.sourceChanged'), t('policy.diff.sourceChanged')],
    ),
  ];
  const ruleLines = diffVersions(from, to)
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('parameter ') && !line.startsWith('in force from '));
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">{t('policy.diff.title', { from: from.version, to: to.version })}</h2>
      <div class="figure-table" tabIndex={0}>
        <DataTable
          caption={t('policy.diff.title', { from: from.version, to: to.version })}
          columns={[
            { header: t('policy.column.parameter') },
            { header: t('policy.diff.before', { version: from.version }), numeric: true },
            { header: t('policy.diff.after', { version: to.version }), numeric: true },
          ]}
          rows={rows}
          empty={t('policy.diff.none')}
        />
      </div>
      {ruleLines.length > 0 && (
        <>
          <h3>{t('policy.diff.rules')}</h3>
          <ul class="policy-diff-lines">
            {ruleLines.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
