import { monthOfCoverStartingInSql } from '../registry/index.ts';

// Which enrolments a month's premium cycle covers, in SQL the cycle and the
// arrears lapse share. An enrolment is in cover for a month when it began by
// the month's last day, had not lapsed by its first, and its participant had
// not died before it (a death benefit granted ends the cover, as claims
// treat it). Month of cover as registry/coverage.ts counts it. Both read the month's
// bounds from a row "bounds" the query joins, and the enrolment as "e".
export const boundsSql = `(select ?::date as period_start, ?::date as period_end) as bounds`;

export const inCoverSql = `e.status in ('active', 'lapsed') and e.enrolled_on <= bounds.period_end
  and (e.lapsed_on is null or e.lapsed_on > bounds.period_start)
  and not exists (select 1 from claims c where c.participant_id = e.participant_id and c.claim_type = 'death'
                  and c.status in ('approved', 'paid') and c.incident_date < bounds.period_start)`;

export const monthOfCoverSql = monthOfCoverStartingInSql('e.enrolled_on', 'bounds.period_start');

export interface Bounds {
  readonly periodStart: string;
  readonly periodEnd: string;
}
