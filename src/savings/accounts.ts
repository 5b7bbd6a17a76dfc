import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { chart } from '../ledger/chart.ts';
import { openAccount } from '../ledger/accounts.ts';
import type { SavingsKind } from './model.ts';
import { insertSavingsAccount, lockSavingsAccount, type SavingsAccountRow } from './store.ts';

// A member's savings at their LPA: mandatory (simpanan wajib, ledger 2500)
// and voluntary (simpanan sukarela, 2510), each a ledger account of the
// member in the LPA's pool, against the LPA's pool cash (1500).

export const savingsCodes: Readonly<Record<SavingsKind, string>> = {
  mandatory: chart.mandatorySavings.code,
  voluntary: chart.voluntarySavings.code,
};

// The member's account of a kind, opened with the first movement if it is
// not (its ledger account through the ledger's own openAccount), and locked
// for the rest of the transaction: movements on one account queue.
export async function lockedSavingsAccount(
  trx: Knex.Transaction,
  participantId: string,
  kind: SavingsKind,
  openedOn: string,
  actor: Actor,
): Promise<SavingsAccountRow> {
  const found = await lockSavingsAccount(trx, participantId, kind);
  if (found !== undefined) return found;
  const { account } = await openAccount(trx, { code: savingsCodes[kind], participantId }, actor);
  const opened = await insertSavingsAccount(trx, { participantId, kind, ledgerAccountId: account.id, openedOn });
  if (opened !== null)
    await recordAudit(trx, actor, {
      action: 'savings.account.open',
      entityType: 'savings_account',
      entityId: opened,
      detail: { participantId, kind },
    });
  const open = await lockSavingsAccount(trx, participantId, kind);
  if (open === undefined) throw new Error(`savings invariant: no ${kind} account for ${participantId} after opening`);
  return open;
}

// The LPA's pool cash (1500), opened with its first savings.
export async function poolCashAccountId(trx: Knex.Transaction, lpaId: string, actor: Actor): Promise<string> {
  return (await openAccount(trx, { code: chart.lpaCash.code, lpaId }, actor)).account.id;
}
