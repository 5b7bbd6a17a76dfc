import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor } from '../auth/model.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import type { EntryDraft } from '../ledger/model.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { postLastEntries } from '../ledger/post.ts';
import { firstOpenDay, fundAccountId } from '../ledger/store.ts';
import { allocate, amount, type Amount, toAmountString } from '../money/index.ts';
import { RuleNotInForceError, UnknownSchemeError, versionNamed } from '../rules/evaluate.ts';
import type { ReportProgress } from '../jobs/runs.ts';
import type { RuleBook } from '../rules/load.ts';
import { lapseForArrears } from './arrears.ts';
import { type Bounds, boundsSql, inCoverSql, monthOfCoverSql } from './cover.ts';
import { premiumTariff, type Tariff } from './tariff.ts';

export const cycleChunkRowsMax = 20_000;

export interface CycleSummary {
  readonly period: string;
  readonly booked: number;
  readonly premium: string;
  readonly subsidy: string;
  readonly own: string;
  // Enrolments in cover that owe nothing this month by their rules (the
  // months a one-time assistance already covers).
  readonly noPremiumDue: number;
  // Enrolments in cover whose scheme has no rules in force for the month:
  // not booked, and counted so nobody misses them.
  readonly noRulesInForce: number;
  // Enrolments whose own share was unpaid past the grace their rules give:
  // lapsed on the month's first day, before its dues.
  readonly lapsedForArrears: number;
  // What of the premium booked was earned over the months before, recognised now.
  readonly earned: readonly { readonly period: string; readonly premium: string }[];
}

// The premium cycle of a month (YYYY-MM): cover whose own share is in
// arrears past the grace its rules give lapses; then every enrolment in
// cover gets its due, split by its scheme's subsidy rules into premium assistance and its
// own share, and the ledger books them: subsidy receivable (1200) and
// contributions receivable (1400) against unearned premium (2300). Chunks of
// enrolments commit one by one, each due with the entry that booked it, so a
// cycle cut off half-way resumes where it stopped and books nobody twice.
// Then what the months before earned of the premiums moves to premium
// income (4100), once per month.
export async function runPremiumCycle(
  db: Db,
  book: RuleBook,
  period: string,
  actor: Actor,
  report: ReportProgress,
  chunkRows = cycleChunkRowsMax,
): Promise<CycleSummary> {
  const month = { periodStart: `${period}-01`, periodEnd: lastDayOfMonth(period) };
  // Arrears past their grace lapse the cover first, so the month books no due for it.
  const beforeLapses = await tariffsFor(db, book, month);
  const lapsedForArrears = await lapseForArrears(db, beforeLapses.tariffs, month, actor);
  const { tariffs, enrolmentsInCover, noPremiumDue, noRulesInForce } =
    lapsedForArrears === 0 ? beforeLapses : await tariffsFor(db, book, month);
  if (tariffs.length > 0)
    await db.raw(
      `insert into premium_periods (period, earn_months_max) values (?, ?)
       on conflict (period) do update set earn_months_max = greatest(premium_periods.earn_months_max, excluded.earn_months_max)`,
      [month.periodStart, Math.max(...tariffs.map((tariff) => tariff.earnMonths))],
    );
  let booked = 0;
  let premium = amount('0');
  let subsidy = amount('0');
  let own = amount('0');
  let after = '00000000-0000-0000-0000-000000000000';
  let scanned = 0;
  await report({ done: 0, total: enrolmentsInCover });
  for (;;) {
    const chunk = await withTransaction(db, (trx) => bookChunk(trx, tariffs, month, { after, chunkRows }, actor));
    booked += chunk.booked;
    premium = premium.plus(chunk.premium);
    subsidy = subsidy.plus(chunk.subsidy);
    own = own.plus(chunk.own);
    scanned += chunk.scanned;
    await report({ done: scanned, total: enrolmentsInCover });
    if (chunk.lastEnrolmentId === null) break;
    after = chunk.lastEnrolmentId;
  }
  return {
    period,
    booked,
    premium: toAmountString(premium),
    subsidy: toAmountString(subsidy),
    own: toAmountString(own),
    noPremiumDue,
    noRulesInForce,
    lapsedForArrears,
    earned: await earnPremiums(db, book, period, actor),
  };
}

