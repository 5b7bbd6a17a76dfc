import { locales } from '../../auth/model.ts';
import { formatRupiah, fromNumeric, roundAmount, toAmountString } from '../../money/index.ts';
import { en } from './en.ts';
import { type Catalogue, id, type MessageKey } from './id.ts';

export type Locale = (typeof locales)[number];
export type { MessageKey };
export { locales };

export const catalogues: Readonly<Record<Locale, Catalogue>> = { id, en };

// Intl's names for the locales: en-GB writes "4 December 2026" with the day
// first, as people in Indonesia write dates in either language.
const intlLocales: Readonly<Record<Locale, string>> = { id: 'id-ID', en: 'en-GB' };

// What a page says and how it writes figures, in one person's language.
export interface Words {
  readonly locale: Locale;
  t(key: MessageKey, values?: Readonly<Record<string, string | number>>): string;
  // The text for a name the domain or the rules give (a status, a scheme, a
  // reason) at `key`, or `fallback` when the catalogue does not know it yet:
  // rules published later may name something new, shown as they wrote it.
  named(key: string, fallback: string): string;
  // An amount as the API writes it ("1234567.00"), as people read rupiah.
  rupiah(amount: string): string;
  date(isoDate: string): string;
  // The day of a moment (an ISO timestamp or a Date) on the fund's clock, as date() writes it.
  day(moment: string | Date): string;
  // A moment with its time and zone on the fund's clock: "5 Desember 2026 04.05 WIB".
  moment(moment: string | Date): string;
  month(month: string): string;
  count(count: number): string;
  // A ratio as a fraction ("0.1234"), as a percent with one decimal; null when undefined.
  percent(ratio: string | null): string;
}

// timezone: the fund's clock (TIMEZONE), on which a moment's day is read.
export function wordsFor(locale: Locale, timezone: string): Words {
  const catalogue = catalogues[locale];
  const days = new Intl.DateTimeFormat(intlLocales[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: timezone,
  });
  const moments = new Intl.DateTimeFormat(intlLocales[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timezone,
    timeZoneName: 'short',
  });
  const dates = new Intl.DateTimeFormat(intlLocales[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const months = new Intl.DateTimeFormat(intlLocales[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const counts = new Intl.NumberFormat(intlLocales[locale]);
  const t: Words['t'] = (key, values = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  return {
    locale,
    t,
    named: (key, fallback) => (key in catalogue ? t(key as MessageKey) : fallback),
    // The rupiah is written one way in both languages: "Rp 1.234.567".
    rupiah: (amount) => formatRupiah(fromNumeric(amount)),
    date: (isoDate) => dates.format(new Date(`${isoDate}T00:00:00Z`)),
    day: (moment) => days.format(new Date(moment)),
    moment: (moment) => moments.format(new Date(moment)),
    month: (month) => months.format(new Date(`${month}-01T00:00:00Z`)),
    count: (count) => counts.format(count),
    percent: (ratio) => {
      if (ratio === null) return t('table.notApplicable');
      const text = percentFigure(ratio);
      return `${locale === 'id' ? text.replace('.', ',') : text}%`;
    },
  };
}

// A ratio ("0.1234") as a percent with one decimal ("12.3"), exact and rounded half to even.
export function percentFigure(ratio: string): string {
  return toAmountString(roundAmount(fromNumeric(ratio).times(100), 'half-even', 1), 1);
}
