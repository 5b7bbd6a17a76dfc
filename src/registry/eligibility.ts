import type { PolicyArea } from '../rules/catalogue.ts';
import { decide, type Decision } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { ageOn } from './identity.ts';
import type { Enrolment, ParticipantInput } from './model.ts';
import { occupations } from './occupations.ts';

export interface EligibilityDecision {
  readonly status: 'active' | 'rejected';
  readonly reasons: Enrolment['reasons'];
  readonly decision: Decision;
}

const area: PolicyArea = 'eligibility';

// Pure: a person, a date and the rule book in; a decision out. Every
// criterion is put to the rules, not only age (the study's finding), and a
// refusal carries every reason that applies.
export type EligibilityPerson = Pick<
  ParticipantInput,
  'birthDate' | 'maritalStatus' | 'isHeadOfFamily' | 'occupation' | 'welfareStatus' | 'willingToSave' | 'attendsMonthlyMeeting'
>;

export function decideEligibility(book: RuleBook, scheme: string, person: EligibilityPerson, date: string): EligibilityDecision {
  const facts = {
    age: ageOn(person.birthDate, date),
    maritalStatus: person.maritalStatus,
    isHeadOfFamily: person.isHeadOfFamily,
    sector: occupations[person.occupation],
    welfareStatus: person.welfareStatus,
    willingToSave: person.willingToSave,
    attendsMonthlyMeeting: person.attendsMonthlyMeeting,
  };
  const decision = decide(book, { scheme, area, date, facts });
  const reasons = decision.events
    .filter((event) => event.type === 'ineligible')
    .map((event) => ({ reason: String(event.params.reason), explanation: String(event.params.explanation) }));
  return { status: reasons.length === 0 ? 'active' : 'rejected', reasons, decision };
}
