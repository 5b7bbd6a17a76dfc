import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { RuleNotInForceError, UnknownSchemeError, versionInForce } from '../rules/evaluate.ts';
import type { ReportProgress } from '../shared/progress.ts';
import type { RuleBook } from '../rules/load.ts';
import { insertCoverEndedNotices } from '../notices/index.ts';
import { decideEligibility } from './eligibility.ts';
import { insertEligibilityCheck, lapseIneligibleEnrolment, lockEnrolmentsDueForRecheck } from './store.ts';

export const recheckChunkRowsMax = 1_000;

export interface RecheckSummary {
  readonly date: string;
  readonly checked: number;
  readonly kept: number;
  readonly lapsed: number;
  // Enrolments whose scheme has no rules in force on the date: left as they
  // are for the directorate to decide, and counted so nobody misses them.
  readonly noRulesInForce: number;
}

// Every active enrolment that has passed an anniversary without a check for
// the coverage year it entered is checked, by its own scheme's rules in force
// on `date`, on the participant's current record. Run for any date, it also
// catches up anniversaries missed while the service was down.
export async function recheckEligibility(
  db: Db,
  book: RuleBook,
  date: string,
  actor: Actor,
  report: ReportProgress,
): Promise<RecheckSummary> {
  let checked = 0;
  let lapsed = 0;
  let noRulesInForce = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const chunk = await withTransaction(db, async (trx) => {
      const due = await lockEnrolmentsDueForRecheck(trx, date, after, recheckChunkRowsMax);
      let chunkLapsed = 0;
      let chunkUnchecked = 0;
      const lapsedIds: string[] = [];
      for (const row of due) {
        if (!hasRulesInForce(book, row.ruleScheme, date)) {
          chunkUnchecked += 1;
          continue;
        }
        const eligibility = decideEligibility(book, row.ruleScheme, row.person, date);
        const outcome = eligibility.status === 'active' ? 'kept' : 'lapsed';
        const { decision } = eligibility;
        const rule = { scheme: decision.scheme, version: decision.version, hash: decision.hash };
        await insertEligibilityCheck(trx, {
          enrolmentId: row.enrolmentId,
          coverageYear: row.coverageYear,
          checkedOn: date,
          outcome,
          reasons: eligibility.reasons,
          rule,
          facts: decision.facts,
          events: decision.events,
        });
        if (outcome === 'lapsed') {
          chunkLapsed += 1;
          lapsedIds.push(row.enrolmentId);
          await lapseIneligibleEnrolment(trx, row.enrolmentId, date, rule);
        }
      }
      await insertCoverEndedNotices(trx, { enrolmentIds: lapsedIds, lapsedOn: date, decidedOn: date });
      if (due.length > 0) {
        await recordAudit(trx, actor, {
          action: 'eligibility.recheck',
          entityType: 'job',
          entityId: `eligibility-recheck:${date}`,
          detail: { checked: due.length - chunkUnchecked, lapsed: chunkLapsed, noRulesInForce: chunkUnchecked },
        });
      }
      return {
        rows: due.length,
        last: due[due.length - 1]?.enrolmentId,
        lapsed: chunkLapsed,
        unchecked: chunkUnchecked,
      };
    });
    checked += chunk.rows - chunk.unchecked;
    lapsed += chunk.lapsed;
    noRulesInForce += chunk.unchecked;
    if (chunk.rows < recheckChunkRowsMax || chunk.last === undefined) break;
    after = chunk.last;
    await report({ done: checked + noRulesInForce, total: null });
  }
  return { date, checked, kept: checked - lapsed, lapsed, noRulesInForce };
}

function hasRulesInForce(book: RuleBook, scheme: string, date: string): boolean {
  try {
    versionInForce(book, scheme, date);
    return true;
  } catch (error) {
    if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return false;
    throw error;
  }
}
