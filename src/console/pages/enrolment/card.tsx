import { z } from 'zod';
import type { Role } from '../../../access/principal.ts';
import { cardInputSchema } from '../../../registry/model.ts';
import { Notice } from '../../components.tsx';
import type { MessageKey, Words } from '../../i18n/index.ts';

// The membership card on a participant's page: the LPA records the card it
// issued, then the card prints as the API's PDF (GET /v1/participants/{id}/card.pdf
// answers a signed-in person's session as it answers a key).

// The roles the API's card PDF admits.
const cardReaders: readonly Role[] = ['directorate', 'lpa'];

export const cardFormSchema = z.strictObject({
  participant: z.string().max(100),
  number: z.string().max(100).optional(),
  issuedOn: z.string().max(20).optional(),
  deliveredOn: z.string().max(20).optional(),
});
export type CardForm = z.output<typeof cardFormSchema>;

const cardProblems = {
  number: 'enrolment.card.problem.number',
  issuedOn: 'enrolment.card.problem.issuedOn',
  deliveredOn: 'enrolment.card.problem.deliveredOn',
} as const satisfies Record<string, MessageKey>;

export function parseCard(form: CardForm): { card: z.output<typeof cardInputSchema> } | { problems: MessageKey[] } {
  const delivered = form.deliveredOn?.trim() ?? '';
  const parsed = cardInputSchema.safeParse({
    number: form.number?.trim(),
    issuedOn: form.issuedOn,
    ...(delivered === '' ? {} : { deliveredOn: delivered }),
  });
  if (parsed.success) return { card: parsed.data };
  const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  return {
    problems: [...fields].map((field) => cardProblems[field as keyof typeof cardProblems] ?? 'error.badInput.body'),
  };
}

export interface CardHolderView {
  readonly id: string;
  readonly card: { readonly number: string } | null;
  readonly coverageYear: number | null;
}

// What the participant's page offers about the card, by role: print it, or record it first.
export function CardActions(props: {
  readonly words: Words;
  readonly role: Role;
  readonly csrfToken: string;
  readonly participant: CardHolderView;
  readonly today: string;
}) {
  const { words, role, participant } = props;
  if (!cardReaders.includes(role)) return null;
  const recordable = role === 'lpa' && participant.card === null && participant.coverageYear !== null;
  if (participant.card === null && !recordable) return null;
  const { t } = words;
  return (
    <section aria-labelledby="card-title">
      <h2 id="card-title">{t('participant.card')}</h2>
      {participant.coverageYear === null ? (
        <p class="hint">{t('enrolment.card.notInCover')}</p>
      ) : participant.card !== null ? (
        <p>
          <a class="button" href={`/v1/participants/${participant.id}/card.pdf`}>
            {t('enrolment.card.print')}
          </a>
        </p>
      ) : (
        <CardRecordForm
          words={words}
          csrfToken={props.csrfToken}
          form={{ participant: participant.id, issuedOn: props.today }}
          problems={[]}
          titled
        />
      )}
    </section>
  );
}

export function CardRecordForm(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly form: CardForm;
  readonly problems: readonly MessageKey[];
  // On a page of its own the page's title names it already.
  readonly titled: boolean;
}) {
  const { words, form, problems } = props;
  const { t } = words;
  return (
    <section
      aria-label={props.titled ? undefined : t('enrolment.card.record')}
      aria-labelledby={props.titled ? 'card-record-title' : undefined}
    >
      {props.titled && <h3 id="card-record-title">{t('enrolment.card.record')}</h3>}
      {problems.length > 0 && (
        <Notice kind="error">
          <p>{t('enrolment.card.problems')}</p>
          <ul>
            {problems.map((problem) => (
              <li>{t(problem)}</li>
            ))}
          </ul>
        </Notice>
      )}
      <p class="hint">{t('enrolment.card.recordIntro')}</p>
      <form method="post" action="/peserta/kartu" class="stacked">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="participant" value={form.participant} />
        <label for="card-number">{t('enrolment.card.number')}</label>
        <input
          id="card-number"
          name="number"
          type="text"
          required
          maxLength={32}
          autocomplete="off"
          value={form.number ?? ''}
          aria-describedby="card-number-hint"
        />
        <p id="card-number-hint" class="hint">
          {t('enrolment.card.numberHint')}
        </p>
        <label for="card-issued">{t('enrolment.card.issuedOn')}</label>
        <input id="card-issued" name="issuedOn" type="date" required value={form.issuedOn ?? ''} />
        <label for="card-delivered">{t('enrolment.card.deliveredOn')}</label>
        <input
          id="card-delivered"
          name="deliveredOn"
          type="date"
          value={form.deliveredOn ?? ''}
          aria-describedby="card-delivered-hint"
        />
        <p id="card-delivered-hint" class="hint">
          {t('enrolment.card.deliveredHint')}
        </p>
        <button type="submit">{t('enrolment.card.submit')}</button>
      </form>
    </section>
  );
}
