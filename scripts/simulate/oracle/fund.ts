import { addDays, addMonths, addMonthsClamped, ageOn, firstDay, lastDay, monthOf } from '../calendar.ts';
import { type ClaimCover, type ExpectedDecision, expectedDecision, type FiledClaim } from './claims.ts';
import { anniversary, type CoverSpan } from './cover.ts';
import { type EnrolmentHistory, monthRulings, type OwedMonth, ownPaidByMonth } from './dues.ts';
import {
  allowanceClaimTypes,
  arrearsTerms,
  type EligibilityFacts,
  ineligibilityReasons,
  informalOccupations,
  Money,
  type SchemeName,
  schemes,
  versionOn,
} from './policy.ts';

// The fund as it should stand, built only from what the simulator did:
// who was enrolled when and under which scheme, what they paid, which claims
// were filed with which facts, reviewed, paid or reversed, what finance
// received. It decides nothing by the service's answers: where the service
// disagrees, the oracle keeps to the spec.

export type PersonFacts = Omit<EligibilityFacts, 'age' | 'informal'> & {
  readonly birthDate: string;
  readonly occupation: string;
};

function eligibilityFacts(facts: PersonFacts, on: string): EligibilityFacts {
  return { ...facts, age: ageOn(facts.birthDate, on), informal: informalOccupations.has(facts.occupation) };
}

export interface Lapse {
  readonly on: string;
  readonly reason: 'arrears' | 'not-eligible' | 'scheme-ended';
  reinstatedOn: string | null;
}

export interface Enrolment {
  readonly scheme: SchemeName;
  readonly enrolledOn: string;
  readonly spans: CoverSpan[];
  readonly lapses: Lapse[];
  // The next coverage year to re-check, and the day it begins.
  nextRecheck: { year: number; on: string };
}

export interface Member {
  readonly participantId: string;
  readonly label: string;
  // The day the LPA entered the person, which may be after their enrolment date.
  readonly enteredOn: string;
  readonly facts: PersonFacts;
  readonly enrolment: Enrolment | null;
  paid: Money;
  death: { readonly on: string; readonly knownOn: string } | null;
}

export type ClaimStatus = 'approved' | 'rejected' | 'referred' | 'paid' | 'reversed';

export interface ClaimRecord {
  readonly label: string;
  readonly serviceId: string;
  readonly participantId: string;
  readonly filed: FiledClaim;
  readonly filedOn: string;
  // What the spec says the decision must be.
  readonly expected: ExpectedDecision;
  // Where the claim stands: the spec's decision, or the service's once a
  // difference has been reported, so that one wrong decision is not
  // reported again through every later check that depends on it.
  status: ClaimStatus;
  amount: Money | null;
  acceptedOn: string | null;
  paidOn: string | null;
  reviewedOn: string | null;
}

export type Expectation = 'accept' | 'refuse' | 'either';

export class FundOracle {
  readonly members = new Map<string, Member>();
  readonly claims = new Map<string, ClaimRecord>();
  private readonly claimsOf = new Map<string, ClaimRecord[]>();
  capital = new Money(0);
  receipts = new Money(0);
  contributions = new Money(0);
  claimsPaid = new Money(0);
  recovered = new Money(0);
  // What finance and the LPAs could safely pay at the last check, less what was paid since.
  private receivableSafe = new Money(0);
  private readonly payableSafe = new Map<string, Money>();

  constructor(readonly defaultScheme: SchemeName) {}

  // ---- Registry ----

  enrolmentDecision(
    scheme: SchemeName,
    facts: PersonFacts,
    enrolledOn: string,
  ): { status: 'active' | 'rejected'; reasons: string[] } {
    const reasons = ineligibilityReasons(scheme, eligibilityFacts(facts, enrolledOn));
    return { status: reasons.length === 0 ? 'active' : 'rejected', reasons };
  }

