import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { chart } from '../ledger/chart.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { addDays, addMonths } from '../dates.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { postLastEntries } from '../ledger/post.ts';
import { firstOpenDay, fundAccountId } from '../ledger/store.ts';
import { allocate, amount, type Amount, fromNumeric, toAmountString } from '../money/index.ts';
import { RuleNotInForceError, schemeEndedBy, UnknownSchemeError, versionNamed } from '../rules/evaluate.ts';
import type { ReportProgress } from '../shared/progress.ts';
import type { RuleBook } from '../rules/load.ts';
import { recordAudit } from '../audit/store.ts';
import { lapseForArrears, remindOfArrears } from './arrears.ts';
import type { Bounds } from './cover.ts';
import {
  bookDuesChunk,
  coverCombinations,
  duesToEarn,
  endCoverWithScheme,
  monthsEarnedAmong,
  owedCombinations,
  recordPremiumPeriod,
} from './store.ts';
import { premiumTariff, type Tariff } from './tariff.ts';
import { insertCoverEndedNotices } from '../notices/index.ts';

export const cycleChunkRowsMax = 20_000;

export interface CycleSummary {
  readonly period: string;
  readonly booked: number;
  readonly premium: string;
  readonly subsidy: string;
  readonly own: string;
  // Of the dues booked, those for months before this one: enrolments entered
  // after their month's cycle ran, or dated back.
  readonly bookedLate: number;
  // Months of cover owed that owe nothing by their rules (the months a
  // one-time assistance already covers).
  readonly noPremiumDue: number;
  // Months of cover whose scheme has no rules in force for the month: not
  // booked, and counted so nobody misses them.
  readonly noRulesInForce: number;
  // Enrolments whose own share was unpaid past the grace their rules give:
  // lapsed on the month's first day, before its dues.
  readonly lapsedForArrears: number;
  // Participants in cover written a reminder of their unpaid own share.
  readonly remindedOfArrears: number;
  // Enrolments whose scheme has ended: cover ended the day after its last version.
  readonly endedWithScheme: number;
  // What of the premium booked was earned over the months before, recognised now.
  readonly earned: readonly { readonly period: string; readonly premium: string }[];
}

// The premium cycle of a month (YYYY-MM), for any month that has begun, run
// as often as wanted: cover in a scheme that has ended ends; cover whose own
// share is in arrears past the grace its rules give lapses, and those their
// rules remind are written a reminder; then every
// enrolment gets a due for each month it owes up to this one and has not
// been booked (the month's own, and any month before that became known
// since: an enrolment entered after its month's cycle ran, or dated back),
// each under the rules in force in its month, split by its scheme's subsidy
// rules into premium assistance and its own share. The ledger books them:
// subsidy receivable (1200) and contributions receivable (1400) against
// unearned premium (2300), one entry per rule version and month owed, dated
// in that month or the first open day after it. Chunks of enrolments commit
// one by one, each due with the entry that booked it and the month its
// enrolment is settled to, so a cycle cut off half-way resumes where it
// stopped and books nobody twice. Then what the months before earned of the
// premiums moves to premium income (4100), once per month.
export async function runPremiumCycle(
  db: Db,
  book: RuleBook,
  period: string,
  actor: Actor,
  report: ReportProgress,
  chunkRows = cycleChunkRowsMax,
): Promise<CycleSummary> {
  const month = { periodStart: `${period}-01`, periodEnd: lastDayOfMonth(period) };
  const endedWithScheme = await endCoverOfEndedSchemes(db, book, month, actor);
  const inCover = (await tariffsInCover(db, book, month)).tariffs;
  const lapsedForArrears = await lapseForArrears(db, inCover, month, actor);
  const remindedOfArrears = await remindOfArrears(db, inCover, month, actor);
  const { tariffs, owed, noPremiumDue, noRulesInForce } = await tariffsOwed(db, book, month);
  const periods = new Map<string, number>();
  for (const tariff of tariffs)
    periods.set(tariff.periodStart, Math.max(periods.get(tariff.periodStart) ?? 0, tariff.earnMonths));
  for (const [periodStart, earnMonths] of periods) await recordPremiumPeriod(db, periodStart, earnMonths);
  let booked = 0;
  let bookedLate = 0;
  let premium = amount('0');
  let subsidy = amount('0');
  let own = amount('0');
  let after = '00000000-0000-0000-0000-000000000000';
  let scanned = 0;
  await report({ done: 0, total: owed });
  for (;;) {
    const chunk = await withTransaction(db, (trx) => bookChunk(trx, book, tariffs, month, { after, chunkRows }, actor));
    booked += chunk.booked;
    bookedLate += chunk.bookedLate;
    premium = premium.plus(chunk.premium);
    subsidy = subsidy.plus(chunk.subsidy);
    own = own.plus(chunk.own);
    scanned += chunk.scanned;
    await report({ done: scanned, total: owed });
    if (chunk.lastEnrolmentId === null) break;
    after = chunk.lastEnrolmentId;
  }
  return {
    period,
    booked,
    premium: toAmountString(premium),
    subsidy: toAmountString(subsidy),
    own: toAmountString(own),
    bookedLate,
    noPremiumDue,
    noRulesInForce,
    lapsedForArrears,
    remindedOfArrears,
    endedWithScheme,
    earned: await earnPremiums(db, book, period, actor),
  };
}

