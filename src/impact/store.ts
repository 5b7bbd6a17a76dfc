import type { Knex } from 'knex';
import { newClaimSchema } from '../claims/index.ts';
import type { Db } from '../db/knex.ts';
import type { ClaimRow, EnrolmentRow, Place } from './model.ts';

// Every read of the impact replay. None writes: the replay runs in one
// snapshot that is read only.

// One REPEATABLE READ, READ ONLY transaction: every page and count sees the
// portfolio as it stood when the first was read, whatever commits meanwhile.
export function withSnapshot<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw('set transaction isolation level repeatable read, read only');
    return work(trx);
  });
}

export async function listPlaces(trx: Knex.Transaction): Promise<Map<string, Place>> {
  const rows = await trx.raw<{
    rows: {
      id: string;
      name: string;
      regency_code: string;
      regency_name: string;
      province_code: string;
      province_name: string;
    }[];
  }>(
    `select l.id, l.name, r.code as regency_code, r.name as regency_name, p.code as province_code, p.name as province_name
     from lpas l join regencies r on r.code = l.regency_code join provinces p on p.code = r.province_code`,
  );
  return new Map(
    rows.rows.map((row) => [
      row.id,
      {
        lpaId: row.id,
        lpaName: row.name,
        regencyCode: row.regency_code,
        regencyName: row.regency_name,
        provinceCode: row.province_code,
        provinceName: row.province_name,
      },
    ]),
  );
}

// How many people and claims the replay will read, for its progress.
export async function countReplayed(
  trx: Knex.Transaction,
  scheme: string,
  claimsFrom: string,
  today: string,
): Promise<{ people: number; claims: number }> {
  const result = await trx.raw<{ rows: { people: string; claims: string }[] }>(
    `select
       (select count(distinct participant_id) from enrolments where rule_scheme = ? and status in ('active', 'rejected')) as people,
       (select count(*) from claims c join enrolments e on e.id = c.enrolment_id
         where e.rule_scheme = ? and c.incident_date between ?::date and ?::date) as claims`,
    [scheme, scheme, claimsFrom, today],
  );
  const [row] = result.rows;
  return { people: Number(row?.people ?? 0), claims: Number(row?.claims ?? 0) };
}

interface EnrolmentRecord {
  participant_id: string;
  name: string;
  birth_date: string;
  marital_status: EnrolmentRow['person']['maritalStatus'];
  is_head_of_family: boolean;
  occupation: EnrolmentRow['person']['occupation'];
  welfare_status: EnrolmentRow['person']['welfareStatus'];
  willing_to_save: boolean | null;
  attends_monthly_meeting: boolean | null;
  lpa_id: string;
  status: EnrolmentRow['status'];
  enrolled_on: string;
}

// A page of people, by id after `after`, each with their enrolment under the
// scheme that decides them now: the active one, else the latest refusal.
export async function enrolmentPage(
  trx: Knex.Transaction,
  scheme: string,
  after: string,
  limit: number,
): Promise<EnrolmentRow[]> {
  const result = await trx.raw<{ rows: EnrolmentRecord[] }>(
    `select p.id as participant_id, p.name, p.birth_date, p.marital_status, p.is_head_of_family, p.occupation,
       p.welfare_status, p.willing_to_save, p.attends_monthly_meeting, e.lpa_id, e.status, e.enrolled_on
     from participants p
     join lateral (
       select lpa_id, status, enrolled_on from enrolments
       where participant_id = p.id and rule_scheme = ? and status in ('active', 'rejected')
       order by status = 'active' desc, enrolled_on desc, id desc
       limit 1
     ) e on true
     where p.id > ?::uuid
     order by p.id
     limit ?`,
    [scheme, after, limit],
  );
  return result.rows.map((row) => ({
    participantId: row.participant_id,
    name: row.name,
    lpaId: row.lpa_id,
    status: row.status,
    enrolledOn: row.enrolled_on,
    person: {
      birthDate: row.birth_date,
      maritalStatus: row.marital_status,
      isHeadOfFamily: row.is_head_of_family,
      occupation: row.occupation,
      welfareStatus: row.welfare_status,
      willingToSave: row.willing_to_save,
      attendsMonthlyMeeting: row.attends_monthly_meeting,
    },
  }));
}

