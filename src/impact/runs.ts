import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/principal.ts';
import { recordAudit } from '../audit/store.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { holdProcessLock } from '../db/session-lock.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.ts';
import { loadRuleBook, type RuleBook } from '../rules/load.ts';
import { RuleSetError } from '../rules/problems.ts';
import type { Progress, ReportProgress } from '../shared/progress.ts';
import type { ReportTable } from '../shared/table.ts';
import { impactOf } from './impact.ts';
import type { ImpactRun } from './model.ts';
import {
  findImpactRun,
  finishImpactRun,
  insertImpactRun,
  listImpactRuns,
  recordImpactRunProgress,
  runningImpactRunIds,
  runningImpactRunsLocked,
} from './run-store.ts';
import { impactTable } from './table.ts';

// An impact asked for over HTTP runs in the background of the process that
// took the request, and is kept as a run to poll. While it works, the run
// holds a lock named for it (a session advisory lock on PostgreSQL, which
// PostgreSQL drops with the connection of a process that dies; on PGlite, one
// process's database, the process's own guard). A reader that finds a run
// still running whose lock is free knows its process stopped, and marks it
// failed: no run is left running forever, and a replica restarting leaves
// its neighbours' runs alone.

export const interruptedError = 'interrupted by a restart: the process running it stopped before it finished';
// Running runs a reader checks for a stopped process at once.
const runningCheckedMax = 100;
// Runs at work at once, across processes: each holds a database connection
// in its snapshot for as long as it replays, which the requests need too.
export const impactRunsRunningMax = 2;
const busyRetryAfterSeconds = 60;

const runLock = (id: string) => `askesos.impact-run:${id}`;

// The published book with this one version in it (a draft, or one already
// published). A scheme or version with no folder is a 404; rule files that do
// not load are a 422 naming each problem.
export function bookWithVersion(rulesDir: string, scheme: string, version: string): RuleBook {
  let book: RuleBook;
  try {
    book = loadRuleBook(rulesDir, { scheme, version });
  } catch (error) {
    if (error instanceof RuleSetError) throw new UnprocessableError('rule-set-invalid', error.message);
    throw error;
  }
  if (!(book.schemes.get(scheme) ?? []).some((entry) => entry.version === version))
    throw new NotFoundError('rule version', `${scheme}/${version}`);
  return book;
}

// Keeps the run (and who asked for it, in the audit log) and starts it;
// `finished` settles when its outcome is written, rejecting with the error
// of a run that failed.
export async function beginImpactRun(
  db: Db,
  book: RuleBook,
  request: { scheme: string; version: string; today: string },
  actor: Actor,
): Promise<{ run: ImpactRun; finished: Promise<void> }> {
  const id = randomUUID();
  const release = await holdProcessLock(db, runLock(id));
  if (release === null) throw new Error(`impact run ${id} is locked before it exists`);
  try {
    const versionHash = (book.schemes.get(request.scheme) ?? []).find((entry) => entry.version === request.version)?.hash;
    if (versionHash === undefined) throw new Error(`no ${request.scheme}/${request.version} in the book given`);
    await failInterrupted(db, await runningImpactRunIds(db, runningCheckedMax));
    const run = await withTransaction(db, async (trx) => {
      const running = await runningImpactRunsLocked(trx);
      if (running >= impactRunsRunningMax)
        throw new ConflictError(
          'impact-runs-busy',
          `${running} impact runs are at work, the most at once; ask again when one has finished.`,
          busyRetryAfterSeconds,
        );
      const inserted = await insertImpactRun(trx, { id, ...request, versionHash, requestedBy: actor.actor });
      await recordAudit(trx, actor, {
        action: 'impact-run.request',
        entityType: 'impact_run',
        entityId: id,
        detail: { scheme: request.scheme, version: request.version, versionHash, today: request.today },
      });
      return inserted;
    });
    return { run, finished: carryOut(db, book, run).finally(release) };
  } catch (error) {
    await release();
    throw error;
  }
}

async function carryOut(db: Db, book: RuleBook, run: ImpactRun): Promise<void> {
  const progress = progressWriter(db, run.id);
  let table: ReportTable;
  try {
    table = impactTable(await impactOf(db, book, run, progress.report));
  } catch (error) {
    await progress.settled();
    // The message only: a stack is ours to read in the log, not the caller's.
    const message = error instanceof Error ? error.message : String(error);
    await withTransaction(db, (trx) => finishImpactRun(trx, run.id, { status: 'failed', error: message }));
    throw error;
  }
  await progress.settled();
  await withTransaction(db, (trx) =>
    finishImpactRun(trx, run.id, { status: 'succeeded', result: table, progress: progress.latest() }),
  );
}

// Progress is written beside the replay, never awaited by it: on PGlite the
// replay's snapshot holds the one connection, and a write it waited for
// would wait for itself. Only the latest progress is written; one that
// fails is lost, as the outcome written at the end says all that matters.
function progressWriter(db: Db, id: string): { report: ReportProgress; settled(): Promise<void>; latest(): Progress | null } {
  let latest: Progress | null = null;
  let unwritten: Progress | null = null;
  let writing: Promise<void> | null = null;
  const writeAll = async () => {
    for (let next = unwritten; next !== null; next = unwritten) {
      unwritten = null;
      const progress = next;
      await withTransaction(db, (trx) => recordImpactRunProgress(trx, id, progress)).catch(() => undefined);
    }
    writing = null;
  };
  return {
    report: async (progress) => {
      latest = progress;
      unwritten = progress;
      writing ??= writeAll();
    },
    settled: async () => {
      await writing;
    },
    latest: () => latest,
  };
}

// A running run whose lock is free has no process at work on it any more.
async function failInterrupted(db: Db, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const release = await holdProcessLock(db, runLock(id));
    if (release === null) continue;
    try {
      await withTransaction(db, (trx) => finishImpactRun(trx, id, { status: 'failed', error: interruptedError }));
    } finally {
      await release();
    }
  }
}

export async function impactRunWithResult(db: Db, id: string): Promise<{ run: ImpactRun; result: ReportTable | null } | null> {
  const found = await findImpactRun(db, id);
  if (found?.run.status !== 'running') return found;
  await failInterrupted(db, [id]);
  return findImpactRun(db, id);
}

export async function recentImpactRuns(db: Db, limit: number): Promise<ImpactRun[]> {
  await failInterrupted(db, await runningImpactRunIds(db, runningCheckedMax));
  return listImpactRuns(db, limit);
}
