import { z } from 'zod';
import type { FieldIssue } from '../../../errors.ts';
import { participantInputSchema, type ParticipantInput } from '../../../registry/model.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { given, heirRowFields, heirsOfRows, type Problem, problemsOfPaths, rowsOfHeirs, schemaPaths } from './heir-rows.ts';

export type { Problem } from './heir-rows.ts';

// The enrolment form as the browser sends it: text in every field, so that a
// form with a mistake comes back with everything the officer typed. It is
// turned into the API's input and parsed by the API's own schema; the
// domain's further checks name the same fields.

export const heirRowsMax = 3;
const textMax = 300;

const text = z.string().max(textMax).optional();

export const enrolmentFormSchema = z.strictObject({
  key: z.uuid(),
  nik: text,
  kk: text,
  name: text,
  birthDate: text,
  sex: text,
  maritalStatus: text,
  isHeadOfFamily: text,
  occupation: text,
  welfareStatus: text,
  welfareDecile: text,
  willingToSave: text,
  attendsMonthlyMeeting: text,
  address: text,
  phone: text,
  enrolledOn: text,
  ...heirRowFields(heirRowsMax),
});
export type EnrolmentForm = Omit<z.output<typeof enrolmentFormSchema>, 'key'>;

const yesNo = (value: string | undefined) => (value === 'yes' ? true : value === 'no' ? false : value);
const declared = (value: string | undefined) => (value === '' || value === 'unasked' ? null : yesNo(value));

// The form's text as the API's JSON would carry it; an empty optional field is left out.
function apiInput(form: EnrolmentForm): unknown {
  const decile = given(form.welfareDecile);
  return {
    nik: form.nik?.trim(),
    kk: form.kk?.trim(),
    name: form.name,
    birthDate: form.birthDate,
    sex: form.sex,
    maritalStatus: form.maritalStatus,
    isHeadOfFamily: yesNo(form.isHeadOfFamily),
    occupation: form.occupation,
    welfareStatus: form.welfareStatus,
    welfareDecile: decile === undefined ? undefined : /^\d{1,2}$/.test(decile) ? Number(decile) : decile,
    willingToSave: declared(form.willingToSave),
    attendsMonthlyMeeting: declared(form.attendsMonthlyMeeting),
    address: form.address,
    phone: given(form.phone),
    // Rows are kept where they stand, so a problem names the row the officer filled.
    heirs: heirsOfRows(form, heirRowsMax).heirs,
    enrolledOn: form.enrolledOn,
  };
}

export function parseEnrolment(form: EnrolmentForm): { input: ParticipantInput } | { problems: Problem[] } {
  const parsed = participantInputSchema.safeParse(apiInput(form));
  if (parsed.success) return { input: parsed.data };
  return { problems: domainProblems(form, schemaPaths(parsed.error)) };
}

// The domain's issues (InputError) by field, or the schema's paths: the same names either way.
export function domainProblems(form: EnrolmentForm, issues: readonly (FieldIssue | string)[]): Problem[] {
  const paths = issues.map((issue) => (typeof issue === 'string' ? issue : issue.field));
  return problemsOfPaths(paths, heirsOfRows(form, heirRowsMax).rows, fieldProblems);
}

const fieldProblems = {
  nik: 'enrolment.problem.nik',
  kk: 'enrolment.problem.kk',
  name: 'enrolment.problem.name',
  birthDate: 'enrolment.problem.birthDate',
  sex: 'enrolment.problem.sex',
  maritalStatus: 'enrolment.problem.maritalStatus',
  isHeadOfFamily: 'enrolment.problem.isHeadOfFamily',
  occupation: 'enrolment.problem.occupation',
  welfareStatus: 'enrolment.problem.welfareStatus',
  welfareDecile: 'enrolment.problem.welfareDecile',
  willingToSave: 'enrolment.problem.willingToSave',
  attendsMonthlyMeeting: 'enrolment.problem.attendsMonthlyMeeting',
  address: 'enrolment.problem.address',
  phone: 'enrolment.problem.phone',
  enrolledOn: 'enrolment.problem.enrolledOn',
} as const satisfies Record<string, MessageKey>;

// A participant as the form shows them again (after a refusal, to correct and resubmit).
export function formOf(person: StoredPerson, enrolledOn: string): EnrolmentForm {
  const choice = (value: boolean | null) => (value === null ? 'unasked' : value ? 'yes' : 'no');
  const heirs = rowsOfHeirs(person.heirs.slice(0, heirRowsMax));
  return {
    nik: person.nik,
    kk: person.kk,
    name: person.name,
    birthDate: person.birthDate,
    sex: person.sex,
    maritalStatus: person.maritalStatus,
    isHeadOfFamily: person.isHeadOfFamily ? 'yes' : 'no',
    occupation: person.occupation,
    welfareStatus: person.welfareStatus,
    welfareDecile: person.welfareDecile === null ? '' : String(person.welfareDecile),
    willingToSave: choice(person.willingToSave),
    attendsMonthlyMeeting: choice(person.attendsMonthlyMeeting),
    address: person.address,
    phone: person.phone ?? '',
    enrolledOn,
    ...heirs,
  };
}

// What the participant's page reads of a person, for formOf.
export interface StoredPerson {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly maritalStatus: string;
  readonly isHeadOfFamily: boolean;
  readonly occupation: string;
  readonly welfareStatus: string;
  readonly welfareDecile: number | null;
  readonly willingToSave: boolean | null;
  readonly attendsMonthlyMeeting: boolean | null;
  readonly address: string;
  readonly phone: string | null;
  readonly heirs: readonly { readonly name: string; readonly relation: string; readonly nik: string | null }[];
}
