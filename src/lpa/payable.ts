import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { openAccount } from '../ledger/accounts.ts';
import { type EntryDraft, postingsPerEntryMax, type Rule } from '../ledger/model.ts';
import type { Poster } from '../ledger/store.ts';
import { amount, type Amount } from '../money/index.ts';
import { findLpaPayableAccountIds } from './store.ts';

// What the fund owes an LPA (honorarium and strengthening grants) is kept in
// one payable account (2400) per LPA, which finance pays down.

// Pure: the LPAs' amounts in chunks of at most `size`, each with its
// total, leaving out amounts that rounded to nothing.
export function payableChunks(
  perLpa: readonly (readonly [string, Amount])[],
  size: number,
): { lpas: (readonly [string, Amount])[]; total: Amount }[] {
  const owed = perLpa.filter(([, part]) => !part.isZero());
  const chunks = [];
  for (let start = 0; start < owed.length; start += size) {
    const lpas = owed.slice(start, start + size);
    chunks.push({ lpas, total: lpas.reduce((sum, [, part]) => sum.plus(part), amount('0')) });
  }
  return chunks;
}

// The payable account of each LPA, found in one query; only an LPA's first
// amount owed opens one.
export async function lpaPayableAccounts(db: Db, lpaIds: readonly string[], actor: Actor): Promise<(lpaId: string) => string> {
  const payable = await findLpaPayableAccountIds(db, lpaIds);
  for (const lpaId of new Set(lpaIds))
    if (!payable.has(lpaId))
      payable.set(lpaId, (await openAccount(db, { code: chart.lpaHonorariumPayable.code, lpaId }, actor)).account.id);
  return (lpaId) => {
    const id = payable.get(lpaId);
    if (id === undefined) throw new Error(`no payable account opened for LPA ${lpaId}`);
    return id;
  };
}

// The entries that owe LPAs what one rule version gave them for a month,
// against one expense account. An entry holds a bounded number of
// postings: LPAs go in chunks, each entry with its own expense line, so
// every one balances.
export function payableEntries(request: {
  readonly referenceType: 'lpa-honorarium' | 'lpa-strengthening';
  readonly label: string;
  readonly period: string;
  readonly entryDate: string;
  readonly rule: Rule;
  readonly perLpa: ReadonlyMap<string, Amount>;
  readonly expenseAccountId: string;
  readonly payableOf: (lpaId: string) => string;
  readonly actor: Actor;
}): { entries: { draft: EntryDraft; poster: Poster }[]; entryOf: Map<string, string> } {
  const { referenceType, period, rule } = request;
  const entryOf = new Map<string, string>();
  const entries = payableChunks([...request.perLpa], postingsPerEntryMax - 1).map((chunk, index) => {
    const entryId = randomUUID();
    for (const [lpaId] of chunk.lpas) entryOf.set(lpaId, entryId);
    return {
      draft: {
        entryId,
        entryDate: request.entryDate,
        description: `${request.label} for ${period} under ${rule.scheme} ${rule.version} (${index + 1})`,
        reference: { type: referenceType, id: period },
        rule,
        idempotencyKey: `${referenceType}:${period}:${rule.scheme}:${rule.version}:${index + 1}`,
        postings: [
          { accountId: request.expenseAccountId, amount: chunk.total },
          ...chunk.lpas.map(([lpaId, part]) => ({ accountId: request.payableOf(lpaId), amount: part.negated() })),
        ],
      },
      poster: { postedBy: request.actor.actor, requestId: request.actor.requestId },
    };
  });
  return { entries, entryOf };
}
