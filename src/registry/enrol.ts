import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, isUniqueViolation, withTransaction } from '../db/knex.ts';
import { ConflictError, InputError, UnprocessableError } from '../errors.ts';
import { RuleNotInForceError } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { insertEnrolmentNotices } from '../notices/index.ts';
import { decideEligibility } from './eligibility.ts';
import { participantProblems } from './checks.ts';
import type { Enrolment, ParticipantInput } from './model.ts';
import { findLpa, findParticipantIdByNik, hasActiveEnrolment, insertEnrolment, regencyExists, saveParticipant } from './store.ts';

export interface EnrolmentResult {
  readonly participantId: string;
  readonly enrolment: Enrolment;
}

// An LPA submits a person; the eligibility rules in force on the enrolment
// date decide. A refusal is recorded with its reasons, never dropped.
export async function enrolParticipant(
  db: Db,
  book: RuleBook,
  request: { scheme: string; lpaId: string; input: ParticipantInput; today: string; fieldPrefix: string },
  actor: Actor,
): Promise<EnrolmentResult> {
  const { input } = request;
  const enrol = withTransaction(db, async (trx) => {
    const lpa = await findLpa(trx, request.lpaId, { lock: 'share' });
    if (lpa === null || lpa.status !== 'approved') {
      throw new ConflictError(
        'lpa-not-approved',
        `This LPA is ${lpa?.status ?? 'unknown'}; only an approved LPA may enrol participants.`,
      );
    }
    const regencies = new Map<string, boolean>();
    for (const code of new Set([input.nik.slice(0, 4), input.kk.slice(0, 4)]))
      regencies.set(code, await regencyExists(trx, code));
    const issues = participantProblems(input, request.today, (code) => regencies.get(code) === true);
    if (issues.length > 0)
      throw new InputError(issues.map((issue) => ({ ...issue, field: `${request.fieldPrefix}${issue.field}` })));

    let eligibility;
    try {
      eligibility = decideEligibility(book, request.scheme, input, input.enrolledOn);
    } catch (error) {
      if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
      throw error;
    }
    const existingId = await findParticipantIdByNik(trx, input.nik);
    if (existingId !== null && (await hasActiveEnrolment(trx, existingId))) {
      throw new ConflictError(
        'already-enrolled',
        'This NIK already has an active enrolment in the fund; one person is enrolled once.',
      );
    }
    const participantId = await saveParticipant(trx, existingId, lpa.id, input);
    const { decision } = eligibility;
    const enrolment = await insertEnrolment(trx, {
      participantId,
      lpaId: lpa.id,
      enrolledOn: input.enrolledOn,
      status: eligibility.status,
      reasons: eligibility.reasons,
      rule: { scheme: decision.scheme, version: decision.version, hash: decision.hash },
      facts: decision.facts,
      events: decision.events,
    });
    await insertEnrolmentNotices(trx, { enrolmentIds: [enrolment.id], decidedOn: request.today });
    await recordAudit(trx, actor, {
      action: eligibility.status === 'active' ? 'participant.enrol' : 'participant.reject',
      entityType: 'participant',
      entityId: participantId,
      detail: { enrolmentId: enrolment.id, reasons: eligibility.reasons.map((reason) => reason.reason), rule: enrolment.rule },
    });
    return { participantId, enrolment };
  });
  // Two submissions of one NIK at the same moment both find no participant;
  // the unique index lets one in and refuses the other.
  return enrol.catch((error: unknown) => {
    if (isUniqueViolation(error))
      throw new ConflictError('already-enrolled', 'This NIK was enrolled by a concurrent request; one person is enrolled once.');
    throw error;
  });
}
