import type { Sex } from '../../src/registry/identity.ts';

// A NIK consistent with a regency, birth date and sex, as the civil registry
// issues them: region · DDMMYY (day + 40 for women) · serial.
export function nikFor(regency: string, birthDate: string, sex: Sex, serial = 1): string {
  const [year = '', month = '', day = ''] = birthDate.split('-');
  const encodedDay = String(Number(day) + (sex === 'female' ? 40 : 0)).padStart(2, '0');
  return `${regency}01${encodedDay}${month}${year.slice(2)}${String(serial).padStart(4, '0')}`;
}

// An eligible participant of Gunung Mas under the standalone scheme; tests
// change one thing at a time.
export function motorbikeTaxiDriver(serial: number, changes: Record<string, unknown> = {}) {
  const birthDate = '1984-06-12';
  return {
    nik: nikFor('6210', birthDate, 'male', serial),
    kk: `62100112062000${String(serial % 100).padStart(2, '0')}`,
    name: 'Yohanes Dingu',
    birthDate,
    sex: 'male',
    maritalStatus: 'married',
    isHeadOfFamily: true,
    occupation: 'motorbike-taxi-driver',
    welfareStatus: 'poor',
    welfareDecile: 2,
    address: 'Jl. Tjilik Riwut km 3, Kuala Kurun',
    phone: '081234567890',
    heirs: [{ name: 'Maria Dingu', relation: 'spouse' }],
    enrolledOn: '2026-11-20',
    ...changes,
  };
}

// What a New Initiative LPA took from each person it submitted: the 2012
// programme rules refuse anyone who has not declared both.
export const declaredForNewInitiative = { willingToSave: true, attendsMonthlyMeeting: true } as const;
