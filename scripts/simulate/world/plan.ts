import { addDays, daysBetween, maxDate } from '../calendar.ts';
import type { ClaimType, DeathCause, SchemeName } from '../oracle/policy.ts';
import { schemes } from '../oracle/policy.ts';
import { Prng } from '../prng.ts';
import { declarationsFor, type Identity, makeIdentity, type Unfit } from './people.ts';
import type { Scenario } from './scenario.ts';

// Everything that will happen to the people of a run, drawn once from the
// seed before day one: when each is submitted and from which enrolment
// date, how they pay, when they fall ill, have accidents or die, and when
// their LPA hears of it. Each person draws from a stream of their own.

export const regencies = ['6210', '6201', '6271', '3171', '3174', '3402', '3471'] as const;

export interface LpaPlan {
  readonly index: number;
  readonly name: string;
  readonly regency: string;
  readonly proposedOn: string;
  readonly approvedOn: string;
}

export type PayerKind = 'prompt' | 'late' | 'never' | 'resumer';

export interface IncidentPlan {
  readonly claimType: ClaimType;
  readonly incidentDate: string;
  readonly fileOn: string;
  readonly sicknessDays: number | null;
  readonly costClaimed: string | null;
  readonly monthlyWage: string | null;
  readonly disabilityPercent: number | null;
  readonly deathCause: DeathCause | null;
  readonly documents: readonly string[];
}

export interface PersonPlan {
  readonly index: number;
  readonly label: string;
  readonly identity: Identity;
  readonly lpa: number;
  readonly entryOn: string;
  readonly enrolledOn: string;
  // Entered with others of the same LPA and date in one CSV extract.
  readonly batch: number | null;
  readonly payer: PayerKind;
  // A resumer pays everything this many days after a lapse for arrears.
  readonly resumeAfterDays: number;
  readonly death: IncidentPlan | null;
  readonly incidents: readonly IncidentPlan[];
}

export interface WorldPlan {
  readonly lpas: readonly LpaPlan[];
  readonly people: readonly PersonPlan[];
}

const claimRates: Readonly<Record<SchemeName, readonly (readonly [ClaimType, number])[]>> = {
  standalone: [
    ['sickness', 0.35],
    ['accident', 0.12],
    ['accident-medical', 0.08],
    ['dentures', 0.02],
    ['disability', 0.01],
  ],
  'askesos-ni-2012': [
    ['sickness', 0.05],
    ['accident', 0.05],
    ['accident-medical', 0.15],
    ['dentures', 0.06],
    ['disability', 0.04],
  ],
  'askesos-2003': [
    ['sickness', 0.35],
    ['accident', 0.12],
    ['accident-medical', 0.02],
    ['dentures', 0.01],
    ['disability', 0.01],
  ],
};
const deathsPerYear = 0.03;

export function planWorld(scenario: Scenario): WorldPlan {
  const prng = Prng.of(scenario.seed, 'world');
  const lpas = planLpas(prng.fork('lpas'), scenario);
  const people: PersonPlan[] = [];
  const niks = new Set<string>();
  let batch = 0;
  while (people.length < scenario.members) {
    const batchSize = prng.chance(0.12) ? Math.min(prng.int(3, 25), scenario.members - people.length) : 1;
    const entryOn = entryDay(prng, scenario);
    const enrolledOn = enrolmentDate(prng, scenario, entryOn);
    const lpa = prng.pick(lpas.filter((candidate) => candidate.approvedOn <= entryOn)).index;
    batch += batchSize > 1 ? 1 : 0;
    for (let member = 0; member < batchSize; member += 1) {
      const index = people.length;
      const person = planPerson(Prng.of(scenario.seed, `person ${index}`), scenario, {
        index,
        lpa: lpas[lpa] as LpaPlan,
        entryOn,
        enrolledOn,
        batch: batchSize > 1 ? batch : null,
        niks,
      });
      people.push(person);
    }
  }
  return { lpas, people };
}

function planLpas(prng: Prng, scenario: Scenario): LpaPlan[] {
  return Array.from({ length: scenario.lpas }, (_, index) => {
    const late = index >= 2 && prng.chance(0.3);
    const proposedOn = late
      ? addDays(scenario.start, prng.int(1, Math.max(1, daysBetween(scenario.start, scenario.lastEntry) >> 1)))
      : scenario.start;
    return {
      index,
      name: `Yayasan Harapan ${['Betang', 'Tunas', 'Mandiri', 'Sejahtera', 'Bersama'][index % 5]} ${String.fromCharCode(65 + (index % 26))}`,
      regency: prng.pick(regencies),
      proposedOn,
      approvedOn: late ? addDays(proposedOn, prng.int(1, 10)) : scenario.start,
    };
  });
}

// A drive at the start, then a steady trickle until the last day of entry.
function entryDay(prng: Prng, scenario: Scenario): string {
  const span = Math.max(0, daysBetween(scenario.start, scenario.lastEntry));
  return addDays(scenario.start, prng.chance(0.35) ? prng.int(0, Math.min(45, span)) : prng.int(0, span));
}

// Mostly the day of entry; some backdated up to six months (never before the
// scheme began); some to the first of the month.
function enrolmentDate(prng: Prng, scenario: Scenario, entryOn: string): string {
  const schemeStart = schemes[scenario.scheme].versions[0]?.from ?? scenario.start;
  const drawn = prng.weighted<string>([
    [60, entryOn],
    [25, addDays(entryOn, -prng.int(1, 183))],
    [15, `${entryOn.slice(0, 7)}-01`],
  ]);
  return maxDate(drawn, schemeStart);
}