  // Active as the service decided it: a wrong decision is reported when it is made, and followed after.
  addMember(
    participantId: string,
    label: string,
    facts: PersonFacts,
    scheme: SchemeName,
    enrolledOn: string,
    active: boolean,
    enteredOn: string,
  ): Member {
    const enrolment: Enrolment | null = active
      ? {
          scheme,
          enrolledOn,
          spans: [{ from: enrolledOn, to: null }],
          lapses: [],
          nextRecheck: { year: 2, on: anniversary(enrolledOn, 2) },
        }
      : null;
    const member: Member = { participantId, label, enteredOn, facts, enrolment, paid: new Money(0), death: null };
    this.members.set(participantId, member);
    return member;
  }

  history(member: Member): EnrolmentHistory | null {
    const { enrolment } = member;
    return enrolment === null
      ? null
      : { scheme: enrolment.scheme, enrolledOn: enrolment.enrolledOn, spans: enrolment.spans, death: member.death };
  }

  // ---- The day's jobs, as the spec has them ----

  // Each coverage year from the second is re-decided once, on the first day
  // the enrolment is in cover on or after its anniversary, by its scheme's
  // rules in force that day; an ineligible person lapses that day.
  recheck(date: string): { member: Member; lapsed: boolean }[] {
    const done: { member: Member; lapsed: boolean }[] = [];
    for (const member of this.members.values()) {
      const enrolment = member.enrolment;
      if (enrolment === null || enrolment.nextRecheck.on > date || !isOpen(enrolment)) continue;
      if (versionOn(enrolment.scheme, date) === null) continue;
      // Anniversaries passed while the cover was lapsed are taken together, today.
      while (enrolment.nextRecheck.on <= date) {
        const year = enrolment.nextRecheck.year + 1;
        enrolment.nextRecheck = { year, on: anniversary(enrolment.enrolledOn, year) };
      }
      const reasons = ineligibilityReasons(enrolment.scheme, eligibilityFacts(member.facts, date));
      if (reasons.length > 0) lapse(enrolment, date, 'not-eligible');
      done.push({ member, lapsed: reasons.length > 0 });
    }
    return done;
  }

  // The premium cycle of a month, before anything else: cover in a scheme
  // whose last rules have ended ends the day after they did.
  schemeEndings(month: string): Member[] {
    const ended: Member[] = [];
    for (const member of this.members.values()) {
      const enrolment = member.enrolment;
      const endsOn = enrolment === null ? null : schemes[enrolment.scheme].endsOn;
      if (enrolment === null || endsOn === null || !isOpen(enrolment) || addDays(endsOn, 1) > lastDay(month)) continue;
      lapse(enrolment, addDays(endsOn, 1), 'scheme-ended');
      ended.push(member);
    }
    return ended;
  }

  // The premium cycle of a month, before its dues: cover whose oldest unpaid
  // own share is at least the grace older than the month lapses on its first day.
  arrearsLapses(month: string): Member[] {
    const lapsed: Member[] = [];
    const first = firstDay(month);
    for (const member of this.members.values()) {
      const enrolment = member.enrolment;
      if (enrolment === null || !isOpen(enrolment) || enrolment.enrolledOn > lastDay(month)) continue;
      if (member.death !== null && member.death.on < first && member.death.knownOn < first) continue;
      const version = versionOn(enrolment.scheme, first);
      const terms = version === null ? null : arrearsTerms(enrolment.scheme, version);
      if (terms === null) continue;
      const owed = this.owedThrough(member, addMonths(month, -1)).filter((due) => !due.optional);
      const paid = ownPaidByMonth(owed, member.paid);
      const oldest = owed.find((due) => due.own.gt(paid.get(due.period) ?? 0));
      if (oldest !== undefined && monthsBetweenMonths(oldest.period, month) >= terms.graceMonths) {
        lapse(enrolment, first, 'arrears');
        lapsed.push(member);
      }
    }
    return lapsed;
  }

  owedThrough(member: Member, month: string): OwedMonth[] {
    const history = this.history(member);
    if (history === null) return [];
    return monthRulings(history, month).flatMap((ruling) => (ruling.owed === null ? [] : [ruling.owed]));
  }

