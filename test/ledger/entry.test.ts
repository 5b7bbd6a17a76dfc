import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryFingerprint, byAccount, normalBalance, reversalPostings } from '../../src/ledger/entry.ts';
import { entryProblem } from '../../src/ledger/balance.ts';
import type { EntryDraft } from '../../src/ledger/model.ts';
import { closeRefusal, lastDayOfMonth } from '../../src/ledger/periods.ts';
import { amount, sumAmounts } from '../../src/money/index.ts';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';
const c = '00000000-0000-4000-8000-00000000000c';
const posting = (accountId: string, value: string) => ({ accountId, amount: amount(value) });

describe('entryProblem', () => {
  it.each([
    ['a balanced pair', [posting(a, '100.00'), posting(b, '-100.00')], null],
    ['a balanced split', [posting(a, '100.00'), posting(b, '-60.50'), posting(c, '-39.50')], null],
    ['one posting', [posting(a, '100.00')], 'an entry needs at least two postings'],
    ['a zero posting', [posting(a, '0'), posting(b, '0')], 'no posting may be zero'],
    ['sub-sen amounts', [posting(a, '0.001'), posting(b, '-0.001')], 'amounts have at most 2 decimal places'],
    ['an account twice', [posting(a, '1.00'), posting(a, '-1.00')], 'each account appears at most once in an entry'],
    ['a rupiah short', [posting(a, '100.00'), posting(b, '-99.00')], 'debits and credits must sum to zero; these sum to 1'],
  ])('%s', (_name, postings, expected) => {
    expect(entryProblem(postings)).toBe(expected);
  });

  const cents = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }).filter((value) => value !== 0);
  const toAmount = (value: number) => amount((value / 100).toFixed(2));

  it('accepts any postings that sum to zero, and refuses any that then move by a sen', () => {
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 1000 }), (values, nudge) => {
        const total = values.reduce((sum, value) => sum + value, 0);
        fc.pre(total !== 0);
        const postings = [...values, -total].map((value, index) => ({ accountId: `account-${index}`, amount: toAmount(value) }));
        expect(entryProblem(postings)).toBeNull();
        const last = postings.at(-1) as (typeof postings)[number];
        const nudged = [...postings.slice(0, -1), { ...last, amount: last.amount.plus(toAmount(nudge)) }];
        fc.pre(!nudged.some((entry) => entry.amount.isZero()));
        expect(entryProblem(nudged)).toMatch(/must sum to zero/);
      }),
    );
  });

  it('mirrors an entry exactly in its reversal', () => {
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 10 }), (values) => {
        const postings = values.map((value, index) => ({ accountId: `account-${index}`, amount: toAmount(value) }));
        const both = [...postings, ...reversalPostings(postings)];
        expect(sumAmounts(both.map((entry) => entry.amount)).isZero()).toBe(true);
      }),
    );
  });
});

describe('entryFingerprint', () => {
  const draft: EntryDraft = {
    entryDate: '2026-11-02',
    description: 'subsidy',
    reference: { type: 'subsidy-receipt', id: '42' },
    rule: null,
    idempotencyKey: 'k',
    postings: [posting(a, '10.00'), posting(b, '-10.00')],
  };

  it('is the same whatever the order of the postings or the writing of the amounts', () => {
    expect(entryFingerprint({ ...draft, postings: [posting(b, '-10'), posting(a, '10.0')] })).toBe(entryFingerprint(draft));
    expect(byAccount([posting(b, '-1'), posting(a, '1')]).map((entry) => entry.accountId)).toEqual([a, b]);
  });

  it('changes with the date, the words, the reference, the rule or an amount', () => {
    const others: EntryDraft[] = [
      { ...draft, entryDate: '2026-11-03' },
      { ...draft, description: 'other' },
      { ...draft, reference: { type: 'subsidy-receipt', id: '43' } },
      { ...draft, rule: { scheme: 'standalone', version: '2026.1', hash: 'f'.repeat(64) } },
      { ...draft, postings: [posting(a, '10.01'), posting(b, '-10.01')] },
    ];
    for (const other of others) expect(entryFingerprint(other)).not.toBe(entryFingerprint(draft));
  });
});

describe('normal balances and periods', () => {
  it('reads debit-normal and credit-normal accounts on their own side', () => {
    expect(normalBalance('asset', amount('5')).toFixed(2)).toBe('5.00');
    expect(normalBalance('expense', amount('5')).toFixed(2)).toBe('5.00');
    expect(normalBalance('liability', amount('-5')).toFixed(2)).toBe('5.00');
    expect(normalBalance('income', amount('-5')).toFixed(2)).toBe('5.00');
    expect(normalBalance('equity', amount('5')).toFixed(2)).toBe('-5.00');
  });

  it.each([
    ['2026-02', '2026-02-28'],
    ['2028-02', '2028-02-29'],
    ['2026-12', '2026-12-31'],
    ['2026-04', '2026-04-30'],
  ])('the last day of %s is %s', (month, day) => {
    expect(lastDayOfMonth(month)).toBe(day);
  });

  it.each([
    ['2026-10', '2026-11-01', null, null],
    ['2026-10', '2026-10-31', null, 'month-not-ended'],
    ['2026-11', '2026-11-25', null, 'month-not-ended'],
    ['2026-09', '2026-11-25', '2026-10-31', 'already-closed'],
    ['2026-10', '2026-11-25', '2026-10-31', 'already-closed'],
    ['2026-10', '2026-11-25', '2026-08-31', null],
  ])('closing %s on %s with the ledger closed through %s: %s', (month, today, closedThrough, expected) => {
    expect(closeRefusal(month, today, closedThrough)).toBe(expected);
  });
});
