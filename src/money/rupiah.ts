import { assertFinite, Dec } from './decimal.ts';
import type { Amount } from './money.ts';

// Reports, in Indonesian style: "." groups thousands and "," starts the
// fraction, which is shown only when there is one (at least two digits, as
// sen are written). Not for the API, whose amounts are toAmountString's.
export function formatRupiah(value: Amount): string {
  assertFinite(value, 'formatRupiah');
  // toFixed() without places never uses exponent notation and drops trailing zeros.
  const [whole = '0', fraction = ''] = value.abs().toFixed().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const decimals = fraction === '' ? '' : `,${fraction.padEnd(2, '0')}`;
  // A negative zero is zero: "-Rp 0" would read as a debt.
  const sign = value.isNegative() && !value.isZero() ? '-' : '';
  return `${sign}Rp ${grouped}${decimals}`;
}

// Accepts exactly what formatRupiah writes, so a report figure read back is
// the amount that was printed; anything else ("Rp 1.000,00", "Rp 1234") is
// refused rather than guessed at, since "1.234" means 1234 in Indonesian.
export function parseRupiah(text: string): Amount {
  const refuse = () => new Error(`not a rupiah amount as reports write it (such as "Rp 1.234.567,50"): ${JSON.stringify(text)}`);
  const match = /^(-?)Rp (\d{1,3}(?:\.\d{3})*)(?:,(\d{2,}))?$/.exec(text);
  if (match === null) throw refuse();
  const [, sign = '', whole = '', fraction] = match;
  const value = new Dec(`${sign}${whole.replaceAll('.', '')}${fraction === undefined ? '' : `.${fraction}`}`);
  // Leading zeros, ",00", "-Rp 0" and the like: well-formed, but not canonical.
  if (formatRupiah(value) !== text) throw refuse();
  return value;
}