  // ---- Money ----

  cash(): Money {
    return this.capital.plus(this.receipts).plus(this.contributions).minus(this.claimsPaid).plus(this.recovered);
  }

  // Own shares of every month that could be booked by now, less what was paid.
  contributionCeiling(participantId: string, today: string): Money {
    const member = this.member(participantId);
    return this.owedThrough(member, monthOf(today))
      .reduce((sum, due) => sum.plus(due.own), new Money(0))
      .minus(member.paid);
  }

  subsidyCeiling(today: string): Money {
    return this.subsidyOwedThrough(monthOf(today)).minus(this.receipts);
  }

  recordCapital(amount: Money): void {
    this.capital = this.capital.plus(amount);
  }

  // Safe: no more than the receivable at the last check less what came in
  // since. Refused: more than every month owed up to now could make it.
  receiptExpectation(amount: Money, today: string): Expectation {
    if (amount.lte(this.receivableSafe)) return 'accept';
    return amount.gt(this.subsidyCeiling(today)) ? 'refuse' : 'either';
  }

  recordReceipt(amount: Money): void {
    this.receipts = this.receipts.plus(amount);
    this.receivableSafe = Money.max(0, this.receivableSafe.minus(amount));
  }

  safeReceipt(): Money {
    return this.receivableSafe;
  }

  contributionExpectation(participantId: string, amount: Money, today: string): Expectation {
    if (amount.lte(this.safePayment(participantId))) return 'accept';
    return amount.gt(this.contributionCeiling(participantId, today)) ? 'refuse' : 'either';
  }

  safePayment(participantId: string): Money {
    return this.payableSafe.get(participantId) ?? new Money(0);
  }

  // Applied to the oldest dues first; a payment that clears every due of a
  // cover lapsed for arrears reinstates it from the payment day, when the
  // rules in force that day allow it within their months of the lapse.
  recordContribution(participantId: string, amount: Money, today: string): boolean {
    const member = this.member(participantId);
    member.paid = member.paid.plus(amount);
    this.contributions = this.contributions.plus(amount);
    this.payableSafe.set(participantId, Money.max(0, this.safePayment(participantId).minus(amount)));
    const enrolment = member.enrolment;
    const last = enrolment?.lapses[enrolment.lapses.length - 1];
    // Heirs settling a dead member's arrears pay a debt; the cover stays ended.
    if (member.death !== null) return false;
    if (enrolment === null || last === undefined || last.reason !== 'arrears' || last.reinstatedOn !== null || isOpen(enrolment))
      return false;
    const version = versionOn(enrolment.scheme, today);
    const terms = version === null ? null : arrearsTerms(enrolment.scheme, version);
    if (terms === null || today > addMonthsClamped(last.on, terms.reinstateWithinMonths)) return false;
    const owed = this.owedThrough(member, monthOf(today)).reduce((sum, due) => sum.plus(due.own), new Money(0));
    if (owed.gt(member.paid)) return false;
    last.reinstatedOn = today;
    enrolment.spans.push({ from: today, to: null });
    return true;
  }

  // ---- Claims ----

  claimCover(participantId: string): ClaimCover | null {
    const member = this.members.get(participantId);
    const enrolment = member?.enrolment ?? null;
    if (member === undefined || enrolment === null) return null;
    const standing = (this.claimsOf.get(participantId) ?? []).filter(
      (claim) => allowanceClaimTypes.has(claim.filed.claimType) && ['approved', 'paid', 'referred'].includes(claim.status),
    ).length;
    return {
      scheme: enrolment.scheme,
      enrolledOn: enrolment.enrolledOn,
      spans: enrolment.spans,
      deathOn: member.death?.on ?? null,
      allowancesStanding: standing,
    };
  }

  deathUnderReview(participantId: string): boolean {
    return (this.claimsOf.get(participantId) ?? []).some(
      (claim) => claim.filed.claimType === 'death' && claim.status === 'referred',
    );
  }

