import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import type { ProgressReport, ProgressReportInput } from './model.ts';
import { insertProgressReport, listProgressReportRows, type ProgressReportRow } from './store.ts';

// An LPA's progress report for a finished month (laporan perkembangan): the
// figures are the system's (GET /v1/reports/lpa-progress); the LPA adds
// what it did (mentoring, card hand-outs, problems met) and files it. When
// it files is what the lpa rules weigh.

const toProgressReport = (row: ProgressReportRow): ProgressReport => ({
  lpaId: row.lpa_id,
  period: row.period.slice(0, 7),
  submittedOn: row.submitted_on,
  notes: row.notes,
  submittedBy: row.submitted_by,
});

export async function fileProgressReport(
  db: Db,
  request: { lpaId: string; input: ProgressReportInput; today: string },
  actor: Actor,
): Promise<ProgressReport> {
  const { lpaId, input, today } = request;
  if (input.period >= today.slice(0, 7))
    throw new UnprocessableError(
      'month_not_finished',
      `body.period: ${input.period} is not finished yet; report on it from the next month.`,
    );
  return withTransaction(db, async (trx) => {
    const row = await insertProgressReport(trx, {
      lpaId,
      periodStart: `${input.period}-01`,
      submittedOn: today,
      notes: input.notes,
      submittedBy: actor.actor,
    });
    if (row === undefined)
      throw new ConflictError('progress-report-filed', `The progress report for ${input.period} is already filed.`);
    await recordAudit(trx, actor, {
      action: 'lpa.progress-report.file',
      entityType: 'lpa',
      entityId: lpaId,
      detail: { period: input.period },
    });
    return toProgressReport(row);
  });
}

export async function listProgressReports(db: Db, lpaId: string): Promise<ProgressReport[]> {
  return (await listProgressReportRows(db, lpaId)).map(toProgressReport);
}
