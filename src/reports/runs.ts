import { z } from 'zod';
import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fundStatement } from './fund-statement.ts';
import { honorariumReport } from './honorarium.ts';
import { reserveReport } from './reserves.ts';
import type { ReportTable } from '../shared/table.ts';

export const storedReportKinds = ['honorarium', 'reserves', 'fund-statement'] as const;
export type StoredReportKind = (typeof storedReportKinds)[number];

export const reportRunSchema = z.object({
  id: z.uuid(),
  kind: z.enum(storedReportKinds),
  parameters: z.record(z.string(), z.string()),
  title: z.string(),
  producedBy: z.string(),
  producedAt: z.iso.datetime(),
});
export type ReportRun = z.infer<typeof reportRunSchema>;

// The month's reports, produced once a month is over and kept: the
// honorarium of the month, the reserves as of its last day, and the fund
// statement of the month. Producing a month again answers the stored runs.
export async function produceMonthlyReports(db: Db, month: string, actor: Actor): Promise<{ month: string; runs: ReportRun[] }> {
  const monthEnd = lastDayOfMonth(month);
  const wanted: { kind: StoredReportKind; parameters: Record<string, string>; produce: () => Promise<ReportTable> }[] = [
    { kind: 'honorarium', parameters: { period: month }, produce: () => honorariumReport(db, month, {}) },
    { kind: 'reserves', parameters: { asOf: monthEnd }, produce: () => reserveReport(db, monthEnd, {}) },
    {
      kind: 'fund-statement',
      parameters: { from: `${month}-01`, to: monthEnd },
      produce: () => fundStatement(db, `${month}-01`, monthEnd),
    },
  ];
  const runs = [];
  for (const report of wanted) runs.push(await storeReport(db, report.kind, report.parameters, report.produce, actor));
  return { month, runs };
}

async function storeReport(
  db: Db,
  kind: StoredReportKind,
  parameters: Record<string, string>,
  produce: () => Promise<ReportTable>,
  actor: Actor,
): Promise<ReportRun> {
  const find = () =>
    db('report_runs')
      .where({ kind })
      .whereRaw('parameters = ?::jsonb', [JSON.stringify(parameters)])
      .first<RunRow | undefined>(runColumns);
  const stored = await find();
  if (stored !== undefined) return toRun(stored);
  const table = await produce();
  const [row] = await db('report_runs')
    .insert({
      kind,
      parameters: JSON.stringify(parameters),
      title: table.title,
      report: JSON.stringify(table),
      produced_by: actor.actor,
    })
    .onConflict(['kind', 'parameters'])
    .ignore()
    .returning<RunRow[]>(runColumns);
  if (row !== undefined) return toRun(row);
  // Another process kept it meanwhile: its run is the one.
  const raced = await find();
  if (raced === undefined) throw new Error(`report run ${kind} ${JSON.stringify(parameters)} neither inserted nor found`);
  return toRun(raced);
}

export async function listReportRuns(db: Db, filter: { kind?: StoredReportKind; limit: number }): Promise<ReportRun[]> {
  const rows = await db('report_runs')
    .modify((query) => {
      if (filter.kind !== undefined) query.where({ kind: filter.kind });
    })
    .orderBy([
      { column: 'produced_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(filter.limit)
    .select<RunRow[]>(runColumns);
  return rows.map(toRun);
}

export async function storedReport(db: Db, id: string): Promise<{ run: ReportRun; table: ReportTable } | null> {
  const row = await db('report_runs')
    .where({ id })
    .first<(RunRow & { report: ReportTable }) | undefined>(...runColumns, 'report');
  return row === undefined ? null : { run: toRun(row), table: row.report };
}

interface RunRow {
  id: string;
  kind: StoredReportKind;
  parameters: Record<string, string>;
  title: string;
  produced_by: string;
  produced_at: Date;
}

const runColumns = ['id', 'kind', 'parameters', 'title', 'produced_by', 'produced_at'] as const;

function toRun(row: RunRow): ReportRun {
  return {
    id: row.id,
    kind: row.kind,
    parameters: row.parameters,
    title: row.title,
    producedBy: row.produced_by,
    producedAt: row.produced_at.toISOString(),
  };
}
