import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import type { IbnrEstimate, KeptMethods } from './model.ts';
import {
  chainLadderBeside,
  declaredIbnr,
  type EveryMethod,
  heldIbnr,
  ibnrByEveryMethod,
  type TriangleIbnrMethod,
} from './declared-method.ts';
import { firstOrigin, windowTriangle } from './fund-triangle.ts';
import {
  claimLags,
  earnedPremiumByWindow,
  earnedPremiumByMonth,
  ibnrBooked,
  ibnrEstimates,
  insertIbnrAllocations,
  insertIbnrEstimates,
  lockIbnrPeriod,
} from './store.ts';
import { addMonths, monthsBetween } from '../dates.ts';
import { chart } from '../ledger/chart.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { postLastEntries } from '../ledger/post.ts';
import { balancesByScheme, firstOpenDay, fundAccountId } from '../ledger/store.ts';
import { allocate, amount, type Amount, fromNumeric, roundAmount, type RoundingMode, toAmountString } from '../money/index.ts';
import { describeIbnr, ibnrMethodNames } from '../rules/diff.ts';
import { RuleNotInForceError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook, RuleVersion } from '../rules/load.ts';
import type { IbnrMethod } from '../rules/model.ts';

// IBNR (cadangan klaim yang terjadi tetapi belum dilaporkan): claims that
// have happened and that nobody has filed yet. Each scheme's rules declare
// how much to hold; at a month's end the reserve is moved to that figure.

// Pure: the IBNR a share of earned premium asks for, given the premium the
// scheme earned over the method's months, rounded as the version says.
export function ibnrFor(
  method: Extract<IbnrMethod, { method: 'earned-premium-share' }>,
  earned: Amount,
  rounding: { mode: RoundingMode; decimalPlaces: number },
): Amount {
  return roundAmount(earned.times(method.rate), rounding.mode, rounding.decimalPlaces);
}

// Pure: a scheme's IBNR shared across its LPAs by the premium each earned
// (rounded to the cent, as kept), parts adding up to the estimate.
export function shareIbnr(
  ibnr: Amount,
  earnedByLpa: ReadonlyMap<string, Amount>,
  decimalPlaces: number,
): { lpaId: string; earned: Amount; ibnr: Amount }[] {
  const lpas = [...earnedByLpa].map(([lpaId, earned]) => ({ lpaId, earned: roundAmount(earned, 'half-even', 2) }));
  if (ibnr.isZero() || lpas.every((lpa) => lpa.earned.isZero())) return lpas.map((lpa) => ({ ...lpa, ibnr: amount('0') }));
  const parts = allocate(
    ibnr,
    lpas.map((lpa) => lpa.earned),
    decimalPlaces,
  );
  return lpas.map((lpa, index) => ({ ...lpa, ibnr: parts[index] ?? amount('0') }));
}

