import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payClaim } from '../../src/claims/pay.ts';
import { trialBalance } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { bookIbnr, ibnrFor, shareIbnr } from '../../src/reserves/ibnr.ts';
import { type TestKey, as, makeKey, shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { fundCapital } from '../support/fund.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { accidentClaim, fileClaim } from '../support/claims.ts';
import type { Express } from 'express';

// A year of a small fund: premiums booked and earned, premium assistance
// received, claims accepted, one paid, one waiting for review.
let database: TestDatabase;
let app: Express;
let lpaId: string;
let finance: TestKey;
const today = '2027-06-30';
const noProgress = async () => {};

async function claim(participantId: string, body: Record<string, unknown>, key: string) {
  return fileClaim(database.db, { lpaId, participantId, body, key, today });
}

beforeAll(async () => {
  ({ database, app, lpaId } = await openLpaFixture(() => today));
  finance = await makeKey(database.db, { role: 'finance' });
  const members = [];
  for (let serial = 1; serial <= 4; serial += 1)
    members.push(
      await enrolmentSince(database.db, {
        lpaId,
        scheme: 'standalone',
        enrolledOn: '2026-03-01',
        serial: 400 + serial,
        settledThrough: '2026-12',
      }),
    );
  for (const period of ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05'])
    await runPremiumCycle(database.db, shippedRules, period, testActor, noProgress);
  await fundCapital(database.db, '10000000.00', '2027-03-20', 'q1');
  const accident = (incidentDate: string) => accidentClaim(incidentDate, incidentDate);
  const paid = await claim(members[0]?.participantId ?? '', accident('2027-02-10'), 'accident-paid');
  await payClaim(database.db, { claimId: paid.id, reference: 'TRF-1', idempotencyKey: 'pay-1', today }, testActor);
  expect(await claim(members[1]?.participantId ?? '', accident('2027-03-05'), 'accident-open')).toMatchObject({
    status: 'approved',
  });
  const referred = await claim(
    members[2]?.participantId ?? '',
    {
      claimType: 'accident-medical',
      incidentDate: '2027-03-08',
      reportDate: '2027-03-09',
      costClaimed: '4800000.00',
      documents: ['medical-certificate', 'receipt'].map((kind) => ({ kind, number: `${kind}-med`, date: '2027-03-08' })),
    },
    'medical-referred',
  );
  expect(referred.status).toBe('referred');
  for (const period of ['2027-03', '2027-04', '2027-05']) await bookIbnr(database.db, shippedRules, period, testActor);
});

afterAll(async () => {
  await database.close();
});

describe('the reserve report', () => {
  it('reconciles with the ledger’s balances as of the same day, and its breakdown adds up', async () => {
    const asOf = today;
    const answer = await as(app, finance).get(`/v1/reports/reserves?asOf=${asOf}`);
    expect(answer.status).toBe(200);
    const fund = Object.fromEntries(
      (answer.body.rows as { section: string; key: string; amount: string | null; ratio: string | null }[])
        .filter((row) => row.section === 'fund')
        .map((row) => [row.key, row.amount ?? row.ratio]),
    );
    const ledger = Object.fromEntries(
      (await trialBalance(database.db, asOf)).lines.map((line) => [line.code, amount(line.balance)]),
    );
    const credit = (code: string) => (ledger[code] ?? amount('0')).negated().toFixed(2);
    expect(fund['2100']).toBe(credit('2100'));
    expect(fund['2100']).toBe('500000.00');
    expect(fund['2300']).toBe(credit('2300'));
    expect(fund['2200']).toBe(credit('2200'));
    expect(fund.assets).toBe(
      ['1100', '1200', '1400'].reduce((sum, code) => sum.plus(ledger[code] ?? amount('0')), amount('0')).toFixed(2),
    );
    expect(fund.referred).toBe('4800000.00');
    expect(fund.earned).toBe(credit('4100'));
    expect(fund.incurred).toBe((ledger['5100'] ?? amount('0')).toFixed(2));
    expect(fund.paid).toBe('500000.00');
    expect(fund['loss-ratio']).toBe(
      amount(fund.incurred ?? '0')
        .dividedBy(fund.earned ?? '1')
        .toDecimalPlaces(4)
        .toFixed(4),
    );
    for (const section of ['scheme', 'province', 'regency', 'lpa']) {
      const rows = (answer.body.rows as { section: string; amount: string; referred: string }[]).filter(
        (row) => row.section === section,
      );
      expect(rows.reduce((sum, row) => sum.plus(row.amount), amount('0')).toFixed(2)).toBe(fund['2100']);
      expect(rows.reduce((sum, row) => sum.plus(row.referred), amount('0')).toFixed(2)).toBe(fund.referred);
    }
    for (const section of ['scheme', 'province', 'regency', 'lpa']) {
      const rows = (answer.body.rows as { section: string; ibnr: string | null }[]).filter((row) => row.section === section);
      expect(rows.reduce((sum, row) => sum.plus(row.ibnr ?? '0'), amount('0')).toFixed(2)).toBe(fund['2200']);
    }
    expect(fund['2200']).toBe('6000.00');
    // Before the claims were accepted there was nothing to reserve.
    const before = await as(app, finance).get('/v1/reports/reserves?asOf=2027-01-31');
    expect(before.body.rows.find((row: { key: string }) => row.key === '2100').amount).toBe('0.00');
  });

  it('shows an LPA only its own claims, and names a bad date', async () => {
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    const own = await as(app, lpaKey).get(`/v1/reports/reserves?asOf=${today}`);
    expect(own.body.rows.filter((row: { section: string }) => row.section === 'fund')).toEqual([]);
    expect(own.body.rows.find((row: { section: string }) => row.section === 'lpa')).toMatchObject({
      key: lpaId,
      amount: '500000.00',
    });
    const bad = await as(app, finance).get('/v1/reports/reserves?asOf=2027-02-30');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.asOf');
  });
});

describe('IBNR', () => {
  it('is set at each month’s end by the method the rules in force then declare, and moved by the difference', async () => {
    // 2027.1 (to March) declares no IBNR; 2027.2 (from April) asks 5 % of the
    // premium earned over twelve months: four members at Rp 6,000 a month,
    // four months earned by April (Rp 96,000), five by May (Rp 120,000).
    const estimates = await database
      .db('ibnr_estimates')
      .orderBy('period')
      .select('period', 'rule_scheme', 'method', 'rate', 'months', 'earned', 'ibnr', 'held_before', 'rule_version');
    expect(estimates).toEqual([
      {
        period: '2027-04-01',
        rule_scheme: 'standalone',
        method: 'earned-premium-share',
        rate: '0.050000',
        months: 12,
        earned: '96000.00',
        ibnr: '4800.00',
        held_before: '0.00',
        rule_version: '2027.2',
      },
      {
        period: '2027-05-01',
        rule_scheme: 'standalone',
        method: 'earned-premium-share',
        rate: '0.050000',
        months: 12,
        earned: '120000.00',
        ibnr: '6000.00',
        held_before: '4800.00',
        rule_version: '2027.2',
      },
    ]);
    const ibnrEntries = async (month: string) =>
      (
        (await as(app, finance).get(`/v1/ledger/entries?referenceType=ibnr&referenceId=${month}`)).body.entries as {
          entryDate: string;
          rule: { version: string };
          postings: { accountCode: string; amount: string }[];
        }[]
      ).map((entry) => [
        entry.entryDate,
        entry.rule.version,
        entry.postings.find((posting) => posting.accountCode === '2200')?.amount,
      ]);
    expect(await ibnrEntries('2027-03')).toEqual([]);
    expect(await ibnrEntries('2027-04')).toEqual([['2027-04-30', '2027.2', '-4800.00']]);
    expect(await ibnrEntries('2027-05')).toEqual([['2027-05-31', '2027.2', '-1200.00']]);
    expect(await bookIbnr(database.db, shippedRules, '2027-05', testActor)).toEqual([
      expect.objectContaining({ scheme: 'standalone', ibnr: '6000.00', heldBefore: '4800.00' }),
    ]);
    expect(await ibnrEntries('2027-05')).toHaveLength(1);
    const report = await as(app, finance).get('/v1/reports/reserves?asOf=2027-05-31');
    expect(report.body.about['IBNR method']).toBe(
      'standalone@2027.2 at the end of 2027-05: 5 % of premium earned over 12 months; earned Rp 120.000, IBNR Rp 6.000',
    );
    // Beside the share booked, the chain ladder on the same twelve months.
    // Two claims, each reported in its incident month (February and March):
    // the factors to months 1, 2 and 3 are 1, and no origin old enough to
    // show month 4 had a claim: the step from month 3 to 4 cannot be estimated. The
    // loss-ratio methods need a ratio these rules do not declare.
    const methods = (
      report.body.rows as { section: string; key: string; name: string; amount: string | null; ibnr: string | null }[]
    )
      .filter((row) => row.section === 'ibnr-method')
      .map((row) => [row.key, row.amount, row.ibnr, row.name]);
    expect(methods).toEqual([
      ['standalone:earned-premium-share', '6000.00', '6000.00', expect.stringMatching(/booked; declared; 4 months of history/)],
      [
        'standalone:chain-ladder',
        null,
        null,
        expect.stringMatching(/chain ladder \(could not run: development 3 to 4: the amounts add up to zero/),
      ],
      [
        'standalone:bornhuetter-ferguson',
        null,
        null,
        expect.stringContaining('could not run: the rules declare no expected loss ratio'),
      ],
      [
        'standalone:expected-loss-ratio',
        null,
        null,
        expect.stringContaining('could not run: the rules declare no expected loss ratio'),
      ],
    ]);
  });

  it('is shared across LPAs by the premium each earned, to the rupiah', () => {
    const earned = new Map([
      ['lpa-a', amount('100000.004')],
      ['lpa-b', amount('100000.00')],
      ['lpa-c', amount('100000.00')],
    ]);
    const parts = shareIbnr(amount('10000'), earned, 0);
    expect(parts.map((part) => [part.lpaId, part.earned.toFixed(2), part.ibnr.toFixed(2)])).toEqual([
      ['lpa-a', '100000.00', '3334.00'],
      ['lpa-b', '100000.00', '3333.00'],
      ['lpa-c', '100000.00', '3333.00'],
    ]);
    expect(shareIbnr(amount('0'), earned, 0).every((part) => part.ibnr.isZero())).toBe(true);
  });

  it('is the rate times the premium earned, rounded as the version says', () => {
    const method = {
      method: 'earned-premium-share' as const,
      rate: '0.05',
      months: '12',
      source: { document: 'test', place: 'here' },
    };
    expect(ibnrFor(method, amount('1234567.89'), { mode: 'half-even', decimalPlaces: 0 }).toFixed(2)).toBe('61728.00');
    expect(ibnrFor(method, amount('10'), { mode: 'half-even', decimalPlaces: 0 }).toFixed(2)).toBe('0.00');
  });
});

describe('the fund statement', () => {
  it('balances: assets equal liabilities, fund balance and the result, and the period result is income less expenses', async () => {
    const answer = await as(app, finance).get(`/v1/reports/fund-statement?from=2027-01-01&to=${today}`);
    expect(answer.status).toBe(200);
    const line = (section: string, code: string) =>
      amount(
        (answer.body.rows as { section: string; code: string; amount: string }[]).find(
          (row) => row.section === section && row.code === code,
        )?.amount ?? 'NaN',
      );
    const ledger = await trialBalance(database.db, today);
    const assets = ledger.lines.filter((row) => row.type === 'asset').reduce((sum, row) => sum.plus(row.balance), amount('0'));
    expect(line('balance sheet', 'assets').toFixed(2)).toBe(assets.toFixed(2));
    expect(line('balance sheet', 'assets').toFixed(2)).toBe(
      line('balance sheet', 'liabilities').plus(line('balance sheet', 'equity')).toFixed(2),
    );
    expect(line('income statement', 'result').toFixed(2)).toBe(
      line('income statement', 'income').minus(line('income statement', 'expenses')).toFixed(2),
    );
    // Claims accepted (Rp 500,000 each) and the IBNR set at May's end.
    expect(line('income statement', '5100').toFixed(2)).toBe('1006000.00');
    // The whole history falls in this year, so the period result is the unclosed result.
    expect(line('income statement', 'result').toFixed(2)).toBe(line('balance sheet', 'result').toFixed(2));
    expect((await as(app, finance).get('/v1/reports/fund-statement?from=2027-02-01&to=2027-01-01')).status).toBe(400);
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    expect((await as(app, lpaKey).get(`/v1/reports/fund-statement?from=2027-01-01&to=${today}`)).status).toBe(403);
  });
});

describe('the LPA progress report', () => {
  it('counts members, cards and the claims of the period for the LPA, and only its own for an LPA key', async () => {
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId });
    const answer = await as(app, lpaKey).get(`/v1/reports/lpa-progress?from=2026-01-01&to=${today}`);
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toEqual([
      expect.objectContaining({
        lpaId,
        members: 4,
        lapsed: 0,
        cardsIssued: 0,
        claimsFiled: 3,
        claimsAccepted: 2,
        claimsPaid: 1,
        paidOnTime: 1,
        amountPaid: '500000.00',
      }),
    ]);
    const csv = await as(app, finance).get(`/v1/reports/lpa-progress?from=2026-01-01&to=${today}&format=csv`);
    expect(csv.text.split('\r\n')[1]).toContain(',4,0,0,0,3,2,1,1,500000.00');
  });
});