interface PersonContext {
  readonly index: number;
  readonly lpa: LpaPlan;
  readonly entryOn: string;
  readonly enrolledOn: string;
  readonly batch: number | null;
  readonly niks: Set<string>;
}

function planPerson(prng: Prng, scenario: Scenario, context: PersonContext): PersonPlan {
  const unfit = prng.chance(0.04) ? prng.pick<Unfit>(['too-old', 'not-head', 'formal', 'not-poor', 'unverified']) : null;
  const agingOut = unfit === null && prng.chance(0.05);
  // A stream of its own, so that the person's other draws are those of runs made before the declarations existed.
  const declarations = declarationsFor(Prng.of(scenario.seed, `declarations ${context.index}`), scenario.scheme);
  let identity: Identity;
  let serial = (context.index % 9_999) + 1;
  do {
    identity = makeIdentity(prng, serial, {
      regency: context.lpa.regency,
      enrolledOn: context.enrolledOn,
      unfit,
      agingOut,
      marriedIfAgingOut: prng.chance(0.5),
      declarations,
    });
    serial = (serial % 9_999) + 1;
  } while (context.niks.has(identity.nik));
  context.niks.add(identity.nik);
  const payer = prng.weighted<PayerKind>([
    [70, 'prompt'],
    [15, 'late'],
    [8, 'never'],
    [7, 'resumer'],
  ]);
  // Clear of the six-month edge either way: the spec does not say whether its last day counts.
  const resumeAfterDays = prng.chance(0.6) ? prng.int(20, 150) : prng.int(215, 280);
  const lastDay = scenario.end;
  const deathOn = prng.chance(1 - Math.exp(-deathsPerYear * scenario.years))
    ? addDays(context.entryOn, prng.int(1, Math.max(1, daysBetween(context.entryOn, lastDay))))
    : null;
  const death = deathOn !== null && deathOn <= lastDay ? incident(prng, scenario, context, 'death', deathOn) : null;
  const incidents: IncidentPlan[] = [];
  const livingUntil = death === null ? lastDay : addDays(death.incidentDate, -1);
  for (const [claimType, rate] of claimRates[scenario.scheme]) {
    for (
      let day = addDays(context.enrolledOn, prng.daysUntil(rate));
      day <= livingUntil;
      day = addDays(day, prng.daysUntil(rate))
    )
      incidents.push(incident(prng, scenario, context, claimType, day));
  }
  // Now and then an LPA files for something that happened before the enrolment.
  const schemeStart = schemes[scenario.scheme].versions[0]?.from ?? scenario.start;
  const before = addDays(context.enrolledOn, -prng.int(1, 30));
  if (prng.chance(0.02) && before >= schemeStart) incidents.push(incident(prng, scenario, context, 'sickness', before));
  return {
    index: context.index,
    label: `P${context.index + 1}`,
    identity,
    lpa: context.lpa.index,
    entryOn: context.entryOn,
    enrolledOn: context.enrolledOn,
    batch: context.batch,
    payer,
    resumeAfterDays,
    death,
    incidents: incidents.filter((planned) => planned.fileOn <= lastDay).sort((a, b) => a.fileOn.localeCompare(b.fileOn)),
  };
}

export function incident(
  prng: Prng,
  scenario: Scenario,
  context: { readonly entryOn: string },
  claimType: ClaimType,
  incidentDate: string,
): IncidentPlan {
  const delay = prng.weighted<number>([
    [70, prng.int(0, 14)],
    [20, prng.int(15, 90)],
    [10, prng.int(91, 180)],
  ]);
  // The LPA can only file for someone it has submitted.
  const fileOn = maxDate(addDays(incidentDate, delay), addDays(context.entryOn, 1));
  const rupiah = (min: number, max: number) => `${prng.int(min / 1000, max / 1000) * 1000}.00`;
  const deathCause =
    claimType === 'death'
      ? prng.weighted<DeathCause>([
          [65, 'natural'],
          [20, 'accident'],
          [15, 'work-accident'],
        ])
      : null;
  const medicalMax = scenario.scheme === 'askesos-ni-2012' ? 25_000_000 : 6_000_000;
  const documents = documentsFor(claimType, deathCause);
  const dropped = documents.length > 0 && prng.chance(0.12) ? prng.int(0, documents.length - 1) : -1;
  return {
    claimType,
    incidentDate,
    fileOn,
    sicknessDays:
      claimType === 'sickness'
        ? prng.weighted<number>([
            [70, prng.int(5, 10)],
            [15, prng.int(1, 4)],
            [15, prng.int(11, 30)],
          ])
        : null,
    costClaimed:
      claimType === 'accident-medical'
        ? rupiah(100_000, medicalMax)
        : claimType === 'dentures'
          ? rupiah(300_000, 3_000_000)
          : null,
    monthlyWage: claimType === 'disability' ? rupiah(800_000, 3_000_000) : null,
    disabilityPercent: claimType === 'disability' ? prng.int(10, 70) : null,
    deathCause,
    documents: documents.filter((_, position) => position !== dropped),
  };
}

// What an LPA files with each kind of claim when it has everything.
export function documentsFor(claimType: ClaimType, deathCause: DeathCause | null): string[] {
  switch (claimType) {
    case 'sickness':
      return ['medical-certificate'];
    case 'accident':
      return ['medical-certificate', 'accident-statement'];
    case 'accident-medical':
      return ['medical-certificate', 'receipt'];
    case 'dentures':
      return ['receipt'];
    case 'disability':
      return ['medical-certificate'];
    case 'death':
      return [
        'death-certificate',
        'family-card',
        'heir-identity-card',
        ...(deathCause === 'work-accident' ? ['accident-statement'] : []),
      ];
  }
}
