import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { ImportView, ParticipantInput } from './model.ts';
import { type EnrolmentDecision, participantColumns } from './store.ts';

type Runner = Db | Knex.Transaction;

// The SQL of participant imports: the import's own row, its chunks of
// people and enrolments, and its error lines.

// The error file of an import as CSV lines, header first, read page by page
// so a file of many bad rows never sits in memory whole.
export async function* importErrorLines(db: Runner, importId: string): AsyncGenerator<string> {
  const pageRowsMax = 5_000;
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  yield 'line,column,reason\n';
  let after = { line: 0, column: '' };
  for (;;) {
    const rows = await db('import_errors')
      .where({ import_id: importId })
      .andWhere((query) =>
        query
          .where('line', '>', after.line)
          .orWhere((same) => same.where('line', after.line).andWhere('column_name', '>', after.column)),
      )
      .orderBy([
        { column: 'line', order: 'asc' },
        { column: 'column_name', order: 'asc' },
      ])
      .limit(pageRowsMax)
      .select<{ line: number; column_name: string; reason: string }[]>('line', 'column_name', 'reason');
    for (const row of rows) yield `${row.line},${quote(row.column_name)},${quote(row.reason)}\n`;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < pageRowsMax) return;
    after = { line: last.line, column: last.column_name };
  }
}

// The state of an import: how far it got and what it counted.
export type ImportProgress = { readonly importId: string } & Readonly<
  Pick<ImportView, 'status' | 'linesCommitted' | 'rowsEnrolled' | 'rowsRejected' | 'rowsInvalid' | 'rowsSkipped'>
>;

// One file, for one LPA, on one enrolment date, is imported once.
export interface ImportKey {
  readonly lpaId: string;
  readonly fileSha256: string;
  readonly enrolledOn: string;
}

