// Coverage years count from the enrolment date, not the card date: year 1 is
// the twelve months from enrolment, year 2 the twelve after, and so on.
export function coverageYear(enrolledOn: string, date: string): number {
  const [fromYear, fromMonth, fromDay] = enrolledOn.split('-').map(Number) as [number, number, number];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (date < enrolledOn) throw new Error(`coverageYear: ${date} is before the enrolment on ${enrolledOn}`);
  const months = (year - fromYear) * 12 + (month - fromMonth) - (day < fromDay ? 1 : 0);
  return Math.floor(months / 12) + 1;
}
