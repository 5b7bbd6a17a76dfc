import { addDays, daysBetween } from '../dates.ts';
import { amount, type Amount, fromNumeric, roundAmount, toAmountString } from '../money/index.ts';
import { decide, type Decision, schemeEndedBy, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { coverageYear } from '../registry/index.ts';
import type { ClaimReason, NewClaim } from './model.ts';

// Pure: a claim, the cover it falls under and the rule book in; a decision
// out. The scheme is the participant's; the version is the one in force on
// the incident date, never today's.

// What earlier claims left behind. A claim under review holds its place, so
// that review cannot approve more than the limit.
export interface ClaimHistory {
  // Sickness and accident allowances approved, paid or under review, not reversed, under the enrolment.
  readonly allowancesApproved: number;
  // The day the person died, by a death benefit granted or under review under any enrolment.
  readonly diedOn: string | null;
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
  // Why it was rejected (every reason at once) or referred.
  readonly reasons: readonly ClaimReason[];
  readonly coverageYear: number | null;
  // Working days from acceptance within which the benefit is paid, when the rules set one.
  readonly paymentDeadlineDays: number | null;
  readonly decision: Decision;
}

// Refusals decided before any benefit rule: the claim falls outside cover.
export const coverRefusals = {
  not_enrolled: 'The participant has no enrolment that was ever in force.',
  incident_before_enrolment: 'The incident happened before the enrolment date.',
  coverage_lapsed: 'The incident happened after the cover lapsed.',
  scheme_ended: 'The scheme had ended before the incident: no version of its rules was in force any more.',
  incident_after_death: 'The incident happened after the participant died; cover ended with the death.',
  death_benefit_already_approved: 'A death benefit was already approved for this participant, or is under review.',
} as const;
type CoverRefusal = keyof typeof coverRefusals;

// A claim is judged as of its incident: by the rules in force that day, in
// the cover as it stood that day (a death filed since ends cover only from
// the day of death), and with every reason it fails given at once, so the
// LPA can mend them all before filing again.
export function adjudicateClaim(
  book: RuleBook,
  claim: NewClaim,
  cover: Cover | null,
  history: ClaimHistory,
  defaultScheme: string,
): Adjudication {
  const scheme = cover?.scheme ?? defaultScheme;
  const ended = schemeEndedBy(book, scheme, claim.incidentDate);
  const refusals = coverRefusalsOf(claim, cover, history, ended?.effectiveTo ?? null);
  // The benefit rules still speak to a claim outside cover, when the
  // incident falls in the enrolment's time and under a version in force.
  const assessable = cover !== null && ended === null && claim.incidentDate >= cover.enrolledOn;
  if (!assessable) {
    const version = ended ?? versionInForce(book, scheme, claim.incidentDate);
    return {
      status: 'rejected',
      amount: null,
      benefit: null,
      reasons: refusals.map(refusalReason),
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
  const benefit = decision.events.find((event) => event.type === 'benefit');
  const ruleRejections = decision.events.filter((event) => event.type === 'claim-rejected').map(reasonOf);
  const missing = missingDocuments(decision, claim);
  const reasons: ClaimReason[] = [
    ...refusals.map(refusalReason),
    ...ruleRejections,
    ...(benefit === undefined && ruleRejections.length === 0
      ? [{ reason: 'no_benefit_applies', explanation: `No benefit of ${decision.scheme} ${decision.version} covers this claim.` }]
      : []),
    ...(missing.length > 0
      ? [
          {
            reason: 'documents_missing',
            explanation: `The claim needs documents that were not filed: ${missing.join(', ')}. File it again with them.`,
          },
        ]
      : []),
  ];
  if (reasons.length > 0 || benefit === undefined)
    return { status: 'rejected', amount: null, benefit: null, reasons, coverageYear: year, paymentDeadlineDays: null, decision };
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

// Every refusal that holds. A lapse that is the scheme's own end is told as
// the scheme ending, not twice.
function coverRefusalsOf(
  claim: NewClaim,
  cover: Cover | null,
  history: ClaimHistory,
  schemeEndedOn: string | null,
): CoverRefusal[] {
  if (cover === null) return ['not_enrolled'];
  const refusals: CoverRefusal[] = [];
  if (claim.incidentDate < cover.enrolledOn) refusals.push('incident_before_enrolment');
  const lapsedWithScheme = schemeEndedOn !== null && cover.lapsedOn === addDays(schemeEndedOn, 1);
  if (cover.lapsedOn !== null && claim.incidentDate >= cover.lapsedOn && !lapsedWithScheme) refusals.push('coverage_lapsed');
  if (schemeEndedOn !== null) refusals.push('scheme_ended');
  if (history.diedOn !== null) {
    if (claim.claimType === 'death') refusals.push('death_benefit_already_approved');
    else if (claim.incidentDate > history.diedOn) refusals.push('incident_after_death');
  }
  return refusals;
}

function refusalReason(refusal: CoverRefusal): ClaimReason {
  return { reason: refusal, explanation: coverRefusals[refusal] };
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
  const param = (name: string) => fromNumeric(String(params[name]));
  switch (params.method) {
    case 'fixed':
      return param('amount');
    case 'reimbursement': {
      const cost = claim.claimType === 'accident-medical' || claim.claimType === 'dentures' ? claim.costClaimed : amount('0');
      return cost.lessThan(param('amountMax')) ? cost : param('amountMax');
    }
    case 'wage-multiple': {
      // A wage declared above the insured wage pays on the insured wage.
      const declared = claim.claimType === 'disability' ? claim.monthlyWage : amount('0');
      const wage = declared.lessThan(param('insuredWage')) ? declared : param('insuredWage');
      return param('wageRate')
        .times(param('wageMonths'))
        .times(wage)
        .plus(param('allowance').times(param('allowanceMonths')));
    }
    default:
      throw new Error(`a benefit event with method ${String(params.method)} passed rule validation`);
  }
}
