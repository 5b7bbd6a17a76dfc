import { daysBetween } from '../dates.ts';
import { amount, type Amount, roundAmount, toAmountString } from '../money/index.ts';
import { decide, type Decision, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { coverageYear } from '../registry/coverage.ts';
import type { ClaimReason, NewClaim } from './model.ts';

// Pure: a claim, the cover it falls under and the rule book in; a decision
// out. The scheme is the participant's; the version is the one in force on
// the incident date, never today's.

// What earlier claims left behind. A claim under review holds its place, so
// that review cannot approve more than the limit.
export interface ClaimHistory {
  // Sickness and accident allowances approved, paid or under review, not reversed, under the enrolment.
  readonly allowancesApproved: number;
  // A death benefit granted to the person or under review, under any enrolment.
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
  // Referred: the rules send the claim to the directorate's review, with the amount they would pay.
  readonly status: 'approved' | 'rejected' | 'referred';
  // Approved or proposed for review; null when rejected.
  readonly amount: Amount | null;
  readonly benefit: string | null;
  // Why it was rejected or referred.
  readonly reasons: readonly ClaimReason[];
  readonly coverageYear: number | null;
  // Working days from acceptance within which the benefit is paid, when the rules set one.
  readonly paymentDeadlineDays: number | null;
  readonly decision: Decision;
}

// Refusals decided before any benefit rule: the claim falls outside cover.
const coverRefusals = {
  not_enrolled: 'The participant has no enrolment that was ever in force.',
  incident_before_enrolment: 'The incident happened before the enrolment date.',
  coverage_lapsed: 'The incident happened after the cover lapsed.',
  death_benefit_already_approved:
    'A death benefit was already approved for this participant, or is under review; the cover ended with the death.',
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
      paymentDeadlineDays: null,
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
  const rejected = (reasons: readonly ClaimReason[]): Adjudication => ({
    status: 'rejected',
    amount: null,
    benefit: null,
    reasons,
    coverageYear: year,
    paymentDeadlineDays: null,
    decision,
  });
  const rejections = decision.events.filter((event) => event.type === 'claim-rejected');
  if (rejections.length > 0) return rejected(rejections.map(reasonOf));
  // Benefit rules are written to exclude each other; the first by priority wins.
  const benefit = decision.events.find((event) => event.type === 'benefit');
  if (benefit === undefined)
    return rejected([
      {
        reason: 'no_benefit_applies',
        explanation: `No benefit of ${decision.scheme} ${decision.version} covers this claim.`,
      },
    ]);
  const missing = missingDocuments(decision, claim);
  if (missing.length > 0)
    return rejected([
      {
        reason: 'documents_missing',
        explanation: `The claim needs documents that were not filed: ${missing.join(', ')}. File it again with them.`,
      },
    ]);
  const { rounding } = versionInForce(book, cover.scheme, claim.incidentDate).manifest;
  const referrals = decision.events.filter((event) => event.type === 'claim-referred');
  return {
    status: referrals.length > 0 ? 'referred' : 'approved',
    amount: roundAmount(benefitAmount(benefit.params, claim), rounding.mode, rounding.decimalPlaces),
    benefit: String(benefit.params.benefit),
    reasons: referrals.map(reasonOf),
    coverageYear: year,
    paymentDeadlineDays: paymentDeadlineDays(decision.events),
    decision,
  };
}

// The shortest payment deadline the applying rules set, in working days.
export function paymentDeadlineDays(
  events: readonly { type: string; params: Readonly<Record<string, unknown>> }[],
): number | null {
  const deadlines = events.filter((event) => event.type === 'payment-deadline').map((event) => Number(event.params.workingDays));
  return deadlines.length > 0 ? Math.min(...deadlines) : null;
}

function reasonOf(event: { params: Readonly<Record<string, unknown>> }): ClaimReason {
  return { reason: String(event.params.reason), explanation: String(event.params.explanation) };
}

// The kinds the applying rules ask for that none of the claim's documents is.
export function missingDocuments(decision: Pick<Decision, 'events'>, claim: Pick<NewClaim, 'documents'>): string[] {
  const filed = new Set(claim.documents.map((document) => document.kind));
  const required = decision.events
    .filter((event) => event.type === 'documents-required')
    .flatMap((event) => event.params.kinds as string[]);
  return [...new Set(required)].filter((kind) => !filed.has(kind));
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
    reportDelayDays: daysBetween(claim.incidentDate, claim.reportDate),
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
