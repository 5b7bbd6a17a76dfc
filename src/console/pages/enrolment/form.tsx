import type { ComponentChildren } from 'preact';
import { maritalStatuses, sectors, welfareStatuses } from '../../../rules/catalogue.ts';
import { sexes } from '../../../registry/identity.ts';
import { heirRelations } from '../../../registry/model.ts';
import { occupationNames, occupations } from '../../../registry/occupations.ts';
import { Notice } from '../../components.tsx';
import { catalogues, type MessageKey, type Words } from '../../i18n/index.ts';
import { type EnrolmentForm, heirRowsMax, type Problem } from './input.ts';
import { Refusal, type RefusalView } from './refusal.tsx';

const decileMax = 10;

export interface EnrolmentFormProps {
  readonly words: Words;
  readonly csrfToken: string;
  // Made when the form is rendered: the same form sent twice enrols once.
  readonly idempotencyKey: string;
  readonly lpaName: string;
  readonly scheme: string;
  readonly form: EnrolmentForm;
  readonly problems: readonly Problem[];
  readonly refusal: RefusalView | null;
}

// The enrolment form, grouped as an officer reads a person's papers:
// identity, address, work and welfare, what the person declares, the
// enrolment itself, then heirs. A refusal stands above it with every reason.
export function EnrolmentFormPage(props: EnrolmentFormProps) {
  const { words, form, problems, refusal } = props;
  const { t } = words;
  const field = fieldsOf(words, form, problems);
  return (
    <>
      {refusal !== null && <Refusal words={words} refusal={refusal} />}
      {problems.length > 0 && <Problems words={words} problems={problems} lead="enrolment.problems" />}
      {refusal === null && <p class="lead">{t('enrolment.intro')}</p>}
      <p>{t('enrolment.lpa', { lpa: props.lpaName })}</p>
      <form method="post" action="/pendaftaran" class="enrol" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="key" value={props.idempotencyKey} />
        <Group legend={t('enrolment.group.identity')}>
          {field.text('nik', { inputMode: 'numeric', maxLength: 16, autocomplete: 'off' })}
          {field.text('kk', { inputMode: 'numeric', maxLength: 16, autocomplete: 'off' })}
          {field.text('name', { maxLength: 100, autocomplete: 'name' })}
          {field.text('birthDate', { type: 'date', max: props.form.enrolledOn })}
          {field.select(
            'sex',
            options(sexes, (sex) => t(`sex.${sex}`)),
          )}
          {field.select(
            'maritalStatus',
            options(maritalStatuses, (status) => t(`enrolment.marital.${status}`)),
          )}
          {field.radios('isHeadOfFamily', [
            ['yes', t('enrolment.yes')],
            ['no', t('enrolment.no')],
          ])}
        </Group>
        <Group legend={t('enrolment.group.address')}>
          {field.text('address', { maxLength: 300, autocomplete: 'street-address' })}
          {field.text('phone', { type: 'tel', maxLength: 16, autocomplete: 'tel', optional: true })}
        </Group>
        <Group legend={t('enrolment.group.work')}>
          {field.select('occupation', [], occupationGroups(words))}
          {field.select(
            'welfareStatus',
            options(welfareStatuses, (status) => t(`enrolment.welfare.${status}`)),
          )}
          {field.select(
            'welfareDecile',
            Array.from({ length: decileMax }, (_, index) => [String(index + 1), words.count(index + 1)] as const),
            [],
            true,
          )}
        </Group>
        <Group legend={t('enrolment.group.declarations')} hint={t('enrolment.hint.declarations')}>
          {field.radios('willingToSave', declarationChoices(words))}
          {field.radios('attendsMonthlyMeeting', declarationChoices(words))}
        </Group>
        <Group legend={t('enrolment.group.scheme')}>
          <p class="field">
            <span class="label">{t('enrolment.field.scheme')}</span>
            <span>{props.scheme}</span>
            <span class="hint">{t('enrolment.hint.scheme')}</span>
          </p>
          {field.text('enrolledOn', { type: 'date' })}
        </Group>
        <Group legend={t('enrolment.group.heirs')} hint={t('enrolment.hint.heirs', { count: heirRowsMax })}>
          {Array.from({ length: heirRowsMax }, (_, index) => (
            <HeirRow field={field} words={words} row={index + 1} />
          ))}
        </Group>
        <button type="submit">{t('enrolment.submit')}</button>
      </form>
    </>
  );
}

