import type { Db } from '../db/knex.ts';

// The targeting-error view the study asked for: per LPA, why imported rows
// were refused and why the rules rejected people, and the people who look
// registered twice (same name and birth date under different NIKs).

export interface QualityScope {
  readonly regencyCode?: string | undefined;
  readonly lpaId?: string | undefined;
}

export interface LpaQuality {
  lpaId: string;
  lpaName: string;
  regencyCode: string;
  participants: number;
  activeEnrolments: number;
  importRowsRefused: { column: string; reason: string; count: number }[];
  enrolmentsRejected: { reason: string; count: number }[];
}

export interface SuspectedDuplicate {
  name: string;
  birthDate: string;
  participants: { id: string; nik: string; lpaId: string }[];
}

const duplicatesListedMax = 200;

export async function dataQuality(
  db: Db,
  scope: QualityScope,
): Promise<{ lpas: LpaQuality[]; suspectedDuplicates: SuspectedDuplicate[] }> {
  const lpaFilter = (alias: string) => {
    const clauses: string[] = [];
    const bindings: string[] = [];
    if (scope.regencyCode !== undefined) {
      clauses.push(`${alias}.regency_code = ?`);
      bindings.push(scope.regencyCode);
    }
    if (scope.lpaId !== undefined) {
      clauses.push(`${alias}.id = ?`);
      bindings.push(scope.lpaId);
    }
    return { where: clauses.length === 0 ? 'true' : clauses.join(' and '), bindings };
  };
  const filter = lpaFilter('l');

  const lpas = (await db.raw(
    `select l.id, l.name, l.regency_code,
            (select count(*) from participants p where p.lpa_id = l.id) as participants,
            (select count(*) from enrolments e where e.lpa_id = l.id and e.status = 'active') as active
       from lpas l where ${filter.where} order by l.regency_code, l.name, l.id`,
    filter.bindings,
  )) as { rows: { id: string; name: string; regency_code: string; participants: string; active: string }[] };

  // Reasons that quote a line number ("repeats the NIK of line 52") are
  // counted as one reason.
  const refused = (await db.raw(
    `select i.lpa_id, ie.column_name, regexp_replace(ie.reason, '[0-9]+', 'N', 'g') as reason, count(*) as count
       from import_errors ie join imports i on i.id = ie.import_id join lpas l on l.id = i.lpa_id
      where ${filter.where}
      group by 1, 2, 3 order by 4 desc, 2, 3`,
    filter.bindings,
  )) as { rows: { lpa_id: string; column_name: string; reason: string; count: string }[] };

  const rejected = (await db.raw(
    `select e.lpa_id, reason ->> 'reason' as reason, count(*) as count
       from enrolments e cross join jsonb_array_elements(e.reasons) as reason join lpas l on l.id = e.lpa_id
      where e.status = 'rejected' and ${filter.where}
      group by 1, 2 order by 3 desc, 2`,
    filter.bindings,
  )) as { rows: { lpa_id: string; reason: string; count: string }[] };

  const duplicates = (await db.raw(
    `select min(p.name) as name, p.birth_date,
            jsonb_agg(jsonb_build_object('id', p.id, 'nik', p.nik, 'lpaId', p.lpa_id) order by p.nik) as participants
       from participants p join lpas l on l.id = p.lpa_id
      where ${filter.where}
      group by lower(regexp_replace(p.name, '\\s+', ' ', 'g')), p.birth_date
     having count(*) > 1
      order by 2, 1
      limit ${duplicatesListedMax}`,
    filter.bindings,
  )) as { rows: { name: string; birth_date: string; participants: SuspectedDuplicate['participants'] }[] };

  return {
    lpas: lpas.rows.map((row) => ({
      lpaId: row.id,
      lpaName: row.name,
      regencyCode: row.regency_code,
      participants: Number(row.participants),
      activeEnrolments: Number(row.active),
      importRowsRefused: refused.rows
        .filter((entry) => entry.lpa_id === row.id)
        .map((entry) => ({ column: entry.column_name, reason: entry.reason, count: Number(entry.count) })),
      enrolmentsRejected: rejected.rows
        .filter((entry) => entry.lpa_id === row.id)
        .map((entry) => ({ reason: entry.reason, count: Number(entry.count) })),
    })),
    suspectedDuplicates: duplicates.rows.map((row) => ({
      name: row.name,
      birthDate: row.birth_date,
      participants: row.participants,
    })),
  };
}
