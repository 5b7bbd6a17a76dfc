import type { Db } from '../../src/db/knex.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { fundAccountId } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';

// Working capital the state puts into the fund (cash against the fund
// balance), so a test can pay claims or grants before premium assistance
// owed has arrived: a subsidy receipt can never exceed what is owed.
export async function fundCapital(db: Db, capital: string, entryDate: string, key: string): Promise<void> {
  await postEntry(
    db,
    {
      entryDate,
      description: 'Working capital from the state budget',
      reference: { type: 'capital', id: key },
      rule: null,
      idempotencyKey: `test:capital:${key}`,
      postings: [
        { accountId: await fundAccountId(db, '1100'), amount: amount(capital) },
        { accountId: await fundAccountId(db, '3100'), amount: amount(capital).negated() },
      ],
    },
    { postedBy: 'test:setup', requestId: null },
  );
}