export function Problems({ words, problems, lead }: { words: Words; problems: readonly Problem[]; lead: MessageKey }) {
  return (
    <Notice kind="error">
      <p>{words.t(lead)}</p>
      <ul>
        {problems.map((problem) => (
          <li>
            {problem.field === 'form' ? (
              words.t(problem.key, problem.values)
            ) : (
              <a href={`#${inputId(problem.field)}`}>{words.t(problem.key, problem.values)}</a>
            )}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

function Group({ legend, hint, children }: { legend: string; hint?: string; children: ComponentChildren }) {
  return (
    <fieldset class="group">
      <legend>{legend}</legend>
      {hint !== undefined && <p class="hint">{hint}</p>}
      {children}
    </fieldset>
  );
}

export function HeirRow({ field, words, row }: { field: Fields; words: Words; row: number }) {
  const { t } = words;
  return (
    <div class="heir">
      {field.text(`heir${row}Name`, { maxLength: 100, optional: true, label: t('enrolment.heir.name', { n: row }) })}
      {field.select(
        `heir${row}Relation`,
        options(heirRelations, (relation) => t(`relation.${relation}`)),
        [],
        true,
        t('enrolment.heir.relation', { n: row }),
      )}
      {field.text(`heir${row}Nik`, {
        inputMode: 'numeric',
        maxLength: 16,
        optional: true,
        autocomplete: 'off',
        label: t('enrolment.heir.nik', { n: row }),
      })}
    </div>
  );
}

const inputId = (name: string) => `enrol-${name}`;

type Options = readonly (readonly [string, string])[];

function options<V extends string>(values: readonly V[], label: (value: V) => string): Options {
  return values.map((value) => [value, label(value)] as const);
}

// Informal occupations first, where most of the fund's people are; formal ones are refused with a reason.
function occupationGroups(words: Words): readonly { label: string; options: Options }[] {
  return sectors.map((sector) => ({
    label: words.t(`enrolment.occupation.${sector}`),
    options: options(
      occupationNames.filter((name) => occupations[name] === sector),
      (name) => words.t(`enrolment.occupation.${name}`),
    ),
  }));
}

function declarationChoices(words: Words): Options {
  return [
    ['yes', words.t('enrolment.yes')],
    ['no', words.t('enrolment.no')],
    ['unasked', words.t('enrolment.notDeclared')],
  ];
}

interface TextOptions {
  readonly type?: 'text' | 'date' | 'tel';
  readonly inputMode?: 'numeric';
  readonly maxLength?: number;
  readonly max?: string;
  readonly autocomplete?: string;
  readonly optional?: true;
  readonly label?: string;
}

export type Fields = ReturnType<typeof fieldsOf>;

// Each field labelled, its hint and its problem read out with it, holding what was typed.
export function fieldsOf(words: Words, form: Readonly<Record<string, string | undefined>>, problems: readonly Problem[]) {
  const { t } = words;
  const valueOf = (name: string) => form[name] ?? '';
  const labelOf = (name: string) => t(`enrolment.field.${name}` as MessageKey);
  const hintOf = (name: string): string | null => {
    const key = `enrolment.hint.${name}`;
    return key in catalogues.id ? t(key as MessageKey) : null;
  };
  const problemOf = (name: string) => problems.find((problem) => problem.field === name);
  const described = (name: string, hint: string | null) => {
    const ids = [
      hint === null ? null : `${inputId(name)}-hint`,
      problemOf(name) === undefined ? null : `${inputId(name)}-problem`,
    ];
    const joined = ids.filter((id) => id !== null).join(' ');
    return joined === '' ? undefined : joined;
  };
  const after = (name: string, hint: string | null) => {
    const problem = problemOf(name);
    return (
      <>
        {hint !== null && (
          <span id={`${inputId(name)}-hint`} class="hint">
            {hint}
          </span>
        )}
        {problem !== undefined && (
          <span id={`${inputId(name)}-problem`} class="field-problem">
            {t(problem.key, problem.values)}
          </span>
        )}
      </>
    );
  };
  const caption = (label: string, optional: boolean) => (
    <>
      {label}
      {optional && <span class="optional"> {t('enrolment.optional')}</span>}
    </>
  );
  return {
    text: (name: string, options: TextOptions = {}) => {
      const hint = hintOf(name);
      const optional = options.optional === true;
      const attributes = {
        id: inputId(name),
        name,
        value: valueOf(name),
        maxLength: options.maxLength,
        autocomplete: options.autocomplete,
        required: !optional,
        'aria-invalid': problemOf(name) === undefined ? undefined : ('true' as const),
        'aria-describedby': described(name, hint),
      };
      return (
        <div class="field">
          <label for={inputId(name)}>{caption(options.label ?? labelOf(name), optional)}</label>
          {/* Preact types an input by its type: each kind is written out. */}
          {options.type === 'date' ? (
            <input type="date" {...attributes} max={options.max} />
          ) : options.type === 'tel' ? (
            <input type="tel" {...attributes} />
          ) : (
            <input type="text" {...attributes} inputMode={options.inputMode} />
          )}
          {after(name, hint)}
        </div>
      );
    },
    select: (
      name: string,
      choices: Options,
      groups: readonly { label: string; options: Options }[] = [],
      optional = false,
      label = labelOf(name),
    ) => {
      const hint = hintOf(name);
      const value = valueOf(name);
      const option = ([choice, text]: readonly [string, string]) => (
        <option value={choice} selected={choice === value}>
          {text}
        </option>
      );
      return (
        <div class="field">
          <label for={inputId(name)}>{caption(label, optional)}</label>
          <select
            id={inputId(name)}
            name={name}
            required={!optional}
            aria-invalid={problemOf(name) === undefined ? undefined : 'true'}
            aria-describedby={described(name, hint)}
          >
            <option value="" selected={value === ''}>
              {optional ? '—' : t('enrolment.choose')}
            </option>
            {choices.map(option)}
            {groups.map((group) => (
              <optgroup label={group.label}>{group.options.map(option)}</optgroup>
            ))}
          </select>
          {after(name, hint)}
        </div>
      );
    },
    radios: (name: string, choices: Options) => {
      const hint = hintOf(name);
      const value = valueOf(name);
      return (
        <fieldset class="field choices" aria-describedby={described(name, hint)}>
          <legend>{labelOf(name)}</legend>
          {choices.map(([choice, text], index) => (
            <label class="choice">
              <input
                type="radio"
                id={index === 0 ? inputId(name) : `${inputId(name)}-${choice}`}
                name={name}
                value={choice}
                checked={choice === value}
                aria-invalid={problemOf(name) === undefined ? undefined : 'true'}
              />
              {text}
            </label>
          ))}
          {after(name, hint)}
        </fieldset>
      );
    },
  };
}
