import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { amount, toAmountString } from '../money/index.ts';

export const poolLineSchema = z.object({
  code: z.string(),
  name: z.string(),
  balance: z.string().meta({ description: 'On the account’s own side: cash and loans as debits, the rest as credits.' }),
});
export const poolSchema = z.object({
  lpaId: z.uuid(),
  lines: z.array(poolLineSchema),
  available: z.string().meta({ description: 'Cash the pool can lend or pay out now.' }),
});
export type Pool = z.infer<typeof poolSchema>;

// The LPA's savings-and-loans pool from its books: cash, members' savings,
// loans out, claim reserve, strengthening capital, and what loans earned
// or lost, every line of the chart kept in the LPA's books.
export async function poolOf(db: Db, lpaId: string): Promise<Pool> {
  const rows = await db.raw<{ rows: { code: string; name: string; type: string; balance: string }[] }>(
    `select c.code, c.name, c.type, coalesce(sum(a.debits_posted - a.credits_posted), 0) as balance
     from ledger_chart c left join ledger_accounts a on a.code = c.code and a.lpa_id = ?
     where c.books = 'lpa' group by c.code, c.name, c.type order by c.code`,
    [lpaId],
  );
  const lines = rows.rows.map((row) => {
    const debit = amount(row.balance);
    return {
      code: row.code,
      name: row.name,
      balance: toAmountString(row.type === 'asset' || row.type === 'expense' ? debit : debit.negated()),
    };
  });
  return { lpaId, lines, available: lines.find((line) => line.code === '1500')?.balance ?? '0.00' };
}
