import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fundStatement } from './fund-statement.ts';
import { honorariumReport } from './honorarium.ts';
import { indicatorPeriods, indicatorReport } from './indicator-report.ts';
import { reserveReport } from './reserves.ts';
import type { ReportTable } from '../shared/table.ts';
import type { ReportRun, StoredReportKind } from './model.ts';
import { findReportRun, insertReportRun } from './store.ts';

// The month's reports, produced once a month is over and kept: the
// honorarium of the month, the reserves as of its last day, the fund
// statement of the month, and the performance indicators of the month and
// the year to its end, for the fund and by province. Producing a month
// again answers the stored runs.
export async function produceMonthlyReports(db: Db, month: string, actor: Actor): Promise<{ month: string; runs: ReportRun[] }> {
  const monthEnd = lastDayOfMonth(month);
  const periods = indicatorPeriods({ month });
  const wanted: { kind: StoredReportKind; parameters: Record<string, string>; produce: () => Promise<ReportTable> }[] = [
    { kind: 'honorarium', parameters: { period: month }, produce: () => honorariumReport(db, month, {}) },
    { kind: 'reserves', parameters: { asOf: monthEnd }, produce: () => reserveReport(db, monthEnd, {}) },
    {
      kind: 'fund-statement',
      parameters: { from: `${month}-01`, to: monthEnd },
      produce: () => fundStatement(db, `${month}-01`, monthEnd),
    },
    { kind: 'indicators', parameters: { month }, produce: () => indicatorReport(db, periods, 'fund', {}) },
    {
      kind: 'indicators',
      parameters: { month, by: 'province' },
      produce: () => indicatorReport(db, periods, 'province', {}),
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
  const stored = await findReportRun(db, kind, parameters);
  if (stored !== null) return stored;
  const table = await produce();
  const inserted = await insertReportRun(db, { kind, parameters, table, producedBy: actor.actor });
  if (inserted !== null) return inserted;
  // Another process kept it meanwhile: its run is the one.
  const raced = await findReportRun(db, kind, parameters);
  if (raced === null) throw new Error(`report run ${kind} ${JSON.stringify(parameters)} neither inserted nor found`);
  return raced;
}
