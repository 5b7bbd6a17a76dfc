import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { postLastEntries } from '../ledger/post.ts';
import { firstOpenDay, fundAccountId } from '../ledger/store.ts';
import { amount, type Amount, fromNumeric, roundAmount, toAmountString } from '../money/index.ts';
import { decide, RuleNotInForceError, UnknownSchemeError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { factsOf, lpaFactsOn } from './facts.ts';
import type { StrengtheningDecisionRecord, StrengtheningReason } from './model.ts';
import { lpaPayableAccounts, payableEntries } from './payable.ts';
import {
  insertStrengtheningDecisions,
  listCohortsEnteringYear,
  listStrengtheningRows,
  lockMonthlyRun,
  strengtheningDecided,
  strengtheningTotals,
} from './store.ts';

// LPA strengthening (penguatan LPA): a grant for each member entering a
// coverage year the lpa rules name (the standalone scheme's year 2), which
// the rules may hold back for what they know of the LPA (accreditation,
// cards delivered, claims paid late, progress reports). Every reason to
// hold it back is kept, so an LPA is told all it must fix, not the first.

export interface StrengtheningDecision {
  readonly version: string;
  readonly hash: string;
  readonly granted: boolean;
  readonly amount: Amount;
  readonly reasons: readonly StrengtheningReason[];
}

// Pure: what the lpa rules in force on the date decide for an LPA's members
// entering a coverage year; null when they say nothing of strengthening.
export function decideStrengthening(
  book: RuleBook,
  request: { scheme: string; date: string; participants: number; facts: Readonly<Record<string, unknown>> },
): StrengtheningDecision | null {
  let decision;
  try {
    decision = decide(book, { scheme: request.scheme, area: 'lpa', date: request.date, facts: request.facts });
  } catch (error) {
    if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return null;
    throw error;
  }
  const grants = decision.events.filter((event) => event.type === 'strengthening');
  const withheld = decision.events.filter((event) => event.type === 'strengthening-withheld');
  if (grants.length === 0 && withheld.length === 0) return null;
  const { rounding } = versionInForce(book, request.scheme, request.date).manifest;
  const perParticipant = grants.reduce(
    (sum, event) => sum.plus(fromNumeric(String(event.params.amountPerParticipant))),
    amount('0'),
  );
  const due = roundAmount(perParticipant.times(request.participants), rounding.mode, rounding.decimalPlaces);
  const reasons: StrengtheningReason[] = withheld.map((event) => ({
    reason: String(event.params.reason),
    explanation: String(event.params.explanation),
  }));
  if (reasons.length === 0 && due.isZero())
    reasons.push({ reason: 'nothing_to_grant', explanation: 'The rules that apply grant nothing for these members.' });
  const granted = reasons.length === 0;
  return { version: decision.version, hash: decision.hash, granted, amount: granted ? due : amount('0'), reasons };
}

export interface StrengtheningSummary {
  readonly period: string;
  readonly decisions: number;
  readonly granted: number;
  readonly withheld: number;
  readonly amount: string;
}

// Decides and books the strengthening grants of a month (YYYY-MM) for the
// members whose coverage year begins in it, by their premium dues: each
// grant is the LPA's payable (2400) against strengthening expense (5300),
// one entry per rule version. Once per month: a month already decided
// answers what it decided.
export async function bookStrengthening(db: Db, book: RuleBook, period: string, actor: Actor): Promise<StrengtheningSummary> {
  const periodStart = `${period}-01`;
  return withTransaction(db, async (trx) => {
    await lockMonthlyRun(trx, `askesos.lpa-strengthening:${period}`);
    if (await strengtheningDecided(trx, periodStart)) return decidedSummary(trx, period);
    const cohorts = await listCohortsEnteringYear(trx, periodStart);
    const facts = await lpaFactsOn(trx, periodStart);
    const decided = cohorts.flatMap((row) => {
      const given = { coverageYear: row.coverage_year, ...factsOf(facts, row.lpa_id) };
      const decision = decideStrengthening(book, {
        scheme: row.rule_scheme,
        date: periodStart,
        participants: Number(row.participants),
        facts: given,
      });
      return decision === null ? [] : [{ row, facts: given, decision }];
    });
    const grants = decided.filter(({ decision }) => decision.granted);
    const entryDate = await firstOpenDay(trx, periodStart);
    const payableOf = await lpaPayableAccounts(
      trx,
      grants.map(({ row }) => row.lpa_id),
      actor,
    );
    const expense = await fundAccountId(trx, chart.strengtheningGrants.code);
    const entryOf = new Map<string, string>();
    const entries = [];
    for (const version of new Set(grants.map(({ row, decision }) => `${row.rule_scheme}@${decision.version}`))) {
      const items = grants.filter(({ row, decision }) => `${row.rule_scheme}@${decision.version}` === version);
      const [first] = items;
      if (first === undefined) continue;
      const scheme = first.row.rule_scheme;
      const { version: name, hash } = first.decision;
      const perLpa = new Map<string, Amount>();
      for (const { row, decision } of items)
        perLpa.set(row.lpa_id, (perLpa.get(row.lpa_id) ?? amount('0')).plus(decision.amount));
      const booked = payableEntries({
        referenceType: 'lpa-strengthening',
        label: 'LPA strengthening grants',
        period,
        entryDate,
        rule: { scheme, version: name, hash },
        perLpa,
        expenseAccountId: expense,
        payableOf,
        actor,
      });
      entries.push(...booked.entries);
      for (const [lpaId, entryId] of booked.entryOf) entryOf.set(`${scheme}:${lpaId}`, entryId);
    }
    await insertStrengtheningDecisions(
      trx,
      decided.map(({ row, facts: given, decision }) => ({
        period: periodStart,
        lpa_id: row.lpa_id,
        rule_scheme: row.rule_scheme,
        coverage_year: row.coverage_year,
        participants: Number(row.participants),
        facts: JSON.stringify(given),
        granted: decision.granted,
        amount: toAmountString(decision.amount),
        reasons: JSON.stringify(decision.reasons),
        rule_version: decision.version,
        rule_hash: decision.hash,
        entry_id: decision.granted ? (entryOf.get(`${row.rule_scheme}:${row.lpa_id}`) ?? null) : null,
      })),
    );
    await postLastEntries(trx, entries);
    await recordAudit(trx, actor, {
      action: 'lpa.strengthening.book',
      entityType: 'job',
      entityId: `lpa-strengthening:${period}`,
      detail: { entries: entries.length, decisions: decided.length },
    });
    return decidedSummary(trx, period);
  });
}

async function decidedSummary(db: Db, period: string): Promise<StrengtheningSummary> {
  const row = await strengtheningTotals(db, `${period}-01`);
  const decisions = Number(row?.decisions ?? 0);
  const granted = Number(row?.granted ?? 0);
  return { period, decisions, granted, withheld: decisions - granted, amount: toAmountString(fromNumeric(row?.amount ?? '0')) };
}

export async function listStrengthening(db: Db, lpaId: string): Promise<StrengtheningDecisionRecord[]> {
  const rows = await listStrengtheningRows(db, lpaId);
  return rows.map((row) => ({
    period: row.period.slice(0, 7),
    scheme: row.rule_scheme,
    coverageYear: row.coverage_year,
    participants: row.participants,
    granted: row.granted,
    amount: toAmountString(fromNumeric(row.amount)),
    reasons: row.reasons,
    facts: row.facts,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    entryId: row.entry_id,
  }));
}