// Moves each scheme's IBNR reserve to what its rules in force on the
// month's last day ask for, dated that day: claims expense (5100) against
// the IBNR reserve (2200), or back when it falls, and shares it across the
// scheme's LPAs by what they earned. A scheme whose rules declare no method
// holds none. Once per month.
export async function bookIbnr(db: Db, book: RuleBook, period: string, actor: Actor): Promise<IbnrEstimate[]> {
  const periodStart = `${period}-01`;
  const asOf = lastDayOfMonth(period);
  return withTransaction(db, async (trx) => {
    await lockIbnrPeriod(trx, period);
    if (!(await ibnrBooked(trx, periodStart))) {
      const held = await balancesByScheme(trx, chart.ibnrReserve.code, asOf);
      const versions = new Map<string, RuleVersion | null>();
      for (const scheme of book.schemes.keys()) {
        try {
          versions.set(scheme, versionInForce(book, scheme, asOf));
        } catch (error) {
          if (!(error instanceof RuleNotInForceError)) throw error;
          versions.set(scheme, null);
        }
      }
      const earnedFrom = (months: number) => addMonths(period, 1 - months);
      // Every window length the versions declare, from one read of the dues.
      const windowLengths = [
        ...new Set([...versions.values()].map((version) => Number(version?.manifest.reserving?.ibnr.months ?? 0))),
      ].filter((months) => months > 0);
      const earnedInWindows = await earnedPremiumByWindow(
        trx,
        windowLengths.map((months) => ({ from: earnedFrom(months), to: period })),
      );
      const earnedByWindow = new Map(windowLengths.map((months, index) => [months, earnedInWindows[index] ?? new Map()]));
      const monthlyPremium = new Map<number, Map<string, Map<string, Amount>>>();
      const rows = [];
      const allocations = [];
      const entries = [];
      const [expense, reserve] = [
        await fundAccountId(trx, chart.claimsExpense.code),
        await fundAccountId(trx, chart.ibnrReserve.code),
      ];
      const entryDate = await firstOpenDay(trx, asOf);
      for (const [scheme, version] of versions) {
        // A scheme with no rules in force that day is left as it stands: nothing says what it should hold.
        if (version === null) continue;
        const method = version.manifest.reserving?.ibnr;
        const heldBefore = (held.get(scheme) ?? amount('0')).negated();
        if (method === undefined && heldBefore.isZero()) continue;
        const earnedByLpa =
          method === undefined
            ? new Map<string, Amount>()
            : (earnedByWindow.get(Number(method.months))?.get(scheme) ?? new Map());
        const earned = [...earnedByLpa.values()].reduce((sum, part) => sum.plus(part), amount('0'));
        const estimate =
          method === undefined
            ? null
            : method.method === 'earned-premium-share'
              ? {
                  method: method.method,
                  ibnr: ibnrFor(method, earned, version.manifest.rounding),
                  fallbackReason: null,
                  methods: await chainLadderKeptBeside(trx, scheme, Number(method.months), period),
                }
              : await triangleEstimate(trx, scheme, method, period, version.manifest.rounding, monthlyPremium);
        const ibnr = estimate?.ibnr ?? amount('0');
        const change = ibnr.minus(heldBefore);
        const entryId = change.isZero() ? null : randomUUID();
        if (entryId !== null)
          entries.push({
            draft: {
              entryId,
              entryDate,
              description: `IBNR of ${scheme} at ${asOf}: ${describeIbnr(method)}${estimate?.fallbackReason == null ? '' : `; ${ibnrMethodNames[estimate.method]} used: ${estimate.fallbackReason}`}`,
              reference: { type: 'ibnr', id: period },
              rule: { scheme, version: version.version, hash: version.hash },
              idempotencyKey: `ibnr:${period}:${scheme}`,
              postings: [
                { accountId: expense, amount: change },
                { accountId: reserve, amount: change.negated() },
              ],
            },
            poster: { postedBy: actor.actor, requestId: actor.requestId },
          });
        rows.push({
          period: periodStart,
          rule_scheme: scheme,
          method: estimate?.method ?? 'none',
          declared_method: method?.method ?? null,
          fallback_reason: estimate?.fallbackReason ?? null,
          methods: estimate?.methods ?? null,
          rate: method === undefined ? null : method.method === 'earned-premium-share' ? method.rate : method.expectedLossRatio,
          months: method === undefined ? null : Number(method.months),
          earned: toAmountString(roundAmount(earned, 'half-even', 2)),
          ibnr: toAmountString(ibnr),
          held_before: toAmountString(heldBefore),
          rule_version: version.version,
          rule_hash: version.hash,
          entry_id: entryId,
        });
        for (const part of shareIbnr(ibnr, earnedByLpa, version.manifest.rounding.decimalPlaces))
          allocations.push({
            period: periodStart,
            rule_scheme: scheme,
            lpa_id: part.lpaId,
            earned: toAmountString(part.earned),
            ibnr: toAmountString(part.ibnr),
          });
      }
      if (rows.length > 0) await insertIbnrEstimates(trx, rows);
      await insertIbnrAllocations(trx, allocations);
      await postLastEntries(trx, entries);
      await recordAudit(trx, actor, {
        action: 'reserves.ibnr.book',
        entityType: 'job',
        entityId: `ibnr:${period}`,
        detail: { schemes: rows.length, entries: entries.length },
      });
    }
    return ibnrEstimates(trx, period);
  });
}

