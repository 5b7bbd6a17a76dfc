export {
  amount,
  amountSchema,
  compareDecimals,
  fromNumeric,
  isZero,
  parseAmount,
  roundAmount,
  roundingModes,
  roundingModeSchema,
  sumAmounts,
  toAmountString,
  toDecimalString,
  type Amount,
  type ParseOptions,
  type ParseResult,
  type RoundingMode,
} from './money.ts';
export { allocate } from './allocate.ts';
export { formatRupiah, parseRupiah } from './rupiah.ts';
export { formatPercent } from './percent.ts';
export { toSpreadsheetNumber } from './spreadsheet.ts';
export { ratioOf } from './ratio.ts';
export { levelPayment } from './annuity.ts';
