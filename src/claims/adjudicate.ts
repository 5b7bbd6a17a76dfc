import { amount, type Amount, roundAmount, toAmountString } from '../money/index.ts';
import { decide, type Decision, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { coverageYear } from '../registry/coverage.ts';
import type { ClaimReason, NewClaim } from './model.ts';

// Pure: a claim, the cover it falls under and the rule book in; a decision
// out. The scheme is the participant's; the version is the one in force on
// the incident date, never today's.

// What earlier claims under the same enrolment left behind.
export interface ClaimHistory {
  // Sickness and accident allowances approved or paid, not reversed, under the enrolment.
  readonly allowancesApproved: number;
  // A death benefit granted to the person, under any enrolment.
  readonly deathApproved: boolean;
}

export interface Cover {
  readonly enrolmentId: string;
  readonly scheme: string;
  readonly enrolledOn: string;
  // The day cover ended, for a lapsed enrolment.
  readonly lapsedOn: string | null;
}

export interface Adjudication {
  readonly status: 'approved' | 'rejected';
  readonly amount: Amount | null;
  readonly benefit: string | null;
  readonly reasons: readonly ClaimReason[];
  readonly coverageYear: number | null;
  readonly decision: Decision;
}

// Refusals decided before any benefit rule: the claim falls outside cover.
const coverRefusals = {
  not_enrolled: 'The participant has no enrolment that was ever in force.',
  incident_before_enrolment: 'The incident happened before the enrolment date.',
  coverage_lapsed: 'The incident happened after the cover lapsed.',
  death_benefit_already_approved: 'A death benefit was already approved for this participant; the cover ended with the death.',
} as const;
type CoverRefusal = keyof typeof coverRefusals;

export function adjudicateClaim(
  book: RuleBook,
  claim: NewClaim,
  cover: Cover | null,
  history: ClaimHistory,
  defaultScheme: string,
): Adjudication {
  const refusal = coverRefusal(claim, cover, history);
  if (refusal !== null || cover === null) {
    const version = versionInForce(book, cover?.scheme ?? defaultScheme, claim.incidentDate);
    return {
      status: 'rejected',
      amount: null,
      benefit: null,
      reasons: [{ reason: refusal ?? 'not_enrolled', explanation: coverRefusals[refusal ?? 'not_enrolled'] }],
      coverageYear: null,
      decision: {
        scheme: version.scheme,
        version: version.version,
        hash: version.hash,
        area: 'benefits',
        date: claim.incidentDate,
        facts: { claimType: claim.claimType, incidentDate: claim.incidentDate, enrolledOn: cover?.enrolledOn ?? null },
        events: [],
        trace: [],
      },
    };
  }
  const year = coverageYear(cover.enrolledOn, claim.incidentDate);
  const decision = decide(book, {
    scheme: cover.scheme,
    area: 'benefits',
    date: claim.incidentDate,
    facts: benefitFacts(claim, year, history.allowancesApproved),
  });
  const rejections = decision.events.filter((event) => event.type === 'claim-rejected');
  if (rejections.length > 0)
    return {
      status: 'rejected',
      amount: null,
      benefit: null,
      reasons: rejections.map((event) => ({
        reason: String(event.params.reason),
        explanation: String(event.params.explanation),
      })),
      coverageYear: year,
      decision,
    };
  // Benefit rules are written to exclude each other; the first by priority wins.
  const benefit = decision.events.find((event) => event.type === 'benefit');
  if (benefit === undefined)
    return {
      status: 'rejected',
      amount: null,
      benefit: null,
      reasons: [
        {
          reason: 'no_benefit_applies',
          explanation: `No benefit of ${decision.scheme} ${decision.version} covers this claim.`,
        },
      ],
      coverageYear: year,
      decision,
    };
  const { rounding } = versionInForce(book, cover.scheme, claim.incidentDate).manifest;
  return {
    status: 'approved',
    amount: roundAmount(benefitAmount(benefit.params, claim), rounding.mode, rounding.decimalPlaces),
    benefit: String(benefit.params.benefit),
    reasons: [],
    coverageYear: year,
    decision,
  };
}

function coverRefusal(claim: NewClaim, cover: Cover | null, history: ClaimHistory): CoverRefusal | null {
  if (cover === null) return 'not_enrolled';
  if (claim.incidentDate < cover.enrolledOn) return 'incident_before_enrolment';
  if (cover.lapsedOn !== null && claim.incidentDate >= cover.lapsedOn) return 'coverage_lapsed';
  if (history.deathApproved) return 'death_benefit_already_approved';
  return null;
}

function benefitFacts(claim: NewClaim, year: number, priorPaidClaims: number): Record<string, unknown> {
  return {
    claimType: claim.claimType,
    coverageYear: year,
    sicknessDays: claim.claimType === 'sickness' ? claim.sicknessDays : null,
    priorPaidClaims,
    deathCause: claim.claimType === 'death' ? claim.deathCause : null,
    costClaimed:
      claim.claimType === 'accident-medical' || claim.claimType === 'dentures' ? toAmountString(claim.costClaimed) : null,
    monthlyWage: claim.claimType === 'disability' ? toAmountString(claim.monthlyWage) : null,
  };
}

// The amount a benefit event pays for this claim, before rounding.
export function benefitAmount(params: Readonly<Record<string, unknown>>, claim: NewClaim): Amount {
  const param = (name: string) => amount(String(params[name]));
  switch (params.method) {
    case 'fixed':
      return param('amount');
    case 'reimbursement': {
      const cost = claim.claimType === 'accident-medical' || claim.claimType === 'dentures' ? claim.costClaimed : amount('0');
      return cost.lessThan(param('amountMax')) ? cost : param('amountMax');
    }
    case 'wage-multiple': {
      const wage = claim.claimType === 'disability' ? claim.monthlyWage : amount('0');
      return param('wageRate')
        .times(param('wageMonths'))
        .times(wage)
        .plus(param('allowance').times(param('allowanceMonths')));
    }
    default:
      throw new Error(`a benefit event with method ${String(params.method)} passed rule validation`);
  }
}
