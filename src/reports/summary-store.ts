import type { Db } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import type { ReportScope } from '../shared/table.ts';

export interface EnrolmentCount {
  readonly status: string;
  readonly scheme: string;
  readonly provinceCode: string;
  readonly provinceName: string;
  readonly enrolments: number;
}

// Enrolments by status, scheme and province: one pass over the enrolments,
// within the caller's scope.
export async function enrolmentCounts(db: Db, scope: ReportScope): Promise<EnrolmentCount[]> {
  const result = await db.raw<{
    rows: { status: string; scheme: string; province_code: string; province_name: string; enrolments: string }[];
  }>(
    `select e.status, e.rule_scheme as scheme, p.code as province_code, p.name as province_name, count(*) as enrolments
     from enrolments e
     join lpas l on l.id = e.lpa_id
     join regencies r on r.code = l.regency_code
     join provinces p on p.code = r.province_code
     where (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     group by 1, 2, 3, 4 order by 3, 2, 1`,
    [scope.regencyCode ?? null, scope.regencyCode ?? null, scope.lpaId ?? null, scope.lpaId ?? null],
  );
  return result.rows.map((row) => ({
    status: row.status,
    scheme: row.scheme,
    provinceCode: row.province_code,
    provinceName: row.province_name,
    enrolments: Number(row.enrolments),
  }));
}

export async function claimCountsByStatus(db: Db, scope: ReportScope): Promise<Map<string, number>> {
  const result = await db.raw<{ rows: { status: string; claims: string }[] }>(
    `select c.status, count(*) as claims
     from claims c join lpas l on l.id = c.lpa_id
     where (?::text is null or l.regency_code = ?::text) and (?::uuid is null or l.id = ?::uuid)
     group by 1 order by 1`,
    [scope.regencyCode ?? null, scope.regencyCode ?? null, scope.lpaId ?? null, scope.lpaId ?? null],
  );
  return new Map(result.rows.map((row) => [row.status, Number(row.claims)]));
}

// The fund's accounts as they stand now, from the totals each account keeps
// as it is posted to: no posting is read.
export async function fundBalancesNow(db: Db): Promise<Map<string, string>> {
  const codes = [
    chart.cashAtBank,
    chart.subsidyReceivable,
    chart.contributionsReceivable,
    chart.claimsPayable,
    chart.ibnrReserve,
    chart.unearnedPremiumReserve,
  ].map((account) => account.code);
  const result = await db.raw<{ rows: { code: string; balance: string }[] }>(
    `select a.code, sum(a.debits_posted - a.credits_posted) as balance
     from ledger_accounts a where a.owner_kind = 'fund' and a.code = any (?::text[])
     group by 1`,
    [codes],
  );
  return new Map(result.rows.map((row) => [row.code, row.balance]));
}
