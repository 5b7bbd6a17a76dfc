import type { Amount } from './money.ts';

// A spreadsheet cell holds a binary double; finance wants amounts it can
// sum, so this is the one place an amount becomes a JS number, and only when
// the number reads back as exactly the same amount.
export function toSpreadsheetNumber(value: Amount): number {
  const number = Number(value.toFixed());
  if (!Number.isFinite(number) || value.comparedTo(number.toString()) !== 0)
    throw new Error(`toSpreadsheetNumber: ${value.toFixed()} has no exact spreadsheet number`);
  return number;
}