interface ImportRecord {
  id: string;
  lpa_id: string;
  file_name: string;
  enrolled_on: string;
  status: ImportProgress['status'];
  lines_committed: number;
  rows_enrolled: number;
  rows_rejected: number;
  rows_invalid: number;
  rows_skipped: number;
  failure: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toImportProgress(row: ImportRecord): ImportProgress {
  return {
    importId: row.id,
    status: row.status,
    linesCommitted: row.lines_committed,
    rowsEnrolled: row.rows_enrolled,
    rowsRejected: row.rows_rejected,
    rowsInvalid: row.rows_invalid,
    rowsSkipped: row.rows_skipped,
  };
}

export async function findImport(db: Runner, id: string): Promise<(ImportView & { regencyCode: string }) | null> {
  const row = await db('imports')
    .join('lpas', 'lpas.id', 'imports.lpa_id')
    .where('imports.id', id)
    .first<(ImportRecord & { regency_code: string }) | undefined>('imports.*', 'lpas.regency_code');
  if (row === undefined) return null;
  const { importId, ...progress } = toImportProgress(row);
  return {
    id: importId,
    lpaId: row.lpa_id,
    regencyCode: row.regency_code,
    fileName: row.file_name,
    enrolledOn: row.enrolled_on,
    ...progress,
    failure: row.failure,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function importKeyColumns(key: ImportKey) {
  return { lpa_id: key.lpaId, file_sha256: key.fileSha256, enrolled_on: key.enrolledOn };
}

// The import of this file, locked for the rest of the transaction; null when
// it was never imported.
export async function lockImport(trx: Knex.Transaction, key: ImportKey): Promise<ImportProgress | null> {
  const row = await trx('imports').where(importKeyColumns(key)).forUpdate().first<ImportRecord | undefined>('*');
  return row === undefined ? null : toImportProgress(row);
}

export async function insertImport(
  trx: Knex.Transaction,
  key: ImportKey,
  details: { fileName: string; createdBy: string },
): Promise<ImportProgress> {
  const [row] = await trx('imports')
    .insert({ ...importKeyColumns(key), file_name: details.fileName, status: 'running', created_by: details.createdBy })
    .returning<ImportRecord[]>('*');
  if (row === undefined) throw new Error('insert into imports returned no row');
  return toImportProgress(row);
}

// An import cut off or failed runs again from its last committed line.
export async function resumeImport(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('imports').where({ id }).update({ status: 'running', failure: null, heartbeat_at: trx.fn.now() });
}

export async function markImportFinished(
  trx: Knex.Transaction,
  id: string,
  status: 'done' | 'failed',
  failure: string | null,
): Promise<ImportProgress> {
  const [row] = await trx('imports')
    .where({ id })
    .update({ status, failure, finished_at: trx.fn.now() })
    .returning<ImportRecord[]>('*');
  if (row === undefined) throw new Error(`import ${id} vanished`);
  return toImportProgress(row);
}

// An import's chunk is redone if its commit is lost in a crash, so the
// import need not wait for the commit to reach the disk.
export async function commitWithoutWaitingForDisk(trx: Knex.Transaction): Promise<void> {
  await trx.raw('set local synchronous_commit = off');
}

// Rows travel as one JSON document per chunk: PostgreSQL parses it once,
// where a VALUES list costs a binding per cell (measured in npm run bench).
// A NIK already registered is left out by the unique index.
export async function insertNewParticipants(
  trx: Knex.Transaction,
  lpaId: string,
  inputs: readonly ParticipantInput[],
): Promise<{ id: string; nik: string }[]> {
  const result = (await trx.raw(
    `insert into participants (nik, kk, lpa_id, name, birth_date, sex, marital_status, is_head_of_family, occupation,
                               welfare_status, welfare_decile, willing_to_save, attends_monthly_meeting, address, phone)
     select nik, kk, lpa_id, name, birth_date, sex, marital_status, is_head_of_family, occupation,
            welfare_status, welfare_decile, willing_to_save, attends_monthly_meeting, address, phone
       from jsonb_to_recordset(?::jsonb) as row (nik text, kk text, lpa_id uuid, name text, birth_date date, sex text,
            marital_status text, is_head_of_family boolean, occupation text, welfare_status text, welfare_decile integer,
            willing_to_save boolean, attends_monthly_meeting boolean, address text, phone text)
     on conflict (nik) do nothing
     returning id, nik`,
    [JSON.stringify(inputs.map((input) => participantColumns(lpaId, input)))],
  )) as { rows: { id: string; nik: string }[] };
  return result.rows;
}

export interface RegisteredParticipant {
  readonly id: string;
  readonly nik: string;
  readonly lpaId: string;
  readonly active: boolean;
  // The facts of the latest decision on the person, null when none was made.
  readonly lastFacts: Record<string, unknown> | null;
}

// The people registered under these NIKs, by NIK, locked in id order, the
// order claims lock people in, so an import and a burst of claims wait for
// each other rather than deadlock.
export async function lockParticipantsByNik(
  trx: Knex.Transaction,
  niks: readonly string[],
): Promise<Map<string, RegisteredParticipant>> {
  if (niks.length === 0) return new Map();
  const result = (await trx.raw(
    `select p.id, p.nik, p.lpa_id,
            exists (select 1 from enrolments e where e.participant_id = p.id and e.status = 'active') as active,
            (select e.facts from enrolments e where e.participant_id = p.id order by e.decided_at desc, e.id limit 1) as last_facts
       from unnest(?::text[]) as wanted (nik)
       join participants p on p.nik = wanted.nik
      order by p.id
      for update of p`,
    [[...niks]] as unknown as Knex.RawBinding[],
  )) as { rows: { id: string; nik: string; lpa_id: string; active: boolean; last_facts: Record<string, unknown> | null }[] };
  return new Map(
    result.rows.map((row) => [
      row.nik,
      { id: row.id, nik: row.nik, lpaId: row.lpa_id, active: row.active, lastFacts: row.last_facts },
    ]),
  );
}

// The enrolments of a chunk in one statement, each marked with its import;
// the ids in the order written.
export async function insertImportedEnrolments(
  trx: Knex.Transaction,
  batch: { lpaId: string; enrolledOn: string; importId: string },
  decisions: readonly EnrolmentDecision[],
): Promise<string[]> {
  const written = await trx.raw<{ rows: { id: string }[] }>(
    `insert into enrolments (participant_id, lpa_id, enrolled_on, status, reasons, rule_scheme, rule_version, rule_hash, facts, events, import_id)
     select participant_id, ?, ?, status, reasons, rule_scheme, rule_version, rule_hash, facts, events, ?
       from jsonb_to_recordset(?::jsonb) as row (participant_id uuid, status text, reasons jsonb, rule_scheme text,
            rule_version text, rule_hash text, facts jsonb, events jsonb)
     returning id`,
    [
      batch.lpaId,
      batch.enrolledOn,
      batch.importId,
      JSON.stringify(
        decisions.map((decision) => ({
          participant_id: decision.participantId,
          status: decision.status,
          reasons: decision.reasons,
          rule_scheme: decision.rule.scheme,
          rule_version: decision.rule.version,
          rule_hash: decision.rule.hash,
          facts: decision.facts,
          events: decision.events,
        })),
      ),
    ],
  );
  return written.rows.map((row) => row.id);
}

// A line's error already recorded (a chunk redone after a crash) is kept once.
export async function insertImportErrors(
  trx: Knex.Transaction,
  importId: string,
  errors: readonly { line: number; column: string; reason: string }[],
): Promise<void> {
  await trx('import_errors')
    .insert(errors.map(({ line, column, reason }) => ({ import_id: importId, line, column_name: column, reason })))
    .onConflict(['import_id', 'line', 'column_name'])
    .ignore();
}

// The chunk's counts are added to the import's, and its last line is where
// a resumed import starts.
export async function recordImportChunk(
  trx: Knex.Transaction,
  importId: string,
  chunk: { lastLine: number; enrolled: number; rejected: number; invalid: number; skipped: number },
): Promise<void> {
  await trx('imports')
    .where({ id: importId })
    .update({
      lines_committed: chunk.lastLine,
      heartbeat_at: trx.fn.now(),
      rows_enrolled: trx.raw('rows_enrolled + ?', [chunk.enrolled]),
      rows_rejected: trx.raw('rows_rejected + ?', [chunk.rejected]),
      rows_invalid: trx.raw('rows_invalid + ?', [chunk.invalid]),
      rows_skipped: trx.raw('rows_skipped + ?', [chunk.skipped]),
    });
}
