import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { IdempotencyKeyReusedError, UnprocessableError } from '../errors.ts';
import { chart } from '../ledger/chart.ts';
import { postEntry } from '../ledger/post.ts';
import { fundAccountId } from '../ledger/store.ts';
import { amount, type Amount, amountSchema, formatRupiah, fromNumeric, toAmountString } from '../money/index.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { isoDateSchema, refuseFutureDates } from '../dates.ts';
import { lockMemberOfLpa } from '../registry/index.ts';
import { type Reinstated, reinstatePaidUp } from './arrears.ts';

// What a participant pays of their own share (iuran mandiri), collected by
// their LPA: cash in, contributions receivable down, applied to the oldest
// dues first. A participant pays what they owe, not more: there is no
// credit to hold an overpayment against.

export const contributionInputSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  paidOn: isoDateSchema.meta({ description: 'The day the LPA received it.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The LPA’s receipt number.' }),
});
export type ContributionInput = z.output<typeof contributionInputSchema>;

export const contributionSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  amount: z.string(),
  paidOn: z.string(),
  reference: z.string(),
  applied: z.array(z.object({ period: z.string(), amount: z.string() })).meta({ description: 'Dues it paid, oldest first.' }),
  entryId: z.uuid(),
  recordedBy: z.string(),
  reinstated: z
    .array(z.object({ enrolmentId: z.uuid(), lapsedOn: z.string(), reinstatedOn: z.string() }))
    .meta({ description: 'Cover lapsed for arrears that this payment cleared and reinstated; the days between stay uncovered.' }),
});
export type Contribution = z.infer<typeof contributionSchema>;

export const dueSchema = z.object({
  period: z.string().meta({ description: 'The month, YYYY-MM.' }),
  coverageYear: z.int(),
  monthOfCover: z.int(),
  premium: z.string(),
  subsidyShare: z.string(),
  ownShare: z.string(),
  ownPaid: z.string(),
  outstanding: z.string().meta({ description: 'Own share not yet paid.' }),
  rule: z.object({ scheme: z.string(), version: z.string() }),
});
export type Due = z.infer<typeof dueSchema>;

export interface OpenDue {
  readonly enrolmentId: string;
  readonly period: string;
  readonly open: Amount;
}

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
    const earlier = await trx('contributions')
      .where({ lpa_id: request.lpaId, idempotency_key: request.idempotencyKey })
      .first<(ContributionRow & { fingerprint: string }) | undefined>(...contributionColumns, 'fingerprint');
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint)
        throw new IdempotencyKeyReusedError(request.idempotencyKey, `contribution ${earlier.id}, with a different body`);
      const reinstated = await trx('cover_lapses')
        .where({ reinstated_by: earlier.id })
        .orderBy('enrolment_id')
        .select<{ enrolment_id: string; lapsed_on: string; reinstated_on: string }[]>(
          'enrolment_id',
          'lapsed_on',
          'reinstated_on',
        );
      return {
        contribution: toContribution(
          earlier,
          reinstated.map((row) => ({ enrolmentId: row.enrolment_id, lapsedOn: row.lapsed_on, reinstatedOn: row.reinstated_on })),
        ),
        replayed: true,
      };
    }

    const open = await openDues(trx, request.participantId);
    const owed = open.reduce((sum, due) => sum.plus(due.open), amount('0'));
    if (input.amount.greaterThan(owed))
      throw new UnprocessableError(
        'contribution-exceeds-dues',
        `The participant owes ${formatRupiah(owed)} of their own share; a payment of ${formatRupiah(input.amount)} is more than that.`,
      );
    const applied = applyToOldest(open, input.amount);
    await trx.raw(
      `update premium_dues set own_paid = own_paid + paid.amount
       from jsonb_to_recordset(?::jsonb) as paid (enrolment_id uuid, period date, amount numeric)
       where premium_dues.enrolment_id = paid.enrolment_id and premium_dues.period = paid.period`,
      [
        JSON.stringify(
          applied.map(({ due, applied: part }) => ({
            enrolment_id: due.enrolmentId,
            period: due.period,
            amount: toAmountString(part),
          })),
        ),
      ],
    );
    const id = randomUUID();
    const entryId = randomUUID();
    const [row] = await trx('contributions')
      .insert({
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
      })
      .returning<ContributionRow[]>(contributionColumns);
    if (row === undefined) throw new Error('contributions insert returned no row');
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

async function openDues(trx: Knex.Transaction, participantId: string): Promise<OpenDue[]> {
  const rows = await trx('premium_dues')
    .join('enrolments', 'enrolments.id', 'premium_dues.enrolment_id')
    .where('enrolments.participant_id', participantId)
    .whereRaw('premium_dues.own_paid < premium_dues.own_share')
    .orderBy('premium_dues.period')
    .forUpdate('premium_dues')
    .select<{ enrolment_id: string; period: string; open: string }[]>(
      'premium_dues.enrolment_id',
      'premium_dues.period',
      trx.raw('premium_dues.own_share - premium_dues.own_paid as open'),
    );
  return rows.map((row) => ({ enrolmentId: row.enrolment_id, period: row.period, open: fromNumeric(row.open) }));
}

export async function listDues(db: Db, participantId: string): Promise<Due[]> {
  const rows = await db('premium_dues')
    .join('enrolments', 'enrolments.id', 'premium_dues.enrolment_id')
    .where('enrolments.participant_id', participantId)
    .orderBy('premium_dues.period')
    .select<
      {
        period: string;
        coverage_year: number;
        month_of_cover: number;
        premium: string;
        subsidy_share: string;
        own_share: string;
        own_paid: string;
        rule_scheme: string;
        rule_version: string;
      }[]
    >(
      'premium_dues.period',
      'premium_dues.coverage_year',
      'premium_dues.month_of_cover',
      'premium_dues.premium',
      'premium_dues.subsidy_share',
      'premium_dues.own_share',
      'premium_dues.own_paid',
      'premium_dues.rule_scheme',
      'premium_dues.rule_version',
    );
  return rows.map((row) => ({
    period: row.period.slice(0, 7),
    coverageYear: row.coverage_year,
    monthOfCover: row.month_of_cover,
    premium: row.premium,
    subsidyShare: row.subsidy_share,
    ownShare: row.own_share,
    ownPaid: row.own_paid,
    outstanding: toAmountString(fromNumeric(row.own_share).minus(row.own_paid)),
    rule: { scheme: row.rule_scheme, version: row.rule_version },
  }));
}

interface ContributionRow {
  id: string;
  participant_id: string;
  amount: string;
  paid_on: string;
  reference: string;
  applied: { period: string; amount: string }[];
  entry_id: string;
  recorded_by: string;
}

const contributionColumns = [
  'id',
  'participant_id',
  'amount',
  'paid_on',
  'reference',
  'applied',
  'entry_id',
  'recorded_by',
] as const;

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
