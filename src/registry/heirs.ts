import type { Actor, Principal } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ForbiddenError, InputError } from '../errors.ts';
import { heirProblems } from './checks.ts';
import type { HeirInput } from './model.ts';
import { visibleParticipant } from './participants.ts';
import { deleteHeirs, type Heir, insertHeirs, listHeirs, lockMemberOfLpa } from './store.ts';

// An LPA officer corrects a participant's heirs, or records a new one, after
// enrolment: the death benefit is paid to an heir, and families change.
//
// Claims do not point at heir rows: a death claim keeps the heir it was filed
// for in its own details, so a claim already filed still names that heir
// whatever becomes of the participant's list. Removing an heir a claim names
// is therefore allowed and changes no claim.

// What a replacement does to the heirs now recorded: an heir given again
// exactly (name, relation, NIK) keeps its row and id, so sending the same list
// twice changes nothing; any other row goes, and every other heir given is new.
export function planHeirChange(
  current: readonly Heir[],
  wanted: readonly HeirInput[],
): { readonly removed: readonly Heir[]; readonly added: readonly HeirInput[] } {
  const unmatched = [...current];
  const added: HeirInput[] = [];
  for (const heir of wanted) {
    const at = unmatched.findIndex(
      (row) => row.name === heir.name && row.relation === heir.relation && row.nik === (heir.nik ?? null),
    );
    if (at < 0) added.push(heir);
    else unmatched.splice(at, 1);
  }
  return { removed: unmatched, added };
}

// The audit row says who the heirs were and became, and whether each had a
// NIK, never the NIK itself: the registry's audit rows hold no identity numbers.
const heirForAudit = (heir: Heir) => ({ id: heir.id, name: heir.name, relation: heir.relation, nikGiven: heir.nik !== null });

// Replaces a participant's heirs with the list given, within the caller's
// scope: only an LPA changes them, as only an LPA enrols, and another LPA's
// participant is not found. One transaction, audited with before and after;
// a list equal to the recorded one writes nothing.
export async function replaceHeirs(
  db: Db,
  request: { principal: Principal; participantId: string; heirs: readonly HeirInput[]; today: string; fieldPrefix: string },
  actor: Actor,
): Promise<Heir[]> {
  const { heirs } = request;
  const participant = await heirsHolder(db, request);
  const issues = heirProblems(participant.nik, heirs);
  if (issues.length > 0)
    throw new InputError(issues.map((issue) => ({ ...issue, field: `${request.fieldPrefix}${issue.field}` })));
  return changeHeirs(db, request, actor, () => heirs);
}

// Takes one heir off, the others kept as they are recorded at that moment (not
// as a page showed them earlier); an heir already gone changes nothing.
export async function removeHeir(
  db: Db,
  request: { principal: Principal; participantId: string; heirId: string; today: string },
  actor: Actor,
): Promise<Heir[]> {
  await heirsHolder(db, request);
  return changeHeirs(db, request, actor, (before) =>
    before
      .filter((heir) => heir.id !== request.heirId)
      .map(({ name, relation, nik }) => ({ name, relation, ...(nik === null ? {} : { nik }) })),
  );
}

async function heirsHolder(db: Db, request: { principal: Principal; participantId: string; today: string }) {
  if (request.principal.role !== 'lpa')
    throw new ForbiddenError('Only an LPA may change a participant’s heirs, as only an LPA enrols.');
  return visibleParticipant(db, request.principal, request.participantId, request.today);
}

async function changeHeirs(
  db: Db,
  request: { principal: Principal; participantId: string },
  actor: Actor,
  wanted: (before: readonly Heir[]) => readonly HeirInput[],
): Promise<Heir[]> {
  const { principal, participantId } = request;
  if (principal.role !== 'lpa') throw new Error('heirsHolder admits lpa principals only');
  return withTransaction(db, async (trx) => {
    // Two officers correcting one family at once are decided one after the other.
    await lockMemberOfLpa(trx, participantId, principal.lpaId);
    const before = await listHeirs(trx, participantId);
    const { removed, added } = planHeirChange(before, wanted(before));
    if (removed.length === 0 && added.length === 0) return before;
    await deleteHeirs(
      trx,
      participantId,
      removed.map((heir) => heir.id),
    );
    await insertHeirs(trx, participantId, added);
    const after = await listHeirs(trx, participantId);
    await recordAudit(trx, actor, {
      action: 'participant.heirs',
      entityType: 'participant',
      entityId: participantId,
      detail: { before: before.map(heirForAudit), after: after.map(heirForAudit) },
    });
    return after;
  });
}
