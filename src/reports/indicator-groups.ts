import { allocate, type Amount, amount } from '../money/index.ts';
import type { FundBalance, IndicatorFigures, Settlement } from './indicators.ts';

// The indicators by scheme, province, regency or LPA: pure, from the
// figures of each LPA's members of each scheme (a cell), summed into the
// groups asked for. Every grouping is summed from the same cells, so an
// LPA's figures add up to its regency's, and a regency's to its province's.

export const indicatorGroupings = ['fund', 'scheme', 'province', 'regency', 'lpa'] as const;
export type IndicatorGrouping = (typeof indicatorGroupings)[number];

interface Span {
  readonly opening: Amount;
  readonly closing: Amount;
}

// The money a group's indicators rest on.
interface GroupMoney {
  readonly earnedPremium: Amount;
  readonly claimsPaid: Amount;
  readonly caseReserves: Span;
  readonly ibnr: Span;
  readonly honoraria: Amount;
  readonly strengthening: Amount;
}

// One LPA's members of one scheme over the period: what every group is summed from.
export interface IndicatorCell extends GroupMoney {
  readonly lpaId: string;
  readonly scheme: string;
  readonly claimsDecided: number;
  readonly rejectionsByReason: ReadonlyMap<string, number>;
  readonly renewal: IndicatorFigures['renewal'];
  readonly members: IndicatorFigures['members'];
  readonly graduation: IndicatorFigures['graduation'];
}

export interface CellSettlement extends Settlement {
  readonly lpaId: string;
  readonly scheme: string;
}

// Where an LPA is.
export interface LpaPlace {
  readonly lpaName: string;
  readonly regencyCode: string;
  readonly regencyName: string;
  readonly provinceCode: string;
  readonly provinceName: string;
}

// The whole fund's money as its books hold it: the fund's row reads these,
// which also hold what the books do not attribute to any LPA or scheme (an
// entry finance posted by hand), so the groups may add up to a little less.
export interface FundBooks extends GroupMoney {
  readonly otherOperatingCosts: Amount;
  readonly balance: FundBalance;
}

export interface IndicatorGroup {
  readonly section: IndicatorGrouping;
  readonly code: string;
  readonly name: string;
  readonly figures: IndicatorFigures;
}

// The fund's premium income of the period, shared across LPAs and schemes
// in proportion to the premium their dues earned over the period's months:
// the books earn premium for the whole fund month by month, not member by
// member. Shares add up to the income to the cent; none when no due earned.
export function shareEarnedPremium(
  income: Amount,
  earnedByCell: readonly { readonly lpaId: string; readonly scheme: string; readonly earned: Amount }[],
): Map<string, Amount> {
  const weighted = earnedByCell.filter((cell) => cell.earned.greaterThan(0));
  if (weighted.length === 0 || income.isZero()) return new Map();
  const shares = allocate(
    income,
    weighted.map((cell) => cell.earned),
    2,
  );
  return new Map(weighted.map((cell, index) => [cellKey(cell.lpaId, cell.scheme), shares[index] ?? amount('0')]));
}

// A cell's key in maps: an LPA id is a UUID and a scheme name has no bar.
export function cellKey(lpaId: string, scheme: string): string {
  return `${lpaId}|${scheme}`;
}

export function cellOfKey(key: string): { lpaId: string; scheme: string } {
  const [lpaId = '', scheme = ''] = key.split('|');
  return { lpaId, scheme };
}

