import type { Db } from '../db/knex.ts';
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
