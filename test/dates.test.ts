import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addWorkingDays, daysBetween, monthsBetween } from '../src/dates.ts';

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('calendar arithmetic', () => {
  it('counts 3 working days over a weekend and over a month and year end', () => {
    expect(addWorkingDays('2027-03-12', 3)).toBe('2027-03-17');
    expect(addWorkingDays('2027-03-13', 1)).toBe('2027-03-15');
    expect(addWorkingDays('2026-12-30', 3)).toBe('2027-01-04');
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0);
  });

  it('lands on a weekday, having passed exactly n weekdays', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const end = addWorkingDays(start, n);
        expect([0, 6]).not.toContain(weekday(end));
        const passed = Array.from({ length: daysBetween(start, end) }, (_, index) => addDays(start, index + 1)).filter(
          (day) => ![0, 6].includes(weekday(day)),
        );
        expect(passed).toHaveLength(n);
      }),
    );
  });

  it('undoes addDays with daysBetween', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -4000, max: 4000 }), (start, days) => {
        expect(daysBetween(start, addDays(start, days))).toBe(days);
      }),
    );
  });

  it('counts calendar months whatever the days, and steps across years', () => {
    expect(monthsBetween('2026-01-31', '2026-02-01')).toBe(1);
    expect(monthsBetween('2027-02', '2027-05-10')).toBe(3);
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2004-01-10', 35)).toBe('2006-12');
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -600, max: 600 }), (start, months) => {
        expect(monthsBetween(start, addMonths(start, months))).toBe(months);
      }),
    );
  });
});
