import { allowanceClaimTypes } from '../claims/index.ts';
import type { Db } from '../db/knex.ts';
import { toAmountString } from '../money/index.ts';
import { decideEligibility } from '../registry/index.ts';
import type { RuleBook } from '../rules/load.ts';
import type { ChangedDecision } from '../rules/publish.ts';
import { readjudicate } from './claims.ts';
import { impactChunkRowsMax } from './model.ts';
import { claimPage, enrolmentPage, withSnapshot } from './store.ts';

const idBeforeAll = '00000000-0000-0000-0000-000000000000';

// Every decision already made on a day from `from` to `through` that a
// version published retroactively would have made otherwise: each claim with
// its incident in the period judged again, and each enrolment decided in the
// period decided again on its enrolment day, by the book in force and by the
// book with the version in it. One read-only snapshot; nothing is written.
export async function decisionsChangedSince(
  db: Db,
  books: { readonly inForce: RuleBook; readonly proposed: RuleBook },
  request: { readonly scheme: string; readonly from: string; readonly through: string },
): Promise<ChangedDecision[]> {
  const { scheme, from, through } = request;
  return withSnapshot(db, async (trx) => {
    const changed: ChangedDecision[] = [];
    for (let after = idBeforeAll; ;) {
      const page = await enrolmentPage(trx, scheme, after, impactChunkRowsMax);
      for (const row of page.filter((entry) => entry.enrolledOn >= from && entry.enrolledOn <= through)) {
        const before = decideEligibility(books.inForce, scheme, row.person, row.enrolledOn).status;
        const after = decideEligibility(books.proposed, scheme, row.person, row.enrolledOn).status;
        if (before !== after)
          changed.push({ kind: 'enrolment', id: row.participantId, date: row.enrolledOn, before, after, who: row.name });
      }
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.participantId;
    }
    const window = { scheme, from, to: through, allowanceClaimTypes };
    for (let after = idBeforeAll; ;) {
      const page = await claimPage(trx, window, after, impactChunkRowsMax);
      for (const row of page) {
        const outcomes = readjudicate(books, row);
        const shown = (outcome: typeof outcomes.inForce) => `${outcome.status} ${toAmountString(outcome.amount)}`;
        if (shown(outcomes.inForce) !== shown(outcomes.proposed))
          changed.push({
            kind: 'claim',
            id: row.id,
            date: row.claim.incidentDate,
            before: shown(outcomes.inForce),
            after: shown(outcomes.proposed),
            who: row.claim.participantId,
          });
      }
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.id;
    }
    return changed;
  });
}
