import { z } from 'zod';
import type { MessageKey } from '../../i18n/index.ts';

// Heirs on a form are numbered rows of three text fields (heir1Name,
// heir1Relation, heir1Nik, …), as the enrolment form and the heirs form both
// show them. A row left empty is no heir; a kept heir remembers its row, so a
// problem names the row the officer filled.

// A field's problem, named for the officer: the catalogue's text and the row of an heir.
export interface Problem {
  readonly field: string;
  readonly key: MessageKey;
  readonly values?: Readonly<Record<string, number>>;
}

const parts = ['Name', 'Relation', 'Nik'] as const;
type Part = (typeof parts)[number];
export type HeirField = `heir${number}${Part}`;
export type HeirRowsForm = Readonly<Partial<Record<HeirField, string>>>;

const textMax = 300;
const text = z.string().max(textMax).optional();

export function heirRowFields(rows: number): Record<HeirField, typeof text> {
  return Object.fromEntries(
    Array.from({ length: rows }, (_, index) => parts.map((part) => [`heir${index + 1}${part}`, text])).flat(),
  ) as Record<HeirField, typeof text>;
}

export const given = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

// The heirs as the API's JSON would carry them, an empty optional field left out, and the row each came from.
export function heirsOfRows(form: HeirRowsForm, rows: number): { heirs: unknown[]; rows: number[] } {
  const kept = Array.from({ length: rows }, (_, index) => index + 1).flatMap((row) => {
    const [name, relation, nik] = parts.map((part) => given(form[`heir${row}${part}`]));
    return name === undefined && relation === undefined && nik === undefined
      ? []
      : [{ row, heir: { name: name ?? '', relation, nik } }];
  });
  return { heirs: kept.map((found) => found.heir), rows: kept.map((found) => found.row) };
}

const heirParts = { name: 'Name', relation: 'Relation', nik: 'Nik' } as const satisfies Record<string, Part>;

// The problem of a path such as 'heirs.1.nik', on the row that heir came from; null for any other path.
function heirProblemOf(path: string, rows: readonly number[]): Problem | null {
  const [field, index, part] = path.split('.');
  if (field !== 'heirs' || index === undefined || part === undefined || !(part in heirParts)) return null;
  const row = rows[Number(index)] ?? 1;
  const suffix = heirParts[part as keyof typeof heirParts];
  return { field: `heir${row}${suffix}`, key: `enrolment.problem.heir${suffix}`, values: { n: row } };
}

// Each problem once, from issue paths such as 'heirs.1.nik' or 'phone' (the
// schema's and the domain's alike): an heir's on its row, another field's as
// the form names it, anything else the form's as a whole.
export function problemsOfPaths(
  paths: readonly string[],
  rows: readonly number[],
  fieldProblems: Readonly<Record<string, MessageKey>>,
): Problem[] {
  const problems = new Map<string, Problem>();
  for (const path of paths) {
    const field = path.split('.')[0] ?? '';
    const fieldKey = Object.hasOwn(fieldProblems, field) ? fieldProblems[field] : undefined;
    const problem =
      heirProblemOf(path, rows) ??
      (fieldKey === undefined ? { field: 'form', key: 'error.badInput.body' as const } : { field, key: fieldKey });
    problems.set(problem.field, problem);
  }
  return [...problems.values()];
}

export const schemaPaths = (error: z.ZodError) => error.issues.map((issue) => issue.path.map(String).join('.'));

// Recorded heirs in rows, to show them on a form again.
export function rowsOfHeirs(
  heirs: readonly { readonly name: string; readonly relation: string; readonly nik: string | null }[],
): HeirRowsForm {
  return Object.fromEntries(
    heirs.flatMap((heir, index) => [
      [`heir${index + 1}Name`, heir.name],
      [`heir${index + 1}Relation`, heir.relation],
      [`heir${index + 1}Nik`, heir.nik ?? ''],
    ]),
  );
}
