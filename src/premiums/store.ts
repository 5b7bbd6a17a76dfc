import type { Knex } from 'knex';

// The premiums' SQL: the dues of each month (premium_dues), the
// contributions paid against them, and the few reads of the books the
// premium jobs make before they post.

// ---------------------------------------------------------------- the books

// Whether an entry was already posted under the key: a retried request
// answers its first entry.
export async function entryKeyExists(trx: Knex.Transaction, idempotencyKey: string): Promise<boolean> {
  const retried = await trx('journal_entries').where({ idempotency_key: idempotencyKey }).first('id');
  return retried !== undefined;
}

// Locks a ledger account's row for the rest of the transaction, so what it
// holds is read once and then posted against.
export async function lockLedgerAccount(trx: Knex.Transaction, accountId: string): Promise<void> {
  await trx('ledger_accounts').where({ id: accountId }).forUpdate().first('id');
}

// The months whose premium was already earned, from the month given on
// (`YYYY-MM`).
export async function monthsEarnedFrom(trx: Knex.Transaction, month: string): Promise<Set<string>> {
  return new Set(
    (
      await trx('journal_entries')
        .whereLike('idempotency_key', 'premium-earned:____-__')
        .where('idempotency_key', '>=', `premium-earned:${month}`)
        .pluck('idempotency_key')
    ).map((key: string) => key.slice('premium-earned:'.length)),
  );
}

// ---------------------------------------------------------------- dues

export interface CancelledDue {
  period: string;
  premium: string;
  subsidy_share: string;
  own_share: string;
  earn_months: number;
  rule_scheme: string;
  rule_version: string;
}

// Deletes a participant's dues from the month given on, of which nothing
// was paid, and answers them.
export async function deleteUnpaidDuesFrom(
  trx: Knex.Transaction,
  participantId: string,
  firstMonth: string,
): Promise<CancelledDue[]> {
  const cancelled = await trx.raw<{ rows: CancelledDue[] }>(
    `delete from premium_dues d using enrolments e
     where e.id = d.enrolment_id and e.participant_id = ? and d.period >= ?::date and d.own_paid = 0
     returning to_char(d.period, 'YYYY-MM-DD') as period, d.premium, d.subsidy_share, d.own_share, d.earn_months,
       d.rule_scheme, d.rule_version`,
    [participantId, firstMonth],
  );
  return cancelled.rows;
}
