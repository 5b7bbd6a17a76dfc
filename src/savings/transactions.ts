import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { UnprocessableError } from '../errors.ts';
import { postEntry } from '../ledger/post.ts';
import { findAccount, findEntryByKey, lockLedgerAccounts } from '../ledger/store.ts';
import { type Amount, formatRupiah, fromNumeric, toAmountString } from '../money/index.ts';
import { refuseFutureDates } from '../dates.ts';
import { lockMemberOfLpa } from '../registry/index.ts';
import { lockedSavingsAccount, poolCashAccountId } from './accounts.ts';
import type { SavingsMovement, SavingsMovementInput } from './model.ts';
import { hasExited } from './store.ts';

export interface SavingsMovementRequest {
  readonly lpaId: string;
  readonly participantId: string;
  readonly input: SavingsMovementInput;
  readonly idempotencyKey: string;
  readonly today: string;
  readonly fieldPrefix: string;
}

// A deposit: the LPA's pool cash up, the member's savings up.
export function depositSavings(db: Db, request: SavingsMovementRequest, actor: Actor) {
  return moveSavings(db, request, 'deposit', actor);
}

// A withdrawal pays out of what the member has saved and what the pool
// holds in cash, never more: both accounts are locked while it is checked
// and booked, so withdrawals at the same moment queue, and the ledger
// refuses an overdraft even if a check were missed. Mandatory savings stay
// locked while the member is in cover.
export function withdrawSavings(db: Db, request: SavingsMovementRequest, actor: Actor) {
  return moveSavings(db, request, 'withdrawal', actor);
}

async function moveSavings(
  db: Db,
  request: SavingsMovementRequest,
  direction: 'deposit' | 'withdrawal',
  actor: Actor,
): Promise<{ movement: SavingsMovement; replayed: boolean }> {
  const { input, fieldPrefix } = request;
  refuseFutureDates(request.today, { [`${fieldPrefix}date`]: input.date });
  return withTransaction(db, async (trx) => {
    await lockMemberOfLpa(trx, request.participantId, request.lpaId);
    const account = await lockedSavingsAccount(trx, request.participantId, input.kind, input.date, actor);
    const cash = await poolCashAccountId(trx, request.lpaId, actor);
    const replay = (await findEntryByKey(trx, request.idempotencyKey)) !== null;
    if (direction === 'withdrawal' && !replay)
      await assertWithdrawable(trx, { participantId: request.participantId, account: account.ledger_account_id, cash }, input);
    const savings = input.kind === 'mandatory' ? 'mandatory savings' : 'voluntary savings';
    const signed = direction === 'deposit' ? input.amount : input.amount.negated();
    const posted = await postEntry(
      trx,
      {
        entryDate: input.date,
        description: `${direction === 'deposit' ? 'Deposit to' : 'Withdrawal from'} ${savings} of participant ${request.participantId}, ${input.reference}`,
        reference: { type: `savings-${direction}`, id: input.reference },
        rule: null,
        idempotencyKey: request.idempotencyKey,
        postings: [
          { accountId: cash, amount: signed },
          { accountId: account.ledger_account_id, amount: signed.negated() },
        ],
      },
      { postedBy: actor.actor, requestId: actor.requestId },
      fieldPrefix,
    );
    if (!posted.replayed)
      await recordAudit(trx, actor, {
        action: `savings.${direction}`,
        entityType: 'participant',
        entityId: request.participantId,
        detail: { kind: input.kind, amount: toAmountString(input.amount), reference: input.reference, entryId: posted.entry.id },
      });
    return {
      movement: {
        entryId: posted.entry.id,
        participantId: request.participantId,
        kind: input.kind,
        direction,
        amount: toAmountString(input.amount),
        date: posted.entry.entryDate,
        reference: input.reference,
        balance: toAmountString(await balanceOf(trx, account.ledger_account_id)),
      },
      replayed: posted.replayed,
    };
  });
}

async function assertWithdrawable(
  trx: Knex.Transaction,
  request: { participantId: string; account: string; cash: string },
  input: SavingsMovementInput,
): Promise<void> {
  if (input.kind === 'mandatory' && !(await hasExited(trx, request.participantId, input.date)))
    throw new UnprocessableError(
      'mandatory-savings-locked',
      `Mandatory savings are locked while the member is in cover (on ${input.date}); they are paid out when the member leaves the scheme. Voluntary savings can be withdrawn.`,
    );
  const saved = await balanceOf(trx, request.account);
  if (input.amount.greaterThan(saved))
    throw new UnprocessableError(
      'savings-insufficient',
      `The member's ${input.kind} savings hold ${formatRupiah(saved)}; a withdrawal of ${formatRupiah(input.amount)} is more than that.`,
    );
  await assertPoolCashCovers(trx, request.cash, input.amount, 'A withdrawal');
}

// The pool pays out (a withdrawal, a loan) only what it holds in cash: its
// cash account is locked while this is checked and the payment booked, so
// two at once cannot together take more; the ledger refuses an overdraft
// besides.
export async function assertPoolCashCovers(
  trx: Knex.Transaction,
  cashAccountId: string,
  paid: Amount,
  what: string,
): Promise<void> {
  await lockLedgerAccounts(trx, [cashAccountId]);
  const inCash = await balanceOf(trx, cashAccountId);
  if (paid.greaterThan(inCash))
    throw new UnprocessableError(
      'pool-cash-insufficient',
      `The LPA's savings-and-loans pool holds ${formatRupiah(inCash)} in cash; the rest is lent out. ${what} of ${formatRupiah(paid)} must wait for repayments or deposits.`,
    );
}

export async function balanceOf(db: Db | Knex.Transaction, accountId: string): Promise<Amount> {
  const account = await findAccount(db, accountId);
  if (account === null) throw new Error(`ledger invariant: account ${accountId} vanished`);
  return fromNumeric(account.normalBalance);
}
