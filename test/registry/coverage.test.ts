import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/dates.ts';
import {
  coverageYear,
  coverageYearOfMonth,
  coverageYearOfMonthSql,
  monthOfCoverStartingIn,
  monthOfCoverStartingInSql,
} from '../../src/registry/index.ts';
import { monthOfCoverOn, monthOfCoverOnSql } from '../../src/registry/coverage.ts';
import { lastDayOfMonth } from '../../src/ledger/periods.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

// Dates between 1996 and 2040, half of them a month's last days or around
// 29 February, where counting months goes wrong first.
const dayIndexMax = 16_000;
const anyDay = fc.integer({ min: 0, max: dayIndexMax }).map((index) => addDays('1996-01-01', index));
const edgeDay = fc
  .record({
    year: fc.integer({ min: 1996, max: 2040 }),
    month: fc.integer({ min: 1, max: 12 }),
    back: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ year, month, back }) => addDays(lastDayOfMonth(`${year}-${String(month).padStart(2, '0')}`), -back));
const leapDay = fc.constantFrom('2000-02-29', '2004-02-29', '2024-02-29', '2028-02-29', '2025-02-28', '2027-03-01');
const day = fc.oneof(anyDay, edgeDay, leapDay);
const enrolmentAndDate = fc.tuple(day, day).map(([a, b]): [string, string] => (a <= b ? [a, b] : [b, a]));

describe('months of cover and coverage years', () => {
  it.each([
    ['2026-03-20', '2026-03-20', 1, 1],
    ['2026-03-20', '2026-04-19', 1, 1],
    ['2026-03-20', '2026-04-20', 2, 1],
    ['2026-03-20', '2027-03-05', 12, 1],
    ['2026-03-20', '2027-03-20', 13, 2],
    ['2026-01-31', '2026-02-27', 1, 1],
    ['2026-01-31', '2026-02-28', 2, 1],
    ['2026-01-31', '2026-03-30', 2, 1],
    ['2026-01-31', '2026-03-31', 3, 1],
    ['2024-02-29', '2025-02-28', 13, 2],
    ['2024-03-10', '2026-11-30', 33, 3],
  ])('enrolled %s, on %s: month of cover %i, coverage year %i', (enrolledOn, date, month, year) => {
    expect(monthOfCoverOn(enrolledOn, date)).toBe(month);
    expect(coverageYear(enrolledOn, date)).toBe(year);
  });

  it("a calendar month owes for the month of cover starting in it, the one in force on the month's last day", () => {
    expect(monthOfCoverStartingIn('2026-01-31', '2026-01')).toBe(1);
    expect(monthOfCoverStartingIn('2026-01-31', '2026-02-01')).toBe(2);
    expect(monthOfCoverStartingIn('2024-03-10', '2026-11')).toBe(33);
    expect([1, 12, 13, 24, 25, 47].map(coverageYearOfMonth)).toEqual([1, 1, 2, 2, 3, 4]);
    fc.assert(
      fc.property(enrolmentAndDate, ([enrolledOn, date]) => {
        const period = date.slice(0, 7);
        expect(monthOfCoverStartingIn(enrolledOn, period)).toBe(monthOfCoverOn(enrolledOn, lastDayOfMonth(period)));
      }),
      { numRuns: 2000 },
    );
  });

  it('are counted the same in SQL as in TypeScript, month ends and 29 February included', async () => {
    const pairs = fc.sample(enrolmentAndDate, { numRuns: 3000, seed: 20261203 });
    const rows = await database.db.raw<{ rows: { on_date: number; starting_in: number; year: number }[] }>(
      `select ${monthOfCoverOnSql('p.enrolled_on', 'p.on_date')} as on_date,
         ${monthOfCoverStartingInSql('p.enrolled_on', "date_trunc('month', p.on_date)::date")} as starting_in,
         ${coverageYearOfMonthSql(monthOfCoverOnSql('p.enrolled_on', 'p.on_date'))} as year
       from unnest(?::date[], ?::date[]) with ordinality as p (enrolled_on, on_date, n)
       order by p.n`,
      [pairs.map(([enrolledOn]) => enrolledOn), pairs.map(([, date]) => date)],
    );
    const fromSql = rows.rows.map((row) => [Number(row.on_date), Number(row.starting_in), Number(row.year)]);
    const fromTypeScript = pairs.map(([enrolledOn, date]) => [
      monthOfCoverOn(enrolledOn, date),
      monthOfCoverStartingIn(enrolledOn, date),
      coverageYear(enrolledOn, date),
    ]);
    expect(fromSql).toEqual(fromTypeScript);
  });

  it('never counts a date before enrolment', () => {
    expect(() => monthOfCoverOn('2026-01-15', '2026-01-14')).toThrow('before the enrolment');
  });
});
