import { z } from 'zod';
import type { Db } from '../db/knex.ts';
import { regencyCodeSchema, uuidSchema } from '../ids.ts';
import { reportOutputQuery, type ReportRow, type ReportTable } from '../shared/table.ts';
import {
  countEnrolmentsRejected,
  countImportRowsRefused,
  countMembersByLpa,
  findSuspectedDuplicates,
  type QualityScope,
} from './store.ts';
import type { DataQuality } from './model.ts';

// The targeting-error view the study asked for: per LPA, why imported rows
// were refused and why the rules rejected people, and the people who look
// registered twice (same name and birth date under different NIKs).

export const dataQualityQuerySchema = z.strictObject({
  regencyCode: regencyCodeSchema.optional(),
  lpaId: uuidSchema.optional(),
  ...reportOutputQuery,
});

export async function dataQuality(db: Db, scope: QualityScope): Promise<DataQuality> {
  const lpas = await countMembersByLpa(db, scope);
  const refused = await countImportRowsRefused(db, scope);
  const rejected = await countEnrolmentsRejected(db, scope);
  const suspectedDuplicates = await findSuspectedDuplicates(db, scope);
  return {
    lpas: lpas.map((lpa) => ({
      ...lpa,
      importRowsRefused: refused
        .filter((entry) => entry.lpaId === lpa.lpaId)
        .map((entry) => ({ column: entry.column, reason: entry.reason, count: entry.count })),
      enrolmentsRejected: rejected
        .filter((entry) => entry.lpaId === lpa.lpaId)
        .map((entry) => ({ reason: entry.reason, count: entry.count })),
    })),
    suspectedDuplicates,
  };
}

const dataQualitySections = [
  'participants',
  'active enrolments',
  'import rows refused',
  'enrolments rejected',
  'suspected duplicate',
] as const;

// One table, so that it reads the same in JSON, CSV and a spreadsheet: a
// line per LPA and measure, then a line per person suspected to be
// registered twice, with how many share their name and birth date. The
// sections count different things, so the table has no total.
export function dataQualityTable(quality: DataQuality, scope: QualityScope): ReportTable {
  const lpaNames = new Map(quality.lpas.map((lpa) => [lpa.lpaId, lpa]));
  const line = (
    section: (typeof dataQualitySections)[number],
    fields: Partial<Record<string, string | number | null>>,
  ): ReportRow => ({
    section,
    lpaId: null,
    lpa: null,
    regencyCode: null,
    column: null,
    reason: null,
    name: null,
    birthDate: null,
    participantId: null,
    nik: null,
    count: null,
    ...fields,
  });
  const rows = quality.lpas.flatMap((lpa) => {
    const of = { lpaId: lpa.lpaId, lpa: lpa.lpaName, regencyCode: lpa.regencyCode };
    return [
      line('participants', { ...of, count: lpa.participants }),
      line('active enrolments', { ...of, count: lpa.activeEnrolments }),
      ...lpa.importRowsRefused.map((entry) => line('import rows refused', { ...of, ...entry })),
      ...lpa.enrolmentsRejected.map((entry) => line('enrolments rejected', { ...of, ...entry })),
    ];
  });
  for (const duplicate of quality.suspectedDuplicates)
    for (const participant of duplicate.participants)
      rows.push(
        line('suspected duplicate', {
          lpaId: participant.lpaId,
          lpa: lpaNames.get(participant.lpaId)?.lpaName ?? null,
          regencyCode: lpaNames.get(participant.lpaId)?.regencyCode ?? null,
          name: duplicate.name,
          birthDate: duplicate.birthDate,
          participantId: participant.id,
          nik: participant.nik,
          count: duplicate.participants.length,
        }),
      );
  return {
    title: 'Data quality',
    about: {
      scope:
        [
          scope.regencyCode === undefined ? null : `regency ${scope.regencyCode}`,
          scope.lpaId === undefined ? null : `LPA ${scope.lpaId}`,
        ]
          .filter((part) => part !== null)
          .join(', ') || 'every LPA',
      sections: dataQualitySections.join(', '),
      'import rows refused': 'rows of imported files refused, by column and reason',
      'enrolments rejected': 'people the eligibility rules rejected, by reason',
      'suspected duplicate':
        'each person sharing a name and birth date with another under a different NIK; count: how many share them',
    },
    columns: [
      { key: 'section', header: 'Section', kind: 'text' },
      { key: 'lpaId', header: 'LPA id', kind: 'text' },
      { key: 'lpa', header: 'LPA', kind: 'text' },
      { key: 'regencyCode', header: 'Regency', kind: 'text' },
      { key: 'column', header: 'Column', kind: 'text' },
      { key: 'reason', header: 'Reason', kind: 'text' },
      { key: 'name', header: 'Name', kind: 'text' },
      { key: 'birthDate', header: 'Birth date', kind: 'text' },
      { key: 'participantId', header: 'Participant', kind: 'text' },
      { key: 'nik', header: 'NIK', kind: 'text' },
      { key: 'count', header: 'Count', kind: 'integer' },
    ],
    rows,
  };
}
