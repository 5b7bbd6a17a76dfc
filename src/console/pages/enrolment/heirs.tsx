import { z } from 'zod';
import type { FieldIssue } from '../../../errors.ts';
import { heirsInputSchema, heirsPerParticipantMax, type HeirInput } from '../../../registry/model.ts';
import type { Words } from '../../i18n/index.ts';
import { fieldsOf, HeirRow, Problems } from './form.tsx';
import { heirRowFields, heirsOfRows, type Problem, problemsOfPaths, rowsOfHeirs, schemaPaths } from './heir-rows.ts';

// The heirs form on a participant's page: an LPA officer records a new heir
// or corrects one after enrolment, through the function behind
// PUT /v1/participants/{id}/heirs. Every row the participant may have is on
// the form, the recorded heirs filled in; emptying a row, or its remove
// button, takes that heir off.

export const heirsFormPath = '/peserta/ahli-waris';
export const heirRemovalPath = '/peserta/ahli-waris/hapus';
const removalFormId = 'heir-removal';

export const heirsFormSchema = z.strictObject({
  participant: z.string().max(100),
  ...heirRowFields(heirsPerParticipantMax),
});
export type HeirsForm = z.output<typeof heirsFormSchema>;

export const heirRemovalSchema = z.strictObject({ participant: z.string().max(100), heir: z.string().max(100) });

export function parseHeirs(form: HeirsForm): { heirs: HeirInput[] } | { problems: Problem[] } {
  const parsed = heirsInputSchema.safeParse({ heirs: heirsOfRows(form, heirsPerParticipantMax).heirs });
  if (parsed.success) return { heirs: parsed.data.heirs };
  return { problems: heirsProblems(form, schemaPaths(parsed.error)) };
}

// The domain's issues (InputError) by field, or the schema's paths, on the rows they name.
export function heirsProblems(form: HeirsForm, issues: readonly (FieldIssue | string)[]): Problem[] {
  const paths = issues.map((issue) => (typeof issue === 'string' ? issue : issue.field));
  return problemsOfPaths(paths, heirsOfRows(form, heirsPerParticipantMax).rows, {});
}

export interface RecordedHeir {
  readonly id: string;
  readonly name: string;
  readonly relation: string;
  readonly nik: string | null;
}

// The form with the recorded heirs filled in, each with a button that removes it.
export function HeirsEditor(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly participantId: string;
  readonly heirs: readonly RecordedHeir[];
}) {
  return (
    <HeirsFormView
      words={props.words}
      csrfToken={props.csrfToken}
      form={{ participant: props.participantId, ...rowsOfHeirs(props.heirs) }}
      problems={[]}
      removable={props.heirs}
    />
  );
}

// The form again as it was sent, with its problems; heirs are removed from it by emptying their rows.
export function HeirsFormView(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly form: HeirsForm;
  readonly problems: readonly Problem[];
  readonly removable: readonly RecordedHeir[];
}) {
  const { words, form, problems } = props;
  const { t } = words;
  const field = fieldsOf(words, form, problems);
  return (
    <section aria-labelledby="heirs-edit-title" class="heirs-form">
      <h3 id="heirs-edit-title">{t('enrolment.heirs.edit')}</h3>
      {problems.length > 0 && <Problems words={words} problems={problems} lead="enrolment.heirs.problems" />}
      <form method="post" action={heirsFormPath} class="enrol" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="participant" value={form.participant} />
        <fieldset class="group">
          <legend>{t('enrolment.group.heirs')}</legend>
          <p class="hint">{t('enrolment.heirs.hint', { count: heirsPerParticipantMax })}</p>
          {Array.from({ length: heirsPerParticipantMax }, (_, index) => {
            const recorded = props.removable[index];
            return (
              <div class="heir-line">
                <HeirRow field={field} words={words} row={index + 1} />
                {recorded !== undefined && (
                  // Sends the removal form below, not this one: Enter in a field still saves the rows.
                  <button type="submit" class="remove" form={removalFormId} name="heir" value={recorded.id}>
                    {t('enrolment.heirs.remove', { name: recorded.name })}
                  </button>
                )}
              </div>
            );
          })}
        </fieldset>
        <button type="submit">{t('enrolment.heirs.submit')}</button>
      </form>
      {props.removable.length > 0 && (
        <form id={removalFormId} method="post" action={heirRemovalPath}>
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="participant" value={form.participant} />
        </form>
      )}
    </section>
  );
}
