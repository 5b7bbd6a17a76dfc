import { z } from 'zod';
import { roles } from '../../../access/principal.ts';
import type { RuleVersion } from '../../../rules/load.ts';
import { Notice } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { type ConsoleOptions, definePage, type Viewer } from '../../page.ts';
import { WithdrawForm } from './publish.tsx';
import { ParameterGroups, VersionDiff } from './values.tsx';
import {
  findVersion,
  impactRoles,
  schemeVersions,
  stateOn,
  type VersionRow,
  versionParams,
  versionPath,
  versionPattern,
} from './versions.ts';

// Kebijakan: every scheme's versions, as GET /v1/rules lists them, for every role.
export function versionsPage({ rules, today }: ConsoleOptions) {
  return definePage({
    path: '/kebijakan',
    roles,
    nav: 'nav.policy',
    query: z.strictObject({ withdrawn: z.string().regex(versionPattern).optional() }),
    render: async ({ viewer: { words }, query }) => {
      const { t } = words;
      const schemes = schemeVersions(rules, today());
      return {
        kind: 'page',
        title: t('policy.versions.title'),
        body: (
          <>
            {query.withdrawn !== undefined && (
              <Notice kind="info">{t('policy.withdraw.done', { version: query.withdrawn })}</Notice>
            )}
            <p class="lead">{t('policy.versions.lead', { date: words.date(today()) })}</p>
            {[...schemes.entries()].map(([scheme, rows]) => (
              <SchemeVersions words={words} scheme={scheme} rows={rows} />
            ))}
          </>
        ),
      };
    },
  });
}

function SchemeVersions(props: { readonly words: Words; readonly scheme: string; readonly rows: readonly VersionRow[] }) {
  const { words, scheme, rows } = props;
  const { t } = words;
  return (
    <section aria-labelledby={`scheme-${scheme}`}>
      <h2 id={`scheme-${scheme}`}>{t('policy.versions.scheme', { scheme })}</h2>
      <div class="figure-table" tabIndex={0}>
        <table>
          <caption class="visually-hidden">{t('policy.versions.scheme', { scheme })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('policy.column.version')}</th>
              <th scope="col">{t('policy.column.state')}</th>
              <th scope="col">{t('policy.column.from')}</th>
              <th scope="col">{t('policy.column.to')}</th>
              <th scope="col">{t('policy.column.hash')}</th>
              <th scope="col">{t('policy.column.publishedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-version={row.version}>
                <td>
                  {row.state === 'withdrawn' ? row.version : <a href={versionPath(scheme, row.version)}>{row.version}</a>}
                  {row.title !== null && <span class="hint policy-title">{row.title}</span>}
                </td>
                <td>
                  <span class={`policy-state ${row.state}`}>{t(`policy.state.${row.state}`)}</span>
                  {row.problems.length > 0 && <span class="hint">{t('policy.draft.invalid')}</span>}
                </td>
                <td>{row.effectiveFrom === null ? '' : words.date(row.effectiveFrom)}</td>
                <td>{row.effectiveTo === null ? t('policy.value.openEnded') : words.date(row.effectiveTo)}</td>
                <td>
                  {row.hash !== null && (
                    <code class="hash" title={row.hash}>
                      {row.hash.slice(0, 12)}
                    </code>
                  )}
                </td>
                <td>
                  {row.publishedBy === null || row.publishedAt === null
                    ? ''
                    : t('policy.versions.publishedBy', {
                        who: row.publishedBy,
                        date: words.day(row.publishedAt),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// One version: where it stands, what the directorate may do with it, its
// values, and what it changes against the version before it.
export function versionPage({ rules, today }: ConsoleOptions) {
  return definePage({
    path: '/kebijakan/:scheme/:version',
    roles,
    query: z.strictObject({
      made: z.literal('1').optional(),
      published: z.literal('1').optional(),
    }),
    render: async ({ viewer, params, query }) => {
      const { words } = viewer;
      const { t } = words;
      const { scheme, version } = versionParams(params);
      const title = t('policy.version.title', { scheme, version });
      const found = findVersion(rules, scheme, version);
      if (found.kind === 'invalid')
        return {
          kind: 'page',
          status: 422,
          title,
          body: (
            <Notice kind="error">
              <p>{t('policy.draft.invalid')}</p>
              <ul>
                {found.problems.map((problem) => (
                  <li>{problem}</li>
                ))}
              </ul>
            </Notice>
          ),
        };
      const state = stateOn(found.version, today());
      return {
        kind: 'page',
        title,
        body: (
          <>
            {query.made === '1' && <Notice kind="info">{t('policy.draft.made', { version })}</Notice>}
            {query.published === '1' && <Notice kind="info">{t('policy.publish.done', { version })}</Notice>}
            <VersionFacts words={words} version={found.version} state={state} />
            <VersionActions viewer={viewer} version={found.version} state={state} />
            {found.previous === undefined ? (
              <p>{t('policy.diff.first')}</p>
            ) : (
              <VersionDiff words={words} from={found.previous} to={found.version} />
            )}
            <ParameterGroups words={words} version={found.version} />
          </>
        ),
      };
    },
  });
}

function VersionFacts(props: {
  readonly words: Words;
  readonly version: RuleVersion;
  readonly state: ReturnType<typeof stateOn>;
}) {
  const { words, version, state } = props;
  const { t } = words;
  const publication = version.publication;
  return (
    <dl class="details">
      <dt>{t('policy.column.state')}</dt>
      <dd>
        <span class={`policy-state ${state}`}>{t(`policy.state.${state}`)}</span>
      </dd>
      <dt>{t('policy.version.name')}</dt>
      <dd>{version.manifest.title}</dd>
      <dt>{t('policy.column.from')}</dt>
      <dd>{words.date(version.effectiveFrom)}</dd>
      <dt>{t('policy.column.to')}</dt>
      <dd>{version.effectiveTo === null ? t('policy.value.openEnded') : words.date(version.effectiveTo)}</dd>
      <dt>{t('policy.column.hash')}</dt>
      <dd>
        <code class="hash">{version.hash}</code>
      </dd>
      {publication !== null && (
        <>
          <dt>{t('policy.column.publishedBy')}</dt>
          <dd>
            {t('policy.versions.publishedBy', {
              who: publication.publishedBy,
              date: words.day(publication.publishedAt),
            })}
          </dd>
        </>
      )}
    </dl>
  );
}

// The acts the person's role allows on a version in this state.
function VersionActions(props: {
  readonly viewer: Viewer;
  readonly version: RuleVersion;
  readonly state: ReturnType<typeof stateOn>;
}) {
  const { viewer, version, state } = props;
  const { t } = viewer.words;
  const role = viewer.principal.role;
  const base = versionPath(version.scheme, version.version);
  const links = [
    ...(role === 'directorate' && state !== 'draft' ? [[`${base}/draf`, t('policy.action.draft')]] : []),
    ...((impactRoles as readonly string[]).includes(role) ? [[`${base}/dampak`, t('policy.action.impact')]] : []),
    ...(role === 'directorate' && state === 'draft' ? [[`${base}/terbitkan`, t('policy.action.publish')]] : []),
  ];
  return (
    <>
      {links.length > 0 && (
        <ul class="policy-actions">
          {links.map(([href, label]) => (
            <li>
              <a href={href}>{label}</a>
            </li>
          ))}
        </ul>
      )}
      {role === 'directorate' && state === 'scheduled' && <WithdrawForm viewer={viewer} version={version} />}
    </>
  );
}
