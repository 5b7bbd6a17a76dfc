import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../auth/model.ts';
import type { Db } from '../db/knex.ts';
import { openAccount } from '../ledger/accounts.ts';
import { boundsSql, inCoverSql } from '../premiums/cover.ts';

// A member's savings at their LPA: mandatory (simpanan wajib, ledger 2500)
// and voluntary (simpanan sukarela, 2510), each a ledger account of the
// member in the LPA's pool, against the LPA's pool cash (1500).

export const savingsKinds = ['mandatory', 'voluntary'] as const;
export type SavingsKind = (typeof savingsKinds)[number];
export const savingsKindSchema = z.enum(savingsKinds);
export const savingsCodes: Readonly<Record<SavingsKind, string>> = { mandatory: '2500', voluntary: '2510' };

// Opens the savings accounts of these members that are not open yet, in
// two statements however many there are (the monthly dues open them for a
// whole fund at once); one audit record says how many.
export async function openSavingsAccounts(
  trx: Knex.Transaction,
  request: { kind: SavingsKind; openedOn: string; members: readonly { participantId: string; lpaId: string }[] },
  actor: Actor,
): Promise<number> {
  if (request.members.length === 0) return 0;
  const wanted = JSON.stringify(
    request.members.map((member) => ({ participant_id: member.participantId, lpa_id: member.lpaId })),
  );
  const code = savingsCodes[request.kind];
  await trx.raw(
    `insert into ledger_accounts (code, type, owner_kind, lpa_id, participant_id, name, must_not_go_negative, opened_by)
     select c.code, c.type, 'participant', w.lpa_id, w.participant_id, left(c.name || ' · participant ' || p.nik, 200),
       c.must_not_go_negative, ?
     from jsonb_to_recordset(?::jsonb) as w (participant_id uuid, lpa_id uuid)
     join participants p on p.id = w.participant_id
     join ledger_chart c on c.code = ?
     on conflict do nothing`,
    [actor.actor, wanted, code],
  );
  const opened = await trx.raw<{ rows: unknown[] }>(
    `insert into savings_accounts (participant_id, lpa_id, kind, ledger_account_id, opened_on)
     select w.participant_id, w.lpa_id, ?, a.id, ?::date
     from jsonb_to_recordset(?::jsonb) as w (participant_id uuid, lpa_id uuid)
     join ledger_accounts a on a.code = ? and a.owner_kind = 'participant' and a.participant_id = w.participant_id
     on conflict do nothing returning id`,
    [request.kind, request.openedOn, wanted, code],
  );
  if (opened.rows.length > 0)
    await recordAudit(trx, actor, {
      action: 'savings.accounts.open',
      entityType: 'savings_account',
      entityId: request.members.length === 1 ? (request.members[0]?.participantId ?? '') : `${request.kind}:${request.openedOn}`,
      detail: { kind: request.kind, opened: opened.rows.length },
    });
  return opened.rows.length;
}

export interface SavingsAccountRow {
  readonly id: string;
  readonly participant_id: string;
  readonly lpa_id: string;
  readonly kind: SavingsKind;
  readonly ledger_account_id: string;
  readonly opened_on: string;
  readonly months_behind: number;
  readonly amount_behind: string;
}

// The member's account of a kind, opened if it is not, and locked for the
// rest of the transaction: deposits and withdrawals to one account queue.
export async function lockedSavingsAccount(
  trx: Knex.Transaction,
  member: { participantId: string; lpaId: string },
  kind: SavingsKind,
  today: string,
  actor: Actor,
): Promise<SavingsAccountRow> {
  const locked = () =>
    trx('savings_accounts')
      .where({ participant_id: member.participantId, kind })
      .forUpdate()
      .first<SavingsAccountRow | undefined>('*');
  let account = await locked();
  if (account === undefined) {
    await openSavingsAccounts(trx, { kind, openedOn: today, members: [member] }, actor);
    account = await locked();
  }
  if (account === undefined) throw new Error(`savings invariant: no ${kind} account for ${member.participantId} after opening`);
  return account;
}

// The LPA's pool cash (1500), opened with its first savings.
export async function poolCashAccountId(trx: Knex.Transaction, lpaId: string, actor: Actor): Promise<string> {
  return (await openAccount(trx, { code: '1500', lpaId }, actor)).account.id;
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
