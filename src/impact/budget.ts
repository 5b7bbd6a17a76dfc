import { addMonths, monthsBetween } from '../dates.ts';
import { decideStrengthening, factsOf, honorariumRate, type LpaFacts, shareHonorarium } from '../lpa/index.ts';
import { amount, type Amount, fromNumeric, roundAmount } from '../money/index.ts';
import { premiumTariff } from '../premiums/index.ts';
import { coverageYearOfMonth } from '../registry/index.ts';
import { versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import type { Redecided } from './eligibility.ts';
import type { MonthFigures, Population } from './model.ts';

type PopulationGroup = { lpaId: string; enrolledIn: string; members: number };

// Members each rule set keeps in cover, by LPA and month of enrolment: those
// it decides eligible today. A person it would accept whose enrolment was
// refused counts as enrolling in the first projected month, as a new
// enrolment would.
export function populationTally(firstMonth: string): {
  add(redecided: Redecided): void;
  result(): { inForce: Population; proposed: Population };
} {
  const populations = { inForce: new Map<string, PopulationGroup>(), proposed: new Map<string, PopulationGroup>() };
  return {
    add({ row, inForce, proposed }) {
      const enrolledIn = row.status === 'active' ? row.enrolledOn.slice(0, 7) : firstMonth;
      for (const [which, verdict] of [
        ['inForce', inForce],
        ['proposed', proposed],
      ] as const) {
        if (verdict.status !== 'active') continue;
        const key = `${row.lpaId}|${enrolledIn}`;
        const group = populations[which].get(key) ?? { lpaId: row.lpaId, enrolledIn, members: 0 };
        group.members += 1;
        populations[which].set(key, group);
      }
    },
    result: () => populations,
  };
}

export interface Projection {
  readonly scheme: string;
  readonly months: readonly string[];
  readonly population: Population;
  // What the lpa rules know of each LPA today; the projection holds them as they are.
  readonly lpaFacts: ReadonlyMap<string, LpaFacts>;
  // What the rule set pays for the claims of the lookback window, and the member-months in cover over it.
  readonly claimsPaid: Amount;
  readonly memberMonths: number;
}

// Pure: a rule set's money, month by month (YYYY-MM), for the members it
// keeps: premium, subsidy and own share by the subsidy rules for each
// member's month of cover; honorarium and strengthening by the lpa rules, as
// the monthly jobs book them; and the claims expected at the window's rate.
//
// Expected claims: for each claim type, claims per member-month in the window
// times what this rule set pays on average per claim of the type (rejected
// ones count as nothing), times the members of the month. Summed over the
// types, the claim counts cancel: the month's members times what the rule set
// pays for the window's claims, over the window's member-months.
export function projectMoney(book: RuleBook, projection: Projection): MonthFigures[] {
  return projection.months.map((month) => projectMonth(book, projection, month));
}

function projectMonth(book: RuleBook, projection: Projection, month: string): MonthFigures {
  const { scheme } = projection;
  const periodStart = `${month}-01`;
  const { rounding } = versionInForce(book, scheme, periodStart).manifest;
  const zero = amount('0');
  let members = 0;
  let premium = zero;
  let subsidy = zero;
  let ownShare = zero;
  // By LPA and coverage year: what the honorarium is a share of, and who enters the year.
  const cohorts = new Map<string, { lpaId: string; coverageYear: number; members: number; subsidy: Amount; entering: number }>();
  const tariffs = new Map<number, ReturnType<typeof premiumTariff>>();
  for (const group of projection.population.values()) {
    if (group.enrolledIn > month) continue;
    members += group.members;
    const monthOfCover = monthsBetween(group.enrolledIn, month) + 1;
    if (!tariffs.has(monthOfCover)) tariffs.set(monthOfCover, premiumTariff(book, scheme, periodStart, monthOfCover));
    const tariff = tariffs.get(monthOfCover) ?? null;
    const groupSubsidy = tariff === null ? zero : tariff.subsidyShare.times(group.members);
    if (tariff !== null) {
      premium = premium.plus(tariff.premium.times(group.members));
      subsidy = subsidy.plus(groupSubsidy);
      ownShare = ownShare.plus(tariff.ownShare.times(group.members));
    }
    const coverageYear = coverageYearOfMonth(monthOfCover);
    const key = `${group.lpaId}|${coverageYear}`;
    const cohort = cohorts.get(key) ?? { lpaId: group.lpaId, coverageYear, members: 0, subsidy: zero, entering: 0 };
    cohort.members += group.members;
    cohort.subsidy = cohort.subsidy.plus(groupSubsidy);
    if ((monthOfCover - 1) % 12 === 0) cohort.entering += group.members;
    cohorts.set(key, cohort);
  }
  return {
    members,
    premium,
    subsidy,
    ownShare,
    honorarium: honorarium(book, projection, periodStart, [...cohorts.values()]),
    strengthening: strengthening(book, projection, periodStart, [...cohorts.values()]),
    expectedClaims:
      projection.memberMonths === 0
        ? zero
        : roundAmount(
            projection.claimsPaid.times(members).dividedBy(projection.memberMonths),
            rounding.mode,
            rounding.decimalPlaces,
          ),
  };
}

// As the honorarium job books it: LPAs the rules give one rate share its rounding.
function honorarium(
  book: RuleBook,
  projection: Projection,
  periodStart: string,
  cohorts: readonly { lpaId: string; coverageYear: number; members: number; subsidy: Amount }[],
): Amount {
  const { rounding } = versionInForce(book, projection.scheme, periodStart).manifest;
  const groups = new Map<string, { rate: string; channelled: { lpaId: string; participants: number; subsidy: Amount }[] }>();
  for (const cohort of cohorts) {
    const facts = { coverageYear: cohort.coverageYear, ...factsOf(projection.lpaFacts, cohort.lpaId) };
    const rate = honorariumRate(book, projection.scheme, periodStart, facts);
    if (rate === null) continue;
    const key = `${cohort.coverageYear}:${rate.version}:${rate.rate}`;
    const group = groups.get(key) ?? { rate: rate.rate, channelled: [] };
    group.channelled.push({ lpaId: cohort.lpaId, participants: cohort.members, subsidy: cohort.subsidy });
    groups.set(key, group);
  }
  return [...groups.values()].reduce(
    (sum, group) => sum.plus(shareHonorarium(fromNumeric(group.rate), group.channelled, rounding).total),
    amount('0'),
  );
}

// As the strengthening job decides it: for each LPA's members entering a coverage year.
function strengthening(
  book: RuleBook,
  projection: Projection,
  periodStart: string,
  cohorts: readonly { lpaId: string; coverageYear: number; entering: number }[],
): Amount {
  return cohorts
    .filter((cohort) => cohort.entering > 0)
    .reduce((sum, cohort) => {
      const decision = decideStrengthening(book, {
        scheme: projection.scheme,
        date: periodStart,
        participants: cohort.entering,
        facts: { coverageYear: cohort.coverageYear, ...factsOf(projection.lpaFacts, cohort.lpaId) },
      });
      return decision === null || !decision.granted ? sum : sum.plus(decision.amount);
    }, amount('0'));
}

// The months after today's, as YYYY-MM.
export function monthsAfter(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addMonths(today, index + 1));
}
