// Accounting periods are calendar months. Closing a month closes the ledger
// through its last day (and every month before it); months are never reopened,
// so a figure finance reported for a closed month stays true.

export function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

type CloseRefusal = 'month-not-ended' | 'already-closed';

// A month can be closed once it has ended (in the fund's time zone) and if it
// is later than the last month closed.
export function closeRefusal(month: string, today: string, closedThrough: string | null): CloseRefusal | null {
  if (lastDayOfMonth(month) >= today) return 'month-not-ended';
  if (closedThrough !== null && lastDayOfMonth(month) <= closedThrough) return 'already-closed';
  return null;
}
