import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amount, type Amount } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { bookIbnr } from '../../src/reserves/ibnr.ts';
import { claimLags } from '../../src/reserves/store.ts';
import { loadRuleBook, type RuleBook } from '../../src/rules/load.ts';
import { type TestKey, as, makeKey, shippedRules, testActor } from '../support/api.ts';
import { accidentClaim, fileClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { at, type ScratchRules, scratchRules } from '../rules/support.ts';

// The standalone scheme from September 2027 declares the chain ladder on its
// last three months of reported claims, needing three months of history,
// Bornhuetter–Ferguson otherwise, at an expected loss ratio of 60 %. Its
// accident claims (Rp 500,000 each, A below) are reported:
//
//   incident month   reported in its month   in the next   in the one after
//   2027-08                  2                    1               0
//   2027-09                  2                    1
//   2027-10                  1
//
// At September's end (origins July to September) the scheme has two months
// of claims history: the fallback. July reported nothing, so no factor runs
// from month 1 to month 2 and Bornhuetter–Ferguson has none either: the
// expected loss ratio is what is left, 0.6 × premium − 5A, below nothing
// for a premium this small, so nothing is held.
// At October's end (origins August to October), three months: the chain
// ladder. f(0→1) = (3A + 3A) / (2A + 2A) = 1.5, f(1→2) = 3A / 3A = 1;
// October's ultimate is 1.5A, IBNR 0.5A = Rp 250,000.
let rules: ScratchRules;
let book: RuleBook;
let database: TestDatabase;
let app: Express;
let lpaId: string;
let finance: TestKey;
const today = '2027-11-15';
const claimAmount = amount('500000');

beforeAll(async () => {
  rules = scratchRules(['standalone']);
  rules.copyVersion('standalone', '2027.3', '2027.4');
  rules.edit('standalone/2027.4/manifest.json', (manifest) => {
    manifest.version = '2027.4';
    manifest.effectiveFrom = '2027-09-01';
    at(manifest, 'reserving').ibnr = {
      method: 'chain-ladder',
      months: '3',
      minimumHistory: '3',
      fallback: 'bornhuetter-ferguson',
      expectedLossRatio: '0.6',
      source: { document: 'a test', place: 'here' },
    };
  });
  rules.publish('standalone', '2027.4');
  book = loadRuleBook(rules.dir);
  ({ database, app, lpaId } = await openLpaFixture(() => today, { book, dir: rules.dir }));
  finance = await makeKey(database.db, { role: 'finance' });
  const members = [];
  for (let serial = 1; serial <= 7; serial += 1)
    members.push(
      await enrolmentSince(database.db, {
        lpaId,
        scheme: 'standalone',
        enrolledOn: '2026-03-01',
        serial: 700 + serial,
        settledThrough: '2026-12',
      }),
    );
  for (const period of [
    '2027-01',
    '2027-02',
    '2027-03',
    '2027-04',
    '2027-05',
    '2027-06',
    '2027-07',
    '2027-08',
    '2027-09',
    '2027-10',
  ])
    await runPremiumCycle(database.db, shippedRules, period, testActor, async () => {});
  const reported: [incident: string, report: string][] = [
    ['2027-08-04', '2027-08-04'],
    ['2027-08-11', '2027-08-12'],
    ['2027-08-27', '2027-09-03'],
    ['2027-09-02', '2027-09-02'],
    ['2027-09-15', '2027-09-16'],
    ['2027-09-28', '2027-10-04'],
    ['2027-10-06', '2027-10-06'],
  ];
  for (const [index, [incident, report]] of reported.entries()) {
    const claim = await fileClaim(database.db, {
      lpaId,
      participantId: members[index]?.participantId ?? '',
      body: { ...accidentClaim(incident, `ibnr-${index}`), reportDate: report },
      key: `ibnr-claim-${index}`,
      today: report,
    });
    expect([claim.status, claim.amount]).toEqual(['approved', claimAmount.toFixed(2)]);
  }
});

afterAll(async () => {
  await database.close();
  rules.dispose();
});

describe('the IBNR a scheme’s rules declare, booked at the month’s end', () => {
  it('falls back while the history is short, then books the chain ladder, and the ledger shows it', async () => {
    const september = await bookIbnr(database.db, book, '2027-09', testActor);
    expect(september).toEqual([expect.objectContaining({ scheme: 'standalone', method: 'expected-loss-ratio', ibnr: '0.00' })]);
    const kept = await database
      .db('ibnr_estimates')
      .where({ period: '2027-09-01' })
      .first('declared_method', 'fallback_reason', 'rate', 'months', 'rule_version');
    expect(kept).toMatchObject({ declared_method: 'chain-ladder', rate: '0.600000', months: 3, rule_version: '2027.4' });
    expect(kept.fallback_reason).toMatch(/^2 months of claims history, 3 needed for the chain ladder; no development factors: /);

    const october = await bookIbnr(database.db, book, '2027-10', testActor);
    expect(october).toEqual([
      expect.objectContaining({ scheme: 'standalone', method: 'chain-ladder', ibnr: '250000.00', heldBefore: '0.00' }),
    ]);
    const entries = (await as(app, finance).get('/v1/ledger/entries?referenceType=ibnr&referenceId=2027-10')).body.entries as {
      entryDate: string;
      rule: { version: string };
      postings: { accountCode: string; amount: string }[];
    }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]?.entryDate).toBe('2027-10-31');
    expect(entries[0]?.rule.version).toBe('2027.4');
    expect(entries[0]?.postings.find((posting) => posting.accountCode === '2200')?.amount).toBe('-250000.00');
  });

  it('reads each scheme’s own claims', async () => {
    const count = (rows: { claims: Amount }[]) => rows.reduce((sum, row) => sum.plus(row.claims), amount('0')).toFixed();
    expect(count(await claimLags(database.db, 'incident', '2027-10', 'standalone'))).toBe('7');
    // September's last claim was reported in October.
    expect(count(await claimLags(database.db, 'incident', '2027-09', 'standalone'))).toBe('5');
    expect(await claimLags(database.db, 'incident', '2027-10', 'askesos-2003')).toEqual([]);
  });

  it('shows every method beside the one booked in the reserves report', async () => {
    // The premium each of August to October earned, from the dues the cycles booked (one month each).
    const dues = await database.db.raw<{ rows: { month: string; premium: string; spread: number }[] }>(
      `select to_char(period, 'YYYY-MM') as month, sum(premium) as premium, max(earn_months) as spread
       from premium_dues where period between '2027-08-01' and '2027-10-01' group by 1 order by 1`,
    );
    expect(dues.rows.map((row) => [row.month, row.spread])).toEqual([
      ['2027-08', 1],
      ['2027-09', 1],
      ['2027-10', 1],
    ]);
    const [august, september, october] = dues.rows.map((row) => amount(row.premium)) as [Amount, Amount, Amount];
    expect(october.isZero()).toBe(false);
    // Reported by October's end: August 3A, September 3A, October A. Factors 1.5 and 1.
    // Bornhuetter–Ferguson: only October is still developing, 0.6 × P(Oct) × (1 − 1/1.5).
    const bf = october.times('0.6').times(amount('1').minus(amount('1').dividedBy('1.5')));
    // Expected loss ratio: 0.6 × (P(Aug) + P(Sep) + P(Oct)) − 7A.
    const elr = august.plus(september).plus(october).times('0.6').minus(claimAmount.times(7));
    const report = await as(app, finance).get('/v1/reports/reserves?asOf=2027-10-31');
    expect(report.status).toBe(200);
    const methods = (
      report.body.rows as { section: string; key: string; name: string; amount: string; ibnr: string | null }[]
    ).filter((row) => row.section === 'ibnr-method');
    expect(methods.map((row) => [row.key, row.amount, row.ibnr])).toEqual([
      ['standalone:chain-ladder', '250000.00', '250000.00'],
      ['standalone:bornhuetter-ferguson', bf.toDecimalPlaces(2).toFixed(2), null],
      ['standalone:expected-loss-ratio', elr.toDecimalPlaces(2).toFixed(2), null],
    ]);
    expect(methods[0]?.name).toMatch(/booked; declared; 3 months of history at the end of 2027-10/);
    expect(report.body.about['IBNR method']).toContain(
      'standalone@2027.4 at the end of 2027-10: chain ladder on the last 3 months',
    );
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    const own = await as(app, lpaKey).get('/v1/reports/reserves?asOf=2027-10-31');
    expect(own.body.rows.filter((row: { section: string }) => row.section === 'ibnr-method')).toEqual([]);
  });
});
