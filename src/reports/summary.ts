import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { amount, fromNumeric, toAmountString } from '../money/index.ts';
import type { ReportScope } from '../shared/table.ts';
import { claimCountsByStatus, enrolmentCounts, fundBalancesNow } from './summary-store.ts';

export interface FundSummary {
  readonly enrolments: {
    readonly byStatus: Readonly<Record<string, number>>;
    readonly byScheme: readonly { readonly scheme: string; readonly status: string; readonly enrolments: number }[];
    readonly byProvince: readonly {
      readonly code: string;
      readonly name: string;
      readonly status: string;
      readonly enrolments: number;
    }[];
  };
  readonly claims: { readonly byStatus: Readonly<Record<string, number>> };
  // The fund's money now; null for a key that sees one regency or one LPA.
  readonly money: {
    readonly cash: string;
    readonly subsidyReceivable: string;
    readonly contributionsReceivable: string;
    readonly caseReserves: string;
    readonly ibnr: string;
    readonly unearnedPremium: string;
  } | null;
}

// The fund at a glance, for the console's first page: counts grouped in the
// database and balances the ledger keeps, so it answers at once at any size.
export async function fundSummary(db: Db, scope: ReportScope, withMoney: boolean): Promise<FundSummary> {
  const counts = await enrolmentCounts(db, scope);
  const add = <K extends string>(
    into: Map<string, { key: Record<K, string>; enrolments: number }>,
    key: Record<K, string>,
    enrolments: number,
  ) => {
    const id = JSON.stringify(key);
    const known = into.get(id);
    if (known === undefined) into.set(id, { key, enrolments });
    else known.enrolments += enrolments;
  };
  const byStatus: Record<string, number> = {};
  const byScheme = new Map<string, { key: Record<'scheme' | 'status', string>; enrolments: number }>();
  const byProvince = new Map<string, { key: Record<'code' | 'name' | 'status', string>; enrolments: number }>();
  for (const count of counts) {
    byStatus[count.status] = (byStatus[count.status] ?? 0) + count.enrolments;
    add(byScheme, { scheme: count.scheme, status: count.status }, count.enrolments);
    add(byProvince, { code: count.provinceCode, name: count.provinceName, status: count.status }, count.enrolments);
  }
  const balances = withMoney ? await fundBalancesNow(db) : null;
  // Assets are debit balances; liabilities credit ones, read as positive amounts.
  const asset = (code: string) => toAmountString(fromNumeric(balances?.get(code) ?? '0'));
  // Adding zero turns a negated zero (−0) into 0.
  const liability = (code: string) =>
    toAmountString(
      fromNumeric(balances?.get(code) ?? '0')
        .negated()
        .plus(amount('0')),
    );
  return {
    enrolments: {
      byStatus,
      byScheme: [...byScheme.values()].map(({ key, enrolments }) => ({ ...key, enrolments })),
      byProvince: [...byProvince.values()].map(({ key, enrolments }) => ({ ...key, enrolments })),
    },
    claims: { byStatus: Object.fromEntries(await claimCountsByStatus(db, scope)) },
    money:
      balances === null
        ? null
        : {
            cash: asset(chart.cashAtBank.code),
            subsidyReceivable: asset(chart.subsidyReceivable.code),
            contributionsReceivable: asset(chart.contributionsReceivable.code),
            caseReserves: liability(chart.claimsPayable.code),
            ibnr: liability(chart.ibnrReserve.code),
            unearnedPremium: liability(chart.unearnedPremiumReserve.code),
          },
  };
}
