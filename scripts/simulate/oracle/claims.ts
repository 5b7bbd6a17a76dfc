import { addDays, addWorkingDays, daysBetween } from '../calendar.ts';
import { coverageYearOn, coveredOn, type CoverSpan } from './cover.ts';
import {
  type ClaimFacts,
  type ClaimType,
  type DeathCause,
  type Money,
  roundRupiah,
  type SchemeName,
  benefitRuling,
  schemes,
  versionOn,
} from './policy.ts';

// What a claim's decision must be, by the spec: judged as of the incident
// date by the benefit rules in force that day, with every reason it fails
// given at once.

export interface FiledClaim {
  readonly claimType: ClaimType;
  readonly incidentDate: string;
  readonly reportDate: string;
  readonly sicknessDays: number | null;
  readonly deathCause: DeathCause | null;
  readonly costClaimed: Money | null;
  readonly monthlyWage: Money | null;
  readonly documentKinds: readonly string[];
}

// The cover a claim falls under, as the fund knows it when the claim is filed.
export interface ClaimCover {
  readonly scheme: SchemeName;
  readonly enrolledOn: string;
  readonly spans: readonly CoverSpan[];
  // The death the fund has granted a benefit for, if any.
  readonly deathOn: string | null;
  // Sickness and accident allowances standing (approved, paid or under review) under the enrolment.
  readonly allowancesStanding: number;
}

// Refusals of cover. The spec names them as the service does, except the
// death refusal, whose code the spec leaves open.
export const coverReasons = [
  'not_enrolled',
  'incident_before_enrolment',
  'coverage_lapsed',
  'after_death',
  'scheme_ended',
] as const;

export interface ExpectedDecision {
  readonly status: 'approved' | 'rejected' | 'referred';
  // Reasons that must all be given.
  readonly reasons: readonly string[];
  // Reasons that may also be given (the rules' own, when cover is refused first).
  readonly mayAlsoGive: readonly string[];
  readonly amount: Money | null;
  readonly benefit: string | null;
  readonly coverageYear: number | null;
  readonly version: string | null;
  readonly deadlineWorkingDays: number | null;
}

export function expectedDecision(claim: FiledClaim, cover: ClaimCover | null, defaultScheme: SchemeName): ExpectedDecision {
  const scheme = cover?.scheme ?? defaultScheme;
  const version = versionOn(scheme, claim.incidentDate);
  const refusals: string[] = [];
  if (cover === null) refusals.push('not_enrolled');
  else {
    // A cover that ended with its scheme is told as the scheme ending, not twice.
    const endsOn = schemes[cover.scheme].endsOn;
    const endedWithScheme =
      endsOn !== null && claim.incidentDate > endsOn && cover.spans[cover.spans.length - 1]?.to === addDays(endsOn, 1);
    if (claim.incidentDate < cover.enrolledOn) refusals.push('incident_before_enrolment');
    else if (!coveredOn(cover.spans, claim.incidentDate) && !endedWithScheme) refusals.push('coverage_lapsed');
    if (cover.deathOn !== null && (claim.claimType === 'death' || claim.incidentDate > cover.deathOn))
      refusals.push('after_death');
  }
  const ended = version === null && schemes[scheme].endsOn !== null && claim.incidentDate > (schemes[scheme].endsOn ?? '');
  // A claim for someone never enrolled has no scheme of theirs to have ended: not enrolled is the whole answer.
  if (ended && cover !== null) refusals.push('scheme_ended');
  if (version === null && !ended)
    throw new Error(`no ${scheme} rules before ${claim.incidentDate}: the simulator filed a claim it should not have`);

  const ruled = version !== null && cover !== null && claim.incidentDate >= cover.enrolledOn ? rule(claim, cover, version) : null;
  if (refusals.length > 0)
    return {
      status: 'rejected',
      reasons: refusals,
      mayAlsoGive: ruled === null ? ['documents_missing'] : [...ruled.failures, ...ruled.referrals],
      amount: null,
      benefit: null,
      coverageYear: null,
      version,
      deadlineWorkingDays: null,
    };
  if (ruled === null) throw new Error('a claim with cover and rules in force was not ruled on');
  if (ruled.failures.length > 0)
    return {
      ...ruled.base,
      status: 'rejected',
      reasons: ruled.failures,
      mayAlsoGive: ruled.referrals,
      amount: null,
      benefit: null,
      deadlineWorkingDays: null,
    };
  if (ruled.benefit === null) throw new Error(`the oracle has no benefit and no reason for a ${claim.claimType} claim`);
  return {
    ...ruled.base,
    status: ruled.referrals.length > 0 ? 'referred' : 'approved',
    reasons: ruled.referrals,
    mayAlsoGive: [],
    amount: roundRupiah(ruled.benefit.amount),
    benefit: ruled.benefit.name,
  };
}

function rule(claim: FiledClaim, cover: ClaimCover, version: string) {
  const coverageYear = coverageYearOn(cover.enrolledOn, claim.incidentDate);
  const facts: ClaimFacts = {
    claimType: claim.claimType,
    coverageYear,
    sicknessDays: claim.sicknessDays,
    priorPaidClaims: cover.allowancesStanding,
    deathCause: claim.deathCause,
    costClaimed: claim.costClaimed,
    monthlyWage: claim.monthlyWage,
    reportDelayDays: daysBetween(claim.incidentDate, claim.reportDate),
  };
  const ruling = benefitRuling(cover.scheme, version, facts);
  const filed = new Set(claim.documentKinds);
  const missing = ruling.documents.some((kind) => !filed.has(kind));
  return {
    base: { coverageYear, version, deadlineWorkingDays: ruling.deadlineWorkingDays },
    failures: [...ruling.rejections, ...(missing ? ['documents_missing'] : [])],
    referrals: ruling.referrals,
    benefit: ruling.benefit,
  };
}

export function paymentDueOn(acceptedOn: string, deadlineWorkingDays: number | null): string | null {
  return deadlineWorkingDays === null ? null : addWorkingDays(acceptedOn, deadlineWorkingDays);
}