// One tariff per scheme and month of cover met in the month, and how many
// enrolments in cover owe nothing or have no rules.
async function tariffsFor(
  db: Db,
  book: RuleBook,
  month: Bounds,
): Promise<{ tariffs: Tariff[]; enrolmentsInCover: number; noPremiumDue: number; noRulesInForce: number }> {
  const combinations = await db.raw<{ rows: { rule_scheme: string; month_of_cover: number; enrolments: string }[] }>(
    `select e.rule_scheme, ${monthOfCoverSql} as month_of_cover, count(*) as enrolments
     from enrolments e, ${boundsSql} where ${inCoverSql} group by 1, 2`,
    [month.periodStart, month.periodEnd],
  );
  const tariffs: Tariff[] = [];
  let noPremiumDue = 0;
  let noRulesInForce = 0;
  let enrolmentsInCover = 0;
  for (const { rule_scheme: scheme, month_of_cover: monthOfCover, enrolments } of combinations.rows) {
    enrolmentsInCover += Number(enrolments);
    try {
      const tariff = premiumTariff(book, scheme, month.periodStart, monthOfCover);
      if (tariff === null) noPremiumDue += Number(enrolments);
      else tariffs.push(tariff);
    } catch (error) {
      if (!(error instanceof RuleNotInForceError || error instanceof UnknownSchemeError)) throw error;
      noRulesInForce += Number(enrolments);
    }
  }
  return { tariffs, enrolmentsInCover, noPremiumDue, noRulesInForce };
}

interface ChunkBooked {
  readonly booked: number;
  readonly premium: Amount;
  readonly subsidy: Amount;
  readonly own: Amount;
  readonly lastEnrolmentId: string | null;
  // Enrolments in cover the chunk went through, booked or not.
  readonly scanned: number;
}

async function bookChunk(
  trx: Knex.Transaction,
  tariffs: readonly Tariff[],
  month: Bounds,
  { after, chunkRows }: { after: string; chunkRows: number },
  actor: Actor,
): Promise<ChunkBooked> {
  // One entry per rule version in the chunk, so each names the rules that set it.
  const entryIds = new Map(tariffs.map((tariff) => [`${tariff.scheme}@${tariff.version}`, randomUUID()]));
  const result = await trx.raw<{
    rows: {
      last_id: string | null;
      scanned: string;
      rule_scheme: string | null;
      rule_version: string | null;
      rule_hash: string | null;
      booked: string;
      premium: string | null;
      subsidy: string | null;
      own: string | null;
    }[];
  }>(
    `with chunk as (
       select e.id, e.lpa_id, e.rule_scheme, ${monthOfCoverSql} as month_of_cover
       from enrolments e, ${boundsSql}
       where ${inCoverSql} and e.id > ?
       order by e.id
       limit ?
     ), tariff as (
       select * from jsonb_to_recordset(?::jsonb) as t (scheme text, version text, hash text, coverage_year integer,
         month_of_cover integer, premium numeric, subsidy_share numeric, own_share numeric, earn_months integer, entry_id uuid)
     ), booked as (
       insert into premium_dues (enrolment_id, period, lpa_id, coverage_year, month_of_cover, premium, subsidy_share, own_share,
         earn_months, rule_scheme, rule_version, rule_hash, entry_id)
       select chunk.id, ?::date, chunk.lpa_id, tariff.coverage_year, tariff.month_of_cover, tariff.premium,
         tariff.subsidy_share, tariff.own_share, tariff.earn_months, tariff.scheme, tariff.version, tariff.hash, tariff.entry_id
       from chunk join tariff on tariff.scheme = chunk.rule_scheme and tariff.month_of_cover = chunk.month_of_cover
       on conflict (enrolment_id, period) do nothing
       returning enrolment_id, coverage_year, rule_scheme, rule_version, rule_hash, premium, subsidy_share, own_share
     ), seen as (
       -- One probe per due for both: most months neither starts a year nor
       -- changes whether assistance carried it, and then nothing is written.
       select b.enrolment_id, b.coverage_year, b.subsidy_share > 0 as subsidised, y.subsidised as known
       from booked b left join enrolment_years y on y.enrolment_id = b.enrolment_id and y.coverage_year = b.coverage_year
     ), new_years as (
       insert into enrolment_years (enrolment_id, coverage_year, subsidised)
       select enrolment_id, coverage_year, subsidised from seen where known is null order by enrolment_id, coverage_year
     ), now_subsidised as (
       update enrolment_years set subsidised = true from seen
       where seen.known = false and seen.subsidised
         and enrolment_years.enrolment_id = seen.enrolment_id and enrolment_years.coverage_year = seen.coverage_year
     )
     select (select max(id::text) from chunk) as last_id, (select count(*) from chunk) as scanned, rule_scheme, rule_version, rule_hash, count(booked.*) as booked,
       sum(premium) as premium, sum(subsidy_share) as subsidy, sum(own_share) as own
     from (select 1) as one left join booked on true
     group by rule_scheme, rule_version, rule_hash`,
    [
      month.periodStart,
      month.periodEnd,
      after,
      chunkRows,
      JSON.stringify(
        tariffs.map((tariff) => ({
          scheme: tariff.scheme,
          version: tariff.version,
          hash: tariff.hash,
          coverage_year: tariff.coverageYear,
          month_of_cover: tariff.monthOfCover,
          premium: toAmountString(tariff.premium),
          subsidy_share: toAmountString(tariff.subsidyShare),
          own_share: toAmountString(tariff.ownShare),
          earn_months: tariff.earnMonths,
          entry_id: entryIds.get(`${tariff.scheme}@${tariff.version}`),
        })),
      ),
      month.periodStart,
    ],
  );
  const lastEnrolmentId = result.rows[0]?.last_id ?? null;
  const groups = result.rows.filter((row) => row.rule_scheme !== null && Number(row.booked) > 0);
  const entries = await Promise.all(
    groups.map(async (group) => {
      const [scheme, version] = [group.rule_scheme ?? '', group.rule_version ?? ''];
      const entryId = entryIds.get(`${scheme}@${version}`);
      if (entryId === undefined) throw new Error(`premium dues booked under ${scheme}@${version}, which has no tariff`);
      return {
        draft: await dueEntry(trx, entryId, month.periodStart, { scheme, version, hash: group.rule_hash ?? '' }, group),
        poster: { postedBy: actor.actor, requestId: actor.requestId },
      };
    }),
  );
  await postLastEntries(trx, entries);
  const total = (name: 'premium' | 'subsidy' | 'own') =>
    groups.reduce((sum, group) => sum.plus(amount(group[name] ?? '0')), amount('0'));
  return {
    booked: groups.reduce((sum, group) => sum + Number(group.booked), 0),
    premium: total('premium'),
    subsidy: total('subsidy'),
    own: total('own'),
    lastEnrolmentId,
    scanned: Number(result.rows[0]?.scanned ?? 0),
  };
}

