import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, isUniqueViolation, withTransaction } from '../db/knex.ts';
import { holdProcessLock } from '../db/session-lock.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import { RuleNotInForceError } from '../rules/evaluate.ts';
import { canonicalJson } from '../hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { decideEligibility } from './eligibility.ts';
import { headerProblem, type ImportRow, parseImportRow, type RowIssue } from './import-row.ts';
import type { ParticipantInput } from './model.ts';
import {
  commitWithoutWaitingForDisk,
  type ImportProgress,
  insertImport,
  insertImportedEnrolments,
  insertImportErrors,
  insertNewParticipants,
  lockImport,
  lockParticipantsByNik,
  markImportFinished,
  recordImportChunk,
  resumeImport,
} from './import-store.ts';
import { findLpa, listRegencyCodes, saveParticipant } from './store.ts';
import { insertEnrolmentNotices } from '../notices/index.ts';

// Bulk enrolment from a welfare-data extract. Two passes over the file: the
// first proves it whole (UTF-8, CSV, header, no giant line) and hashes it, so
// a broken file writes nothing; the second enrols in chunks that commit as
// they go, each chunk recording how far the import got, so a crash resumes
// where it stopped and a second import of the same file changes nothing.
// The runner holds a session lock while it works: the same file for the
// same LPA cannot run twice at once, and one whose runner died resumes at once.

export const importLineBytesMax = 64 * 1024;
export const importChunkRowsMax = 5_000;

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface ImportSummary extends ImportProgress {
  // This file was imported before: the import found is the one answered.
  readonly reused: boolean;
}

export interface ImportRequest {
  readonly lpaId: string;
  readonly filePath: string;
  readonly fileName: string;
  readonly enrolledOn: string;
  readonly today: string;
  readonly scheme: string;
  readonly onProgress?: (rowsRead: number, rowsTotal: number) => void;
  readonly chunkRowsMax?: number;
}

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function csvRecords(path: string): AsyncIterable<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  const strictUtf8 = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        callback(null, text);
        line += text.split('\n').length - 1;
      } catch {
        callback(new ImportFileError(`the file is not UTF-8 text (near line ${line}); save it as UTF-8 and import again`));
      }
    },
  });
  const parser = parse({
    info: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: importLineBytesMax,
  });
  // pipeline, not pipe: a failure in any stage must reach the reader.
  pipeline(createReadStream(path), strictUtf8, parser, () => undefined);
  return parser as unknown as AsyncIterable<CsvRecord>;
}

