import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { RuleNotInForceError, UnknownSchemeError, versionInForce } from '../rules/evaluate.ts';
import type { ReportProgress } from '../shared/progress.ts';
import type { RuleBook } from '../rules/load.ts';
import { insertCoverEndedNotices } from '../notices/index.ts';
import { decideEligibility } from './eligibility.ts';
import type { ParticipantInput } from './model.ts';

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

interface DueEnrolment {
  enrolment_id: string;
  rule_scheme: string;
  coverage_year: number;
  birth_date: string;
  marital_status: ParticipantInput['maritalStatus'];
  is_head_of_family: boolean;
  occupation: ParticipantInput['occupation'];
  welfare_status: ParticipantInput['welfareStatus'];
  willing_to_save: boolean | null;
  attends_monthly_meeting: boolean | null;
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
      const due = (await trx.raw(
        `select e.id as enrolment_id, e.rule_scheme, date_part('year', age(?::date, e.enrolled_on))::int + 1 as coverage_year,
                p.birth_date, p.marital_status, p.is_head_of_family, p.occupation, p.welfare_status,
                p.willing_to_save, p.attends_monthly_meeting
           from enrolments e join participants p on p.id = e.participant_id
          where e.status = 'active'
            and e.id > ?
            and date_part('year', age(?::date, e.enrolled_on)) >= 1
            and not exists (select 1 from eligibility_checks c
                             where c.enrolment_id = e.id and c.coverage_year = date_part('year', age(?::date, e.enrolled_on))::int + 1)
          order by e.id
          limit ?
          for update of e skip locked`,
        [date, after, date, date, recheckChunkRowsMax],
      )) as { rows: DueEnrolment[] };
      let chunkLapsed = 0;
      let chunkUnchecked = 0;
      const lapsedIds: string[] = [];
      for (const row of due.rows) {
        if (!hasRulesInForce(book, row.rule_scheme, date)) {
          chunkUnchecked += 1;
          continue;
        }
        const eligibility = decideEligibility(
          book,
          row.rule_scheme,
          {
            birthDate: row.birth_date,
            maritalStatus: row.marital_status,
            isHeadOfFamily: row.is_head_of_family,
            occupation: row.occupation,
            welfareStatus: row.welfare_status,
            willingToSave: row.willing_to_save,
            attendsMonthlyMeeting: row.attends_monthly_meeting,
          },
          date,
        );
        const outcome = eligibility.status === 'active' ? 'kept' : 'lapsed';
        const { decision } = eligibility;
        await trx('eligibility_checks').insert({
          enrolment_id: row.enrolment_id,
          coverage_year: row.coverage_year,
          checked_on: date,
          outcome,
          reasons: JSON.stringify(eligibility.reasons),
          rule_scheme: decision.scheme,
          rule_version: decision.version,
          rule_hash: decision.hash,
          facts: JSON.stringify(decision.facts),
          events: JSON.stringify(decision.events),
        });
        if (outcome === 'lapsed') {
          chunkLapsed += 1;
          lapsedIds.push(row.enrolment_id);
          await trx('enrolments').where({ id: row.enrolment_id }).update({ status: 'lapsed', lapsed_on: date });
          await trx('cover_lapses').insert({
            enrolment_id: row.enrolment_id,
            reason: 'not-eligible',
            lapsed_on: date,
            rule_scheme: decision.scheme,
            rule_version: decision.version,
            rule_hash: decision.hash,
          });
        }
      }
      await insertCoverEndedNotices(trx, { enrolmentIds: lapsedIds, lapsedOn: date, decidedOn: date });
      if (due.rows.length > 0) {
        await recordAudit(trx, actor, {
          action: 'eligibility.recheck',
          entityType: 'job',
          entityId: `eligibility-recheck:${date}`,
          detail: { checked: due.rows.length - chunkUnchecked, lapsed: chunkLapsed, noRulesInForce: chunkUnchecked },
        });
      }
      return {
        rows: due.rows.length,
        last: due.rows[due.rows.length - 1]?.enrolment_id,
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
