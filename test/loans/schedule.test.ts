import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameDayMonthsLater } from '../../src/dates.ts';
import { type InstalmentState, payoffOn, splitRepayment } from '../../src/loans/repayment.ts';
import { type LoanTerms, repaymentSchedule } from '../../src/loans/schedule.ts';
import { amount, type Amount, roundAmount } from '../../src/money/index.ts';

const rupiah = { mode: 'half-even', decimalPlaces: 0 } as const;
const terms = (overrides: Partial<LoanTerms>): LoanTerms => ({
  principal: amount('1000000'),
  monthlyRate: amount('0.01'),
  termMonths: 10,
  graceMonths: 0,
  method: 'flat',
  repayment: 'monthly',
  disbursedOn: '2027-01-15',
  rounding: rupiah,
  ...overrides,
});
const shown = (schedule: ReturnType<typeof repaymentSchedule>) =>
  schedule.map((row) => [row.dueOn, row.principal.toFixed(), row.interest.toFixed(), row.balanceAfter.toFixed()]);

describe('repayment schedule', () => {
  it('flat: Rp 1,000,000 over 10 months at 1 % a month is 100,000 principal and 10,000 interest each month', () => {
    const schedule = repaymentSchedule(terms({}));
    expect(schedule).toHaveLength(10);
    expect(shown(schedule)[0]).toEqual(['2027-02-15', '100000', '10000', '900000']);
    expect(shown(schedule)[9]).toEqual(['2027-11-15', '100000', '10000', '0']);
    expect(schedule.every((row) => row.principal.equals(100000) && row.interest.equals(10000))).toBe(true);
  });

  it('flat: a principal that does not divide gives its odd rupiah to the first months', () => {
    const schedule = repaymentSchedule(terms({ monthlyRate: amount('0.015'), termMonths: 12 }));
    // 1,000,000 / 12 = 83,333.33: four months carry 83,334, eight carry 83,333.
    expect(schedule.map((row) => row.principal.toFixed())).toEqual([...Array(4).fill('83334'), ...Array(8).fill('83333')]);
    // 1.5 % of 1,000,000 for 12 months = 180,000: 15,000 a month.
    expect(schedule.every((row) => row.interest.equals(15000))).toBe(true);
  });

  it('flat with two grace months: interest only, then the principal over the months left', () => {
    const schedule = repaymentSchedule(terms({ termMonths: 6, graceMonths: 2 }));
    expect(shown(schedule)).toEqual([
      ['2027-02-15', '0', '10000', '1000000'],
      ['2027-03-15', '0', '10000', '1000000'],
      ['2027-04-15', '250000', '10000', '750000'],
      ['2027-05-15', '250000', '10000', '500000'],
      ['2027-06-15', '250000', '10000', '250000'],
      ['2027-07-15', '250000', '10000', '0'],
    ]);
  });

  it('declining balance: Rp 1,000,000 over 3 months at 1 % in level instalments of 340,022, the last taking the rounding', () => {
    // Instalment 1,000,000 × 0.01 / (1 − 1.01^−3) = 340,022.11 → 340,022.
    // Month 1: interest 10,000, principal 330,022, owed 669,978.
    // Month 2: interest 6,699.78 → 6,700, principal 333,322, owed 336,656.
    // Month 3: interest 3,366.56 → 3,367, principal 336,656: 340,023 paid.
    const schedule = repaymentSchedule(terms({ method: 'declining-balance', termMonths: 3 }));
    expect(shown(schedule)).toEqual([
      ['2027-02-15', '330022', '10000', '669978'],
      ['2027-03-15', '333322', '6700', '336656'],
      ['2027-04-15', '336656', '3367', '0'],
    ]);
  });

  it('declining balance with a grace month pays the interest on the whole amount first', () => {
    const schedule = repaymentSchedule(terms({ method: 'declining-balance', termMonths: 4, graceMonths: 1 }));
    expect(shown(schedule)[0]).toEqual(['2027-02-15', '0', '10000', '1000000']);
    expect(shown(schedule).slice(1)).toEqual([
      ['2027-03-15', '330022', '10000', '669978'],
      ['2027-04-15', '333322', '6700', '336656'],
      ['2027-05-15', '336656', '3367', '0'],
    ]);
  });

  it('weekly: a month is four instalments, due every seven days, flat interest still rate × amount × months', () => {
    // 1,000,000 over 3 months weekly at 1 % a month flat: 12 instalments,
    // interest 30,000 (2,500 each), principal 83,333.33 → four of 83,334 and eight of 83,333.
    const schedule = repaymentSchedule(terms({ termMonths: 3, repayment: 'weekly' }));
    expect(schedule.map((row) => row.dueOn).slice(0, 3)).toEqual(['2027-01-22', '2027-01-29', '2027-02-05']);
    expect(schedule.at(-1)?.dueOn).toBe('2027-04-09');
    expect(schedule.map((row) => row.principal.toFixed())).toEqual([...Array(4).fill('83334'), ...Array(8).fill('83333')]);
    expect(schedule.every((row) => row.interest.equals(2500))).toBe(true);
  });

  it('weekly on the declining balance charges a quarter of the monthly rate on what is owed each week', () => {
    // 400,000 over one month weekly at 2 % a month: 0.5 % a week.
    // Level instalment 400,000 × 0.005 / (1 − 1.005^−4) = 101,253.12 → 101,253.
    const schedule = repaymentSchedule(
      terms({
        principal: amount('400000'),
        monthlyRate: amount('0.02'),
        termMonths: 1,
        method: 'declining-balance',
        repayment: 'weekly',
      }),
    );
    expect(shown(schedule)).toEqual([
      ['2027-01-22', '99253', '2000', '300747'],
      ['2027-01-29', '99749', '1504', '200998'],
      ['2027-02-05', '100248', '1005', '100750'],
      ['2027-02-12', '100750', '504', '0'],
    ]);
  });

  it('falls due on the same day each month, or on the last day of a shorter month', () => {
    expect(['2027-01-31', '2028-01-31', '2027-03-30'].map((date) => sameDayMonthsLater(date, 1))).toEqual([
      '2027-02-28',
      '2028-02-29',
      '2027-04-30',
    ]);
    expect(repaymentSchedule(terms({ disbursedOn: '2027-01-31', termMonths: 3 })).map((row) => row.dueOn)).toEqual([
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
  });

  const termsArb = fc
    .record({
      principal: fc.integer({ min: 1, max: 50_000_000 }),
      rateBasisPoints: fc.integer({ min: 0, max: 1_000 }),
      termMonths: fc.integer({ min: 1, max: 60 }),
      grace: fc.integer({ min: 0, max: 6 }),
      method: fc.constantFrom('flat', 'declining-balance' as const),
      repayment: fc.constantFrom('monthly', 'weekly' as const),
      mode: fc.constantFrom('half-even', 'half-up', 'down' as const),
    })
    .map((drawn): LoanTerms =>
      terms({
        principal: amount(String(drawn.principal)),
        monthlyRate: amount(String(drawn.rateBasisPoints)).dividedBy(10_000),
        termMonths: drawn.termMonths,
        graceMonths: Math.min(drawn.grace, drawn.termMonths - 1),
        method: drawn.method as LoanTerms['method'],
        repayment: drawn.repayment as LoanTerms['repayment'],
        rounding: { mode: drawn.mode as 'half-even', decimalPlaces: 0 },
      }),
    );

  it('for any terms, the principal repaid sums exactly to the amount lent and interest is what the method says, to the rupiah', () => {
    fc.assert(
      fc.property(termsArb, (loan) => {
        const schedule = repaymentSchedule(loan);
        const sum = (pick: (row: (typeof schedule)[number]) => Amount) =>
          schedule.reduce((total, row) => total.plus(pick(row)), amount('0'));
        const perMonth = loan.repayment === 'weekly' ? 4 : 1;
        expect(schedule).toHaveLength(loan.termMonths * perMonth);
        expect(sum((row) => row.principal).equals(loan.principal)).toBe(true);
        expect(schedule.at(-1)?.balanceAfter.isZero()).toBe(true);
        expect(schedule.every((row) => !row.principal.isNegative() && !row.interest.isNegative())).toBe(true);
        expect(schedule.slice(0, loan.graceMonths * perMonth).every((row) => row.principal.isZero())).toBe(true);
        const round = (value: Amount) => roundAmount(value, loan.rounding.mode, 0);
        if (loan.method === 'flat') {
          expect(sum((row) => row.interest).equals(round(loan.principal.times(loan.monthlyRate).times(loan.termMonths)))).toBe(
            true,
          );
          const interests = schedule.map((row) => row.interest);
          const spread = interests
            .reduce((a, b) => (a.greaterThan(b) ? a : b))
            .minus(interests.reduce((a, b) => (a.lessThan(b) ? a : b)));
          expect(spread.lessThanOrEqualTo(1)).toBe(true);
        } else {
          let owed = loan.principal;
          for (const row of schedule) {
            expect(row.interest.equals(round(owed.times(loan.monthlyRate).dividedBy(perMonth)))).toBe(true);
            owed = owed.minus(row.principal);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

const asState = (schedule: ReturnType<typeof repaymentSchedule>): InstalmentState[] =>
  schedule.map((row) => ({
    number: row.number,
    dueOn: row.dueOn,
    principal: row.principal,
    interest: row.interest,
    penalty: amount('0'),
    principalPaid: amount('0'),
    interestPaid: amount('0'),
    penaltyPaid: amount('0'),
    interestWaived: amount('0'),
  }));

function applied(state: InstalmentState[], split: ReturnType<typeof splitRepayment>): InstalmentState[] {
  return state.map((instalment) => {
    const part = split.instalments.find((payment) => payment.number === instalment.number);
    if (part === undefined) return instalment;
    return {
      ...instalment,
      penaltyPaid: instalment.penaltyPaid.plus(part.penalty),
      interestPaid: instalment.interestPaid.plus(part.interest),
      principalPaid: instalment.principalPaid.plus(part.principal),
      interestWaived: instalment.interestWaived.plus(part.interestWaived),
    };
  });
}

describe('repayments', () => {
  const flat = () => asState(repaymentSchedule(terms({ termMonths: 4 })));

  it('pay penalty, then interest, then principal of what is due, oldest first', () => {
    const state = flat().map((row) => (row.number === 1 ? { ...row, penalty: amount('5000') } : row));
    // Two instalments due (110,000 each) and a penalty of 5,000: 60,000 pays the penalty, both interests and 35,000 of the first principal.
    const split = splitRepayment(state, amount('60000'), '2027-03-20');
    expect(
      split.instalments.map((part) => [part.number, part.penalty.toFixed(), part.interest.toFixed(), part.principal.toFixed()]),
    ).toEqual([
      [1, '5000', '10000', '35000'],
      [2, '0', '10000', '0'],
    ]);
    expect(split.repaid).toBe(false);
  });

  it('early repayment in full pays the running month’s interest and waives the rest', () => {
    // On 2027-03-20 two instalments are due and the third is running: payoff = 1,000,000 + 3 × 10,000.
    expect(payoffOn(flat(), '2027-03-20').toFixed()).toBe('1030000');
    const split = splitRepayment(flat(), amount('1030000'), '2027-03-20');
    expect(split.repaid).toBe(true);
    expect([split.principal.toFixed(), split.interest.toFixed(), split.interestWaived.toFixed()]).toEqual([
      '1000000',
      '30000',
      '10000',
    ]);
    expect(() => splitRepayment(flat(), amount('1030001'), '2027-03-20')).toThrow(/more than the payoff/);
  });

  it('never collect more than is owed, and every rupiah paid lands on a penalty, an interest or a principal', () => {
    const loanArb = fc.record({
      principal: fc.integer({ min: 1_000, max: 5_000_000 }),
      rateBasisPoints: fc.integer({ min: 0, max: 500 }),
      termMonths: fc.integer({ min: 1, max: 24 }),
      method: fc.constantFrom('flat', 'declining-balance' as const),
      penalties: fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 24 }),
      payments: fc.array(fc.record({ day: fc.integer({ min: 0, max: 800 }), share: fc.integer({ min: 1, max: 100 }) }), {
        minLength: 1,
        maxLength: 30,
      }),
    });
    fc.assert(
      fc.property(loanArb, (drawn) => {
        const schedule = repaymentSchedule(
          terms({
            principal: amount(String(drawn.principal)),
            monthlyRate: amount(String(drawn.rateBasisPoints)).dividedBy(10_000),
            termMonths: drawn.termMonths,
            method: drawn.method as LoanTerms['method'],
          }),
        );
        let state = asState(schedule).map((row, index) => ({ ...row, penalty: amount(String(drawn.penalties[index] ?? 0)) }));
        const owedAtStart = state.reduce((sum, row) => sum.plus(row.principal).plus(row.interest).plus(row.penalty), amount('0'));
        let collected = amount('0');
        let waived = amount('0');
        const days = [...drawn.payments].sort((a, b) => a.day - b.day);
        for (const { day, share } of days) {
          const date = new Date(Date.UTC(2027, 0, 15 + day)).toISOString().slice(0, 10);
          const payoff = payoffOn(state, date);
          if (payoff.isZero()) break;
          const pay = roundAmount(payoff.times(share).dividedBy(100), 'ceil', 0);
          expect(() => splitRepayment(state, payoff.plus(1), date)).toThrow(/more than the payoff/);
          const split = splitRepayment(state, pay, date);
          expect(split.penalty.plus(split.interest).plus(split.principal).equals(pay)).toBe(true);
          collected = collected.plus(pay);
          waived = waived.plus(split.interestWaived);
          state = applied(state, split);
          for (const row of state) {
            expect(row.principalPaid.lessThanOrEqualTo(row.principal)).toBe(true);
            expect(row.interestPaid.plus(row.interestWaived).lessThanOrEqualTo(row.interest)).toBe(true);
            expect(row.penaltyPaid.lessThanOrEqualTo(row.penalty)).toBe(true);
          }
          if (split.repaid) expect(payoffOn(state, date).isZero()).toBe(true);
        }
        expect(collected.plus(waived).lessThanOrEqualTo(owedAtStart)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
