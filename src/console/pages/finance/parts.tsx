import type { Entry } from '../../../ledger/model.ts';
import { DataTable, Notice } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import type { PageResult } from '../../page.ts';

// Pieces the finance pages share: inputs beyond the console's text Field,
// a list of what is wrong with a form, and a journal entry as booked.

// The national roles that read the fund's money and its jobs, as the API's report runs and jobs admit them.
export const fundReaders = ['directorate', 'finance', 'auditor'] as const;

// A labelled input of the kind the browser helps with (a date picker, a number pad).
export function Input(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'date' | 'month' | 'number';
  readonly value?: string;
  readonly required?: boolean;
  readonly hint?: string;
  readonly min?: string;
  readonly max?: string;
  readonly maxLength?: number;
  readonly inputMode?: 'decimal';
}) {
  const { id, label, hint, required = true, inputMode, type, ...input } = props;
  const attributes = { id, ...input, required, 'aria-describedby': hint === undefined ? undefined : `${id}-hint` };
  return (
    <>
      <label for={id}>{label}</label>
      {/* Preact types an input by its type: each kind is written out. */}
      {type === 'date' ? (
        <input type="date" {...attributes} />
      ) : type === 'month' ? (
        <input type="month" {...attributes} />
      ) : type === 'number' ? (
        <input type="number" {...attributes} />
      ) : (
        <input type="text" inputMode={inputMode} {...attributes} />
      )}
      {hint !== undefined && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </>
  );
}

export function Choice(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly options: readonly (readonly [value: string, label: string])[];
  readonly value?: string;
}) {
  const { id, name, label, options, value } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        {options.map(([option, text]) => (
          <option value={option} selected={option === value}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}

// What is wrong with a form, each problem naming its field, read out when the page opens.
export function Problems({ words, problems }: { readonly words: Words; readonly problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <Notice kind="error">
      <p>{words.t('finance.problems')}</p>
      <ul>
        {problems.map((problem) => (
          <li>{problem}</li>
        ))}
      </ul>
    </Notice>
  );
}

// A journal entry with its postings: what a payment booked.
export function EntryBooked({ words, entry }: { words: Words; entry: Entry }) {
  const { t } = words;
  return (
    <section aria-labelledby="entry-title">
      <h2 id="entry-title">{t('finance.entry.title', { sequence: entry.sequence })}</h2>
      <dl class="details">
        <dt>{t('finance.entry.date')}</dt>
        <dd>{words.date(entry.entryDate)}</dd>
        <dt>{t('finance.entry.description')}</dt>
        <dd>{entry.description}</dd>
        <dt>{t('finance.entry.postedBy')}</dt>
        <dd>{entry.postedBy}</dd>
      </dl>
      <DataTable
        caption={t('finance.entry.postings')}
        columns={[
          { header: t('finance.entry.code') },
          { header: t('finance.entry.account') },
          { header: t('finance.entry.debit'), numeric: true },
          { header: t('finance.entry.credit'), numeric: true },
        ]}
        rows={entry.postings.map((posting) => {
          // A posting is signed: positive debits its account, negative credits it.
          const credit = posting.amount.startsWith('-');
          const shown = words.rupiah(credit ? posting.amount.slice(1) : posting.amount);
          return [posting.accountCode, posting.accountName, credit ? '' : shown, credit ? shown : ''];
        })}
        empty={t('table.empty')}
      />
    </section>
  );
}

// A finance form whose fields are all short text fails its schema only when
// tampered with (a field added, one far too long): nothing to show again.
export function formRefused(words: Words, back: string): PageResult {
  return {
    kind: 'page',
    status: 400,
    title: words.t('error.badInput.title'),
    body: (
      <>
        <p>{words.t('finance.formRefused')}</p>
        <p>
          <a href={back}>{words.t('finance.back')}</a>
        </p>
      </>
    ),
  };
}
