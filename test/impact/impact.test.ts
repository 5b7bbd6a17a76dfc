import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impactOf } from '../../src/impact/impact.ts';
import { withSnapshot } from '../../src/impact/store.ts';
import type { Impact, MonthFigures } from '../../src/impact/model.ts';
import { impactTable } from '../../src/impact/table.ts';
import { fromNumeric, toAmountString } from '../../src/money/index.ts';
import type { TestDatabase } from '../support/db.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { bookWithProposal, gunungMasPortfolio, proposedName, replayedOn } from './support.ts';

// The portfolio of gunungMasPortfolio, replayed on 2027-07-15.
let database: TestDatabase;
const today = replayedOn;
const noProgress = async () => {};

beforeAll(async () => {
  let lpaId: string;
  ({ database, lpaId } = await openLpaFixture(() => today));
  await gunungMasPortfolio(database.db, lpaId);
});

afterAll(async () => {
  await database.close();
});

const replay = (change: Parameters<typeof bookWithProposal>[0]) =>
  impactOf(database.db, bookWithProposal(change), { scheme: 'standalone', version: proposedName, today }, noProgress);

const figures = (month: MonthFigures) =>
  Object.fromEntries(
    Object.entries(month).map(([key, value]) => [key, typeof value === 'number' ? value : toAmountString(value)]),
  );

const difference = (a: unknown, b: unknown) => toAmountString(fromNumeric(String(a)).minus(fromNumeric(String(b))));

function monthOf(impact: Impact, month: string) {
  const found = impact.budget.find((entry) => entry.month === month);
  if (found === undefined) throw new Error(`no ${month} in the projection`);
  return { inForce: figures(found.inForce), proposed: figures(found.proposed) };
}

describe('the impact of raising the accident allowance from Rp 500,000 to Rp 600,000', () => {
  let impact: Impact;
  beforeAll(async () => {
    impact = await replay({ accidentAllowance: '600000.00' });
  });

  it('replays the window’s five claims and pays exactly Rp 100,000 more on each of the three accidents approved', () => {
    expect(impact.claimsFrom).toBe('2026-08-01');
    expect(impact.claims.replayed).toBe(5);
    expect(impact.claims.statusChanges.size).toBe(0);
    // Yohanes's fourth accident reaches the limit under both: three stand before it.
    expect(impact.claims.total).toMatchObject({ claims: 5, changed: 3 });
    expect(toAmountString(impact.claims.total.inForce)).toBe('2000000.00');
    expect(toAmountString(impact.claims.total.proposed)).toBe('2300000.00');
    const accident = impact.claims.byClaimType.get('accident');
    expect(accident).toMatchObject({ claims: 4, changed: 3 });
    expect(toAmountString(accident?.proposed.minus(accident.inForce) ?? impact.claims.total.inForce)).toBe('300000.00');
    const sicknessTally = impact.claims.byClaimType.get('sickness');
    expect(sicknessTally).toMatchObject({ claims: 1, changed: 0 });
    expect([...impact.claims.byRegency.keys()]).toEqual(['6210 Kabupaten Gunung Mas']);
    expect([...impact.claims.byProvince.keys()]).toEqual(['62 Kalimantan Tengah']);
  });

  it('leaves everyone’s cover as it is', () => {
    expect(impact.eligibility).toMatchObject({ decided: 3, activeInForce: 2, activeProposed: 2 });
    expect(impact.eligibility.gain.people).toBe(0);
    expect(impact.eligibility.lose.people).toBe(0);
  });

  it('raises the expected claims of each month by exactly Rp 25,000 and changes nothing else', () => {
    expect(impact.memberMonths).toBe(24);
    expect(impact.budget.map((month) => month.month)).toEqual([
      '2027-08',
      '2027-09',
      '2027-10',
      '2027-11',
      '2027-12',
      '2028-01',
      '2028-02',
      '2028-03',
      '2028-04',
      '2028-05',
      '2028-06',
      '2028-07',
    ]);
    // 2 members × Rp 2,000,000 ÷ 24 = 166,666.67 and 2 × 2,300,000 ÷ 24 = 191,666.67, rounded half-even to the rupiah.
    for (const month of impact.budget) {
      const { inForce, proposed } = monthOf(impact, month.month);
      expect(inForce.expectedClaims).toBe('166667.00');
      expect(proposed.expectedClaims).toBe('191667.00');
      expect({ ...proposed, expectedClaims: null }).toEqual({ ...inForce, expectedClaims: null });
    }
  });

  it('projects the premium of coverage year 2, and of year 3 from June 2028, as the subsidy rules set them', () => {
    // Month of cover 15, year 2: Rp 6,000 each, all of it assistance; the honorarium is 10 % of it.
    expect(monthOf(impact, '2027-08').inForce).toEqual({
      members: 2,
      premium: '12000.00',
      subsidy: '12000.00',
      ownShare: '0.00',
      honorarium: '1200.00',
      strengthening: '0.00',
      expectedClaims: '166667.00',
    });
    // Month of cover 25, year 3: assistance pays half.
    expect(monthOf(impact, '2028-06').inForce).toMatchObject({ subsidy: '6000.00', ownShare: '6000.00', honorarium: '600.00' });
  });

  it('renders one table whose money rows give the delta by month', () => {
    const table = impactTable(impact);
    const row = (measure: string, group: string) =>
      table.rows.find((entry) => entry.section === 'money' && entry.measure === measure && entry.group === group);
    expect(row('expectedClaims', '2027-08')).toMatchObject({ inForce: '166667.00', proposed: '191667.00', delta: '25000.00' });
    expect(row('stateBudget', '2027-08')).toMatchObject({ delta: '0.00' });
    expect(row('fundNet', '2027-08')).toMatchObject({ delta: '-25000.00' });
    expect(
      table.rows.find((entry) => entry.section === 'claims' && entry.by === 'claim type' && entry.group === 'accident'),
    ).toMatchObject({ count: 4, changed: 3, inForce: '1500000.00', proposed: '1800000.00', delta: '300000.00' });
    // Regions and LPAs are listed where claims change: here the one regency, with all five claims.
    expect(
      table.rows
        .filter((entry) => entry.section === 'claims' && entry.by === 'regency')
        .map((entry) => [entry.group, entry.count]),
    ).toEqual([['6210 Kabupaten Gunung Mas', 5]]);
  });
});

