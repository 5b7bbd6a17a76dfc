import { basename } from 'node:path';
import { z } from 'zod';
import { isoDateSchema } from '../../../dates.ts';
import { InputError, NotFoundError } from '../../../errors.ts';
import { DraftError, makeDraftWithValues } from '../../../rules/drafts.ts';
import type { RuleVersion } from '../../../rules/load.ts';
import { jsonPath, RuleSetError } from '../../../rules/problems.ts';
import { sourceSchema } from '../../../rules/source.ts';
import { Notice, PostForm } from '../../components.tsx';
import { type ConsoleOptions, defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { groupOf, parameterText } from './values.tsx';
import { type Rules, schemePattern, versionParams, versionPath, versionPattern } from './versions.ts';

// Making a draft: the directorate starts from a published version, changes
// its values and its first day, and names the decision that sets them. The
// draft is made by the function behind POST /v1/rules/{scheme}/drafts, so
// the rule loader validates it as any rule file, and a refused one leaves
// nothing behind.

const directorate = ['directorate'] as const;
const valuePrefix = 'value:';
// Hidden and named fields beside one per value; a version has a few dozen values.
const draftFieldsMax = 300;

interface Problem {
  // The form's field it belongs to, when it has one.
  readonly field: string | null;
  readonly message: string;
}

interface Entered {
  readonly title: string;
  readonly effectiveFrom: string;
  readonly version: string;
  readonly document: string;
  readonly place: string;
  readonly note: string;
  readonly values: Readonly<Record<string, string>>;
}

const publishedVersion = (rules: Rules, scheme: string, version: string): RuleVersion => {
  const found = rules.book.schemes.get(scheme)?.find((entry) => entry.version === version);
  if (found === undefined) throw new NotFoundError('rule version', `${scheme}/${version}`);
  return found;
};

export function draftPages({ rules, today }: ConsoleOptions) {
  const page = (viewer: Viewer, from: RuleVersion, entered: Entered | null, problems: readonly Problem[]): PageResult => ({
    kind: 'page',
    status: problems.length > 0 ? 422 : 200,
    title: viewer.words.t('policy.draft.title', { scheme: from.scheme, version: from.version }),
    body: <DraftForm viewer={viewer} from={from} entered={entered} problems={problems} />,
  });
  return {
    page: definePage({
      path: '/kebijakan/:scheme/:version/draf',
      roles: directorate,
      query: z.strictObject({}),
      render: async ({ viewer, params }) => {
        const { scheme, version } = versionParams(params);
        return page(viewer, publishedVersion(rules, scheme, version), null, []);
      },
    }),
    form: defineForm({
      path: '/kebijakan/draf',
      roles: directorate,
      fieldsMax: draftFieldsMax,
      body: z.record(z.string().max(120), z.string().max(2000)),
      handle: async ({ viewer, body }) => {
        const scheme = body.scheme ?? '';
        const fromName = body.from ?? '';
        if (!schemePattern.test(scheme) || !versionPattern.test(fromName))
          throw new NotFoundError('rule version', `${scheme}/${fromName}`);
        const from = publishedVersion(rules, scheme, fromName);
        const entered: Entered = {
          title: (body.title ?? '').trim(),
          effectiveFrom: (body.effectiveFrom ?? '').trim(),
          version: (body.version ?? '').trim(),
          document: (body.document ?? '').trim(),
          place: (body.place ?? '').trim(),
          note: (body.note ?? '').trim(),
          values: Object.fromEntries(
            Object.entries(body)
              .filter(([name]) => name.startsWith(valuePrefix))
              .map(([name, value]) => [name.slice(valuePrefix.length), value.trim()]),
          ),
        };
        const { t } = viewer.words;
        const source = sourceSchema.safeParse({ document: entered.document, place: entered.place });
        const problems: Problem[] = [
          ...(isoDateSchema.safeParse(entered.effectiveFrom).success && entered.effectiveFrom >= today()
            ? []
            : [
                {
                  field: 'effectiveFrom',
                  message: t('policy.draft.effectiveFromProblem', { today: viewer.words.date(today()) }),
                },
              ]),
          ...(entered.version === '' || versionPattern.test(entered.version)
            ? []
            : [{ field: 'version', message: t('policy.draft.versionProblem') }]),
          ...(source.success
            ? []
            : source.error.issues.map((issue) => ({
                field: String(issue.path[0] ?? 'document'),
                message: t('policy.draft.sourceProblem'),
              }))),
          ...(entered.note.length >= 3 ? [] : [{ field: 'note', message: t('policy.draft.noteProblem') }]),
          ...(entered.title.length >= 1 && entered.title.length <= 200
            ? []
            : [{ field: 'title', message: t('policy.draft.titleProblem') }]),
        ];
        if (problems.length > 0 || !source.success) return page(viewer, from, entered, problems);
        try {
          const made = makeDraftWithValues(rules.dir, rules.book, {
            scheme,
            from: from.version,
            effectiveFrom: entered.effectiveFrom,
            ...(entered.version === '' ? {} : { version: entered.version }),
            values: entered.values,
            source: source.data,
            note: entered.note,
            title: entered.title,
          });
          return { kind: 'redirect', to: `${versionPath(scheme, made.version)}?made=1` };
        } catch (error) {
          if (error instanceof RuleSetError)
            return page(
              viewer,
              from,
              entered,
              error.problems.map((problem) => ({
                field: fieldOfPath(problem.path, entered.values),
                message: `${basename(problem.file)} ${problem.path}: ${problem.message}`,
              })),
            );
          if (error instanceof DraftError) return page(viewer, from, entered, [{ field: 'version', message: error.message }]);
          throw error;
        }
      },
      // The body is any set of short fields: only a field too long is refused before handle() reads it.
      refused: () => {
        throw new InputError([]);
      },
    }),
  };
}

// The form's field a loader problem names: a value's own input, or the first day.
function fieldOfPath(path: string, values: Readonly<Record<string, string>>): string | null {
  const named = Object.keys(values).find((name) => path.startsWith(jsonPath(['parameters', name])));
  if (named !== undefined) return `${valuePrefix}${named}`;
  if (path.startsWith('$.effectiveFrom') || path.startsWith('$.effectiveTo')) return 'effectiveFrom';
  return null;
}

function DraftForm(props: {
  readonly viewer: Viewer;
  readonly from: RuleVersion;
  readonly entered: Entered | null;
  readonly problems: readonly Problem[];
}) {
  const { viewer, from, entered, problems } = props;
  const { words } = viewer;
  const { t } = words;
  const problemOf = (field: string) => problems.find((problem) => problem.field === field)?.message;
  const groups = [...new Set([...from.parameters.keys()].map(groupOf))];
  return (
    <>
      <p class="lead">{t('policy.draft.lead', { version: from.version })}</p>
      {problems.length > 0 && (
        <Notice kind="error">
          <p>{t('policy.draft.problems')}</p>
          <ul>
            {problems.map((problem) => (
              <li>{problem.message}</li>
            ))}
          </ul>
        </Notice>
      )}
      <PostForm action="/kebijakan/draf" csrfToken={viewer.principal.csrfToken} submit={t('policy.draft.submit')}>
        <input type="hidden" name="scheme" value={from.scheme} />
        <input type="hidden" name="from" value={from.version} />
        <TextInput
          name="effectiveFrom"
          type="date"
          label={t('policy.draft.effectiveFrom')}
          value={entered?.effectiveFrom ?? ''}
          hint={t('policy.draft.effectiveFromHint')}
          problem={problemOf('effectiveFrom')}
        />
        <TextInput
          name="title"
          wide
          label={t('policy.version.name')}
          value={entered?.title ?? from.manifest.title}
          problem={problemOf('title')}
        />
        <TextInput
          name="version"
          label={t('policy.draft.version')}
          value={entered?.version ?? ''}
          hint={t('policy.draft.versionHint')}
          problem={problemOf('version')}
          optional
        />
        <TextInput
          name="document"
          wide
          label={t('policy.draft.document')}
          value={entered?.document ?? ''}
          hint={t('policy.draft.documentHint')}
          problem={problemOf('document')}
        />
        <TextInput name="place" wide label={t('policy.draft.place')} value={entered?.place ?? ''} problem={problemOf('place')} />
        <TextInput name="note" wide label={t('policy.draft.note')} value={entered?.note ?? ''} problem={problemOf('note')} />
        {groups.map((group) => (
          <fieldset class="policy-values">
            <legend>{group}</legend>
            {[...from.parameters.values()]
              .filter((parameter) => groupOf(parameter.name) === group)
              .map((parameter) =>
                parameter.formula === null ? (
                  <TextInput
                    name={`${valuePrefix}${parameter.name}`}
                    label={parameter.name}
                    value={entered?.values[parameter.name] ?? parameter.value}
                    hint={t(`policy.draft.kindHint.${parameter.kind}`, { now: parameterText(words, parameter) })}
                    problem={problemOf(`${valuePrefix}${parameter.name}`)}
                    inputMode={parameter.kind === 'count' ? 'numeric' : 'decimal'}
                  />
                ) : (
                  <p class="hint">
                    {parameter.name}: {parameterText(words, parameter)} (
                    {t('policy.value.formula', { formula: parameter.formula })})
                  </p>
                ),
              )}
          </fieldset>
        ))}
      </PostForm>
    </>
  );
}

// A labelled input whose problem, when it has one, is read out with it.
export function TextInput(props: {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly type?: 'text' | 'date';
  readonly hint?: string | undefined;
  readonly problem?: string | undefined;
  readonly optional?: boolean;
  readonly inputMode?: 'numeric' | 'decimal';
  // A sentence rather than a figure.
  readonly wide?: boolean;
}) {
  const { name, label, value, type = 'text', hint, problem, optional = false, inputMode, wide = false } = props;
  const id = `field-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const described = [hint === undefined ? null : `${id}-hint`, problem === undefined ? null : `${id}-problem`].filter(
    (entry) => entry !== null,
  );
  const attributes = {
    id,
    name,
    value,
    required: !optional,
    'aria-invalid': problem === undefined ? undefined : ('true' as const),
    'aria-describedby': described.length === 0 ? undefined : described.join(' '),
  };
  return (
    <div class={wide ? 'policy-field wide' : 'policy-field'}>
      <label for={id}>{label}</label>
      {type === 'date' ? <input type="date" {...attributes} /> : <input type="text" inputMode={inputMode} {...attributes} />}
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {problem !== undefined && (
        <p id={`${id}-problem`} class="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

// Which version a form acts on, carried in the form: a form's path has no parameters.
export function VersionFields({ scheme, version }: { readonly scheme: string; readonly version: string }) {
  return (
    <>
      <input type="hidden" name="scheme" value={scheme} />
      <input type="hidden" name="version" value={version} />
    </>
  );
}
