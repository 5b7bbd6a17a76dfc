import type { Enrolment } from '../../../registry/model.ts';
import { Notice } from '../../components.tsx';
import { type Words } from '../../i18n/index.ts';

// A refused enrolment as it was kept: who, the rule version that decided, and every reason.
export interface RefusalView {
  readonly participantId: string;
  readonly name: string;
  readonly enrolment: Pick<Enrolment, 'enrolledOn' | 'reasons' | 'rule'>;
}

// A reason code in the person's language; the rule's own wording when the
// catalogue does not know the code yet (a rule version newer than the console).
export function reasonText(words: Words, reason: { reason: string; explanation: string }): string {
  const key = `enrolment.reason.${reason.reason}`;
  return words.named(key, reason.explanation);
}

export function schemeName(words: Words, scheme: string): string {
  const key = `enrolment.scheme.${scheme}`;
  return words.named(key, scheme);
}

export function Refusal({ words, refusal }: { words: Words; refusal: RefusalView }) {
  const { t } = words;
  const { enrolment } = refusal;
  return (
    <Notice kind="error">
      <section class="decision" aria-labelledby="refusal-title">
        <h2 id="refusal-title">{t('enrolment.refused.title')}</h2>
        <p>{t('enrolment.refused.summary', { name: refusal.name })}</p>
        <p>
          {t('enrolment.refused.rule', {
            scheme: schemeName(words, enrolment.rule.scheme),
            version: enrolment.rule.version,
            date: words.date(enrolment.enrolledOn),
          })}
        </p>
        <p class="reasons-title">{t('enrolment.refused.reasons', { count: enrolment.reasons.length })}</p>
        <ol class="reasons">
          {enrolment.reasons.map((reason) => (
            <li>
              <strong>{reasonText(words, reason)}</strong>
              <span class="rule-wording">
                {t('enrolment.refused.ruleWording')} <span lang="en">{reason.explanation}</span>
              </span>
            </li>
          ))}
        </ol>
        <p class="hash">
          {t('enrolment.refused.hash')} <code>{enrolment.rule.hash}</code>
        </p>
        <p>{t('enrolment.refused.again')}</p>
        <p>
          <a href={`/peserta/${refusal.participantId}`}>{t('enrolment.refused.history')}</a>
        </p>
      </section>
    </Notice>
  );
}