interface Owed {
  readonly tariffs: DatedTariff[];
  // Enrolments to settle, and months of cover they owe.
  readonly owed: number;
  readonly noPremiumDue: number;
  readonly noRulesInForce: number;
}

type DatedTariff = Tariff & { readonly periodStart: string };

// One tariff per scheme, month owed and month of cover among the months
// still to book: most runs meet only the month's own.
async function tariffsOwed(db: Db, book: RuleBook, month: Bounds): Promise<Owed> {
  const combinations = await owedCombinations(db, month);
  const tariffs: DatedTariff[] = [];
  let owed = 0;
  let noPremiumDue = 0;
  let noRulesInForce = 0;
  for (const { rule_scheme: scheme, period, month_of_cover: monthOfCover, months } of combinations) {
    owed += Number(months);
    const tariff = tariffOrNone(book, scheme, period, monthOfCover);
    if (tariff === 'no-rules') noRulesInForce += Number(months);
    else if (tariff === null) noPremiumDue += Number(months);
    else tariffs.push({ ...tariff, periodStart: period });
  }
  return { tariffs, owed, noPremiumDue, noRulesInForce };
}

// The tariffs of the month itself for the enrolments in cover in it: what
// their rules say of arrears.
async function tariffsInCover(db: Db, book: RuleBook, month: Bounds): Promise<{ tariffs: Tariff[] }> {
  const combinations = await coverCombinations(db, month);
  const tariffs: Tariff[] = [];
  for (const { rule_scheme: scheme, month_of_cover: monthOfCover } of combinations) {
    const tariff = tariffOrNone(book, scheme, month.periodStart, monthOfCover);
    if (tariff !== null && tariff !== 'no-rules') tariffs.push(tariff);
  }
  return { tariffs };
}

function tariffOrNone(book: RuleBook, scheme: string, periodStart: string, monthOfCover: number): Tariff | null | 'no-rules' {
  try {
    return premiumTariff(book, scheme, periodStart, monthOfCover);
  } catch (error) {
    if (!(error instanceof RuleNotInForceError || error instanceof UnknownSchemeError)) throw error;
    return 'no-rules';
  }
}

// Cover in a scheme whose last version has ended ends the day after, with
// that reason and the version, before the month's dues: such a scheme books
// nothing after its end. Run again, it finds nobody left to end.
async function endCoverOfEndedSchemes(db: Db, book: RuleBook, month: Bounds, actor: Actor): Promise<number> {
  let ended = 0;
  for (const scheme of book.schemes.keys()) {
    const last = schemeEndedBy(book, scheme, month.periodEnd);
    if (last === null || last.effectiveTo === null) continue;
    const endedOn = addDays(last.effectiveTo, 1);
    ended += await withTransaction(db, async (trx) => {
      const enrolmentIds = await endCoverWithScheme(trx, { scheme, endedOn, version: last.version, hash: last.hash });
      await insertCoverEndedNotices(trx, {
        enrolmentIds,
        lapsedOn: endedOn,
        decidedOn: endedOn,
      });
      if (enrolmentIds.length > 0)
        await recordAudit(trx, actor, {
          action: 'cover.end-with-scheme',
          entityType: 'job',
          entityId: `premium-cycle:${month.periodStart.slice(0, 7)}`,
          detail: { scheme, version: last.version, endedOn, enrolments: enrolmentIds.length },
        });
      return enrolmentIds.length;
    });
  }
  return ended;
}

