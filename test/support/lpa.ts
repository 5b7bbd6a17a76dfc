import { testActor } from './api.ts';
import type { Db } from '../../src/db/knex.ts';
import type { NewLpa } from '../../src/registry/model.ts';
import { changeLpaStatus, proposeLpa } from '../../src/registry/lpas.ts';

// An LPA of Gunung Mas as a dinsos office would propose it.
export function lpaFields(changes: Partial<NewLpa> = {}): NewLpa {
  return {
    name: 'Yayasan Betang Tumbang',
    type: 'foundation',
    regencyCode: '6210',
    contactName: 'Ibu Rini',
    contactPhone: '081250001111',
    bankName: 'Bank Kalteng',
    bankAccountNumber: '0123456789',
    accreditation: 'none',
    ...changes,
  };
}

// Proposed and approved, ready to enrol.
export async function approvedLpa(db: Db, changes: Partial<NewLpa> = {}): Promise<string> {
  const directorate = {
    via: 'api-key' as const,
    keyId: '00000000-0000-4000-8000-000000000000',
    name: 'directorate',
    role: 'directorate' as const,
  };
  const lpa = await proposeLpa(db, directorate, lpaFields(changes), testActor);
  return (await changeLpaStatus(db, lpa.id, 'approve', 'verified on site', testActor)).id;
}
