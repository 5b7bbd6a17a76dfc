// Checks of the identity numbers and names on a participant record. The study
// found insurer data with names made of digits, and NIKs nobody checked; each
// check here returns a reason a person can act on.

export const sexes = ['male', 'female'] as const;
export type Sex = (typeof sexes)[number];

export type NikProblem =
  'nik_not_16_digits' | 'nik_region_unknown' | 'nik_birth_date_mismatch' | 'nik_sex_mismatch' | 'nik_serial_zero';

export const nikProblemMessages: Readonly<Record<NikProblem, string>> = {
  nik_not_16_digits: 'must be 16 digits',
  nik_region_unknown: 'starts with a regency code that is not in the region list',
  nik_birth_date_mismatch: 'digits 7 to 12 must be the birth date as DDMMYY (day plus 40 for women)',
  nik_sex_mismatch: 'its day of birth says the other sex (women have 40 added to the day)',
  nik_serial_zero: 'its last four digits must not be 0000',
};

// NIK: region (6) · birth date DDMMYY, day + 40 for women (6) · serial (4).
export function nikProblems(
  nik: string,
  person: { birthDate: string; sex: Sex },
  isKnownRegency: (code: string) => boolean,
): NikProblem[] {
  if (!/^\d{16}$/.test(nik)) return ['nik_not_16_digits'];
  const problems: NikProblem[] = [];
  if (!isKnownRegency(nik.slice(0, 4))) problems.push('nik_region_unknown');
  const encodedDay = Number(nik.slice(6, 8));
  const [year = '', month = '', day = ''] = person.birthDate.split('-');
  const femaleDay = encodedDay > 40;
  const dayMatches = (femaleDay ? encodedDay - 40 : encodedDay) === Number(day);
  if (!dayMatches || nik.slice(8, 10) !== month || nik.slice(10, 12) !== year.slice(2)) problems.push('nik_birth_date_mismatch');
  else if (femaleDay !== (person.sex === 'female')) problems.push('nik_sex_mismatch');
  if (nik.slice(12) === '0000') problems.push('nik_serial_zero');
  return problems;
}

// KK (family card): region (6) · date of issue (6) · serial (4).
export function kkProblems(kk: string, isKnownRegency: (code: string) => boolean): ('kk_not_16_digits' | 'kk_region_unknown')[] {
  if (!/^\d{16}$/.test(kk)) return ['kk_not_16_digits'];
  return isKnownRegency(kk.slice(0, 4)) ? [] : ['kk_region_unknown'];
}

const personNameLengthMax = 100;

// Letters of any script, with the marks Indonesian names use: spaces,
// apostrophes, hyphens, periods and commas (titles such as "H." or "S.Pd.").
export function personNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.length > personNameLengthMax) return `must be at most ${personNameLengthMax} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'must not contain control characters';
  if (/\p{N}/u.test(name)) return 'must not contain digits';
  if (!/^[\p{L}\p{M}][\p{L}\p{M} .'’,-]*$/u.test(name)) return "may hold only letters, spaces and . ' , -";
  if (!/\p{L}.*\p{L}/u.test(name)) return 'must have at least two letters';
  return null;
}

// Whole years between a birth date and a later date, both YYYY-MM-DD.
export function ageOn(birthDate: string, date: string): number {
  // ISO dates: month and day compare as text, so no date is parsed (every
  // enrolment, import row and re-check asks this).
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) >= birthDate.slice(5) ? years : years - 1;
}