// The groups of one grouping, in code order. Only cells of the LPAs in
// `places` count: a reader sees the LPAs of their scope. A regency's
// coverage divides its members in cover at the end by the target
// population it declared; a province's and the fund's sum both over the
// regencies that declared one; a scheme or an LPA has none. The fund's
// balance sheet and books are for the fund's row alone, and only when given.
export function indicatorGroups(request: {
  readonly by: IndicatorGrouping;
  readonly cells: readonly IndicatorCell[];
  readonly settlements: readonly CellSettlement[];
  readonly places: ReadonlyMap<string, LpaPlace>;
  readonly targets: ReadonlyMap<string, number>;
  readonly fund: FundBooks | null;
  readonly fundName: string;
}): IndicatorGroup[] {
  const { by, places } = request;
  const groupOf = (lpaId: string, scheme: string): { code: string; name: string } | null => {
    const place = places.get(lpaId);
    if (place === undefined) return null;
    switch (by) {
      case 'fund':
        return { code: '', name: request.fundName };
      case 'scheme':
        return { code: scheme, name: scheme };
      case 'province':
        return { code: place.provinceCode, name: place.provinceName };
      case 'regency':
        return { code: place.regencyCode, name: place.regencyName };
      case 'lpa':
        return { code: lpaId, name: place.lpaName };
      default:
        return assertNever(by);
    }
  };
  const groups = new Map<string, Accumulated>();
  const groupNamed = (group: { code: string; name: string }) => {
    const found = groups.get(group.code);
    if (found !== undefined) return found;
    const created = emptyGroup(group.code, group.name);
    groups.set(group.code, created);
    return created;
  };
  // Every place's group has a row, whether or not anything happened in it.
  if (by !== 'scheme') for (const lpaId of places.keys()) groupNamed(groupOf(lpaId, '') ?? unreachable(lpaId));
  if (by === 'fund') groupNamed({ code: '', name: request.fundName });
  const membersByRegency = new Map<string, number>();
  for (const cell of request.cells) {
    const group = groupOf(cell.lpaId, cell.scheme);
    if (group === null) continue;
    addCell(groupNamed(group), cell);
    const regency = places.get(cell.lpaId)?.regencyCode ?? unreachable(cell.lpaId);
    membersByRegency.set(regency, (membersByRegency.get(regency) ?? 0) + cell.members.closing);
  }
  for (const settlement of request.settlements) {
    const group = groupOf(settlement.lpaId, settlement.scheme);
    if (group !== null) groupNamed(group).settlements.push(settlement);
  }
  const coverageOf = (code: string): IndicatorFigures['coverage'] => {
    const declared = [...request.targets].filter(([regency]) =>
      by === 'fund' ? true : by === 'province' ? regency.startsWith(code) : by === 'regency' ? regency === code : false,
    );
    if (declared.length === 0) return null;
    return {
      members: declared.reduce((sum, [regency]) => sum + (membersByRegency.get(regency) ?? 0), 0),
      targetPopulation: declared.reduce((sum, [, target]) => sum + target, 0),
    };
  };
  return [...groups.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((group) => ({
      section: by,
      code: group.code,
      name: group.name,
      figures: figuresOf(group, coverageOf(group.code), by === 'fund' ? request.fund : null),
    }));
}

interface Accumulated {
  readonly code: string;
  readonly name: string;
  money: GroupMoney;
  claimsDecided: number;
  readonly rejectionsByReason: Map<string, number>;
  readonly settlements: Settlement[];
  renewal: IndicatorFigures['renewal'];
  members: IndicatorFigures['members'];
  graduation: IndicatorFigures['graduation'];
}

function emptyGroup(code: string, name: string): Accumulated {
  const zero = amount('0');
  return {
    code,
    name,
    money: {
      earnedPremium: zero,
      claimsPaid: zero,
      caseReserves: { opening: zero, closing: zero },
      ibnr: { opening: zero, closing: zero },
      honoraria: zero,
      strengthening: zero,
    },
    claimsDecided: 0,
    rejectionsByReason: new Map(),
    settlements: [],
    renewal: { due: 0, renewed: 0 },
    members: { opening: 0, closing: 0 },
    graduation: { pastAssistance: 0, selfPaying: 0 },
  };
}

function addCell(group: Accumulated, cell: IndicatorCell): void {
  const { money } = group;
  group.money = {
    earnedPremium: money.earnedPremium.plus(cell.earnedPremium),
    claimsPaid: money.claimsPaid.plus(cell.claimsPaid),
    caseReserves: addSpan(money.caseReserves, cell.caseReserves),
    ibnr: addSpan(money.ibnr, cell.ibnr),
    honoraria: money.honoraria.plus(cell.honoraria),
    strengthening: money.strengthening.plus(cell.strengthening),
  };
  group.claimsDecided += cell.claimsDecided;
  for (const [reason, claims] of cell.rejectionsByReason)
    group.rejectionsByReason.set(reason, (group.rejectionsByReason.get(reason) ?? 0) + claims);
  group.renewal = { due: group.renewal.due + cell.renewal.due, renewed: group.renewal.renewed + cell.renewal.renewed };
  group.members = {
    opening: group.members.opening + cell.members.opening,
    closing: group.members.closing + cell.members.closing,
  };
  group.graduation = {
    pastAssistance: group.graduation.pastAssistance + cell.graduation.pastAssistance,
    selfPaying: group.graduation.selfPaying + cell.graduation.selfPaying,
  };
}

function addSpan(a: Span, b: Span): Span {
  return { opening: a.opening.plus(b.opening), closing: a.closing.plus(b.closing) };
}

function figuresOf(group: Accumulated, coverage: IndicatorFigures['coverage'], fund: FundBooks | null): IndicatorFigures {
  // The fund books no other operating cost yet, and would book it for the fund, not for a group.
  const money = fund ?? { ...group.money, otherOperatingCosts: amount('0') };
  return {
    earnedPremium: money.earnedPremium,
    claimsPaid: money.claimsPaid,
    caseReserves: money.caseReserves,
    ibnr: money.ibnr,
    honoraria: money.honoraria,
    strengthening: money.strengthening,
    otherOperatingCosts: money.otherOperatingCosts,
    claimsDecided: group.claimsDecided,
    // Most rejected first, as the field reports them.
    rejectionsByReason: new Map(
      [...group.rejectionsByReason].sort(([reasonA, a], [reasonB, b]) => b - a || reasonA.localeCompare(reasonB)),
    ),
    settlements: group.settlements,
    renewal: group.renewal,
    members: group.members,
    coverage,
    graduation: group.graduation,
    balance: fund?.balance ?? null,
  };
}

function unreachable(lpaId: string): never {
  throw new Error(`LPA ${lpaId} has no place although it was found among the places`);
}

function assertNever(value: never): never {
  throw new Error(`unexpected grouping ${String(value)}`);
}
