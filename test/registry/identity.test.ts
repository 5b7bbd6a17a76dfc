import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageYear } from '../../src/registry/index.ts';
import { nikFor } from '../support/people.ts';
import { ageOn, kkProblems, nikProblems, personNameProblem, type Sex } from '../../src/registry/identity.ts';

const known = (code: string) => ['6210', '3171', '3404'].includes(code);

describe('nikProblems', () => {
  it.each([
    ['a man of Gunung Mas born 1980-03-07', '6210010703800001', { birthDate: '1980-03-07', sex: 'male' as const }, []],
    ['a woman born 1975-12-25 (day 25 + 40 = 65)', '6210016512750002', { birthDate: '1975-12-25', sex: 'female' as const }, []],
    ['15 digits', '621001070380001', { birthDate: '1980-03-07', sex: 'male' as const }, ['nik_not_16_digits']],
    ['letters', '62100107038000A1', { birthDate: '1980-03-07', sex: 'male' as const }, ['nik_not_16_digits']],
    ['an unknown regency', '9999010703800001', { birthDate: '1980-03-07', sex: 'male' as const }, ['nik_region_unknown']],
    ['another birth date', '6210010703800001', { birthDate: '1980-03-08', sex: 'male' as const }, ['nik_birth_date_mismatch']],
    ['another birth year', '6210010703810001', { birthDate: '1980-03-07', sex: 'male' as const }, ['nik_birth_date_mismatch']],
    ['a woman with a man’s day', '6210010703800001', { birthDate: '1980-03-07', sex: 'female' as const }, ['nik_sex_mismatch']],
    ['a zero serial', '6210010703800000', { birthDate: '1980-03-07', sex: 'male' as const }, ['nik_serial_zero']],
  ])('%s', (_case, nik, person, problems) => {
    expect(nikProblems(nik, person, known)).toEqual(problems);
  });

  it('accepts every NIK built from a known regency, a birth date and a sex, and refuses it for the other sex', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('6210', '3171', '3404'),
        fc.date({ min: new Date('1930-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }),
        fc.constantFrom<Sex>('male', 'female'),
        fc.integer({ min: 1, max: 9999 }),
        (regency, date, sex, serial) => {
          const birthDate = date.toISOString().slice(0, 10);
          const nik = nikFor(regency, birthDate, sex, serial);
          expect(nikProblems(nik, { birthDate, sex }, known)).toEqual([]);
          expect(nikProblems(nik, { birthDate, sex: sex === 'male' ? 'female' : 'male' }, known)).toEqual(['nik_sex_mismatch']);
        },
      ),
    );
  });
});

describe('kkProblems', () => {
  it('checks length and region', () => {
    expect(kkProblems('6210010101200001', known)).toEqual([]);
    expect(kkProblems('621001010120', known)).toEqual(['kk_not_16_digits']);
    expect(kkProblems('1111010101200001', known)).toEqual(['kk_region_unknown']);
  });
});

describe('personNameProblem', () => {
  it.each([
    ['Siti Aminah', null],
    ["Ni Luh Putu Ayu'", null],
    ['H. Abdul Rahman, S.Pd.', null],
    ['Dayak Ngaju-Ma’ruf', null],
    ['123456', 'must not contain digits'],
    ['Budi 2', 'must not contain digits'],
    ['Budi\u0007', 'must not contain control characters'],
    ['', 'must not be empty'],
    ['.', "may hold only letters, spaces and . ' , -"],
    ['B', 'must have at least two letters'],
    ['Budi@home', "may hold only letters, spaces and . ' , -"],
  ])('%j → %s', (name, problem) => {
    expect(personNameProblem(name)).toBe(problem);
  });
});

describe('ageOn', () => {
  it.each([
    ['1980-03-07', '2026-03-06', 45],
    ['1980-03-07', '2026-03-07', 46],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ])('born %s is %i on %s', (birthDate, date, age) => {
    expect(ageOn(birthDate, date)).toBe(age);
  });

  it('counts the birthdays passed, for any birth date and later date', () => {
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, day, (first, second) => {
        const [born, on] = first <= second ? [first, second] : [second, first];
        const birthdayPassed =
          on.getUTCMonth() > born.getUTCMonth() ||
          (on.getUTCMonth() === born.getUTCMonth() && on.getUTCDate() >= born.getUTCDate());
        const expected = on.getUTCFullYear() - born.getUTCFullYear() - (birthdayPassed ? 0 : 1);
        expect(ageOn(born.toISOString().slice(0, 10), on.toISOString().slice(0, 10))).toBe(expected);
      }),
    );
  });
});

describe('coverageYear', () => {
  it.each([
    ['2026-01-15', '2026-01-15', 1],
    ['2026-01-15', '2027-01-14', 1],
    ['2026-01-15', '2027-01-15', 2],
    ['2026-01-15', '2028-06-01', 3],
    ['2024-02-29', '2025-02-27', 1],
    ['2024-02-29', '2025-02-28', 2],
    ['2026-01-31', '2027-01-30', 1],
  ])('enrolled %s, on %s it is year %i', (enrolledOn, date, year) => {
    expect(coverageYear(enrolledOn, date)).toBe(year);
  });

  it('never counts a date before enrolment', () => {
    expect(() => coverageYear('2026-01-15', '2026-01-14')).toThrow('before the enrolment');
  });
});
