import { expect } from 'vitest';
import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import type { Db } from '../../src/db/knex.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { loadRuleBook, type RuleBook } from '../../src/rules/load.ts';
import { shippedRules, testActor, testToday } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { motorbikeTaxiDriver, nikFor } from '../support/people.ts';
import { at, type ScratchRules, scratchRules } from '../rules/support.ts';

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
// mended in one place. The caller disposes of the scratch folder.
export function rulesWithProposal(change: ProposedChange): ScratchRules {
  const scratch = scratchRules(['standalone']);
  scratch.copyVersion('standalone', '2027.3', proposedName);
  scratch.edit(`standalone/${proposedName}/manifest.json`, (manifest) => {
    manifest.version = proposedName;
    manifest.effectiveFrom = '2027-10-01';
    const parameters = (name: string) => at(manifest, 'parameters', name);
    if (change.accidentAllowance !== undefined) parameters('ceiling.accident-allowance').amount = change.accidentAllowance;
    if (change.ageMax !== undefined) parameters('eligibility.age-max').count = String(change.ageMax);
    if (change.allowancesMax !== undefined) parameters('allowance.claims-max').count = String(change.allowancesMax);
  });
  return scratch;
}

// The book a replay of the proposal reads: the published versions and the draft.
export function bookWithProposal(change: ProposedChange): RuleBook {
  const scratch = rulesWithProposal(change);
  try {
    return loadRuleBook(scratch.dir, { scheme: 'standalone', version: proposedName });
  } finally {
    scratch.dispose();
  }
}

// The day the impact tests replay as of.
export const replayedOn = '2027-07-15';

// A small portfolio of Gunung Mas, replayed on 2027-07-15: two members since
// June 2026 and one person refused in November 2026 for being 59. The claims
// window is August 2026 to 15 July 2027, 24 member-months; the projection
// runs August 2027 to July 2028, all under 2027.3 as the rules stand.
export async function gunungMasPortfolio(db: Db, lpaId: string): Promise<void> {
  const file = async (participantId: string, body: Record<string, unknown>, key: string): Promise<string> => {
    const { claim } = await submitClaim(
      db,
      shippedRules,
      {
        lpaId,
        claim: newClaimSchema.parse({ participantId, payout: { method: 'cash', receivedBy: 'Maria Dingu' }, ...body }),
        idempotencyKey: key,
        today: replayedOn,
        defaultScheme: 'standalone',
        fieldPrefix: '',
      },
      testActor,
    );
    return claim.status;
  };
  const sickness = (incidentDate: string) => ({
    claimType: 'sickness',
    sicknessDays: 7,
    incidentDate,
    reportDate: incidentDate,
    documents: [{ kind: 'medical-certificate', number: `mc-${incidentDate}`, date: incidentDate }],
  });
  const member = async (serial: number) =>
    (await enrolmentSince(db, { lpaId, scheme: 'standalone', enrolledOn: '2026-06-01', serial })).participantId;
  const yohanes = await member(1);
  const daniel = await member(2);
  const birthDate = '1967-01-01';
  const refused = await enrolParticipant(
    db,
    shippedRules,
    {
      scheme: 'standalone',
      lpaId,
      input: participantInputSchema.parse(
        motorbikeTaxiDriver(3, { name: 'Agus Sahay', birthDate, nik: nikFor('6210', birthDate, 'male', 3) }),
      ),
      today: testToday,
      fieldPrefix: '',
    },
    testActor,
  );
  expect(refused.enrolment.status).toBe('rejected');
  // Before the window: replayed by nobody, but it counts against Yohanes's limit of three.
  expect(await file(yohanes, accidentClaim('2026-07-10', 'y0'), 'y0')).toBe('approved');
  expect(await file(yohanes, accidentClaim('2026-09-10', 'y1'), 'y1')).toBe('approved');
  expect(await file(yohanes, accidentClaim('2027-03-05', 'y2'), 'y2')).toBe('approved');
  expect(await file(yohanes, accidentClaim('2027-06-10', 'y3'), 'y3')).toBe('rejected');
  expect(await file(daniel, accidentClaim('2027-05-20', 'd1'), 'd1')).toBe('approved');
  expect(await file(daniel, sickness('2027-06-01'), 'd2')).toBe('approved');
}
