import type { ComponentChildren } from 'preact';
import { type Words } from '../../i18n/index.ts';

// The names the domain gives (a claim type, a benefit, a document kind, a
// reason, an audited action), in the person's language. Rules published
// later may name something the catalogue does not know yet: it is then shown
// as the rules wrote it, never dropped.
export function claimLabels(words: Words) {
  const named = (prefix: string, name: string, fallback = name) => {
    const key = `${prefix}.${name}`;
    return words.named(key, fallback);
  };
  return {
    claimType: (claimType: string) => named('claims.type', claimType),
    benefit: (benefit: string | null) => (benefit === null ? '—' : named('claims.benefit', benefit)),
    document: (kind: string) => named('claims.document', kind),
    // The rules' own explanation stands in for a reason the catalogue lacks.
    reason: (reason: { reason: string; explanation: string }) => named('claims.reason', reason.reason, reason.explanation),
    status: (status: string) => named('status.claim', status),
    action: (action: string) => named('claims.action', action.replaceAll('.', '-')),
    deathCause: (cause: string) => named('claims.deathCause', cause),
  };
}

// A labelled input of any type, its hint and its problem read out with it.
export function Input(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'date' | 'month' | 'number' | 'file';
  readonly value?: string | undefined;
  readonly required?: boolean;
  readonly hint?: string | undefined;
  readonly accept?: string;
  readonly min?: number;
  readonly max?: number;
  readonly inputMode?: 'numeric' | 'decimal';
  readonly autocomplete?: string;
}) {
  const { id, label, hint, value, type, inputMode, ...rest } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        // Preact types an input's attributes by its type; these are the ones every type here takes.
        type={type as 'text'}
        {...rest}
        {...(type === 'file' ? {} : { value: value ?? '' })}
        inputMode={inputMode}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
      />
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </>
  );
}

export function Select(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly value: string | undefined;
  readonly options: readonly (readonly [value: string, label: string])[];
  readonly required?: boolean;
}) {
  const { id, name, label, value, options, required } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={name} required={required}>
        {options.map(([option, text]) => (
          <option value={option} selected={option === (value ?? '')}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}

// Problems named by field, above the form that has them.
export function Problems({ title, problems }: { readonly title: string; readonly problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="notice error" role="alert">
      <p>{title}</p>
      <ul>
        {[...new Set(problems)].map((problem) => (
          <li>{problem}</li>
        ))}
      </ul>
    </div>
  );
}

export function Section(props: { readonly id: string; readonly title: string; readonly children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}
