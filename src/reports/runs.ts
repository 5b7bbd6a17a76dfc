import type { Actor } from '../access/principal.ts';
import type { Db } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { fundStatement } from './fund-statement.ts';
import { honorariumReport } from './honorarium.ts';
import type { IndicatorGrouping } from './indicator-groups.ts';
import { indicatorPeriods, indicatorReports } from './indicator-report.ts';
import { reserveReport } from './reserves.ts';
import type { ReportRow, ReportScope, ReportTable } from '../shared/table.ts';
import type { ReportRun, StoredReportKind } from './model.ts';
import { findReportRun, findReportRunRows, insertReportRun } from './store.ts';

// The month's reports, produced once a month is over and kept: the
// honorarium of the month, the reserves as of its last day, the fund
// statement of the month, and the performance indicators of the month and
// the year to its end, for the fund and by province, regency and LPA (the
// console's glance page reads a person's own row of these). Producing a
// month again answers the stored runs.
export async function produceMonthlyReports(db: Db, month: string, actor: Actor): Promise<{ month: string; runs: ReportRun[] }> {
  const monthEnd = lastDayOfMonth(month);
  const periods = indicatorPeriods({ month });
  // Read once for every grouping, and only when one of them is not kept yet.
  let indicatorTables: Promise<ReportTable[]> | undefined;
  const indicators = async (by: (typeof indicatorGroupingsKept)[number]) => {
    indicatorTables ??= indicatorReports(db, periods, indicatorGroupingsKept, {});
    const table = (await indicatorTables)[indicatorGroupingsKept.indexOf(by)];
    if (table === undefined) throw new Error(`indicators by ${by} are not among those kept`);
    return table;
  };
  const wanted: { kind: StoredReportKind; parameters: Record<string, string>; produce: () => Promise<ReportTable> }[] = [
    { kind: 'honorarium', parameters: { period: month }, produce: () => honorariumReport(db, month, {}) },
    { kind: 'reserves', parameters: { asOf: monthEnd }, produce: () => reserveReport(db, monthEnd, {}) },
    {
      kind: 'fund-statement',
      parameters: { from: `${month}-01`, to: monthEnd },
      produce: () => fundStatement(db, `${month}-01`, monthEnd),
    },
    ...indicatorGroupingsKept.map((by) => ({
      kind: 'indicators' as const,
      parameters: indicatorRunParameters(month, by),
      produce: () => indicators(by),
    })),
  ];
  const runs = [];
  for (const report of wanted) runs.push(await storeReport(db, report.kind, report.parameters, report.produce, actor));
  return { month, runs };
}

export const indicatorGroupingsKept = ['fund', 'province', 'regency', 'lpa'] as const satisfies readonly IndicatorGrouping[];

// The fund's row is kept without a `by`, as GET /v1/reports/indicators?month= answers it.
export function indicatorRunParameters(month: string, by: IndicatorGrouping): Record<string, string> {
  return by === 'fund' ? { month } : { month, by };
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

// The month's indicators as the monthly job kept them, for one scope: the
// fund's rows for a national role, the regency's rows of the by-regency run
// for a dinsos officer, the LPA's rows of the by-LPA run for an LPA. Null
// when the month is not kept yet. Read where people wait (the console's
// glance page), since producing them at national scale takes seconds.
export async function keptIndicators(
  db: Db,
  month: string,
  scope: ReportScope,
): Promise<{ readonly run: ReportRun; readonly rows: readonly ReportRow[] } | null> {
  const [by, code] =
    scope.lpaId !== undefined
      ? (['lpa', scope.lpaId] as const)
      : scope.regencyCode !== undefined
        ? (['regency', scope.regencyCode] as const)
        : (['fund', ''] as const);
  return findReportRunRows(db, 'indicators', indicatorRunParameters(month, by), code);
}
