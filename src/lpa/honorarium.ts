import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import { postLastEntries } from '../ledger/post.ts';
import { firstOpenDay, fundAccountId } from '../ledger/store.ts';
import {
  allocate,
  amount,
  type Amount,
  fromNumeric,
  roundAmount,
  type RoundingMode,
  toAmountString,
  toDecimalString,
} from '../money/index.ts';
import { decide, RuleNotInForceError, UnknownSchemeError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { factsOf, lpaFactsOn } from './facts.ts';
import { lpaPayableAccounts, payableEntries } from './payable.ts';
import {
  countHonorariumLpas,
  honorariaBooked,
  insertHonoraria,
  listChannelledSubsidy,
  listHonorariumTotals,
  lockMonthlyRun,
} from './store.ts';

// The LPA honorarium (honor LPA): a share of the premium assistance each LPA
// channels, at the rate the lpa rules in force for the month set. A month's
// dues are decided on its first day, so is the honorarium that is a share
// of them: a rate that changes on a version's date applies from the first
// month that begins under it.

export interface Channelled {
  readonly lpaId: string;
  readonly participants: number;
  readonly subsidy: Amount;
}

// Pure: the honorarium of a group of LPAs paid at one rate. The total is
// the rate applied to all they channelled, rounded once as the rules say;
// each LPA's part is its share of that total by what it channelled, split
// so the parts add up to the total to the rupiah.
export function shareHonorarium(
  rate: Amount,
  channelled: readonly Channelled[],
  rounding: { mode: RoundingMode; decimalPlaces: number },
): { total: Amount; parts: Amount[] } {
  const subsidy = channelled.reduce((sum, lpa) => sum.plus(lpa.subsidy), amount('0'));
  const total = roundAmount(subsidy.times(rate), rounding.mode, rounding.decimalPlaces);
  if (total.isZero()) return { total, parts: channelled.map(() => amount('0')) };
  return {
    total,
    parts: allocate(
      total,
      channelled.map((lpa) => lpa.subsidy),
      rounding.decimalPlaces,
    ),
  };
}

export interface HonorariumSummary {
  readonly period: string;
  readonly lpas: number;
  readonly subsidy: string;
  readonly honorarium: string;
  readonly byRules: readonly { scheme: string; version: string; coverageYear: number; rate: string; honorarium: string }[];
}

interface Group {
  readonly scheme: string;
  readonly coverageYear: number;
  readonly rate: string;
  readonly version: string;
  readonly hash: string;
  readonly channelled: Channelled[];
}

// Books the honorarium of a month (YYYY-MM) from its premium dues: each LPA's
// honorarium payable (2400) against honorarium expense (5200), one entry per
// rule version. Once per month: a month already booked answers what it booked.
export async function bookHonoraria(db: Db, book: RuleBook, period: string, actor: Actor): Promise<HonorariumSummary> {
  const periodStart = `${period}-01`;
  return withTransaction(db, async (trx) => {
    await lockMonthlyRun(trx, `askesos.lpa-honorarium:${period}`);
    if (await honorariaBooked(trx, periodStart)) return bookedSummary(trx, period);
    const rows = await listChannelledSubsidy(trx, periodStart);
    // The rules may weigh what they know of the LPA, so each LPA is decided;
    // LPAs the rules give one rate share its rounding.
    const facts = await lpaFactsOn(trx, periodStart);
    const groups = new Map<string, Group>();
    let withoutHonorarium = amount('0');
    for (const row of rows) {
      const channelled = { lpaId: row.lpa_id, participants: Number(row.participants), subsidy: fromNumeric(row.subsidy) };
      const rate = honorariumRate(book, row.rule_scheme, periodStart, {
        coverageYear: row.coverage_year,
        ...factsOf(facts, row.lpa_id),
      });
      if (rate === null) {
        withoutHonorarium = withoutHonorarium.plus(channelled.subsidy);
        continue;
      }
      const key = `${row.rule_scheme}:${row.coverage_year}:${rate.version}:${rate.rate}`;
      const group = groups.get(key) ?? { scheme: row.rule_scheme, coverageYear: row.coverage_year, ...rate, channelled: [] };
      group.channelled.push(channelled);
      groups.set(key, group);
    }
    const decided = [...groups.values()].map((group) => {
      const { rounding } = versionInForce(book, group.scheme, periodStart).manifest;
      return { group, ...shareHonorarium(fromNumeric(group.rate), group.channelled, rounding) };
    });
    // Dated like the dues it is a share of: known, and owed, from the month's first day.
    const entryDate = await firstOpenDay(trx, periodStart);
    const payableOf = await lpaPayableAccounts(
      trx,
      decided.flatMap(({ group }) => group.channelled.map((lpa) => lpa.lpaId)),
      actor,
    );
    const expense = await fundAccountId(trx, chart.honorariumExpense.code);
    const byVersion = new Map<string, typeof decided>();
    for (const item of decided) {
      const key = `${item.group.scheme}@${item.group.version}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), item]);
    }
    const entries = [];
    for (const items of byVersion.values()) {
      const [first] = items;
      if (first === undefined) continue;
      const { scheme, version, hash } = first.group;
      const perLpa = new Map<string, Amount>();
      for (const item of items)
        item.group.channelled.forEach((lpa, index) =>
          perLpa.set(lpa.lpaId, (perLpa.get(lpa.lpaId) ?? amount('0')).plus(item.parts[index] ?? amount('0'))),
        );
      const booked = payableEntries({
        referenceType: 'lpa-honorarium',
        label: 'LPA honorarium',
        period,
        entryDate,
        rule: { scheme, version, hash },
        perLpa,
        expenseAccountId: expense,
        payableOf,
        actor,
      });
      if (booked.entries.length === 0) continue;
      entries.push(...booked.entries);
      // An LPA whose share rounded to nothing has no posting: its row names the version's first entry.
      const [firstEntry] = booked.entryOf.values();
      await insertHonoraria(
        trx,
        items.flatMap((item) =>
          item.group.channelled.map((lpa, index) => ({
            period: periodStart,
            rule_scheme: item.group.scheme,
            coverage_year: item.group.coverageYear,
            lpa_id: lpa.lpaId,
            participants: lpa.participants,
            subsidy: toAmountString(lpa.subsidy),
            rate: item.group.rate,
            honorarium: toAmountString(item.parts[index] ?? amount('0')),
            rule_version: item.group.version,
            rule_hash: item.group.hash,
            entry_id: booked.entryOf.get(lpa.lpaId) ?? firstEntry,
          })),
        ),
      );
    }
    await postLastEntries(trx, entries);
    await recordAudit(trx, actor, {
      action: 'lpa.honorarium.book',
      entityType: 'job',
      entityId: `lpa-honorarium:${period}`,
      // Premium assistance channelled under rules that set no honorarium: kept here, as the month has no row for it.
      detail: { entries: entries.length, withoutHonorarium: toAmountString(withoutHonorarium) },
    });
    return bookedSummary(trx, period);
  });
}

// The rate of the honorarium the lpa rules in force on the month's first day
// set for an LPA's members of a coverage year, with the version; null when
// they set none.
export function honorariumRate(
  book: RuleBook,
  scheme: string,
  periodStart: string,
  facts: Readonly<Record<string, unknown>>,
): { rate: string; version: string; hash: string } | null {
  try {
    const decision = decide(book, { scheme, area: 'lpa', date: periodStart, facts });
    const event = decision.events.find((candidate) => candidate.type === 'honorarium');
    return event === undefined ? null : { rate: String(event.params.rate), version: decision.version, hash: decision.hash };
  } catch (error) {
    if (error instanceof RuleNotInForceError || error instanceof UnknownSchemeError) return null;
    throw error;
  }
}

async function bookedSummary(db: Db, period: string): Promise<HonorariumSummary> {
  const rows = await listHonorariumTotals(db, `${period}-01`);
  const lpas = await countHonorariumLpas(db, `${period}-01`);
  const total = (name: 'honorarium' | 'subsidy') =>
    toAmountString(rows.reduce((sum, row) => sum.plus(fromNumeric(row[name])), amount('0')));
  return {
    period,
    lpas,
    subsidy: total('subsidy'),
    honorarium: total('honorarium'),
    byRules: rows.map((row) => ({
      scheme: row.rule_scheme,
      version: row.rule_version,
      coverageYear: row.coverage_year,
      rate: toDecimalString(fromNumeric(row.rate)),
      honorarium: row.honorarium,
    })),
  };
}
