import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payClaim } from '../../src/claims/pay.ts';
import { produceMonthlyReports } from '../../src/reports/runs.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { type TestKey, as, makeKey, shippedRules, testActor, workbookOf } from '../support/api.ts';
import { accidentClaim, fileClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';
import { fundCapital } from '../support/fund.ts';

// May 2027 of a two-member fund, read from the books and the registers:
// A (enrolled 10 May 2026) goes on into coverage year 2; B (enrolled 20 May
// 2026) lapses on the day its year ends. A's accident is paid, A's short
// sickness refused.
let database: TestDatabase;
let app: Express;
let lpaId: string;
let finance: TestKey;
let lpaKey: TestKey;
const today = '2027-06-30';
const noProgress = async () => {};

async function claim(participantId: string, body: Record<string, unknown>, key: string, decidedAt: string) {
  const filed = await fileClaim(database.db, { lpaId, participantId, body, key, today: decidedAt.slice(0, 10) });
  // Filed on the day it was decided, as the service would have.
  await database.db('claims').where({ id: filed.id }).update({ submitted_at: decidedAt });
  return filed;
}

beforeAll(async () => {
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  finance = await makeKey(database.db, { role: 'finance' });
  const a = await enrolmentSince(database.db, {
    lpaId,
    scheme: 'standalone',
    enrolledOn: '2026-05-10',
    serial: 501,
    settledThrough: '2027-03',
  });
  await enrolmentSince(database.db, {
    lpaId,
    scheme: 'standalone',
    enrolledOn: '2026-05-20',
    serial: 502,
    settledThrough: '2027-03',
    lapsedOn: '2027-05-20',
  });
  // June's cycle earns May's premium, dated May's last day.
  for (const period of ['2027-04', '2027-05', '2027-06'])
    await runPremiumCycle(database.db, shippedRules, period, testActor, noProgress);
  await fundCapital(database.db, '10000000.00', '2027-04-01', 'capital');
  const accident = await claim(a.participantId, accidentClaim('2027-05-03', 'a'), 'accident', '2027-05-05T03:00:00Z');
  expect(accident).toMatchObject({ status: 'approved', amount: '500000.00' });
  await payClaim(
    database.db,
    { claimId: accident.id, reference: 'TRF-1', idempotencyKey: 'pay-1', today: '2027-05-20' },
    testActor,
  );
  const sickness = await claim(
    a.participantId,
    {
      claimType: 'sickness',
      incidentDate: '2027-05-12',
      reportDate: '2027-05-12',
      sicknessDays: 3,
      documents: [{ kind: 'medical-certificate', number: 'mc-1', date: '2027-05-12' }],
    },
    'sickness',
    '2027-05-13T03:00:00Z',
  );
  expect(sickness.status).toBe('rejected');
});
afterAll(async () => {
  await database.close();
});

describe('the performance indicators of May 2027', () => {
  let row: Record<string, string | number | null>;

  beforeAll(async () => {
    const response = await as(app, finance).get('/v1/reports/indicators?from=2027-05-01&to=2027-05-31');
    expect(response.status).toBe(200);
    expect(response.body.rows).toHaveLength(1);
    row = response.body.rows[0];
  });

  it('give one row for the whole fund, each indicator in a column of one kind', async () => {
    expect(row).toMatchObject({ period: 'period', from: '2027-05-01', to: '2027-05-31', group: 'fund', name: 'the whole fund' });
    const response = await as(app, finance).get('/v1/reports/indicators?from=2027-05-01&to=2027-05-31');
    const kinds = Object.fromEntries(
      response.body.columns.map((column: { key: string; kind: string }) => [column.key, column.kind]),
    );
    expect(kinds).toMatchObject({
      incurredClaimsRatio: 'ratio',
      earnedPremium: 'amount',
      claimsDecided: 'integer',
      name: 'text',
    });
  });

  it('count the claims decided in the month and the one refused, by reason', () => {
    expect(row.claimsDecided).toBe(2);
    expect(row.claimsRejectionRatio).toBe('0.5000');
    expect(row['rejected:sickness_days_outside_5_10']).toBe(1);
  });

  it('time the claim paid: decided 2 days after the incident, paid 17 days after it and after its documents', () => {
    expect(row['incidentToDecision:0-7']).toBe(1);
    expect(row['incidentToDecision:median']).toBe('2');
    expect(row['incidentToPayment:8-30']).toBe(1);
    expect(row['incidentToPayment:median']).toBe('17');
    expect(row['documentsToPayment:median']).toBe('17');
    expect(row.paidWithinTenDaysOfDocuments).toBe('0.0000');
    expect(row.deathBenefitsOnTime).toBeNull();
  });

  it('read the money from the books: the claim paid, nothing left payable, incurred over earned', () => {
    expect(row.claimsPaid).toBe('500000.00');
    expect(row.caseReservesOpening).toBe('0.00');
    expect(row.caseReservesClosing).toBe('0.00');
    // Two members' May premium of Rp 6,000, earned when June's cycle ran.
    expect(row.earnedPremium).toBe('12000.00');
    // Incurred is the 500,000 paid (no case reserve or IBNR moved in May): 500,000 / 12,000.
    expect(row.incurredClaimsRatio).toBe('41.6667');
    // A year-2 honorarium of 10 % of the assistance is booked when its job runs, not here: none.
    expect(row.expenseRatio).toBe('0.0000');
    // Rp 10,000,000 of capital less the 500,000 paid.
    expect(row.cash).toBe('9500000.00');
  });

  it('follow the members: two in cover on 30 April, one on 31 May; two years ended, one renewed', () => {
    expect(row.membersOpening).toBe(2);
    expect(row.membersClosing).toBe(1);
    expect(row.growthRatio).toBe('-0.5000');
    expect(row.renewalsDue).toBe(2);
    expect(row.renewed).toBe(1);
    expect(row.renewalRatio).toBe('0.5000');
    // Both members are still in their assisted years.
    expect(row.graduationRatio).toBeNull();
    // Gunung Mas has declared no target population.
    expect(row.coverageRatio).toBeNull();
  });

  it('answers the same rows as CSV, and as a spreadsheet with the ratios as percents', async () => {
    const csv = await as(app, finance).get('/v1/reports/indicators?from=2027-05-01&to=2027-05-31&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(2);
    const workbook = await workbookOf(as(app, finance).get('/v1/reports/indicators?from=2027-05-01&to=2027-05-31&format=xlsx'));
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).indexOf('Claims rejection ratio');
    expect(sheet.getRow(2).getCell(header).value).toBe(0.5);
    expect(sheet.getRow(2).getCell(header).numFmt).toBe('0.00%');
  });
});

describe('the fund at a glance', () => {
  it('counts enrolments and claims, and gives the national roles the fund’s money now', async () => {
    const summary = await as(app, finance).get('/v1/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.enrolments.byStatus).toEqual({ active: 1, lapsed: 1 });
    expect(summary.body.enrolments.byScheme).toEqual([
      { scheme: 'standalone', status: 'active', enrolments: 1 },
      { scheme: 'standalone', status: 'lapsed', enrolments: 1 },
    ]);
    expect(summary.body.claims.byStatus).toEqual({ paid: 1, rejected: 1 });
    // Rp 10,000,000 of capital, less the Rp 500,000 claim paid.
    expect(summary.body.money).toMatchObject({ cash: '9500000.00', caseReserves: '0.00', ibnr: '0.00' });
  });

  it('shows an LPA its own members and claims, and not the fund’s money', async () => {
    const own = await as(app, lpaKey).get('/v1/summary');
    expect(own.body.enrolments.byStatus).toEqual({ active: 1, lapsed: 1 });
    expect(own.body.money).toBeNull();
    const otherLpa = await makeKey(database.db, { role: 'lpa', lpaId: await approvedLpa(database.db) });
    const other = await as(app, otherLpa).get('/v1/summary');
    expect(other.body).toMatchObject({ enrolments: { byStatus: {} }, claims: { byStatus: {} }, money: null });
  });
});

// A second LPA, Kahayan in Palangka Raya (6271), joins: one member enrolled
// on 15 May 2027 (no premium booked yet), whose short sickness is refused
// on 20 May; Palangka Raya declares 4 informal workers to cover.
describe('the indicators by regency and LPA, for May 2027 and the year to date', () => {
  let kahayan: string;
  type Row = Record<string, string | number | null>;
  const get = async (key: TestKey, query: string) => {
    const response = await as(app, key).get(`/v1/reports/indicators?${query}`);
    expect(response.status).toBe(200);
    return response.body.rows as Row[];
  };
  const pick = (rows: readonly Row[], period: string, code: string) =>
    rows.find((row) => row.period === period && row.code === code);

  beforeAll(async () => {
    kahayan = await approvedLpa(database.db, { name: 'Yayasan Kahayan', regencyCode: '6271' });
    const member = await enrolmentSince(database.db, {
      lpaId: kahayan,
      scheme: 'standalone',
      enrolledOn: '2027-05-15',
      serial: 601,
      settledThrough: '2027-06',
    });
    const refused = await fileClaim(database.db, {
      lpaId: kahayan,
      participantId: member.participantId,
      body: {
        claimType: 'sickness',
        incidentDate: '2027-05-18',
        reportDate: '2027-05-18',
        sicknessDays: 2,
        documents: [{ kind: 'medical-certificate', number: 'mc-k1', date: '2027-05-18' }],
      },
      key: 'kahayan-sickness',
      today: '2027-05-20',
    });
    expect(refused.status).toBe('rejected');
    await database.db('claims').where({ id: refused.id }).update({ submitted_at: '2027-05-20T03:00:00Z' });
    const directorate = await makeKey(database.db, { role: 'directorate' });
    const declared = await as(app, directorate)
      .put('/v1/regions/regencies/6271/target-population')
      .send({ targetPopulation: 4, source: 'Dinsos Palangka Raya, pekerja informal miskin', asOf: '2027-01-01' });
    expect(declared.status).toBe(200);
  });

  it('give each LPA its own month and year to date', async () => {
    const rows = await get(finance, 'month=2027-05&by=lpa');
    // Every LPA has its rows, the one approved above with nothing done included.
    expect(rows.filter((row) => row.period === 'month').map((row) => row.code)).toEqual(expect.arrayContaining([lpaId, kahayan]));
    expect(rows.filter((row) => row.period === 'year to date')).toHaveLength(3);
    const betang = pick(rows, 'month', lpaId);
    // Betang's is the month worked out above: all of May's premium was earned by its two members.
    expect(betang).toMatchObject({
      from: '2027-05-01',
      to: '2027-05-31',
      earnedPremium: '12000.00',
      claimsPaid: '500000.00',
      claimsDecided: 2,
      claimsRejectionRatio: '0.5000',
      membersOpening: 2,
      membersClosing: 1,
      // The fund's balance sheet is not an LPA's.
      solvencyRatio: null,
      cash: null,
    });
    // Kahayan: one claim decided, refused; no premium earned; a member from none.
    expect(pick(rows, 'month', kahayan)).toMatchObject({
      claimsDecided: 1,
      claimsRejectionRatio: '1.0000',
      'rejected:sickness_days_outside_5_10': 1,
      earnedPremium: '0.00',
      incurredClaimsRatio: null,
      membersOpening: 0,
      membersClosing: 1,
      growthRatio: null,
    });
    // January to May: April's premium too (2 × 6,000), earned when May's cycle ran; the same claims.
    expect(pick(rows, 'year to date', lpaId)).toMatchObject({
      from: '2027-01-01',
      to: '2027-05-31',
      earnedPremium: '24000.00',
      claimsDecided: 2,
      membersOpening: 2,
    });
  });

  it('give the fund’s month beside its year to date, the fund’s books on the fund’s row', async () => {
    const rows = await get(finance, 'month=2027-05');
    expect(rows.map((row) => [row.period, row.group])).toEqual([
      ['month', 'fund'],
      ['year to date', 'fund'],
    ]);
    expect(pick(rows, 'month', '')).toMatchObject({ claimsDecided: 3, membersClosing: 2, cash: '9500000.00' });
  });

  it('divide a regency’s members by the target population it declared, and the fund’s over the regencies that declared one', async () => {
    const rows = await get(finance, 'month=2027-05&by=regency');
    expect(pick(rows, 'month', '6210')).toMatchObject({ coverageRatio: null, targetPopulation: null });
    // 1 member of 4.
    expect(pick(rows, 'month', '6271')).toMatchObject({ coverageMembers: 1, targetPopulation: 4, coverageRatio: '0.2500' });
    const province = await get(finance, 'month=2027-05&by=province');
    expect(pick(province, 'month', '62')).toMatchObject({ membersClosing: 2, coverageMembers: 1, coverageRatio: '0.2500' });
  });

  it('show a dinsos key its regency alone and an LPA key itself, without the fund’s money', async () => {
    const gunungMas = await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' });
    const byLpa = await get(gunungMas, 'month=2027-05&by=lpa');
    expect(byLpa.map((row) => row.code)).toContain(lpaId);
    expect(byLpa.map((row) => row.code)).not.toContain(kahayan);
    const palangkaRaya = await makeKey(database.db, { role: 'dinsos', regencyCode: '6271' });
    const whole = await get(palangkaRaya, 'month=2027-05');
    expect(pick(whole, 'month', '')).toMatchObject({
      name: 'regency 6271',
      claimsDecided: 1,
      claimsPaid: '0.00',
      coverageRatio: '0.2500',
      liquidityRatio: null,
      assets: null,
    });
    const own = await get(lpaKey, 'month=2027-05&by=regency');
    expect(own.map((row) => row.code)).toEqual(['6210', '6210']);
    expect(pick(own, 'month', '6210')).toMatchObject({ claimsDecided: 2, coverageRatio: null });
  });

  it('refuse a query that is not exactly a month or a period, naming the field', async () => {
    const refused = async (query: string) => {
      const response = await as(app, finance).get(`/v1/reports/indicators?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      return response.body.errors.map((issue: { field: string }) => issue.field);
    };
    expect(await refused('by=lpa')).toEqual(['query.month']);
    expect(await refused('month=2027-05&from=2027-05-01')).toEqual(['query.from']);
    expect(await refused('from=2027-05-01')).toEqual(['query.to']);
    expect(await refused('from=2027-05-31&to=2027-05-01')).toEqual(['query.to']);
    expect(await refused('month=2027-13')).toEqual(['query.month']);
    expect(await refused('month=2027-05&by=district')).toEqual(['query.by']);
  });

  it('are kept by the monthly reports, for the fund and by province, regency and LPA, and download as they were', async () => {
    await produceMonthlyReports(database.db, '2027-05', testActor);
    const runs = (await as(app, finance).get('/v1/reports/runs?kind=indicators')).body.runs;
    expect(runs.map((run: { parameters: Record<string, string> }) => run.parameters)).toEqual(
      expect.arrayContaining([
        { month: '2027-05' },
        { month: '2027-05', by: 'province' },
        { month: '2027-05', by: 'regency' },
        { month: '2027-05', by: 'lpa' },
      ]),
    );
    expect(runs).toHaveLength(4);
    const fund = runs.find((run: { parameters: Record<string, string> }) => run.parameters.by === undefined);
    const kept = await as(app, finance).get(`/v1/reports/runs/${fund.id}?format=csv`);
    expect(kept.text).toBe((await as(app, finance).get('/v1/reports/indicators?month=2027-05&format=csv')).text);
  });

  it('keep in their LPA and regency rows what that LPA and that regency read of themselves', async () => {
    await produceMonthlyReports(database.db, '2027-05', testActor);
    const regencyCode = (await database.db('lpas').where({ id: lpaId }).first<{ regency_code: string }>('regency_code'))
      ?.regency_code;
    const dinsos = await makeKey(database.db, { role: 'dinsos', regencyCode });
    const keptRow = async (by: string, code: string | undefined) => {
      const runs = (await as(app, finance).get('/v1/reports/runs?kind=indicators')).body.runs;
      const run = runs.find((found: { parameters: Record<string, string> }) => found.parameters.by === by);
      const kept = (await as(app, finance).get(`/v1/reports/runs/${run.id}`)).body;
      return kept.rows.filter((row: Record<string, unknown>) => row.code === code);
    };
    // Every figure but the group's own name and code, which the scoped report gives as "this LPA".
    const figures = (rows: Record<string, unknown>[]) => rows.map(({ group, code, name, ...rest }) => rest);
    const own = async (key: TestKey) => (await as(app, key).get('/v1/reports/indicators?month=2027-05')).body.rows;
    const lpaRows = await keptRow('lpa', lpaId);
    expect(lpaRows).toHaveLength(2);
    expect(lpaRows[0].earnedPremium).not.toBe('0.00');
    expect(figures(lpaRows)).toEqual(figures(await own(lpaKey)));
    const regencyRows = await keptRow('regency', regencyCode);
    expect(regencyRows).toHaveLength(2);
    expect(figures(regencyRows)).toEqual(figures(await own(dinsos)));
  });
});

// A third LPA, in Kapuas (6203), whose members joined on a leap day and at
// a month's end: a coverage year is twelve months of cover, so the first
// ends on 27 February 2025 and the member renews on the 28th.
describe('the renewals of members who joined on a leap day', () => {
  let kapuas: string;

  beforeAll(async () => {
    kapuas = await approvedLpa(database.db, { name: 'Perkumpulan Nelayan Kapuas', regencyCode: '6203' });
    const member = (serial: number, enrolledOn: string, lapsedOn?: string) =>
      enrolmentSince(database.db, {
        lpaId: kapuas,
        scheme: 'standalone',
        enrolledOn,
        serial,
        settledThrough: '2027-06',
        lapsedOn,
      });
    await member(701, '2024-02-29');
    // Lapsed on its anniversary: its year ended in cover, and it went no further.
    await member(702, '2024-02-29', '2025-02-28');
    // Its year ends on 30 March 2025, after February.
    await member(703, '2024-03-31', '2025-03-01');
  });

  it('count two years ending in February 2025, one renewed', async () => {
    const response = await as(app, finance).get('/v1/reports/indicators?from=2025-02-01&to=2025-02-28&by=lpa');
    const row = response.body.rows.find((candidate: { code: string }) => candidate.code === kapuas);
    expect(row).toMatchObject({ renewalsDue: 2, renewed: 1, renewalRatio: '0.5000', membersOpening: 3, membersClosing: 2 });
  });
});
