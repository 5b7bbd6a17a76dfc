import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { openAccount } from '../ledger/accounts.ts';
import { boundsSql, inCoverSql } from '../premiums/index.ts';

// A member's savings at their LPA: mandatory (simpanan wajib, ledger 2500)
// and voluntary (simpanan sukarela, 2510), each a ledger account of the
// member in the LPA's pool, against the LPA's pool cash (1500).

export const savingsKinds = ['mandatory', 'voluntary'] as const;
export type SavingsKind = (typeof savingsKinds)[number];
export const savingsKindSchema = z.enum(savingsKinds);
export const savingsCodes: Readonly<Record<SavingsKind, string>> = {
  mandatory: chart.mandatorySavings.code,
  voluntary: chart.voluntarySavings.code,
};

export interface SavingsAccountRow {
  readonly id: string;
  readonly participant_id: string;
  readonly kind: SavingsKind;
  readonly ledger_account_id: string;
  readonly opened_on: string;
  readonly months_behind: number;
  readonly amount_behind: string;
}

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
  const locked = () =>
    trx('savings_accounts').where({ participant_id: participantId, kind }).forUpdate().first<SavingsAccountRow | undefined>('*');
  const found = await locked();
  if (found !== undefined) return found;
  const { account } = await openAccount(trx, { code: savingsCodes[kind], participantId }, actor);
  const [opened] = await trx('savings_accounts')
    .insert({ participant_id: participantId, kind, ledger_account_id: account.id, opened_on: openedOn })
    .onConflict(['participant_id', 'kind'])
    .ignore()
    .returning<{ id: string }[]>('id');
  if (opened !== undefined)
    await recordAudit(trx, actor, {
      action: 'savings.account.open',
      entityType: 'savings_account',
      entityId: opened.id,
      detail: { participantId, kind },
    });
  const open = await locked();
  if (open === undefined) throw new Error(`savings invariant: no ${kind} account for ${participantId} after opening`);
  return open;
}

// The LPA's pool cash (1500), opened with its first savings.
export async function poolCashAccountId(trx: Knex.Transaction, lpaId: string, actor: Actor): Promise<string> {
  return (await openAccount(trx, { code: chart.lpaCash.code, lpaId }, actor)).account.id;
}

// A member has left the scheme on a day when no enrolment of theirs is in
// cover that day (it lapsed, or they died): only then does their mandatory
// savings unlock.
export async function hasExited(db: Db | Knex.Transaction, participantId: string, date: string): Promise<boolean> {
  const inCover = await db.raw<{ rows: unknown[] }>(
    `select 1 from enrolments e, ${boundsSql} where e.participant_id = ? and ${inCoverSql} limit 1`,
    [date, date, participantId],
  );
  return inCover.rows.length === 0;
}
