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
      const parameters = (name: string) => at(manifest, 'parameters', name);
      if (change.accidentAllowance !== undefined) parameters('ceiling.accident-allowance').amount = change.accidentAllowance;
      if (change.ageMax !== undefined) parameters('eligibility.age-max').count = String(change.ageMax);
      if (change.allowancesMax !== undefined) parameters('allowance.claims-max').count = String(change.allowancesMax);
    });
    return loadRuleBook(scratch.dir, { scheme: 'standalone', version: proposedName });
  } finally {
    scratch.dispose();
  }
}