interface ChunkBooked {
  readonly booked: number;
  readonly bookedLate: number;
  readonly premium: Amount;
  readonly subsidy: Amount;
  readonly own: Amount;
  readonly lastEnrolmentId: string | null;
  // Months owed the chunk went through, booked or not.
  readonly scanned: number;
}

async function bookChunk(
  trx: Knex.Transaction,
  book: RuleBook,
  tariffs: readonly DatedTariff[],
  month: Bounds,
  { after, chunkRows }: { after: string; chunkRows: number },
  actor: Actor,
): Promise<ChunkBooked> {
  // One entry per rule version and month owed in the chunk, so each names the rules that set it and the month.
  const entryKey = (scheme: string, version: string, periodStart: string) => `${scheme}@${version}@${periodStart}`;
  const entryIds = new Map(tariffs.map((tariff) => [entryKey(tariff.scheme, tariff.version, tariff.periodStart), randomUUID()]));
  const result = await bookDuesChunk(
    trx,
    month,
    { after, chunkRows },
    tariffs.map((tariff) => ({
      scheme: tariff.scheme,
      period: tariff.periodStart,
      version: tariff.version,
      hash: tariff.hash,
      coverage_year: tariff.coverageYear,
      month_of_cover: tariff.monthOfCover,
      premium: toAmountString(tariff.premium),
      subsidy_share: toAmountString(tariff.subsidyShare),
      own_share: toAmountString(tariff.ownShare),
      earn_months: tariff.earnMonths,
      entry_id: entryIds.get(entryKey(tariff.scheme, tariff.version, tariff.periodStart)),
    })),
  );
  const lastEnrolmentId = result[0]?.last_id ?? null;
  const groups = result.flatMap((row) =>
    row.rule_scheme === null || row.rule_version === null || row.period === null || Number(row.booked) === 0
      ? []
      : [{ ...row, scheme: row.rule_scheme, version: row.rule_version, periodStart: row.period }],
  );
  const byEntry = new Map<string, (typeof groups)[number][]>();
  for (const group of groups) {
    const key = entryKey(group.scheme, group.version, group.periodStart);
    byEntry.set(key, [...(byEntry.get(key) ?? []), group]);
  }
  const poster = { postedBy: actor.actor, requestId: actor.requestId };
  const entries = [];
  for (const [key, parts] of byEntry) {
    const entryId = entryIds.get(key);
    const [first] = parts;
    if (entryId === undefined || first === undefined) throw new Error(`premium dues booked under ${key}, which has no tariff`);
    const sum = (name: 'premium' | 'subsidy' | 'own') =>
      parts.reduce((total, part) => total.plus(fromNumeric(part[name] ?? '0')), amount('0'));
    const rule = { scheme: first.scheme, version: first.version, hash: first.rule_hash ?? '' };
    const draft = await dueEntry(trx, entryId, first.periodStart, month.periodStart, rule, {
      premium: sum('premium'),
      subsidy: sum('subsidy'),
      own: sum('own'),
    });
    entries.push({ draft, poster });
    const earnedLate = await earnedLateEntry(trx, book, entryId, draft.entryDate, parts);
    if (earnedLate !== null) entries.push({ draft: earnedLate, poster });
  }
  await postLastEntries(trx, entries);
  const total = (name: 'premium' | 'subsidy' | 'own') =>
    groups.reduce((sum, group) => sum.plus(fromNumeric(group[name] ?? '0')), amount('0'));
  return {
    booked: groups.reduce((sum, group) => sum + Number(group.booked), 0),
    bookedLate: groups
      .filter((group) => group.periodStart < month.periodStart)
      .reduce((sum, group) => sum + Number(group.booked), 0),
    premium: total('premium'),
    subsidy: total('subsidy'),
    own: total('own'),
    lastEnrolmentId,
    scanned: Number(result[0]?.scanned ?? 0),
  };
}

