import { loadRuleBook, type RuleBook } from '../../src/rules/load.ts';
import { at, scratchRules } from '../rules/support.ts';

// What a proposal changes, in the directorate's terms.
export interface ProposedChange {
  // The accident allowance, as a decimal string, with its ceiling raised to it.
  readonly accidentAllowance?: string;
  // The oldest age the eligibility rules accept.
  readonly ageMax?: number;
  // How many sickness or accident allowances an enrolment is paid at most.
  readonly allowancesMax?: number;
}

export const proposedName = '2027.9';

// The shipped standalone rules with a proposed version 2027.9 beside them: a
// copy of 2027.3 with the change made, starting 2027-10-01. Every edit of a
// rule file the impact tests make is here, so a change of the file format is
// mended in one place.
export function bookWithProposal(change: ProposedChange): RuleBook {
  const scratch = scratchRules(['standalone']);
  try {
    scratch.copyVersion('standalone', '2027.3', proposedName);
    const folder = `standalone/${proposedName}`;
    scratch.edit(`${folder}/manifest.json`, (manifest) => {
      manifest.version = proposedName;
      manifest.effectiveFrom = '2027-10-01';
      if (change.accidentAllowance !== undefined)
        at(manifest, 'ceilings', 'accident-allowance').amount = change.accidentAllowance;
    });
    if (change.accidentAllowance !== undefined) {
      const amount = change.accidentAllowance;
      scratch.edit(`${folder}/benefits.json`, (file) => {
        const rules = file.rules as { name: string; event: { params: Record<string, unknown> } }[];
        const accident = rules.find((rule) => rule.name === 'accident pays Rp 500,000');
        if (accident === undefined) throw new Error('2027.3 has no accident allowance rule to change');
        accident.event.params.amount = amount;
      });
    }
    if (change.ageMax !== undefined) {
      const ageMax = change.ageMax;
      scratch.edit(`${folder}/eligibility.json`, (file) => {
        at(file, 'rules', 0, 'conditions', 'all', 0, 'any', 1).value = ageMax;
      });
    }
    if (change.allowancesMax !== undefined) {
      const allowancesMax = change.allowancesMax;
      scratch.edit(`${folder}/benefits.json`, (file) => {
        for (const condition of leafConditions(file.rules))
          if (condition.fact === 'priorPaidClaims') condition.value = allowancesMax;
      });
    }
    return loadRuleBook(scratch.dir);
  } finally {
    scratch.dispose();
  }
}

// Every condition that names a fact, however deep in all / any / not.
function leafConditions(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(leafConditions);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  if ('fact' in record) return [record];
  return Object.values(record).flatMap(leafConditions);
}
