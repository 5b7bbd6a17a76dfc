import type { RuleBook } from '../rules/load.ts';
import { ageOn, decideEligibility, type EligibilityPerson } from '../registry/index.ts';
import {
  type EligibilityImpact,
  type EnrolmentRow,
  type Place,
  type Reason,
  samplePerDirectionMax,
  type Shift,
} from './model.ts';
import { lpaLabel, placeOf, provinceLabel, regencyLabel } from './places.ts';

export interface Verdict {
  readonly status: 'active' | 'rejected';
  readonly reasons: readonly Reason[];
}

export interface Redecided {
  readonly row: EnrolmentRow;
  readonly inForce: Verdict;
  readonly proposed: Verdict;
}

// Pure: each enrolment decided again on the person's record as of `date` (as
// the yearly re-check does) by both books. The eligibility rules read only
// the facts below, and a portfolio has few distinct combinations of them, so
// each book decides each combination once.
export function redecider(
  books: { readonly inForce: RuleBook; readonly proposed: RuleBook },
  scheme: string,
  date: string,
): (row: EnrolmentRow) => Redecided {
  const decided = { inForce: new Map<string, Verdict>(), proposed: new Map<string, Verdict>() };
  const verdict = (which: 'inForce' | 'proposed', person: EligibilityPerson): Verdict => {
    const key = [
      ageOn(person.birthDate, date),
      person.maritalStatus,
      person.isHeadOfFamily,
      person.occupation,
      person.welfareStatus,
      person.willingToSave,
      person.attendsMonthlyMeeting,
    ].join('|');
    const known = decided[which].get(key);
    if (known !== undefined) return known;
    const { status, reasons } = decideEligibility(books[which], scheme, person, date);
    const found = { status, reasons };
    decided[which].set(key, found);
    return found;
  };
  return (row) => ({ row, inForce: verdict('inForce', row.person), proposed: verdict('proposed', row.person) });
}

interface ShiftCounts {
  people: number;
  byReason: Map<string, number>;
  byProvince: Map<string, number>;
  byRegency: Map<string, number>;
  byLpa: Map<string, number>;
  sample: { participantId: string; name: string; reasons: readonly string[] }[];
}

// Tallies who gains and who loses cover, by reason, region and LPA.
export function eligibilityTally(places: ReadonlyMap<string, Place>): {
  add(redecided: Redecided): void;
  result(): EligibilityImpact;
} {
  let decided = 0;
  let activeInForce = 0;
  let activeProposed = 0;
  const gain = emptyShift();
  const lose = emptyShift();
  return {
    add({ row, inForce, proposed }) {
      decided += 1;
      if (inForce.status === 'active') activeInForce += 1;
      if (proposed.status === 'active') activeProposed += 1;
      if (inForce.status === proposed.status) return;
      const [shift, reasons] = proposed.status === 'active' ? [gain, inForce.reasons] : [lose, proposed.reasons];
      const place = placeOf(places, row.lpaId);
      shift.people += 1;
      for (const reason of new Set(reasons.map((entry) => entry.reason))) bump(shift.byReason, reason);
      bump(shift.byProvince, provinceLabel(place));
      bump(shift.byRegency, regencyLabel(place));
      bump(shift.byLpa, lpaLabel(place));
      if (shift.sample.length < samplePerDirectionMax)
        shift.sample.push({ participantId: row.participantId, name: row.name, reasons: reasons.map((entry) => entry.reason) });
    },
    result: () => ({ decided, activeInForce, activeProposed, gain: gain as Shift, lose: lose as Shift }),
  };
}

function emptyShift(): ShiftCounts {
  return { people: 0, byReason: new Map(), byProvince: new Map(), byRegency: new Map(), byLpa: new Map(), sample: [] };
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
