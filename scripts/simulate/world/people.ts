import { addDays, ageOn } from '../calendar.ts';
import type { SchemeName } from '../oracle/policy.ts';
import type { Prng } from '../prng.ts';

// People as an LPA would submit them: a NIK consistent with the regency,
// birth date and sex (women have 40 added to the day), a family card, a
// name without digits, heirs. Most are eligible; a few are not, each for
// a reason the rules name.

export interface Identity {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  readonly maritalStatus: 'single' | 'married' | 'divorced' | 'widowed';
  readonly isHeadOfFamily: boolean;
  readonly occupation: string;
  readonly welfareStatus: 'poor' | 'near-poor' | 'vulnerable' | 'not-poor' | 'unknown';
  readonly welfareDecile: number;
  // What the person declared to the LPA; null when the LPA did not ask.
  readonly willingToSave: boolean | null;
  readonly attendsMonthlyMeeting: boolean | null;
  readonly address: string;
  readonly phone: string;
  readonly heir: { readonly name: string; readonly relation: 'spouse' | 'child' | 'parent' | 'sibling' };
}

const givenNames = [
  'Yohanes',
  'Maria',
  'Siti',
  'Budi',
  'Dewi',
  'Agus',
  'Rini',
  'Wayan',
  'Ketut',
  'Nur',
  'Eko',
  'Sri',
  'Hendra',
  'Yuli',
  'Rahmat',
];
const familyNames = [
  'Dingu',
  'Santoso',
  'Rahayu',
  'Saputra',
  'Lestari',
  'Wibowo',
  'Hidayat',
  'Nugroho',
  'Pratama',
  'Kurniawan',
  'Ahmad',
];
const informal = [
  'motorbike-taxi-driver',
  'pedicab-driver',
  'construction-labourer',
  'street-vendor',
  'market-porter',
  'domestic-worker',
  'fisher',
  'farm-labourer',
  'smallholder-farmer',
  'scavenger',
  'craftsperson',
];
const streets = ['Jl. Tjilik Riwut km 3', 'Jl. Ahmad Yani 12', 'Gang Mawar 7', 'Jl. Pelabuhan 21', 'Desa Tumbang Miri RT 02'];

export type Unfit = 'too-old' | 'not-head' | 'formal' | 'not-poor' | 'unverified';

export interface PersonOptions {
  readonly regency: string;
  readonly enrolledOn: string;
  // Why the rules should refuse the person, if they should.
  readonly unfit: Unfit | null;
  // Aged 55 at enrolment and 56 before the first anniversary: the re-check's case.
  readonly agingOut: boolean;
  readonly marriedIfAgingOut: boolean;
  // The declarations, drawn from a stream of their own (declarationsFor).
  readonly declarations: Declarations;
}

export type Declarations = Pick<Identity, 'willingToSave' | 'attendsMonthlyMeeting'>;

// The New Initiative's LPAs took the two declarations its rules ask for
// from nearly everyone, and a few people said no or were never asked; the
// other schemes' LPAs mostly did not ask, and their rules must not care.
export function declarationsFor(prng: Prng, scheme: SchemeName): Declarations {
  const both = (willingToSave: boolean | null, attendsMonthlyMeeting: boolean | null) => ({
    willingToSave,
    attendsMonthlyMeeting,
  });
  const any = () => prng.pick([true, false, null]);
  if (scheme === 'askesos-ni-2012')
    return prng.weighted<Declarations>([
      [92, both(true, true)],
      [3, both(false, true)],
      [2, both(true, false)],
      [2, both(null, null)],
      [1, both(true, null)],
    ]);
  return prng.chance(0.5) ? both(null, null) : both(any(), any());
}

export function makeIdentity(prng: Prng, serial: number, options: PersonOptions): Identity {
  const sex = prng.chance(0.5) ? 'male' : 'female';
  const birthDate = birthDateFor(prng, options);
  const married = options.agingOut ? options.marriedIfAgingOut : prng.chance(0.7);
  const day = String(Number(birthDate.slice(8, 10)) + (sex === 'female' ? 40 : 0)).padStart(2, '0');
  const nik = `${options.regency}01${day}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}${String(serial % 10_000).padStart(4, '0')}`;
  const family = prng.pick(familyNames);
  return {
    nik,
    kk: `${options.regency}01${String(prng.int(0, 9_999_999_999)).padStart(10, '0')}`,
    name: `${prng.pick(givenNames)} ${family}`,
    birthDate,
    sex,
    maritalStatus: married ? 'married' : prng.pick(['single', 'divorced', 'widowed'] as const),
    isHeadOfFamily: options.unfit !== 'not-head',
    occupation: options.unfit === 'formal' ? prng.pick(['teacher', 'civil-servant', 'private-employee']) : prng.pick(informal),
    welfareStatus:
      options.unfit === 'not-poor'
        ? prng.pick(['vulnerable', 'not-poor'] as const)
        : options.unfit === 'unverified'
          ? 'unknown'
          : prng.pick(['poor', 'near-poor'] as const),
    welfareDecile: prng.int(1, 4),
    ...options.declarations,
    address: prng.pick(streets),
    phone: `08${String(prng.int(100_000_000, 999_999_999))}`,
    heir: {
      name: `${prng.pick(givenNames)} ${family}`,
      relation: married ? 'spouse' : prng.pick(['child', 'parent', 'sibling'] as const),
    },
  };
}

// Ages 18 to 54 on the enrolment date; 60 for a person too old; exactly 55
// for one who turns 56 within the year. Never 29 February, whose
// birthdays the spec does not settle.
function birthDateFor(prng: Prng, options: PersonOptions): string {
  const year = Number(options.enrolledOn.slice(0, 4));
  if (options.agingOut) {
    // Born 56 years before a day within the coming year.
    const birthday = addDays(options.enrolledOn, prng.int(20, 330));
    return avoidLeapDay(`${Number(birthday.slice(0, 4)) - 56}${birthday.slice(4)}`);
  }
  const age = options.unfit === 'too-old' ? 60 : prng.int(18, 54);
  for (;;) {
    const candidate = avoidLeapDay(addDays(`${year - age - 1}-01-01`, prng.int(0, 729)));
    if (ageOn(candidate, options.enrolledOn) === age) return candidate;
  }
}

function avoidLeapDay(date: string): string {
  return date.endsWith('-02-29') ? `${date.slice(0, 8)}28` : date;
}
