import type { FieldIssue } from '../errors.ts';
import { kkProblems, nikProblemMessages, nikProblems, personNameProblem } from './identity.ts';
import type { ParticipantInput } from './model.ts';

// Checks beyond the schema: identity numbers against the region list and the
// person, names, and dates against today. Field names are the input's own,
// so the HTTP edge and the importer can each say where the field was.
export function participantProblems(
  input: ParticipantInput,
  today: string,
  isKnownRegency: (code: string) => boolean,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const nameProblem = personNameProblem(input.name);
  if (nameProblem !== null) issues.push({ field: 'name', message: nameProblem });
  if (input.birthDate > today) issues.push({ field: 'birthDate', message: 'must not be in the future' });
  if (input.enrolledOn > today) issues.push({ field: 'enrolledOn', message: 'must not be in the future' });
  if (input.enrolledOn < input.birthDate) issues.push({ field: 'enrolledOn', message: 'must not be before the birth date' });
  for (const problem of nikProblems(input.nik, input, isKnownRegency))
    issues.push({ field: 'nik', message: nikProblemMessages[problem] });
  for (const problem of kkProblems(input.kk, isKnownRegency)) {
    issues.push({
      field: 'kk',
      message:
        problem === 'kk_region_unknown' ? 'starts with a regency code that is not in the region list' : 'must be 16 digits',
    });
  }
  issues.push(...heirProblems(input.nik, input.heirs));
  return issues;
}

// The heirs' names, and their NIKs against the participant's and each other's:
// at enrolment and whenever the heirs are replaced.
export function heirProblems(
  participantNik: string,
  heirs: readonly { readonly name: string; readonly nik?: string | undefined }[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  heirs.forEach((heir, index) => {
    const problem = personNameProblem(heir.name);
    if (problem !== null) issues.push({ field: `heirs.${index}.name`, message: problem });
    if (heir.nik === participantNik)
      issues.push({ field: `heirs.${index}.nik`, message: 'must not be the participant’s own NIK' });
    else if (heir.nik !== undefined && heirs.slice(0, index).some((earlier) => earlier.nik === heir.nik))
      issues.push({ field: `heirs.${index}.nik`, message: 'repeats the NIK of an earlier heir' });
  });
  return issues;
}
