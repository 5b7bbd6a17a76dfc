import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import { addWorkingDays } from '../dates.ts';
import { chart } from '../ledger/chart.ts';
import type { EntryDraft } from '../ledger/model.ts';
import type { Poster } from '../ledger/store.ts';
import { fundAccountId } from '../ledger/store.ts';
import type { Amount } from '../money/index.ts';

export interface Acceptance {
  readonly claimId: string;
  readonly amount: Amount;
  readonly benefit: string;
  readonly rule: { readonly scheme: string; readonly version: string; readonly hash: string };
  // Working days to pay it in, when its rules set a deadline.
  readonly paymentDeadlineDays: number | null;
}

// What accepting a claim books and promises: the case reserve (claims
// expense against claims payable, at the amount the rules set, naming the
// rule version), the day of acceptance and, when the rules set one, the
// payment deadline counted from it. The caller posts the entry last.
export async function acceptClaim(
  trx: Knex.Transaction,
  acceptance: Acceptance,
  today: string,
  actor: Actor,
): Promise<{ draft: EntryDraft; poster: Poster; acceptedOn: string; paymentDueOn: string | null }> {
  const expense = await fundAccountId(trx, chart.claimsExpense.code);
  const payable = await fundAccountId(trx, chart.claimsPayable.code);
  const { claimId, amount, paymentDeadlineDays } = acceptance;
  return {
    draft: {
      entryId: randomUUID(),
      entryDate: today,
      description: `Case reserve: ${acceptance.benefit} claim ${claimId}`,
      reference: { type: 'claim', id: claimId },
      rule: acceptance.rule,
      idempotencyKey: `claim:${claimId}:reserve`,
      postings: [
        { accountId: expense, amount },
        { accountId: payable, amount: amount.negated() },
      ],
    },
    poster: { postedBy: actor.actor, requestId: actor.requestId },
    acceptedOn: today,
    paymentDueOn: paymentDeadlineDays === null ? null : addWorkingDays(today, paymentDeadlineDays),
  };
}
