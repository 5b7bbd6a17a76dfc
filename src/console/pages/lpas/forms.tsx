import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ConflictError, InputError, NotFoundError, UnprocessableError } from '../../../errors.ts';
import { uuidSchema } from '../../../ids.ts';
import { Notice } from '../../components.tsx';
import { type MessageKey, type Words } from '../../i18n/index.ts';

// The LPA section's forms: the body is taken as the text the browser sent,
// then parsed by the API's own schema and handed to the API's own function,
// so a rule reads the same here as there. What either refuses comes back as
// the catalogue's words for the field it names.

// A form's refusal: what to say, and the status to answer it with.
export interface Refusal {
  readonly status: 400 | 409 | 422;
  readonly problems: readonly MessageKey[];
}

// The words for each field a schema or a domain function may name, and for each code it may refuse with.
export interface RefusalWords {
  readonly fields: Readonly<Record<string, MessageKey>>;
  readonly codes?: Readonly<Record<string, MessageKey>>;
}

// The field an issue names: "amount" for zod's path, "body.amount" for the domain's.
function fieldOf(path: string): string {
  return path.replace(/^body\./, '').split('.')[0] ?? '';
}

function fieldProblems(fields: readonly string[], words: RefusalWords): MessageKey[] {
  return [...new Set(fields.map((field) => words.fields[field] ?? 'lpas.problem.form'))];
}

export function schemaRefusal(error: z.ZodError, words: RefusalWords): Refusal {
  return {
    status: 400,
    problems: fieldProblems(
      error.issues.map((issue) => fieldOf(issue.path.join('.'))),
      words,
    ),
  };
}

// A domain function's expected refusal as the form's words; anything else is not the person's to fix.
export function domainRefusal(error: unknown, words: RefusalWords): Refusal {
  if (error instanceof InputError)
    return {
      status: 400,
      problems: fieldProblems(
        error.issues.map((issue) => fieldOf(issue.field)),
        words,
      ),
    };
  if (error instanceof UnprocessableError)
    return { status: 422, problems: [words.codes?.[error.code] ?? 'lpas.problem.refused'] };
  if (error instanceof ConflictError) return { status: 409, problems: [words.codes?.[error.code] ?? 'lpas.problem.conflict'] };
  throw error;
}

// The body as sent: each field a short text, so a tampered form is the only thing refused before the API's schema reads it.
export function textOf(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

// Rupiah typed by a person: whole rupiah in digits. "50.000" is fifty
// thousand to an Indonesian and fifty to a decimal parser, so a separator
// is refused rather than guessed at.
export function isWholeRupiah(text: string): boolean {
  return /^[0-9]{1,15}$/.test(text.trim());
}

// An id from a path or a hidden field: anything but a uuid names nothing there is.
export function idOf(entity: 'LPA' | 'participant', text: string): string {
  const parsed = uuidSchema.safeParse(text);
  if (!parsed.success) throw new NotFoundError(entity, text);
  return parsed.data;
}

// A key kept in the catalogue, or the domain's own word when it has none.
export function labelOf(words: Words, key: string, fallback: string): string {
  return words.named(key, fallback);
}

export function Problems({ words, problems }: { readonly words: Words; readonly problems: readonly MessageKey[] }) {
  if (problems.length === 0) return null;
  return (
    <Notice kind="error">
      <p>{words.t('lpas.problem.intro')}</p>
      <ul>
        {problems.map((problem) => (
          <li>{words.t(problem)}</li>
        ))}
      </ul>
    </Notice>
  );
}

export function InputField(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'date' | 'month';
  readonly value?: string;
  readonly hint?: string;
  readonly optional?: boolean;
  readonly inputMode?: 'numeric';
  readonly maxLength?: number;
}) {
  const { id, label, hint, optional = false, type, ...input } = props;
  const describedBy = hint === undefined ? undefined : `${id}-hint`;
  const attributes = { id, ...input, required: !optional, 'aria-describedby': describedBy };
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'date' ? (
        <input type="date" {...attributes} />
      ) : type === 'month' ? (
        <input type="month" {...attributes} />
      ) : (
        <input type="text" {...attributes} />
      )}
      {hint !== undefined && (
        <p id={describedBy} class="hint">
          {hint}
        </p>
      )}
    </>
  );
}

export function SelectField(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly value?: string;
}) {
  const { id, name, label, options, value } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={name} required>
        {options.map((option) => (
          <option value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}

export function TextAreaField(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly value?: string;
  readonly maxLength: number;
  readonly hint?: string;
}) {
  const { id, name, label, value, maxLength, hint } = props;
  const describedBy = hint === undefined ? undefined : `${id}-hint`;
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name={name} maxLength={maxLength} rows={3} required aria-describedby={describedBy}>
        {value ?? ''}
      </textarea>
      {hint !== undefined && (
        <p id={describedBy} class="hint">
          {hint}
        </p>
      )}
    </>
  );
}

export function ReferenceField({ words, id, value }: { words: Words; id: string; value: string | undefined }) {
  const { t } = words;
  return (
    <InputField
      id={id}
      name="reference"
      type="text"
      label={t('lpas.field.reference')}
      hint={t('lpas.field.reference.hint')}
      value={value}
      maxLength={100}
    />
  );
}

export function AmountField({ words, id, value }: { words: Words; id: string; value: string | undefined }) {
  const { t } = words;
  return (
    <InputField
      id={id}
      name="amount"
      type="text"
      inputMode="numeric"
      label={t('lpas.field.amount')}
      hint={t('lpas.field.amount.hint')}
      value={value}
      maxLength={15}
    />
  );
}

// The key a form that moves money carries from its rendering, passed on as
// an API client's Idempotency-Key would be: a second submit of the same
// form repeats the first. Kept when a refused form is shown again.
export function FormKeyField({ sent }: { readonly sent: { readonly key?: string } | undefined }) {
  return <input type="hidden" name="key" value={sent?.key ?? randomUUID()} />;
}
