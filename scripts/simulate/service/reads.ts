import type { Db } from '../../../src/db/knex.ts';
import type { Sim } from '../context.ts';

// What the service shows: over the API where one answers, and read-only SQL
// where reading every member's dues through the API each month would take
// the run's time (the API is still asked for a sample at every check).

export interface ShownDue {
  readonly period: string;
  readonly coverageYear: number;
  readonly monthOfCover: number;
  readonly premium: string;
  readonly subsidyShare: string;
  readonly ownShare: string;
  readonly ownPaid: string;
  readonly version: string;
  // The day of the ledger entry that booked it (not shown by the API).
  readonly entryDate: string | null;
}

export interface ShownEnrolment {
  readonly participantId: string;
  readonly status: string;
  readonly lapsedOn: string | null;
}

export async function duesByParticipant(db: Db): Promise<Map<string, ShownDue[]>> {
  const result = await db.raw<{
    rows: {
      participant_id: string;
      period: string;
      coverage_year: number;
      month_of_cover: number;
      premium: string;
      subsidy_share: string;
      own_share: string;
      own_paid: string;
      rule_version: string;
      entry_date: string;
    }[];
  }>(
    `select e.participant_id, to_char(d.period, 'YYYY-MM') as period, d.coverage_year, d.month_of_cover, d.premium,
            d.subsidy_share, d.own_share, d.own_paid, d.rule_version, j.entry_date
       from premium_dues d
       join enrolments e on e.id = d.enrolment_id
       left join journal_entries j on j.id = d.entry_id
      order by e.participant_id, d.period`,
  );
  const byParticipant = new Map<string, ShownDue[]>();
  for (const row of result.rows) {
    const due: ShownDue = {
      period: row.period,
      coverageYear: row.coverage_year,
      monthOfCover: row.month_of_cover,
      premium: row.premium,
      subsidyShare: row.subsidy_share,
      ownShare: row.own_share,
      ownPaid: row.own_paid,
      version: row.rule_version,
      entryDate: row.entry_date,
    };
    const list = byParticipant.get(row.participant_id);
    if (list === undefined) byParticipant.set(row.participant_id, [due]);
    else list.push(due);
  }
  return byParticipant;
}

export async function duesShownByApi(sim: Sim, participantId: string): Promise<ShownDue[] | null> {
  const reply = await sim.api.get(sim.keys.directorate, `/v1/participants/${participantId}/dues`);
  if (reply.status !== 200) return null;
  return (
    reply.body as {
      dues: {
        period: string;
        coverageYear: number;
        monthOfCover: number;
        premium: string;
        subsidyShare: string;
        ownShare: string;
        ownPaid: string;
        rule: { version: string };
      }[];
    }
  ).dues.map((due) => ({ ...due, version: due.rule.version, entryDate: null }));
}

export async function enrolmentsShown(db: Db): Promise<Map<string, ShownEnrolment[]>> {
  const rows = await db('enrolments')
    .orderBy([{ column: 'participant_id' }, { column: 'enrolled_on' }])
    .select<{ participant_id: string; status: string; lapsed_on: string | null }[]>('participant_id', 'status', 'lapsed_on');
  const byParticipant = new Map<string, ShownEnrolment[]>();
  for (const row of rows) {
    const enrolment = { participantId: row.participant_id, status: row.status, lapsedOn: row.lapsed_on };
    byParticipant.set(row.participant_id, [...(byParticipant.get(row.participant_id) ?? []), enrolment]);
  }
  return byParticipant;
}

// Journal entries per business reference: a claim's reserve and payment, each once.
export async function entriesByReference(db: Db, referenceType: string): Promise<Map<string, number>> {
  const rows = await db('journal_entries')
    .where({ reference_type: referenceType })
    .groupBy('reference_id')
    .select<{ reference_id: string; entries: string }[]>('reference_id', db.raw('count(*) as entries'));
  return new Map(rows.map((row) => [row.reference_id, Number(row.entries)]));
}

export interface TrialBalance {
  readonly debits: string;
  readonly credits: string;
  readonly balances: ReadonlyMap<string, string>;
}

export async function trialBalanceShown(sim: Sim): Promise<TrialBalance | null> {
  const reply = await sim.api.get(sim.keys.finance, '/v1/ledger/trial-balance');
  if (reply.status !== 200) return null;
  const body = reply.body as { lines: { code: string; balance: string }[]; totals: { debits: string; credits: string } };
  return {
    debits: body.totals.debits,
    credits: body.totals.credits,
    balances: new Map(body.lines.map((line) => [line.code, line.balance])),
  };
}

export async function reservesShown(sim: Sim): Promise<{ caseReserves: string; referred: string } | null> {
  const reply = await sim.api.get(sim.keys.finance, `/v1/reports/reserves?asOf=${sim.today}&format=json`);
  if (reply.status !== 200) return null;
  const rows = (reply.body as { rows: { section: string; key: string; amount: string | null }[] }).rows;
  const fund = (key: string) => rows.find((row) => row.section === 'fund' && row.key === key)?.amount ?? 'none';
  return { caseReserves: fund('2100'), referred: fund('referred') };
}

export interface ShownClaim {
  readonly id: string;
  readonly status: string;
  readonly amount: string | null;
  readonly acceptedOn: string | null;
  readonly paidOn: string | null;
  readonly paymentDueOn: string | null;
}

export async function claimsShown(sim: Sim): Promise<Map<string, ShownClaim>> {
  const claims = new Map<string, ShownClaim>();
  let after = '';
  for (;;) {
    const reply = await sim.api.get(sim.keys.directorate, `/v1/claims?limit=200${after === '' ? '' : `&after=${after}`}`);
    const page = (reply.body as { claims?: ShownClaim[] }).claims ?? [];
    for (const claim of page) claims.set(claim.id, claim);
    if (page.length < 200) return claims;
    after = page[page.length - 1]?.id ?? '';
  }
}