  expectClaim(participantId: string, filed: FiledClaim): ExpectedDecision {
    return expectedDecision(filed, this.claimCover(participantId), this.defaultScheme);
  }

  recordClaim(record: Omit<ClaimRecord, 'acceptedOn' | 'paidOn' | 'reviewedOn'>): ClaimRecord {
    const claim: ClaimRecord = { ...record, acceptedOn: null, paidOn: null, reviewedOn: null };
    this.claims.set(claim.serviceId, claim);
    this.claimsOf.set(claim.participantId, [...(this.claimsOf.get(claim.participantId) ?? []), claim]);
    if (claim.status === 'approved') this.accept(claim, record.filedOn);
    return claim;
  }

  recordReview(serviceId: string, outcome: 'approved' | 'rejected', today: string): void {
    const claim = this.claim(serviceId);
    if (claim.status !== 'referred') throw new Error(`review of ${claim.label}, which is ${claim.status}`);
    claim.reviewedOn = today;
    claim.status = outcome;
    if (outcome === 'approved') this.accept(claim, today);
  }

  recordPayment(serviceId: string, today: string): void {
    const claim = this.claim(serviceId);
    if (claim.status !== 'approved') throw new Error(`payment of ${claim.label}, which is ${claim.status}`);
    claim.status = 'paid';
    claim.paidOn = today;
    this.claimsPaid = this.claimsPaid.plus(claim.amount ?? 0);
  }

  recordReversal(serviceId: string): void {
    const claim = this.claim(serviceId);
    if (claim.status === 'paid') this.recovered = this.recovered.plus(claim.amount ?? 0);
    else if (claim.status !== 'approved') throw new Error(`reversal of ${claim.label}, which is ${claim.status}`);
    claim.status = 'reversed';
  }

  private accept(claim: ClaimRecord, today: string): void {
    claim.acceptedOn = today;
    if (claim.filed.claimType !== 'death') return;
    const member = this.member(claim.participantId);
    if (member.death !== null) return;
    member.death = { on: claim.filed.incidentDate, knownOn: today };
    // The months after the death that were booked before it was known may be
    // cancelled from now on: what was safe to pay at the last check is safe
    // only up to what the months before the death still owe.
    const stillOwed = this.owedThrough(member, monthOf(today))
      .filter((due) => !due.optional)
      .reduce((sum, due) => sum.plus(due.own), new Money(0))
      .minus(member.paid);
    this.payableSafe.set(claim.participantId, Money.max(0, Money.min(this.safePayment(claim.participantId), stillOwed)));
  }

  // ---- At a check ----

  // What could be safely paid until the next check: the receivables as they stand now.
  settleCheck(receivable: Money, outstanding: ReadonlyMap<string, Money>): void {
    this.receivableSafe = receivable;
    this.payableSafe.clear();
    for (const [participantId, amount] of outstanding) this.payableSafe.set(participantId, amount);
  }

  subsidyOwedThrough(month: string): Money {
    let total = new Money(0);
    for (const member of this.members.values())
      for (const due of this.owedThrough(member, month)) total = total.plus(due.subsidy);
    return total;
  }

  member(participantId: string): Member {
    const member = this.members.get(participantId);
    if (member === undefined) throw new Error(`the oracle has no participant ${participantId}`);
    return member;
  }

  claim(serviceId: string): ClaimRecord {
    const claim = this.claims.get(serviceId);
    if (claim === undefined) throw new Error(`the oracle has no claim ${serviceId}`);
    return claim;
  }
}

function isOpen(enrolment: Enrolment): boolean {
  return enrolment.spans[enrolment.spans.length - 1]?.to === null;
}

function lapse(enrolment: Enrolment, on: string, reason: Lapse['reason']): void {
  const open = enrolment.spans.pop();
  if (open === undefined || open.to !== null) throw new Error('lapse of a cover not in force');
  enrolment.spans.push({ from: open.from, to: on });
  enrolment.lapses.push({ on, reason, reinstatedOn: null });
}

function monthsBetweenMonths(from: string, to: string): number {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return index(to) - index(from);
}
