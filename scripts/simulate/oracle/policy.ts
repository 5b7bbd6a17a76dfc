import { Decimal } from 'decimal.js';

// The three schemes as a person reads the study and the rule files, written
// out by hand: no rules engine and nothing from src/. Each figure names where
// it comes from. A version the rule files ship that is not listed here makes
// the simulator stop (policy-data.ts), so the oracle never judges by a policy
// it has not read.

export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = Decimal;

export type SchemeName = 'standalone' | 'askesos-ni-2012' | 'askesos-2003';
export const schemeNames: readonly SchemeName[] = ['standalone', 'askesos-ni-2012', 'askesos-2003'];

export interface VersionSpan {
  readonly version: string;
  readonly from: string;
}

export interface SchemePolicy {
  readonly versions: readonly VersionSpan[];
  // The last day any version is in force; null while the scheme runs on.
  readonly endsOn: string | null;
}

export const schemes: Readonly<Record<SchemeName, SchemePolicy>> = {
  standalone: {
    versions: [
      { version: '2026.1', from: '2026-01-01' },
      { version: '2026.2', from: '2026-12-01' },
      { version: '2027.1', from: '2027-01-01' },
      { version: '2027.2', from: '2027-04-01' },
      { version: '2027.3', from: '2027-07-01' },
    ],
    endsOn: null,
  },
  // Study: the New Initiative ran 2012–2014 and could continue de jure
  // "until the end of June 2015", after which Askesos had to be run otherwise.
  'askesos-ni-2012': {
    versions: [
      { version: '2012.1', from: '2012-01-01' },
      { version: '2013.1', from: '2013-01-01' },
    ],
    endsOn: '2015-06-30',
  },
  // Study: the old pattern ran 2003–2011 (manifest effectiveTo 2011-12-31).
  'askesos-2003': { versions: [{ version: '2003.1', from: '2003-01-01' }], endsOn: '2011-12-31' },
};

export function versionOn(scheme: SchemeName, date: string): string | null {
  const policy = schemes[scheme];
  if (policy.endsOn !== null && date > policy.endsOn) return null;
  let found: string | null = null;
  for (const span of policy.versions) if (span.from <= date) found = span.version;
  return found;
}

// Every version orders after 2026.1 by its name; the standalone ones are compared so.
function atLeast(version: string, floor: string): boolean {
  return version >= floor;
}

// Rounding: every shipped manifest says half-even to whole rupiah.
export function roundRupiah(value: Money): Money {
  return value.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
}

// ---- Premiums (subsidy.json) ----

export interface Premium {
  readonly premium: Money;
  readonly subsidy: Money;
  readonly own: Money;
  // Months over which the premium is earned (docs/concepts.md: a one-time assistance a part a month for its years).
  readonly earnMonths: number;
}

const money = (text: string) => new Money(text);

export function premiumFor(scheme: SchemeName, _version: string, monthOfCover: number, coverageYear: number): Premium | null {
  switch (scheme) {
    case 'standalone': {
      // subsidy.json 2026.1–2027.3: Rp 6,000 a month; assistance pays all in
      // years 1 and 2, half in year 3, none from year 4 (illustrative).
      const rate = coverageYear <= 2 ? '1' : coverageYear === 3 ? '0.5' : '0';
      return split(money('6000'), money(rate), 1);
    }
    case 'askesos-ni-2012':
      // Study and subsidy.json: Rp 10,400 a month of assistance for 12 months; after that the participant pays.
      return split(money('10400'), money(monthOfCover <= 12 ? '1' : '0'), 1);
    case 'askesos-2003':
      // Study and subsidy.json: Rp 365,000 once, in the first month, covering three years.
      return monthOfCover === 1 ? { premium: money('365000'), subsidy: money('365000'), own: money('0'), earnMonths: 36 } : null;
  }
}

function split(premium: Money, rate: Money, earnMonths: number): Premium {
  const subsidy = roundRupiah(premium.times(rate));
  return { premium, subsidy, own: premium.minus(subsidy), earnMonths };
}

// Lapse for arrears, by scheme and version: no shipped version declares it
// (the study: cover lasts while the criteria hold). A version that does is
// entered here as its subsidy.json says, and the oracle lapses and
// reinstates by it; the policy-data check holds the two together.
const arrearsLapseTerms: Readonly<Record<string, { graceMonths: number; reinstateWithinMonths: number }>> = {};

export function arrearsTerms(scheme: SchemeName, version: string): { graceMonths: number; reinstateWithinMonths: number } | null {
  return arrearsLapseTerms[`${scheme}/${version}`] ?? null;
}

// subsidy.json from standalone 2027.1: a reminder after three months unpaid.
export function arrearsReminderMonths(scheme: SchemeName, version: string): number | null {
  return scheme === 'standalone' && atLeast(version, '2027.1') ? 3 : null;
}

// ---- Eligibility (eligibility.json, identical across each scheme's versions) ----

