import { describe, expect, it } from 'vitest';
import { catalogues, wordsFor } from '../../src/console/i18n/index.ts';

describe('the console catalogues', () => {
  it('have exactly the same keys in Bahasa Indonesia and English, and no empty value', () => {
    const keys = (locale: 'id' | 'en') => Object.keys(catalogues[locale]).sort();
    expect(keys('en')).toEqual(keys('id'));
    for (const catalogue of Object.values(catalogues))
      expect(Object.entries(catalogue).filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('fill in the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of Object.entries(catalogues.id))
      expect([key, placeholders(catalogues.en[key as keyof typeof catalogues.en])]).toEqual([key, placeholders(text)]);
  });
});

describe('figures as people read them', () => {
  const id = wordsFor('id', 'Asia/Jakarta');
  const en = wordsFor('en', 'Asia/Jakarta');

  it('writes rupiah one way in both languages, from the amount text', () => {
    expect(id.rupiah('1234567.00')).toBe('Rp 1.234.567');
    expect(en.rupiah('1234567.00')).toBe('Rp 1.234.567');
    expect(id.rupiah('-2500.50')).toBe('-Rp 2.500,50');
  });

  it('writes dates and months with the month named, day first', () => {
    expect(id.date('2026-12-04')).toBe('4 Desember 2026');
    expect(en.date('2026-12-04')).toBe('4 December 2026');
    expect(id.month('2026-10')).toBe('Oktober 2026');
  });

  it('reads a moment’s day and time on the fund’s clock, not UTC’s', () => {
    // 21:05 UTC on 4 December is 04.05 on 5 December in Jakarta.
    expect(id.day('2026-12-04T21:05:00.000Z')).toBe('5 Desember 2026');
    expect(en.day(new Date('2026-12-04T21:05:00.000Z'))).toBe('5 December 2026');
    expect(id.moment('2026-12-04T21:05:00.000Z')).toBe('5 Desember 2026 pukul 04.05 WIB');
    expect(wordsFor('en', 'Asia/Jayapura').moment('2026-12-04T21:05:00.000Z')).toBe('5 December 2026 at 06:05 GMT+9');
  });

  it('groups counts and writes percents with the language’s separators', () => {
    expect(id.count(1234567)).toBe('1.234.567');
    expect(en.count(1234567)).toBe('1,234,567');
    expect(id.percent('0.1234')).toBe('12,3%');
    expect(en.percent('0.1235')).toBe('12.4%');
    expect(id.percent(null)).toBe('tidak ada');
  });

  it('fills a message’s values', () => {
    expect(en.t('password.tooShort', { min: 12 })).toBe('The new password must have at least 12 characters.');
  });
});