interface ClaimRecord {
  id: string;
  lpa_id: string;
  participant_id: string;
  claim_type: string;
  incident_date: string;
  report_date: string;
  details: Record<string, unknown>;
  enrolment_id: string;
  rule_scheme: string;
  enrolled_on: string;
  lapsed_on: string | null;
  allowances: string;
  died_on: string | null;
}

// A page of the scheme's claims with an incident from..to, by id after
// `after`: each with the cover it was filed under as it stood on the
// incident (a gap a reinstated cover left counts as lapsed), and the claims
// still standing that were filed before it (what lockCovers counted then).
export async function claimPage(
  trx: Knex.Transaction,
  request: { scheme: string; from: string; to: string; allowanceClaimTypes: readonly string[] },
  after: string,
  limit: number,
): Promise<ClaimRow[]> {
  const standing = "prior.status in ('approved', 'paid', 'referred') and (prior.submitted_at, prior.id) < (c.submitted_at, c.id)";
  const result = await trx.raw<{ rows: ClaimRecord[] }>(
    `select c.id, c.lpa_id, c.participant_id, c.claim_type, c.incident_date, c.report_date, c.details,
       e.id as enrolment_id, e.rule_scheme, e.enrolled_on,
       coalesce((select gap.lapsed_on from cover_lapses gap
                 where gap.enrolment_id = e.id and gap.lapsed_on <= c.incident_date and gap.reinstated_on > c.incident_date
                 limit 1), e.lapsed_on) as lapsed_on,
       (select count(*) from claims prior
         where prior.enrolment_id = e.id and prior.claim_type = any (?::text[]) and ${standing}) as allowances,
       (select min(prior.incident_date) from claims prior
         where prior.participant_id = c.participant_id and prior.claim_type = 'death' and ${standing}) as died_on
     from claims c join enrolments e on e.id = c.enrolment_id
     where e.rule_scheme = ? and c.incident_date between ?::date and ?::date and c.id > ?::uuid
     order by c.id
     limit ?`,
    [[...request.allowanceClaimTypes], request.scheme, request.from, request.to, after, limit],
  );
  return result.rows.map((row) => {
    const parsed = newClaimSchema.safeParse({
      ...row.details,
      participantId: row.participant_id,
      claimType: row.claim_type,
      incidentDate: row.incident_date,
      reportDate: row.report_date,
    });
    if (!parsed.success) throw new Error(`claim ${row.id} as stored is no longer a claim: ${parsed.error.message}`);
    return {
      id: row.id,
      lpaId: row.lpa_id,
      claim: parsed.data,
      cover: { enrolmentId: row.enrolment_id, scheme: row.rule_scheme, enrolledOn: row.enrolled_on, lapsedOn: row.lapsed_on },
      history: { allowancesApproved: Number(row.allowances), diedOn: row.died_on },
    };
  });
}

// Months in cover of the scheme's enrolments over the calendar months
// from..to (YYYY-MM-DD, any day of each): a month counts when the member was
// in cover on any day of it.
export async function memberMonths(trx: Knex.Transaction, scheme: string, from: string, to: string): Promise<number> {
  const month = (date: string) => `(extract(year from ${date}) * 12 + extract(month from ${date}))::int`;
  const result = await trx.raw<{ rows: { months: string }[] }>(
    `with bounds as (select ?::date as first_day, ?::date as last_day)
     select coalesce(sum(greatest(0, last_month - first_month + 1)), 0) as months
     from (
       select greatest(${month('enrolled_on')}, ${month('bounds.first_day')}) as first_month,
         least(${month('bounds.last_day')}, coalesce(${month('(lapsed_on - 1)')}, ${month('bounds.last_day')})) as last_month
       from enrolments, bounds where rule_scheme = ? and status in ('active', 'lapsed')
     ) spans`,
    [from, to, scheme],
  );
  return Number(result.rows[0]?.months ?? 0);
}
