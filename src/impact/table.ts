import { type Amount, toAmountString } from '../money/index.ts';
import type { ReportTable } from '../shared/table.ts';
import type { ClaimTally, Impact, MonthFigures, Shift } from './model.ts';

type Row = Record<string, string | number | null>;

// Measures whose figures count people, not rupiah.
export const peopleMeasures: readonly string[] = ['in cover', 'members'];

// The impact as one table, so JSON, CSV and a spreadsheet hold the same rows:
// a section (eligibility, claims, money), what is measured, what it is
// grouped by and the group, then counts and the two rule sets' figures
// (amounts, or people where the measure counts them).
export function impactTable(impact: Impact): ReportTable {
  return {
    title: `Impact of ${impact.scheme} ${impact.version}`,
    about: {
      proposed: `${impact.scheme}@${impact.version} (hash ${impact.hash})`,
      inForce: `${impact.scheme} ${impact.versionsInForce.join(', ')}`,
      today: impact.today,
      eligibility: `every active or refused enrolment of ${impact.scheme} decided again as of ${impact.today}`,
      claims: `claims with an incident from ${impact.claimsFrom} to ${impact.today}, judged again as of their incident`,
      memberMonths: String(impact.memberMonths),
      expectedClaims:
        'members of the month × what the rule set pays for the window’s claims ÷ the window’s member-months (claim rate by type × average paid per claim of the type, summed over types)',
      stateBudget: 'subsidy + LPA honorarium + LPA strengthening',
      fundNet: 'premium − expected claims',
    },
    columns: [
      { key: 'section', header: 'Section', kind: 'text' },
      { key: 'measure', header: 'Measure', kind: 'text' },
      { key: 'by', header: 'By', kind: 'text' },
      { key: 'group', header: 'Group', kind: 'text' },
      { key: 'count', header: 'Count', kind: 'integer' },
      { key: 'changed', header: 'Changed', kind: 'integer' },
      { key: 'inForce', header: 'In force', kind: 'amount' },
      { key: 'proposed', header: 'Proposed', kind: 'amount' },
      { key: 'delta', header: 'Delta', kind: 'amount' },
    ],
    rows: [...eligibilityRows(impact), ...claimRows(impact), ...moneyRows(impact)],
  };
}

function row(section: string, measure: string, by: string, group: string, figures: Partial<Row>): Row {
  return { section, measure, by, group, count: null, changed: null, inForce: null, proposed: null, delta: null, ...figures };
}

function eligibilityRows({ eligibility }: Impact): Row[] {
  const shiftRows = (measure: string, shift: Shift): Row[] => [
    row('eligibility', measure, 'all', 'all', { count: shift.people }),
    ...(
      [
        ['reason', shift.byReason],
        ['province', shift.byProvince],
        ['regency', shift.byRegency],
        ['lpa', shift.byLpa],
      ] as const
    ).flatMap(([by, counts]) => sorted(counts).map(([group, count]) => row('eligibility', measure, by, group, { count }))),
    ...shift.sample.map((person) =>
      row('eligibility', measure, 'person', `${person.name} [${person.participantId}] ${person.reasons.join(', ')}`, {}),
    ),
  ];
  return [
    row('eligibility', 'decided', 'all', 'all', { count: eligibility.decided }),
    row('eligibility', 'in cover', 'all', 'all', {
      inForce: String(eligibility.activeInForce),
      proposed: String(eligibility.activeProposed),
      delta: String(eligibility.activeProposed - eligibility.activeInForce),
    }),
    ...shiftRows('gain cover', eligibility.gain),
    ...shiftRows('lose cover', eligibility.lose),
  ];
}

function claimRows({ claims }: Impact): Row[] {
  const tallyRow = (by: string, group: string, tally: ClaimTally) =>
    row('claims', 'paid', by, group, {
      count: tally.claims,
      changed: tally.changed,
      inForce: money(tally.inForce),
      proposed: money(tally.proposed),
      delta: money(tally.proposed.minus(tally.inForce)),
    });
  return [
    tallyRow('all', 'all', claims.total),
    ...sorted(claims.statusChanges).map(([group, count]) => row('claims', 'status change', 'status', group, { count })),
    ...(
      [
        ['claim type', claims.byClaimType],
        ['province', claims.byProvince],
        ['regency', claims.byRegency],
        ['lpa', claims.byLpa],
      ] as const
    ).flatMap(([by, tallies]) =>
      [...tallies.entries()]
        // Every claim type, which the expected claims rest on; of the regions and LPAs, those whose claims change.
        .filter(([, tally]) => by === 'claim type' || tally.changed > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, tally]) => tallyRow(by, group, tally)),
    ),
  ];
}

const moneyMeasures = ['premium', 'subsidy', 'ownShare', 'honorarium', 'strengthening', 'expectedClaims'] as const;

function moneyRows({ budget }: Impact): Row[] {
  return budget.flatMap(({ month, inForce, proposed }) => [
    row('money', 'members', 'month', month, {
      inForce: String(inForce.members),
      proposed: String(proposed.members),
      delta: String(proposed.members - inForce.members),
    }),
    ...moneyMeasures.map((measure) => amountRow(measure, month, inForce[measure], proposed[measure])),
    amountRow('stateBudget', month, stateBudget(inForce), stateBudget(proposed)),
    amountRow('fundNet', month, fundNet(inForce), fundNet(proposed)),
  ]);
}

function amountRow(measure: string, month: string, inForce: Amount, proposed: Amount): Row {
  return row('money', measure, 'month', month, {
    inForce: money(inForce),
    proposed: money(proposed),
    delta: money(proposed.minus(inForce)),
  });
}

// What the state budgets for the month: premium assistance and what the LPAs are paid.
export function stateBudget(figures: MonthFigures): Amount {
  return figures.subsidy.plus(figures.honorarium).plus(figures.strengthening);
}

// What the month's premiums leave the fund once the expected claims are paid.
export function fundNet(figures: MonthFigures): Amount {
  return figures.premium.minus(figures.expectedClaims);
}

const money = (value: Amount) => toAmountString(value);

function sorted(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts.entries()].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
}