async function dueEntry(
  trx: Knex.Transaction,
  entryId: string,
  periodStart: string,
  rule: { scheme: string; version: string; hash: string },
  sums: { premium: string | null; subsidy: string | null; own: string | null },
): Promise<EntryDraft> {
  const postings = [
    { accountId: await fundAccountId(trx, '1200'), amount: amount(sums.subsidy ?? '0') },
    { accountId: await fundAccountId(trx, '1400'), amount: amount(sums.own ?? '0') },
    { accountId: await fundAccountId(trx, '2300'), amount: amount(sums.premium ?? '0').negated() },
  ].filter((posting) => !posting.amount.isZero());
  return {
    entryId,
    // A month caught up after it was closed is booked on the first open day.
    entryDate: await firstOpenDay(trx, periodStart),
    description: `Premiums due for ${periodStart.slice(0, 7)} under ${rule.scheme} ${rule.version}`,
    reference: { type: 'premium-cycle', id: periodStart.slice(0, 7) },
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
  // Only the months booked whose premiums still have months before this one to earn.
  const earning = await db.raw<{
    rows: {
      month: string;
      premium: string;
      earn_months: number;
      rule_scheme: string;
      rule_version: string;
      part: number;
      dues: string;
    }[];
  }>(
    `with unearned (period) as (
       select booked.period from premium_periods booked
       where exists (
         select 1 from generate_series(booked.period, booked.period + (booked.earn_months_max - 1) * interval '1 month',
                                       interval '1 month') as earning (month)
         where earning.month < ?::date
           and not exists (select 1 from journal_entries
                           where idempotency_key = 'premium-earned:' || to_char(earning.month, 'YYYY-MM'))))
     select to_char(earned.month, 'YYYY-MM') as month, d.premium, d.earn_months, d.rule_scheme, d.rule_version,
       ((extract(year from earned.month) - extract(year from d.period)) * 12
         + extract(month from earned.month) - extract(month from d.period))::int as part,
       count(*) as dues
     from premium_dues d
     cross join lateral generate_series(d.period, d.period + (d.earn_months - 1) * interval '1 month', interval '1 month')
       as earned (month)
     where d.period in (select period from unearned) and earned.month < ?::date
       and not exists (select 1 from journal_entries where idempotency_key = 'premium-earned:' || to_char(earned.month, 'YYYY-MM'))
     group by 1, 2, 3, 4, 5, 6`,
    [`${period}-01`, `${period}-01`],
  );
  const byMonth = new Map<string, Amount>();
  for (const row of earning.rows) {
    const { decimalPlaces } = versionNamed(book, row.rule_scheme, row.rule_version).manifest.rounding;
    const parts = allocate(
      amount(row.premium),
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
              { accountId: await fundAccountId(trx, '2300'), amount: premium },
              { accountId: await fundAccountId(trx, '4100'), amount: premium.negated() },
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
