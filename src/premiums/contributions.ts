import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { IdempotencyKeyReusedError, UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { postEntry } from '../ledger/post.ts';
import { fundAccountId } from '../ledger/store.ts';
import { amount, type Amount, formatRupiah, toAmountString } from '../money/index.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { refuseFutureDates } from '../dates.ts';
import { lockMemberOfLpa } from '../registry/index.ts';
import { reinstatePaidUp } from './arrears.ts';
import type { Contribution, ContributionInput, OpenDue, Reinstated } from './model.ts';
import { type ContributionRow, findContributionByKey, insertContribution, lockOpenDues, payDues, reinstatedBy } from './store.ts';

// What a participant pays of their own share (iuran mandiri), collected by
// their LPA: cash in, contributions receivable down, applied to the oldest
// dues first. A participant pays what they owe, not more: there is no
// credit to hold an overpayment against.

// Pure: a payment applied to the oldest open dues first.
export function applyToOldest(dues: readonly OpenDue[], paid: Amount): { due: OpenDue; applied: Amount }[] {
  const applied: { due: OpenDue; applied: Amount }[] = [];
  let left = paid;
  for (const due of dues) {
    if (left.isZero()) break;
    const part = left.lessThan(due.open) ? left : due.open;
    applied.push({ due, applied: part });
    left = left.minus(part);
  }
  return applied;
}

export interface ContributionRequest {
  readonly lpaId: string;
  readonly participantId: string;
  readonly input: ContributionInput;
  readonly idempotencyKey: string;
  readonly today: string;
  readonly fieldPrefix: string;
}

export async function recordContribution(
  db: Db,
  book: RuleBook,
  request: ContributionRequest,
  actor: Actor,
): Promise<{ contribution: Contribution; replayed: boolean }> {
  const { input, fieldPrefix } = request;
  refuseFutureDates(request.today, { [`${fieldPrefix}paidOn`]: input.paidOn });
  const fingerprint = sha256Hex(
    canonicalJson({
      participantId: request.participantId,
      amount: toAmountString(input.amount),
      paidOn: input.paidOn,
      reference: input.reference,
    }),
  );
  return withTransaction(db, async (trx) => {
    // Locked: two payments for one person apply to the dues one after the other.
    await lockMemberOfLpa(trx, request.participantId, request.lpaId);
    const earlier = await findContributionByKey(trx, request.lpaId, request.idempotencyKey);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint)
        throw new IdempotencyKeyReusedError(request.idempotencyKey, `contribution ${earlier.id}, with a different body`);
      const reinstated = await reinstatedBy(trx, earlier.id);
      return {
        contribution: toContribution(earlier, reinstated),
        replayed: true,
      };
    }

    const open = await lockOpenDues(trx, request.participantId);
    const owed = open.reduce((sum, due) => sum.plus(due.open), amount('0'));
    if (input.amount.greaterThan(owed))
      throw new UnprocessableError(
        'contribution-exceeds-dues',
        `The participant owes ${formatRupiah(owed)} of their own share; a payment of ${formatRupiah(input.amount)} is more than that.`,
      );
    const applied = applyToOldest(open, input.amount);
    await payDues(
      trx,
      applied.map(({ due, applied: part }) => ({ enrolmentId: due.enrolmentId, period: due.period, amount: part })),
    );
    const id = randomUUID();
    const entryId = randomUUID();
    const row = await insertContribution(trx, {
      id,
      participant_id: request.participantId,
      lpa_id: request.lpaId,
      amount: toAmountString(input.amount),
      paid_on: input.paidOn,
      reference: input.reference,
      applied: JSON.stringify(
        applied.map(({ due, applied: part }) => ({ period: due.period.slice(0, 7), amount: toAmountString(part) })),
      ),
      idempotency_key: request.idempotencyKey,
      fingerprint,
      entry_id: entryId,
      recorded_by: actor.actor,
      request_id: actor.requestId,
    });
    const reinstated = await reinstatePaidUp(trx, book, request.participantId, { id, paidOn: input.paidOn });
    await recordAudit(trx, actor, {
      action: 'contribution.record',
      entityType: 'participant',
      entityId: request.participantId,
      detail: { contributionId: id, amount: toAmountString(input.amount), reference: input.reference, reinstated },
    });
    // Through postEntry: a payment dated in a closed month is refused in the ledger's words.
    await postEntry(
      trx,
      {
        entryId,
        entryDate: input.paidOn,
        description: `Own contribution of participant ${request.participantId}, receipt ${input.reference}`,
        reference: { type: 'contribution', id },
        rule: null,
        idempotencyKey: `contribution:${id}`,
        postings: [
          { accountId: await fundAccountId(trx, chart.cashAtBank.code), amount: input.amount },
          { accountId: await fundAccountId(trx, chart.contributionsReceivable.code), amount: input.amount.negated() },
        ],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      fieldPrefix,
    );
    return { contribution: toContribution(row, reinstated), replayed: false };
  });
}

function toContribution(row: ContributionRow, reinstated: readonly Reinstated[]): Contribution {
  return {
    id: row.id,
    participantId: row.participant_id,
    amount: row.amount,
    paidOn: row.paid_on,
    reference: row.reference,
    applied: row.applied,
    entryId: row.entry_id,
    recordedBy: row.recorded_by,
    reinstated: [...reinstated],
  };
}
