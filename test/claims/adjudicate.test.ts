import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjudicateClaim, benefitAmount, type Cover } from '../../src/claims/adjudicate.ts';
import { newClaimSchema } from '../../src/claims/model.ts';
import { shippedRules } from '../support/api.ts';

const cover: Cover = {
  enrolmentId: '00000000-0000-4000-8000-000000000001',
  scheme: 'standalone',
  enrolledOn: '2026-02-01',
  lapsedOn: null,
};
const claim = (changes: Record<string, unknown>) =>
  newClaimSchema.parse({
    participantId: '00000000-0000-4000-8000-000000000002',
    incidentDate: '2026-10-01',
    reportDate: '2026-10-02',
    claimType: 'accident',
    payout: { method: 'cash', receivedBy: 'Maria Dingu' },
    ...changes,
  });

const none = { allowancesApproved: 0, diedOn: null };

describe('adjudicateClaim', () => {
  it('judges a claim as of its incident: a death ends cover from the day of death, not before', () => {
    const died = { ...none, diedOn: '2026-09-15' };
    expect(adjudicateClaim(shippedRules, claim({}), cover, died, 'standalone').reasons).toEqual([
      expect.objectContaining({ reason: 'incident_after_death' }),
    ]);
    const before = adjudicateClaim(shippedRules, claim({ incidentDate: '2026-09-01' }), cover, died, 'standalone');
    expect(before).toMatchObject({ status: 'approved', reasons: [] });
    expect(before.amount?.toFixed(2)).toBe('500000.00');
    expect(adjudicateClaim(shippedRules, claim({ incidentDate: '2026-09-15' }), cover, died, 'standalone').status).toBe(
      'approved',
    );
    const secondDeath = claim({
      claimType: 'death',
      deathCause: 'natural',
      heir: { name: 'Maria Dingu', relation: 'spouse' },
      incidentDate: '2026-09-01',
    });
    expect(adjudicateClaim(shippedRules, secondDeath, cover, died, 'standalone').reasons).toEqual([
      expect.objectContaining({ reason: 'death_benefit_already_approved' }),
    ]);
  });

  it.each([
    ['no enrolment ever in force', null, {}, 'not_enrolled'],
    [
      'an incident before the enrolment',
      cover,
      { incidentDate: '2026-01-31', reportDate: '2026-02-01' },
      'incident_before_enrolment',
    ],
  ])('rejects %s before any benefit rule, and still names the version in force', (_name, given, changes, reason) => {
    const adjudication = adjudicateClaim(shippedRules, claim(changes), given, none, 'standalone');
    expect(adjudication).toMatchObject({ status: 'rejected', amount: null, reasons: [{ reason }] });
    expect(adjudication.decision).toMatchObject({ scheme: 'standalone', version: '2026.1', events: [] });
  });

  it('rejects an incident on the day cover lapsed, naming the rules in force that day', () => {
    const adjudication = adjudicateClaim(shippedRules, claim({}), { ...cover, lapsedOn: '2026-10-01' }, none, 'standalone');
    expect(adjudication).toMatchObject({ status: 'rejected', amount: null, reasons: [{ reason: 'coverage_lapsed' }] });
    expect(adjudication.decision).toMatchObject({ scheme: 'standalone', version: '2026.1' });
  });

  it('rejects an incident after its scheme ended, naming the last version', () => {
    const ni = { enrolmentId: cover.enrolmentId, scheme: 'askesos-ni-2012', enrolledOn: '2013-03-01', lapsedOn: null };
    const deathOn = (incidentDate: string) =>
      adjudicateClaim(
        shippedRules,
        claim({ claimType: 'death', deathCause: 'natural', heir: { name: 'Maria Dingu', relation: 'spouse' }, incidentDate }),
        ni,
        none,
        'standalone',
      );
    const after = deathOn('2015-07-01');
    expect(after).toMatchObject({ status: 'rejected', reasons: [{ reason: 'scheme_ended' }] });
    expect(after.decision).toMatchObject({ scheme: 'askesos-ni-2012', version: '2013.1' });
    const lastDay = deathOn('2015-06-30');
    expect(lastDay.status).toBe('approved');
    expect(lastDay.amount?.toFixed(2)).toBe('21000000.00');
  });

  it('gives every reason a claim fails at once: a 4-day sickness without its certificate', () => {
    const sick = claim({ claimType: 'sickness', sicknessDays: 4, incidentDate: '2026-12-10', reportDate: '2026-12-11' });
    expect(adjudicateClaim(shippedRules, sick, cover, none, 'standalone').reasons.map((reason) => reason.reason)).toEqual([
      'sickness_days_outside_5_10',
      'documents_missing',
    ]);
  });

  it('approves on the last day before cover lapsed', () => {
    expect(adjudicateClaim(shippedRules, claim({}), { ...cover, lapsedOn: '2026-10-02' }, none, 'standalone').status).toBe(
      'approved',
    );
  });

  it('counts the allowances already approved against the limit', () => {
    expect(adjudicateClaim(shippedRules, claim({}), cover, { ...none, allowancesApproved: 2 }, 'standalone').status).toBe(
      'approved',
    );
    expect(adjudicateClaim(shippedRules, claim({}), cover, { ...none, allowancesApproved: 3 }, 'standalone').reasons).toEqual([
      expect.objectContaining({ reason: 'claim_limit_reached' }),
    ]);
  });
});

describe('benefitAmount', () => {
  const reimbursement = { benefit: 'accident-medical', method: 'reimbursement', amountMax: '5000000.00' };

  it('pays a reimbursement as the cost, never above its ceiling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_99 }), (cents) => {
        const costClaimed = (cents / 100).toFixed(2);
        const paid = benefitAmount(reimbursement, claim({ claimType: 'accident-medical', costClaimed }));
        expect(paid.toFixed(2)).toBe(Number(costClaimed) < 5_000_000 ? costClaimed : '5000000.00');
      }),
    );
  });

  it('pays a wage multiple as rate × months × wage plus the allowance for its months', () => {
    const params = {
      benefit: 'disability',
      method: 'wage-multiple',
      wageRate: '0.70',
      wageMonths: '80',
      insuredWage: '2000000.00',
      allowance: '200000.00',
      allowanceMonths: '24',
    };
    const paid = benefitAmount(params, claim({ claimType: 'disability', monthlyWage: '1234567.89', disabilityPercent: 30 }));
    expect(paid.toFixed(2)).toBe('73935801.84');
  });

  it('pays a wage multiple on the insured wage when the declared wage is above it', () => {
    const params = {
      benefit: 'disability',
      method: 'wage-multiple',
      wageRate: '0.70',
      wageMonths: '80',
      insuredWage: '800000.00',
      allowance: '200000.00',
      allowanceMonths: '24',
    };
    const declared = (monthlyWage: string) =>
      benefitAmount(params, claim({ claimType: 'disability', monthlyWage, disabilityPercent: 30 })).toFixed(2);
    // 0.70 × 80 × 800,000 = 44,800,000, plus 200,000 × 24 = 4,800,000.
    expect(declared('100000000.00')).toBe('49600000.00');
    expect(declared('800000.00')).toBe('49600000.00');
    expect(declared('799999.99')).toBe('49599999.44');
  });
});
