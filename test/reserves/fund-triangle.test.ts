import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { payClaim } from '../../src/claims/pay.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import { amount, toAmountString, toDecimalString } from '../../src/money/index.ts';
import { runPremiumCycle } from '../../src/premiums/cycle.ts';
import { fundTriangle, triangleCsv } from '../../src/reserves/fund-triangle.ts';
import { parseTriangleCsv } from '../../src/reserves/triangle-csv.ts';
import { claimLags } from '../../src/reserves/store.ts';
import { shippedRules, testActor } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { fundCapital } from '../support/fund.ts';

const counts = (triangle: ReturnType<typeof fundTriangle>) => triangle?.rows.map((row) => row.map(toDecimalString));

describe('the fund’s triangle from lags', () => {
  const lag = (origin: string, months: number, claims: string, paid: string) => ({
    origin,
    lag: months,
    claims: amount(claims),
    amount: amount(paid),
  });

  // Incremental: 2027-01 has 2 claims at lag 0 and 1 at lag 2; 2027-03 has 1
  // at lag 0. Cumulative to 2027-03: 2027-01 → 2, 2, 3; 2027-02 → 0, 0 (no
  // claims yet, still a row); 2027-03 → 1.
  it('accumulates each incident month’s claims month by month, up to the month asked for', () => {
    const rows = [lag('2027-01', 0, '2', '300000.00'), lag('2027-01', 2, '1', '150000.00'), lag('2027-03', 0, '1', '50000.00')];
    const triangle = fundTriangle(rows, '2027-03', 'counts');
    expect(triangle?.origins).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(triangle?.developments).toEqual(['0', '1', '2']);
    expect(counts(triangle)).toEqual([['2', '2', '3'], ['0', '0'], ['1']]);
    expect(fundTriangle(rows, '2027-03', 'amounts')?.rows[0]?.map((cell) => toAmountString(cell, 2))).toEqual([
      '300000.00',
      '300000.00',
      '450000.00',
    ]);
  });

  it('writes the CSV that reserves methods reads back', () => {
    const triangle = fundTriangle([lag('2027-01', 0, '2', '0'), lag('2027-02', 1, '1', '0')], '2027-02', 'counts');
    if (triangle === null) throw new Error('no triangle');
    const csv = triangleCsv(triangle, toDecimalString);
    expect(csv).toBe('origin,0,1\n2027-01,2,2\n2027-02,0,\n');
    expect(parseTriangleCsv(csv, 'fund.csv').rows.map((row) => row.map(toDecimalString))).toEqual([['2', '2'], ['0']]);
  });

  it('is null without a claim', () => {
    expect(fundTriangle([], '2027-03', 'amounts')).toBeNull();
  });
});

// A small fund's claims: one reported the day it happened and paid four
// months later, one reported the month after it happened, one reported at once.
describe('the fund’s claims by lag', () => {
  let database: TestDatabase;
  let lpaId: string;
  const today = '2027-06-30';
  const paidAmounts: string[] = [];

  async function claim(participantId: string, body: Record<string, unknown>, key: string) {
    const { claim: filed } = await submitClaim(
      database.db,
      shippedRules,
      {
        lpaId,
        claim: newClaimSchema.parse({ participantId, payout: { method: 'cash', receivedBy: 'Yohanes' }, ...body }),
        idempotencyKey: key,
        today,
        defaultScheme: 'standalone',
        fieldPrefix: '',
      },
      testActor,
    );
    return filed;
  }

  beforeAll(async () => {
    ({ database, lpaId } = await openLpaFixture(() => today));
    const members = [];
    for (let serial = 1; serial <= 3; serial += 1)
      members.push(
        await enrolmentSince(database.db, {
          lpaId,
          scheme: 'standalone',
          enrolledOn: '2026-03-01',
          serial: 500 + serial,
          settledThrough: '2026-12',
        }),
      );
    for (const period of ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05'])
      await runPremiumCycle(database.db, shippedRules, period, testActor, async () => {});
    await fundCapital(database.db, '10000000.00', '2027-03-20', 'q1');
    const paid = await claim(members[0]?.participantId ?? '', accidentClaim('2027-02-10', 'a'), 'paid');
    await payClaim(database.db, { claimId: paid.id, reference: 'TRF-1', idempotencyKey: 'pay-1', today }, testActor);
    const late = await claim(
      members[1]?.participantId ?? '',
      { ...accidentClaim('2027-03-05', 'b'), reportDate: '2027-04-02' },
      'late',
    );
    const prompt = await claim(members[2]?.participantId ?? '', accidentClaim('2027-03-20', 'c'), 'prompt');
    for (const filed of [paid, late, prompt]) expect(filed.status).toBe('approved');
    paidAmounts.push(paid.amount ?? '');
  });
  afterAll(async () => {
    await database.close();
  });

  it('counts accepted claims by incident month and months to report', async () => {
    const triangle = fundTriangle(await claimLags(database.db, 'incident', '2027-06'), '2027-06', 'counts');
    expect(triangle?.origins).toEqual(['2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    expect(counts(triangle)).toEqual([['1', '1', '1', '1', '1'], ['1', '2', '2', '2'], ['0', '0', '0'], ['0', '0'], ['0']]);
  });

  it('adds paid amounts by incident month and months to payment', async () => {
    const triangle = fundTriangle(await claimLags(database.db, 'payment', '2027-06'), '2027-06', 'amounts');
    expect(triangle?.origins).toEqual(['2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    expect(triangle?.rows[0]?.map((cell) => toAmountString(cell, 2))).toEqual(['0.00', '0.00', '0.00', '0.00', paidAmounts[0]]);
    expect(
      triangle?.rows
        .slice(1)
        .flat()
        .every((cell) => cell.isZero()),
    ).toBe(true);
  });

  it('leaves out what was reported after the month asked for', async () => {
    const triangle = fundTriangle(await claimLags(database.db, 'incident', '2027-03'), '2027-03', 'counts');
    expect(counts(triangle)).toEqual([['1', '1'], ['1']]);
  });
});