export const informalOccupations: ReadonlySet<string> = new Set([
  'motorbike-taxi-driver',
  'pedicab-driver',
  'construction-labourer',
  'street-vendor',
  'market-porter',
  'domestic-worker',
  'fisher',
  'farm-labourer',
  'smallholder-farmer',
  'small-scale-miner',
  'scavenger',
  'home-industry-worker',
  'craftsperson',
  'religious-teacher',
  'other-informal',
]);

export interface EligibilityFacts {
  readonly age: number;
  readonly maritalStatus: string;
  readonly isHeadOfFamily: boolean;
  readonly informal: boolean;
  readonly welfareStatus: string;
  // What the LPA declared for the person; null when it declared nothing.
  readonly willingToSave: boolean | null;
  readonly attendsMonthlyMeeting: boolean | null;
}

// Every reason that applies, as the rules name them.
export function ineligibilityReasons(scheme: SchemeName, facts: EligibilityFacts): string[] {
  const reasons: string[] = [];
  const outsideAge = facts.age < 18 || facts.age > 55;
  if (scheme === 'standalone') {
    if (outsideAge) reasons.push('age_outside_working_age');
    if (!facts.isHeadOfFamily) reasons.push('not_head_of_family');
  } else {
    if (outsideAge && facts.maritalStatus !== 'married') reasons.push('age_outside_18_55_and_unmarried');
    if (!facts.isHeadOfFamily) reasons.push('not_main_breadwinner');
  }
  // Programme rules (2012), in the study: willing to save at a bank or a
  // cooperative and to attend a capacity-building meeting at least once a
  // month. The New Initiative only; a declared yes meets them, nothing
  // declared is a no.
  if (scheme === 'askesos-ni-2012') {
    if (facts.willingToSave !== true) reasons.push('not_willing_to_save');
    if (facts.attendsMonthlyMeeting !== true) reasons.push('not_attending_monthly_meeting');
  }
  if (!facts.informal) reasons.push('not_informal_worker');
  // The standalone scheme takes the vulnerable to poverty too (rentan miskin); the older ones did not.
  if (scheme === 'standalone' ? facts.welfareStatus === 'not-poor' : ['vulnerable', 'not-poor'].includes(facts.welfareStatus))
    reasons.push(scheme === 'standalone' ? 'not_poor_or_vulnerable' : 'not_poor');
  if (facts.welfareStatus === 'unknown') reasons.push('welfare_status_unverified');
  return reasons;
}

// ---- Benefits (benefits.json; the study's Table 1) ----

export const claimTypes = ['sickness', 'accident', 'accident-medical', 'dentures', 'disability', 'death'] as const;
export type ClaimType = (typeof claimTypes)[number];
export type DeathCause = 'natural' | 'accident' | 'work-accident';

export interface ClaimFacts {
  readonly claimType: ClaimType;
  readonly coverageYear: number;
  readonly sicknessDays: number | null;
  readonly priorPaidClaims: number;
  readonly deathCause: DeathCause | null;
  readonly costClaimed: Money | null;
  readonly monthlyWage: Money | null;
  readonly reportDelayDays: number;
}

// What the benefit rules of a version say of a claim's facts, before cover
// and documents filed are looked at: every rejection, the benefit and its
// amount (unrounded), the documents asked for, every referral, any deadline.
export interface BenefitRuling {
  readonly rejections: readonly string[];
  readonly benefit: { readonly name: string; readonly amount: Money } | null;
  readonly documents: readonly string[];
  readonly referrals: readonly string[];
  readonly deadlineWorkingDays: number | null;
}

export const allowanceClaimTypes: ReadonlySet<ClaimType> = new Set(['sickness', 'accident']);

export function benefitRuling(scheme: SchemeName, version: string, facts: ClaimFacts): BenefitRuling {
  switch (scheme) {
    case 'askesos-2003':
      return ruling2003(facts);
    case 'askesos-ni-2012':
      return rulingNewInitiative(facts);
    case 'standalone':
      return rulingStandalone(version, facts);
  }
}

const none = { documents: [], referrals: [], deadlineWorkingDays: null } as const;

function sicknessOutside(facts: ClaimFacts): boolean {
  return facts.claimType === 'sickness' && facts.sicknessDays !== null && (facts.sicknessDays < 5 || facts.sicknessDays > 10);
}

function limitReached(facts: ClaimFacts): boolean {
  return allowanceClaimTypes.has(facts.claimType) && facts.priorPaidClaims >= 3;
}

// Table 1, 2003–2011: sickness of 5–10 days or an accident Rp 250,000, at
// most three; death Rp 400,000 / 600,000 / 800,000 in coverage years 1 / 2 /
// 3; cover ends after three years; nothing for medical care, dentures or disability.
function ruling2003(facts: ClaimFacts): BenefitRuling {
  const rejections: string[] = [];
  if (sicknessOutside(facts)) rejections.push('sickness_days_outside_5_10');
  if (limitReached(facts)) rejections.push('claim_limit_reached');
  if (facts.coverageYear > 3) rejections.push('coverage_ended');
  if (['accident-medical', 'dentures', 'disability'].includes(facts.claimType)) rejections.push('benefit_not_in_scheme');
  let benefit: BenefitRuling['benefit'] = null;
  if (facts.coverageYear <= 3) {
    if (facts.claimType === 'sickness' && !sicknessOutside(facts) && facts.priorPaidClaims < 3)
      benefit = { name: 'sickness-allowance', amount: money('250000') };
    if (facts.claimType === 'accident' && facts.priorPaidClaims < 3)
      benefit = { name: 'accident-allowance', amount: money('250000') };
    if (facts.claimType === 'death')
      benefit = { name: 'death', amount: money(['400000', '600000', '800000'][facts.coverageYear - 1] ?? '0') };
  }
  return { rejections, benefit, ...none };
}