describe('the impact of accepting people up to 65', () => {
  let impact: Impact;
  beforeAll(async () => {
    impact = await replay({ ageMax: 65 });
  });

  it('gives cover to the one person refused for age, by name, region and LPA', () => {
    expect(impact.eligibility).toMatchObject({ decided: 3, activeInForce: 2, activeProposed: 3 });
    const { gain, lose } = impact.eligibility;
    expect(lose.people).toBe(0);
    expect(gain.people).toBe(1);
    expect([...gain.byReason]).toEqual([['age_outside_working_age', 1]]);
    expect([...gain.byRegency]).toEqual([['6210 Kabupaten Gunung Mas', 1]]);
    expect(gain.sample).toEqual([expect.objectContaining({ name: 'Agus Sahay', reasons: ['age_outside_working_age'] })]);
  });

  it('adds, each month, his premium of coverage year 1 and its honorarium to the state budget, and his share of the expected claims', () => {
    expect(impact.claims.total.changed).toBe(0);
    for (const month of impact.budget) {
      const { inForce, proposed } = monthOf(impact, month.month);
      expect(Number(proposed.members) - Number(inForce.members)).toBe(1);
      // Enrolling in August 2027, he is in coverage year 1 all the projection: Rp 6,000, all assistance, 10 % to the LPA.
      expect(difference(proposed.subsidy, inForce.subsidy)).toBe('6000.00');
      expect(difference(proposed.honorarium, inForce.honorarium)).toBe('600.00');
      // 3 × Rp 2,000,000 ÷ 24 against 2 × Rp 2,000,000 ÷ 24 (166,666.67, rounded to 166,667).
      expect(proposed.expectedClaims).toBe('250000.00');
      expect(inForce.expectedClaims).toBe('166667.00');
    }
    const table = impactTable(impact);
    expect(
      table.rows.find((entry) => entry.section === 'money' && entry.measure === 'stateBudget' && entry.group === '2027-08'),
    ).toMatchObject({ delta: '6600.00' });
  });
});

describe('the impact of accepting people up to 40 only', () => {
  let impact: Impact;
  beforeAll(async () => {
    impact = await replay({ ageMax: 40 });
  });

  it('takes cover from both members, who are 43, and the state budget falls by their premium and honorarium', () => {
    expect(impact.eligibility).toMatchObject({ activeInForce: 2, activeProposed: 0 });
    expect(impact.eligibility.lose.people).toBe(2);
    expect([...impact.eligibility.lose.byReason]).toEqual([['age_outside_working_age', 2]]);
    expect(impact.eligibility.gain.people).toBe(0);
    expect(monthOf(impact, '2027-08').proposed).toEqual({
      members: 0,
      premium: '0.00',
      subsidy: '0.00',
      ownShare: '0.00',
      honorarium: '0.00',
      strengthening: '0.00',
      expectedClaims: '0.00',
    });
    const table = impactTable(impact);
    expect(
      table.rows.find((entry) => entry.section === 'money' && entry.measure === 'stateBudget' && entry.group === '2027-08'),
    ).toMatchObject({ delta: '-13200.00' });
  });
});

describe('the impact of paying two allowances an enrolment instead of three', () => {
  let impact: Impact;
  beforeAll(async () => {
    impact = await replay({ allowancesMax: 2 });
  });

  it('refuses Yohanes’s accident of March 2027, his third, and pays exactly Rp 500,000 less', () => {
    expect([...impact.claims.statusChanges]).toEqual([['approved → rejected', 1]]);
    expect(impact.claims.total).toMatchObject({ claims: 5, changed: 1 });
    expect(toAmountString(impact.claims.total.proposed.minus(impact.claims.total.inForce))).toBe('-500000.00');
    // 2 × Rp 1,500,000 ÷ 24 = 125,000 a month instead of 166,667.
    expect(monthOf(impact, '2027-08').proposed.expectedClaims).toBe('125000.00');
  });
});

describe('the snapshot', () => {
  it('refuses to write: the replay cannot change the portfolio it reads', async () => {
    await expect(withSnapshot(database.db, (trx) => trx.raw('create table impact_probe (id integer)'))).rejects.toThrow(
      /read-only transaction/,
    );
  });
});