// Pass one: the whole file is readable and well-formed, or nothing happens.
async function proveFile(path: string): Promise<{ sha256: string; header: string[]; rowsTotal: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  let header: string[] | null = null;
  let rowsTotal = 0;
  try {
    for await (const { record } of csvRecords(path)) {
      if (header === null) {
        header = record.map((name) => name.trim());
        const problem = headerProblem(header);
        if (problem !== null) throw new ImportFileError(`line 1: ${problem}`);
      } else rowsTotal += 1;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const csv = error as { code?: string; lines?: number; message: string };
    if (csv.code === 'CSV_MAX_RECORD_SIZE') {
      throw new ImportFileError(
        `line ${csv.lines ?? '?'}: a row is longer than ${importLineBytesMax} bytes; is a quote left open?`,
      );
    }
    throw new ImportFileError(`line ${csv.lines ?? '?'}: not valid CSV: ${csv.message}`);
  }
  if (header === null) throw new ImportFileError('the file is empty; it needs a header line and rows');
  return { sha256: hash.digest('hex'), header, rowsTotal };
}

export async function importParticipants(db: Db, book: RuleBook, request: ImportRequest, actor: Actor): Promise<ImportSummary> {
  return (await beginImport(db, book, request, actor)).finish();
}

export interface BegunImport {
  readonly summary: ImportSummary;
  // Enrols the rows; the HTTP edge runs it in the background.
  finish(): Promise<ImportSummary>;
}

// Everything that can refuse the file or the LPA happens here, before any
// row is read for enrolment, so the caller can answer at once.
export async function beginImport(db: Db, book: RuleBook, request: ImportRequest, actor: Actor): Promise<BegunImport> {
  const file = await proveFile(request.filePath);
  const lpa = await findLpa(db, request.lpaId);
  if (lpa === null || lpa.status !== 'approved') {
    throw new ConflictError(
      'lpa-not-approved',
      `This LPA is ${lpa?.status ?? 'unknown'}; only an approved LPA may enrol participants.`,
    );
  }
  // Held until the import finishes; a runner that dies loses it with its
  // connection, so the same command again resumes at once.
  const release = await holdProcessLock(db, `askesos.import:${request.lpaId}:${file.sha256}:${request.enrolledOn}`);
  if (release === null) throw new ConflictError('import-running', 'This file is being imported for this LPA right now.');
  let started: ImportSummary;
  try {
    started = await startImport(db, request, file.sha256, actor);
  } catch (error) {
    await release();
    throw error;
  }
  if (started.status === 'done') {
    await release();
    const summary = { ...started, reused: true };
    return { summary, finish: async () => summary };
  }
  return { summary: started, finish: () => enrolRows(db, book, request, actor, file, started).finally(release) };
}

async function enrolRows(
  db: Db,
  book: RuleBook,
  request: ImportRequest,
  actor: Actor,
  file: { header: string[]; rowsTotal: number },
  started: ImportSummary,
): Promise<ImportSummary> {
  const regencies = new Set(await listRegencyCodes(db));
  const isKnownRegency = (code: string) => regencies.has(code);
  const context = { ...request, importId: started.importId, isKnownRegency };
  let chunk: { line: number; row: ImportRow }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let rowsRead = 0;
  try {
    let first = true;
    for await (const { record, info } of csvRecords(request.filePath)) {
      if (first) {
        first = false;
        continue;
      }
      rowsRead += 1;
      if (info.lines <= started.linesCommitted) continue;
      chunk.push({ line: info.lines, row: toRow(file.header, record) });
      if (chunk.length >= (request.chunkRowsMax ?? importChunkRowsMax)) {
        const prepared = prepareChunk(book, context, chunk);
        chunk = [];
        await writing;
        const readSoFar = rowsRead;
        writing = writeChunk(db, context, prepared).then(() => request.onProgress?.(readSoFar, file.rowsTotal));
        // A failed write must not go unobserved while the next chunk is read.
        writing.catch(() => undefined);
      }
    }
    await writing;
    if (chunk.length > 0) await writeChunk(db, context, prepareChunk(book, context, chunk));
    request.onProgress?.(rowsRead, file.rowsTotal);
    return await finishImport(db, started.importId, 'done', null, actor);
  } catch (error) {
    await writing.catch(() => undefined);
    await finishImport(db, started.importId, 'failed', (error as Error).message, actor);
    if (error instanceof RuleNotInForceError) throw new UnprocessableError('rule-not-in-force', error.message);
    throw error;
  }
}

// The header was proved to hold every required column, so the cast holds.
function toRow(header: readonly string[], record: readonly string[]): ImportRow {
  return Object.fromEntries(header.map((column, index) => [column, record[index] ?? ''])) as ImportRow;
}

function toSummary({ importId, ...counts }: ImportProgress, reused: boolean): ImportSummary {
  return { importId, reused, ...counts };
}

async function startImport(db: Db, request: ImportRequest, sha256: string, actor: Actor): Promise<ImportSummary> {
  const key = { lpaId: request.lpaId, fileSha256: sha256, enrolledOn: request.enrolledOn };
  try {
    return await withTransaction(db, async (trx) => {
      const existing = await lockImport(trx, key);
      if (existing !== null) {
        if (existing.status !== 'done') await resumeImport(trx, existing.importId);
        return toSummary({ ...existing, status: existing.status === 'done' ? 'done' : 'running' }, true);
      }
      const started = await insertImport(trx, key, { fileName: request.fileName, createdBy: actor.actor });
      await recordAudit(trx, actor, {
        action: 'import.start',
        entityType: 'import',
        entityId: started.importId,
        detail: { lpaId: request.lpaId, fileName: request.fileName, fileSha256: sha256, enrolledOn: request.enrolledOn },
      });
      return toSummary(started, false);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('import-running', 'The same file is being imported for this LPA right now.');
    throw error;
  }
}

async function finishImport(
  db: Db,
  id: string,
  status: 'done' | 'failed',
  failure: string | null,
  actor: Actor,
): Promise<ImportSummary> {
  return withTransaction(db, async (trx) => {
    const summary = toSummary(await markImportFinished(trx, id, status, failure), false);
    await recordAudit(trx, actor, {
      action: `import.${status}`,
      entityType: 'import',
      entityId: id,
      detail: { ...summary, failure },
    });
    return summary;
  });
}

type ImportContext = ImportRequest & { importId: string; isKnownRegency: (code: string) => boolean };
type PreparedChunk = ReturnType<typeof prepareChunk>;

// Pure work on a chunk: parse, check and decide every row. It runs while the
// previous chunk is being written, so the CPU and the database work at once.
function prepareChunk(book: RuleBook, context: ImportContext, rows: readonly { line: number; row: ImportRow }[]) {
  const errors: { line: number; issue: RowIssue }[] = [];
  const valid: { line: number; input: ParticipantInput }[] = [];
  const linesByNik = new Map<string, number>();
  for (const { line, row } of rows) {
    const parsed = parseImportRow(row, context);
    if (!parsed.ok) {
      errors.push(...parsed.issues.map((issue) => ({ line, issue })));
      continue;
    }
    const earlier = linesByNik.get(parsed.input.nik);
    if (earlier !== undefined) {
      errors.push({ line, issue: { column: 'nik', reason: `repeats the NIK of line ${earlier}` } });
      continue;
    }
    linesByNik.set(parsed.input.nik, line);
    valid.push({ line, input: parsed.input });
  }
  const decided = valid.map((entry) => ({
    ...entry,
    eligibility: decideEligibility(book, context.scheme, entry.input, context.enrolledOn),
  }));
  return { errors, decided, lastLine: rows[rows.length - 1]?.line ?? 0 };
}

// Chunks are written one after another, never at once: each records the last
// line it committed, which is where a resumed import starts.
async function writeChunk(db: Db, context: ImportContext, { errors, decided, lastLine }: PreparedChunk): Promise<void> {
  return withTransaction(db, async (trx) => {
    // Each chunk records its own progress in the same transaction, so a commit
    // lost in a crash is redone on resume: the import need not wait for fsync.
    await commitWithoutWaitingForDisk(trx);
    // New people, the usual case, go in at once; a NIK already registered
    // is left out by the unique index and looked at on its own below.
    const inserted =
      decided.length === 0
        ? []
        : await insertNewParticipants(
            trx,
            context.lpaId,
            decided.map((entry) => entry.input),
          );
    const idByNik = new Map(inserted.map((row) => [row.nik, row.id]));
    const enrolling: ((typeof decided)[number] & { id: string })[] = [];
    const known = decided.filter((entry) => !idByNik.has(entry.input.nik));
    const existing = await lockParticipantsByNik(
      trx,
      known.map((entry) => entry.input.nik),
    );
    let skipped = 0;
    for (const entry of decided) {
      const id = idByNik.get(entry.input.nik);
      const earlier = existing.get(entry.input.nik);
      if (id !== undefined) enrolling.push({ ...entry, id });
      else if (earlier === undefined || earlier.active) skipped += 1;
      else if (
        earlier.lpaId === context.lpaId &&
        canonicalJson(earlier.lastFacts) === canonicalJson(entry.eligibility.decision.facts)
      )
        skipped += 1;
      else enrolling.push({ ...entry, id: await saveParticipant(trx, earlier.id, context.lpaId, entry.input) });
    }
    if (enrolling.length > 0) {
      const enrolmentIds = await insertImportedEnrolments(
        trx,
        { lpaId: context.lpaId, enrolledOn: context.enrolledOn, importId: context.importId },
        enrolling.map((entry) => ({
          participantId: entry.id,
          status: entry.eligibility.status,
          reasons: entry.eligibility.reasons,
          rule: {
            scheme: entry.eligibility.decision.scheme,
            version: entry.eligibility.decision.version,
            hash: entry.eligibility.decision.hash,
          },
          facts: entry.eligibility.decision.facts,
          events: entry.eligibility.decision.events,
        })),
      );
      await insertEnrolmentNotices(trx, { enrolmentIds, decidedOn: context.today });
    }
    if (errors.length > 0) {
      await insertImportErrors(
        trx,
        context.importId,
        errors.map(({ line, issue }) => ({ line, column: issue.column, reason: issue.reason })),
      );
    }
    const enrolled = enrolling.filter((entry) => entry.eligibility.status === 'active').length;
    const invalidRows = new Set(errors.map((error) => error.line)).size;
    await recordImportChunk(trx, context.importId, {
      lastLine,
      enrolled,
      rejected: enrolling.length - enrolled,
      invalid: invalidRows,
      skipped,
    });
  });
}
