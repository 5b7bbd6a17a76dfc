import type { Principal } from '../access/principal.ts';
import { isInScope, scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import { coverageYear } from './coverage.ts';
import type { Participant } from './model.ts';
import { findParticipant, type ParticipantMatch, searchParticipantRows } from './store.ts';

export type ParticipantView = Participant & { readonly coverageYear: number | null };

// One participant as a caller may see them: outside the caller's regency or
// LPA they do not exist (404), so a URL reveals nothing of another's members.
export async function visibleParticipant(db: Db, principal: Principal, id: string, today: string): Promise<ParticipantView> {
  const participant = await findParticipant(db, id);
  if (participant === null || !isInScope(principal, { regencyCode: participant.regencyCode, lpaId: participant.lpaId })) {
    throw new NotFoundError('participant', id);
  }
  const { regencyCode: _scope, ...view } = participant;
  const active = view.enrolments.find((enrolment) => enrolment.status === 'active');
  return { ...view, coverageYear: active === undefined ? null : coverageYear(active.enrolledOn, today) };
}

// People the caller may see whose NIK or card number is the text, or whose name holds it.
export function searchParticipants(db: Db, principal: Principal, text: string, limit: number): Promise<ParticipantMatch[]> {
  return searchParticipantRows(db, { ...scopeFilter(principal), text, limit });
}
