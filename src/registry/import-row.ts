import { participantProblems } from './checks.ts';
import { type ParticipantInput, participantInputSchema } from './model.ts';

// The columns of a participant extract, in the shape of the integrated social
// welfare data (DTKS). The header must name all of these, in any order, and
// may name the optional ones.
export const importColumns = [
  'nik',
  'kk',
  'name',
  'birth_date',
  'sex',
  'marital_status',
  'is_head_of_family',
  'occupation',
  'welfare_status',
  'welfare_decile',
  'address',
  'phone',
] as const;
// What the person declared to the LPA (yes, no, or empty when not declared).
// Optional, because DTKS extracts do not carry them and files made before
// they existed must still import: a missing column is nothing declared.
export const optionalImportColumns = ['willing_to_save', 'attends_monthly_meeting'] as const;
export type ImportColumn = (typeof importColumns)[number] | (typeof optionalImportColumns)[number];
// A row by column name: the optional columns are absent when the header has none.
export type ImportRow = Readonly<Record<(typeof importColumns)[number], string>> &
  Partial<Readonly<Record<(typeof optionalImportColumns)[number], string>>>;
const knownColumns: readonly string[] = [...importColumns, ...optionalImportColumns];

const columnOfField: Readonly<Record<string, ImportColumn>> = {
  nik: 'nik',
  kk: 'kk',
  name: 'name',
  birthDate: 'birth_date',
  sex: 'sex',
  maritalStatus: 'marital_status',
  isHeadOfFamily: 'is_head_of_family',
  occupation: 'occupation',
  welfareStatus: 'welfare_status',
  welfareDecile: 'welfare_decile',
  willingToSave: 'willing_to_save',
  attendsMonthlyMeeting: 'attends_monthly_meeting',
  address: 'address',
  phone: 'phone',
};

export interface RowIssue {
  readonly column: string;
  readonly reason: string;
}

export function headerProblem(header: readonly string[]): string | null {
  const missing = importColumns.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !knownColumns.includes(column));
  const repeated = header.filter((column, index) => header.indexOf(column) !== index);
  if (missing.length === 0 && unknown.length === 0 && repeated.length === 0) return null;
  return [
    missing.length > 0 ? `missing column(s): ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s): ${unknown.join(', ')}` : '',
    repeated.length > 0 ? `repeated column(s): ${repeated.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ')
    .concat(`. Expected: ${importColumns.join(',')}, and optionally ${optionalImportColumns.join(',')}`);
}

const yesNo: Readonly<Record<string, boolean>> = { yes: true, no: false, ya: true, tidak: false };

// A declaration: yes or no, or nothing (an empty cell, or no column at all).
// Anything else is passed on as text for the schema to refuse.
function declaration(cell: string | undefined): boolean | null | string {
  const text = (cell ?? '').trim();
  return text === '' ? null : (yesNo[text.toLowerCase()] ?? text);
}

const yesNoFields = ['isHeadOfFamily', 'willingToSave', 'attendsMonthlyMeeting'];
const yesNoReason = (field: PropertyKey | undefined) =>
  field === 'isHeadOfFamily' ? 'must be yes or no' : 'must be yes, no, or empty when not declared';

// One CSV row to a participant, or every reason it cannot be one, by column.
export function parseImportRow(
  row: ImportRow,
  context: { enrolledOn: string; today: string; isKnownRegency: (code: string) => boolean },
): { ok: true; input: ParticipantInput } | { ok: false; issues: RowIssue[] } {
  const decile = row.welfare_decile.trim();
  const candidate = {
    nik: row.nik.trim(),
    kk: row.kk.trim(),
    name: row.name,
    birthDate: row.birth_date.trim(),
    sex: row.sex.trim(),
    maritalStatus: row.marital_status.trim(),
    isHeadOfFamily: yesNo[row.is_head_of_family.trim().toLowerCase()] ?? row.is_head_of_family,
    occupation: row.occupation.trim(),
    welfareStatus: row.welfare_status.trim(),
    welfareDecile: decile === '' ? undefined : /^\d{1,2}$/.test(decile) ? Number(decile) : decile,
    willingToSave: declaration(row.willing_to_save),
    attendsMonthlyMeeting: declaration(row.attends_monthly_meeting),
    address: row.address,
    phone: row.phone.trim() === '' ? undefined : row.phone.trim(),
    heirs: [],
    enrolledOn: context.enrolledOn,
  };
  const parsed = participantInputSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        column: columnOfField[String(issue.path[0])] ?? String(issue.path[0] ?? 'row'),
        reason:
          issue.code === 'invalid_type' && yesNoFields.includes(String(issue.path[0]))
            ? yesNoReason(issue.path[0])
            : issue.message,
      })),
    };
  }
  const problems = participantProblems(parsed.data, context.today, context.isKnownRegency);
  if (problems.length > 0) {
    return {
      ok: false,
      issues: problems.map((problem) => ({ column: columnOfField[problem.field] ?? problem.field, reason: problem.message })),
    };
  }
  return { ok: true, input: parsed.data };
}