// A triangle method's IBNR for a scheme at the month's end: the scheme's
// reported claims over the declared months, the premium each month earned,
// every method's figure, and the declared one (or its fallback) rounded as
// the version says. What every method gave is kept with the estimate.
async function triangleEstimate(
  trx: Db,
  scheme: string,
  method: TriangleIbnrMethod,
  period: string,
  rounding: { mode: RoundingMode; decimalPlaces: number },
  monthlyPremium: Map<number, Map<string, Map<string, Amount>>>,
) {
  const months = Number(method.months);
  if (!monthlyPremium.has(months))
    monthlyPremium.set(months, await earnedPremiumByMonth(trx, addMonths(period, 1 - months), period));
  const { triangle, history } = await schemeTriangle(trx, scheme, months, period);
  const earnedByMonth = monthlyPremium.get(months)?.get(scheme);
  const premium = new Map(triangle.origins.map((origin) => [origin, earnedByMonth?.get(origin) ?? amount('0')]));
  const chosen = declaredIbnr(method, ibnrByEveryMethod(triangle, premium, fromNumeric(method.expectedLossRatio)), history);
  return {
    method: chosen.method,
    ibnr: roundAmount(heldIbnr(chosen.ibnr), rounding.mode, rounding.decimalPlaces),
    fallbackReason: chosen.fallbackReason,
    methods: keptMethods(chosen.methods, history),
  };
}

// Beside a share of earned premium, what the chain ladder on the scheme's
// own triangle over the same months would hold, so the reserves report can
// show whether the share is enough.
async function chainLadderKeptBeside(trx: Db, scheme: string, months: number, period: string): Promise<KeptMethods> {
  const { triangle, history } = await schemeTriangle(trx, scheme, months, period);
  const noRatio = { reason: 'the rules declare no expected loss ratio' };
  return keptMethods(
    { chainLadder: chainLadderBeside(triangle), bornhuetterFerguson: noRatio, expectedLossRatio: noRatio },
    history,
  );
}

// A scheme's triangle of reported claim amounts over its last months, and
// the months from its first claim to the month, both counted (0 with none).
async function schemeTriangle(trx: Db, scheme: string, months: number, period: string) {
  const lags = await claimLags(trx, 'incident', period, scheme);
  const first = firstOrigin(lags);
  return {
    triangle: windowTriangle(lags, period, months, 'amounts'),
    history: first === null ? 0 : monthsBetween(first, period) + 1,
  };
}

// What every method gave, to the cent (half-even, as figures to read, not
// booked), as the reserves report shows it.
function keptMethods(
  methods: Pick<EveryMethod, 'chainLadder' | 'bornhuetterFerguson'> & {
    expectedLossRatio: EveryMethod['expectedLossRatio'] | { reason: string };
  },
  history: number,
): KeptMethods {
  const cents = (value: Amount) => toAmountString(roundAmount(value, 'half-even', 2));
  const ladder = methods.chainLadder;
  const bf = methods.bornhuetterFerguson;
  const elr = methods.expectedLossRatio;
  return {
    history,
    chainLadder:
      'reason' in ladder
        ? { reason: ladder.reason }
        : { ibnr: cents(ladder.ibnr), standardError: ladder.standardError === null ? null : cents(ladder.standardError) },
    bornhuetterFerguson: 'reason' in bf ? { reason: bf.reason } : { ibnr: cents(bf.ibnr) },
    expectedLossRatio: 'reason' in elr ? { reason: elr.reason } : { ibnr: cents(elr.ibnr) },
  };
}
