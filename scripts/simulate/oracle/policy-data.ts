import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../calendar.ts';
import {
  type BenefitRuling,
  type ClaimType,
  type DeathCause,
  Money,
  arrearsReminderMonths,
  arrearsTerms,
  benefitRuling,
  ineligibilityReasons,
  premiumFor,
  type SchemeName,
  schemeNames,
  schemes,
  versionOn,
} from './policy.ts';

// The rule files read as data, never evaluated: what versions they ship and
// when each starts, and the directorate's own cases. The oracle's tables
// were written by hand; this says where they and the files part ways, so a
// new version or a changed figure stops the simulator instead of being
// judged by a policy the oracle has not read.

interface Manifest {
  readonly scheme: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly rounding: { readonly mode: string; readonly decimalPlaces: number };
}

interface RuleCase {
  readonly name: string;
  readonly area: string;
  readonly date: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly expect: { readonly version?: string; readonly error?: string; readonly events?: readonly CaseEvent[] };
}

interface CaseEvent {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

// The versions in force or to come: published and not withdrawn. A draft
// decides nothing, so the oracle need not know it.
function versionDirs(rulesDir: string): { scheme: string; version: string; dir: string }[] {
  return readdirSync(rulesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((scheme) =>
      readdirSync(join(rulesDir, scheme.name), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((version) => ({ scheme: scheme.name, version: version.name, dir: join(rulesDir, scheme.name, version.name) })),
    )
    .filter(({ dir }) => {
      const record = join(dir, 'publication.json');
      return existsSync(record) && readJson<{ withdrawn?: unknown }>(record).withdrawn === undefined;
    });
}

// Versions and their dates, scheme ends and rounding: each way the files and the oracle differ.
export function policyDrift(rulesDir: string): string[] {
  const problems: string[] = [];
  const manifests = versionDirs(rulesDir).map(({ dir }) => readJson<Manifest>(join(dir, 'manifest.json')));
  for (const scheme of schemeNames) {
    const shipped = manifests
      .filter((manifest) => manifest.scheme === scheme)
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    const known = schemes[scheme].versions;
    const shippedText = shipped.map((manifest) => `${manifest.version}@${manifest.effectiveFrom}`).join(', ');
    const knownText = known.map((span) => `${span.version}@${span.from}`).join(', ');
    if (shippedText !== knownText)
      problems.push(`${scheme}: the rule files ship ${shippedText || 'nothing'}; the oracle knows ${knownText}`);
    for (const manifest of shipped) {
      if (manifest.rounding.mode !== 'half-even' || manifest.rounding.decimalPlaces !== 0)
        problems.push(
          `${scheme} ${manifest.version}: rounds ${manifest.rounding.mode} to ${manifest.rounding.decimalPlaces} places; the oracle rounds half-even to whole rupiah`,
        );
      if (manifest.effectiveTo !== undefined && versionOn(scheme, addDays(manifest.effectiveTo, 1)) !== null)
        problems.push(
          `${scheme} ${manifest.version}: ends on ${manifest.effectiveTo}; the oracle has the scheme in force the day after`,
        );
    }
  }
  for (const manifest of manifests)
    if (!schemeNames.includes(manifest.scheme as SchemeName))
      problems.push(`the rule files ship a scheme the oracle does not know: ${manifest.scheme}`);
  return problems;
}

// Each benefits, subsidy and eligibility case of the rule files, put to the
// oracle's tables: the case's name and what differs.
export function caseDisagreements(rulesDir: string): string[] {
  const problems: string[] = [];
  for (const { scheme, dir } of versionDirs(rulesDir)) {
    if (!schemeNames.includes(scheme as SchemeName)) continue;
    const casesDir = join(dir, 'cases');
    let files: string[];
    try {
      files = readdirSync(casesDir).filter((name) => name.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files)
      for (const ruleCase of readJson<RuleCase[]>(join(casesDir, file))) {
        const problem = disagreement(scheme as SchemeName, ruleCase);
        if (problem !== null) problems.push(`${scheme} ${file} "${ruleCase.name}": ${problem}`);
      }
  }
  return problems;
}

function disagreement(scheme: SchemeName, ruleCase: RuleCase): string | null {
  const version = versionOn(scheme, ruleCase.date);
  if (ruleCase.expect.error !== undefined) return version === null ? null : `the oracle has ${version} in force`;
  if (version !== ruleCase.expect.version) return `version ${ruleCase.expect.version}, the oracle ${version}`;
  const events = ruleCase.expect.events ?? [];
  const facts = ruleCase.facts;
  switch (ruleCase.area) {
    case 'benefits':
      return compare(benefitEvents(events, facts), rulingEvents(benefitRuling(scheme, version, benefitFacts(facts))));
    case 'subsidy':
      return compare(
        subsidyEvents(events),
        oracleSubsidyEvents(scheme, version, Number(facts.monthOfCover), Number(facts.coverageYear)),
      );
    case 'eligibility':
      return compare(
        events.filter((event) => event.type === 'ineligible').map((event) => `ineligible ${String(event.params.reason)}`),
        ineligibilityReasons(scheme, {
          age: Number(facts.age),
          maritalStatus: String(facts.maritalStatus),
          isHeadOfFamily: facts.isHeadOfFamily === true,
          informal: facts.sector === 'informal',
          welfareStatus: String(facts.welfareStatus),
          willingToSave: declared(facts.willingToSave),
          attendsMonthlyMeeting: declared(facts.attendsMonthlyMeeting),
        }).map((reason) => `ineligible ${reason}`),
      );
    default:
      return null;
  }
}

// A case that leaves a declaration out means none was made.
function declared(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function compare(expected: readonly string[], oracle: readonly string[]): string | null {
  const a = [...expected].sort().join('; ');
  const b = [...oracle].sort().join('; ');
  return a === b ? null : `the case expects [${a}], the oracle says [${b}]`;
}

function benefitFacts(facts: Readonly<Record<string, unknown>>) {
  const amountOrNull = (value: unknown) => (typeof value === 'string' ? new Money(value) : null);
  return {
    claimType: String(facts.claimType) as ClaimType,
    coverageYear: Number(facts.coverageYear),
    sicknessDays: typeof facts.sicknessDays === 'number' ? facts.sicknessDays : null,
    priorPaidClaims: Number(facts.priorPaidClaims ?? 0),
    deathCause: (facts.deathCause ?? null) as DeathCause | null,
    costClaimed: amountOrNull(facts.costClaimed),
    monthlyWage: amountOrNull(facts.monthlyWage),
    reportDelayDays: Number(facts.reportDelayDays ?? 0),
  };
}

// A case's benefit events in the words the oracle uses: the amount a
// benefit pays for these facts, each rejection, each document, each referral.
function benefitEvents(events: readonly CaseEvent[], facts: Readonly<Record<string, unknown>>): string[] {
  const amount = (params: Readonly<Record<string, unknown>>): Money => {
    const value = (name: string) => new Money(String(params[name]));
    if (params.method === 'fixed') return value('amount');
    if (params.method === 'reimbursement') return Money.min(new Money(String(facts.costClaimed ?? '0')), value('amountMax'));
    return value('wageRate')
      .times(value('wageMonths'))
      .times(Money.min(new Money(String(facts.monthlyWage ?? '0')), value('insuredWage')))
      .plus(value('allowance').times(value('allowanceMonths')));
  };
  return events.flatMap((event) => {
    switch (event.type) {
      case 'benefit':
        return [`benefit ${String(event.params.benefit)} ${amount(event.params).toFixed(2)}`];
      case 'claim-rejected':
        return [`rejected ${String(event.params.reason)}`];
      case 'claim-referred':
        return [`referred ${String(event.params.reason)}`];
      case 'documents-required':
        return (event.params.kinds as string[]).map((kind) => `document ${kind}`);
      case 'payment-deadline':
        return [`deadline ${String(event.params.workingDays)}`];
      default:
        return [`unknown event ${event.type}`];
    }
  });
}

function rulingEvents(ruling: BenefitRuling): string[] {
  return [
    ...(ruling.benefit === null ? [] : [`benefit ${ruling.benefit.name} ${ruling.benefit.amount.toFixed(2)}`]),
    ...ruling.rejections.map((reason) => `rejected ${reason}`),
    ...ruling.referrals.map((reason) => `referred ${reason}`),
    ...ruling.documents.map((kind) => `document ${kind}`),
    ...(ruling.deadlineWorkingDays === null ? [] : [`deadline ${ruling.deadlineWorkingDays}`]),
  ];
}

function subsidyEvents(events: readonly CaseEvent[]): string[] {
  return events.map((event) => {
    const p = event.params;
    switch (event.type) {
      case 'premium':
        return `premium ${new Money(String(p.premium)).toFixed(2)} rate ${new Money(String(p.subsidyRate)).toString()}`;
      case 'one-time-assistance':
        return `once ${new Money(String(p.amount)).toFixed(2)} over ${Number(p.coverageYears) * 12} months`;
      case 'arrears':
        return `arrears ${String(p.graceMonths)}/${String(p.reinstateWithinMonths)}`;
      case 'arrears-reminder':
        return `reminder after ${String(p.afterMonths)}`;
      default:
        return `unknown event ${event.type}`;
    }
  });
}

function oracleSubsidyEvents(scheme: SchemeName, version: string, monthOfCover: number, coverageYear: number): string[] {
  const premium = premiumFor(scheme, version, monthOfCover, coverageYear);
  const terms = arrearsTerms(scheme, version);
  const events: string[] = [];
  if (premium !== null)
    events.push(
      premium.earnMonths > 1
        ? `once ${premium.premium.toFixed(2)} over ${premium.earnMonths} months`
        : `premium ${premium.premium.toFixed(2)} rate ${premium.subsidy.dividedBy(premium.premium).toString()}`,
    );
  if (terms !== null) events.push(`arrears ${terms.graceMonths}/${terms.reinstateWithinMonths}`);
  const reminder = arrearsReminderMonths(scheme, version);
  if (reminder !== null) events.push(`reminder after ${reminder}`);
  return events;
}