// Dues booked for a month whose earning is already booked (or a one-time
// assistance whose first months are) earn those months' parts at once, in
// an entry of their own, so unearned premium holds only what is yet to come.
async function earnedLateEntry(
  trx: Knex.Transaction,
  book: RuleBook,
  dueEntryId: string,
  entryDate: string,
  groups: readonly {
    scheme: string;
    version: string;
    periodStart: string;
    unit_premium: string | null;
    earn_months: number | null;
    booked: string;
  }[],
): Promise<EntryDraft | null> {
  const months = [
    ...new Set(
      groups.flatMap((group) => Array.from({ length: group.earn_months ?? 1 }, (_, part) => addMonths(group.periodStart, part))),
    ),
  ];
  const earnedAlready = await monthsEarnedAmong(trx, months);
  if (earnedAlready.size === 0) return null;
  let earned = amount('0');
  for (const group of groups) {
    const { decimalPlaces } = versionNamed(book, group.scheme, group.version).manifest.rounding;
    const earnMonths = group.earn_months ?? 1;
    const parts = allocate(
      fromNumeric(group.unit_premium ?? '0'),
      Array.from({ length: earnMonths }, () => amount('1')),
      decimalPlaces,
    );
    parts.forEach((part, index) => {
      if (earnedAlready.has(addMonths(group.periodStart, index))) earned = earned.plus(part.times(Number(group.booked)));
    });
  }
  if (earned.isZero()) return null;
  return {
    entryDate,
    description: `Premium earned over months already closed for earning, of dues booked late (${[...earnedAlready].sort().join(', ')})`,
    reference: { type: 'premium-earned', id: dueEntryId },
    rule: null,
    idempotencyKey: `premium-earned-late:${dueEntryId}`,
    postings: [
      { accountId: await fundAccountId(trx, chart.unearnedPremiumReserve.code), amount: earned },
      { accountId: await fundAccountId(trx, chart.premiumIncome.code), amount: earned.negated() },
    ],
  };
}

async function dueEntry(
  trx: Knex.Transaction,
  entryId: string,
  periodStart: string,
  cycleStart: string,
  rule: { scheme: string; version: string; hash: string },
  sums: { premium: Amount; subsidy: Amount; own: Amount },
): Promise<EntryDraft> {
  const postings = [
    { accountId: await fundAccountId(trx, chart.subsidyReceivable.code), amount: sums.subsidy },
    { accountId: await fundAccountId(trx, chart.contributionsReceivable.code), amount: sums.own },
    { accountId: await fundAccountId(trx, chart.unearnedPremiumReserve.code), amount: sums.premium.negated() },
  ].filter((posting) => !posting.amount.isZero());
  const month = periodStart.slice(0, 7);
  const late = periodStart < cycleStart ? ` (known late, booked by the cycle of ${cycleStart.slice(0, 7)})` : '';
  return {
    entryId,
    // A month caught up after it was closed is booked on the first open day.
    entryDate: await firstOpenDay(trx, periodStart),
    description: `Premiums due for ${month} under ${rule.scheme} ${rule.version}${late}`,
    reference: { type: 'premium-cycle', id: month },
    rule,
    idempotencyKey: `premium-cycle:${entryId}`,
    postings,
  };
}

// A premium is earned over the months it covers: a monthly one over its
// month, a one-time assistance a part each month for its years, the parts
// split by allocate so they add up to it exactly. Once a month is over, what
// it earned moves from unearned premium to premium income, dated its last
// day (or the first open day, when that month is closed), in one entry whose
// key makes it once. Every month before this one
// not yet earned is, so a month booked late is not missed.
async function earnPremiums(db: Db, book: RuleBook, period: string, actor: Actor): Promise<CycleSummary['earned']> {
  const earning = await duesToEarn(db, `${period}-01`);
  const byMonth = new Map<string, Amount>();
  for (const row of earning) {
    const { decimalPlaces } = versionNamed(book, row.rule_scheme, row.rule_version).manifest.rounding;
    const parts = allocate(
      fromNumeric(row.premium),
      Array.from({ length: row.earn_months }, () => amount('1')),
      decimalPlaces,
    );
    const earned = (parts[row.part] ?? amount('0')).times(Number(row.dues));
    byMonth.set(row.month, (byMonth.get(row.month) ?? amount('0')).plus(earned));
  }
  const earned = [];
  for (const [month, premium] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
    await withTransaction(db, async (trx) =>
      postLastEntries(trx, [
        {
          draft: {
            entryDate: await firstOpenDay(trx, lastDayOfMonth(month)),
            description: `Premium earned over ${month}`,
            reference: { type: 'premium-earned', id: month },
            rule: null,
            idempotencyKey: `premium-earned:${month}`,
            postings: [
              { accountId: await fundAccountId(trx, chart.unearnedPremiumReserve.code), amount: premium },
              { accountId: await fundAccountId(trx, chart.premiumIncome.code), amount: premium.negated() },
            ],
          },
          poster: { postedBy: actor.actor, requestId: actor.requestId },
        },
      ]),
    );
    earned.push({ period: month, premium: toAmountString(premium) });
  }
  return earned;
}