// Table 1, New Initiative: accident medical care up to Rp 20,000,000,
// dentures up to Rp 2,000,000, partial disability 70 % × 80 months of wage
// plus Rp 200,000 × 24 months, natural death Rp 21,000,000, death from a work
// accident Rp 48,000,000; no sickness or accident allowance.
function rulingNewInitiative(facts: ClaimFacts): BenefitRuling {
  const rejections = facts.claimType === 'sickness' || facts.claimType === 'accident' ? ['benefit_not_in_scheme'] : [];
  return {
    rejections,
    benefit: commonBenefit(facts, { medicalMax: '20000000', dentures: true, disability: true, death: ['21000000', '48000000'] }),
    ...none,
  };
}

// The standalone scheme's illustrative amounts (benefits.json 2026.1 on):
// sickness of 5–10 days or an accident Rp 500,000, at most three; accident
// medical care up to Rp 5,000,000; death Rp 5,000,000, from a work accident
// Rp 10,000,000; no dentures or disability. From 2026.2: documents per claim
// type, review of reports over 90 days late and of bills within 10 % of the
// ceiling, and the death benefit paid within 3 working days.
function rulingStandalone(version: string, facts: ClaimFacts): BenefitRuling {
  const rejections: string[] = [];
  if (sicknessOutside(facts)) rejections.push('sickness_days_outside_5_10');
  if (limitReached(facts)) rejections.push('claim_limit_reached');
  if (facts.claimType === 'dentures' || facts.claimType === 'disability') rejections.push('benefit_not_in_scheme');
  let benefit = commonBenefit(facts, {
    medicalMax: '5000000',
    dentures: false,
    disability: false,
    death: ['5000000', '10000000'],
  });
  if (facts.claimType === 'sickness' && !sicknessOutside(facts) && facts.priorPaidClaims < 3)
    benefit = { name: 'sickness-allowance', amount: money('500000') };
  if (facts.claimType === 'accident' && facts.priorPaidClaims < 3)
    benefit = { name: 'accident-allowance', amount: money('500000') };
  if (!atLeast(version, '2026.2')) return { rejections, benefit, ...none };
  const documents: string[] = [];
  if (facts.claimType === 'sickness') documents.push('medical-certificate');
  if (facts.claimType === 'accident') documents.push('medical-certificate', 'accident-statement');
  if (facts.claimType === 'accident-medical') documents.push('medical-certificate', 'receipt');
  if (facts.claimType === 'death') documents.push('death-certificate', 'family-card', 'heir-identity-card');
  if (facts.claimType === 'death' && facts.deathCause === 'work-accident') documents.push('accident-statement');
  const referrals: string[] = [];
  if (facts.reportDelayDays > 90) referrals.push('late_report');
  if (facts.claimType === 'accident-medical' && facts.costClaimed !== null && facts.costClaimed.gte(money('4500000')))
    referrals.push('cost_near_ceiling');
  return { rejections, benefit, documents, referrals, deadlineWorkingDays: facts.claimType === 'death' ? 3 : null };
}

// The New Initiative's insured wage: the study gives the disability formula
// but no wage; the rule files read the Rp 10,400 premium as Jamsostek's
// informal-sector 1.3 % of Rp 800,000, and a declared wage above it pays on it.
const niInsuredWage = '800000';

function commonBenefit(
  facts: ClaimFacts,
  scheme: { medicalMax: string; dentures: boolean; disability: boolean; death: readonly [string, string] },
): BenefitRuling['benefit'] {
  const capped = (cost: Money | null, max: string) => Money.min(cost ?? money('0'), money(max));
  switch (facts.claimType) {
    case 'accident-medical':
      return { name: 'accident-medical', amount: capped(facts.costClaimed, scheme.medicalMax) };
    case 'dentures':
      return scheme.dentures ? { name: 'dentures', amount: capped(facts.costClaimed, '2000000') } : null;
    case 'disability':
      return scheme.disability
        ? {
            name: 'disability',
            amount: money('0.70')
              .times(80)
              .times(Money.min(facts.monthlyWage ?? money('0'), money(niInsuredWage)))
              .plus(money('200000').times(24)),
          }
        : null;
    case 'death':
      return facts.deathCause === 'work-accident'
        ? { name: 'work-accident-death', amount: money(scheme.death[1]) }
        : { name: 'death', amount: money(scheme.death[0]) };
    default:
      return null;
  }
}
