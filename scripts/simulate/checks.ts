import { firstDay, monthIndex, monthOf, monthsBetween } from './calendar.ts';
import type { Sim } from './context.ts';
import { paymentDueOn } from './oracle/claims.ts';
import { type MonthRuling, monthRulings, type OwedMonth, ownPaidByMonth } from './oracle/dues.ts';
import type { Member } from './oracle/fund.ts';
import { Money } from './oracle/policy.ts';
import {
  claimsShown,
  duesByParticipant,
  duesShownByApi,
  enrolmentsShown,
  entriesByReference,
  reservesShown,
  type ShownDue,
  trialBalanceShown,
} from './service/reads.ts';

// The check at each month's turn, once the jobs of the 1st have run: every
// member's dues month by month, every enrolment's standing, every claim,
// and the books, against the oracle.

const apiSampleSize = 8;

interface Booked {
  subsidy: Money;
  own: Money;
  premium: Money;
  earnedLow: Money;
  earnedHigh: Money;
}

export async function monthlyCheck(sim: Sim): Promise<void> {
  sim.stats.checks += 1;
  const month = monthOf(sim.today);
  const shown = await duesByParticipant(sim.db);
  const booked: Booked = { subsidy: zero(), own: zero(), premium: zero(), earnedLow: zero(), earnedHigh: zero() };
  const outstanding = new Map<string, Money>();
  for (const member of sim.oracle.members.values()) {
    if (sim.traced(member.label)) traceMember(sim, member, month, shown.get(member.participantId) ?? []);
    const owed = compareDues(sim, member, month, shown.get(member.participantId) ?? []);
    addBooked(booked, owed, month);
    const own = owed.reduce((sum, due) => sum.plus(due.own), zero());
    outstanding.set(member.participantId, Money.max(0, own.minus(member.paid)));
  }
  for (const [participantId, dues] of shown)
    if (!sim.oracle.members.has(participantId))
      sim.report('due_unexpected', `participant ${participantId}`, 'no dues', dues.map((due) => due.period).join(' '));
  await compareApiSample(sim, month);
  await compareEnrolments(sim);
  await compareClaims(sim);
  await compareBooks(sim, booked, shown);
  sim.oracle.settleCheck(booked.subsidy.minus(sim.oracle.receipts), outstanding);
}

const zero = () => new Money(0);

function traceMember(sim: Sim, member: Member, month: string, dues: readonly ShownDue[]): void {
  const history = sim.oracle.history(member);
  const rulings = history === null ? [] : monthRulings(history, month);
  const owed = rulings.flatMap((ruling) => (ruling.owed === null ? [] : [ruling.owed]));
  const paid = ownPaidByMonth(owed, member.paid);
  sim.trace(
    `${member.label} at the check: paid ${member.paid.toFixed(0)}, cover ${JSON.stringify(member.enrolment?.spans)}, lapses ${JSON.stringify(member.enrolment?.lapses)}, death ${JSON.stringify(member.death)}`,
  );
  sim.trace(
    `  oracle:  ${rulings.map((ruling) => (ruling.owed === null ? `${ruling.period} -(${ruling.why})` : `${ruling.period} ${ruling.owed.own.toFixed(0)}/${(paid.get(ruling.period) ?? zero()).toFixed(0)}`)).join(', ')}`,
  );
  sim.trace(`  service: ${dues.map((due) => `${due.period} ${Number(due.ownShare)}/${Number(due.ownPaid)}`).join(', ')}`);
}

// Each month from the enrolment's to this one: booked once when owed, with
// the amounts its rules set; not booked when not owed. Returns the months
// the books should hold (the owed, and those booked before a death was known).
function compareDues(sim: Sim, member: Member, month: string, dues: readonly ShownDue[]): OwedMonth[] {
  const history = sim.oracle.history(member);
  const byPeriod = new Map(dues.map((due) => [due.period, due]));
  if (history === null) {
    if (dues.length > 0)
      sim.report('due_unexpected', member.label, 'no dues: not enrolled', dues.map((due) => due.period).join(' '));
    return [];
  }
  const rulings = monthRulings(history, month);
  const held = rulings.flatMap((ruling) =>
    ruling.owed !== null && (!ruling.owed.optional || byPeriod.has(ruling.period)) ? [ruling.owed] : [],
  );
  const paid = ownPaidByMonth(held, member.paid);
  for (const ruling of rulings) compareMonth(sim, member, ruling, byPeriod.get(ruling.period), paid);
  const known = new Set(rulings.map((ruling) => ruling.period));
  for (const due of dues)
    if (!known.has(due.period))
      sim.report(
        monthIndex(due.period) > monthIndex(month) ? 'due_future' : 'due_unexpected',
        `${member.label} ${due.period}`,
        'no due',
        describeDue(due),
      );
  return held;
}

function compareMonth(
  sim: Sim,
  member: Member,
  ruling: MonthRuling,
  due: ShownDue | undefined,
  paid: ReadonlyMap<string, Money>,
): void {
  const subject = `${member.label} ${ruling.period}`;
  const owed = ruling.owed;
  if (owed === null) {
    if (due === undefined) return;
    const kind = {
      after_death: 'due_after_death',
      no_rules_in_force: 'due_after_scheme_end',
      not_in_cover: 'due_not_in_cover',
      no_premium_set: 'due_unexpected',
    }[ruling.why ?? 'no_premium_set'];
    sim.report(kind, subject, `no due (${ruling.why ?? ''})`, describeDue(due));
    return;
  }
  if (due === undefined) {
    if (!owed.optional) sim.report('due_missing', subject, `${describeOwed(owed)}${owedLate(member, owed)}`, 'none');
    return;
  }
  if (owed.optional)
    sim.log.observe({
      kind: 'due_after_late_reported_death',
      day: sim.today,
      subject,
      detail: `booked before the death (on ${member.death?.on}) was known`,
    });
  const expected = describeOwed(owed);
  if (describeDue(due) !== expected) sim.report('due_amount', subject, expected, describeDue(due));
  const ownPaid = (paid.get(owed.period) ?? zero()).toFixed(2);
  if (due.ownPaid !== ownPaid) sim.report('due_paid', subject, `own share paid ${ownPaid}`, `${due.ownPaid}`);
  if (due.entryDate !== null && due.entryDate !== firstDay(owed.period))
    sim.report('due_entry_date', subject, `booked on ${firstDay(owed.period)}`, `booked on ${due.entryDate}`);
}

// Why a month's cycle could not have booked it when it ran: the member was
// entered later, or the cover came back later in the month.
function owedLate(member: Member, owed: OwedMonth): string {
  const first = firstDay(owed.period);
  const back = member.enrolment?.spans.find(
    (span) => span.from > first && monthOf(span.from) === owed.period && span.from !== member.enrolment?.enrolledOn,
  );
  if (back !== undefined) return ` (cover reinstated on ${back.from})`;
  return member.enteredOn > first ? ` (entered on ${member.enteredOn}, enrolled from ${member.enrolment?.enrolledOn})` : '';
}

function describeOwed(owed: OwedMonth): string {
  return `month ${owed.monthOfCover} year ${owed.coverageYear} premium ${owed.premium.toFixed(2)} subsidy ${owed.subsidy.toFixed(2)} own ${owed.own.toFixed(2)} by ${owed.version}`;
}

function describeDue(due: ShownDue): string {
  return `month ${due.monthOfCover} year ${due.coverageYear} premium ${due.premium} subsidy ${due.subsidyShare} own ${due.ownShare} by ${due.version}`;
}

function addBooked(booked: Booked, owed: readonly OwedMonth[], month: string): void {
  for (const due of owed) {
    booked.subsidy = booked.subsidy.plus(due.subsidy);
    booked.own = booked.own.plus(due.own);
    booked.premium = booked.premium.plus(due.premium);
    // A premium is earned a part a month over its months; months before this one are over.
    const months = Math.min(Math.max(monthsBetween(due.period, month), 0), due.earnMonths);
    const part = due.premium.dividedBy(due.earnMonths);
    booked.earnedLow = booked.earnedLow.plus(part.floor().times(months));
    booked.earnedHigh = booked.earnedHigh.plus(part.ceil().times(months));
  }
}

// A few members a month through GET /v1/participants/{id}/dues, the way an LPA reads them.
async function compareApiSample(sim: Sim, month: string): Promise<void> {
  const members = [...sim.oracle.members.values()].filter((member) => member.enrolment !== null);
  for (let drawn = 0; drawn < Math.min(apiSampleSize, members.length); drawn += 1) {
    const member = sim.prng.checks.pick(members);
    const dues = await duesShownByApi(sim, member.participantId);
    if (dues === null) sim.report('dues_http', member.label, '200', 'not answered');
    else compareDues(sim, member, month, dues);
  }
}

async function compareEnrolments(sim: Sim): Promise<void> {
  const shown = await enrolmentsShown(sim.db);
  for (const member of sim.oracle.members.values()) {
    const enrolments = shown.get(member.participantId) ?? [];
    const latest = enrolments[enrolments.length - 1];
    const enrolment = member.enrolment;
    const lapse = enrolment?.lapses[enrolment.lapses.length - 1];
    const open = enrolment !== null && enrolment.spans[enrolment.spans.length - 1]?.to === null;
    const expected = enrolment === null ? 'rejected' : open ? 'active' : `lapsed on ${lapse?.on} (${lapse?.reason})`;
    const actual = latest === undefined ? 'none' : latest.status === 'lapsed' ? `lapsed on ${latest.lapsedOn}` : latest.status;
    if (expected.split(' (')[0] !== actual)
      sim.report('lapse', member.label, expected, actual, `lapse|${member.label}|${expected}|${actual}`);
  }
}

async function compareClaims(sim: Sim): Promise<void> {
  const shown = await claimsShown(sim);
  const entries = await entriesByReference(sim.db, 'claim');
  for (const claim of sim.oracle.claims.values()) {
    const service = shown.get(claim.serviceId);
    if (service === undefined) {
      sim.report('claim_missing', claim.label, claim.status, 'not listed');
      continue;
    }
    const due = claim.acceptedOn === null ? null : paymentDueOn(claim.acceptedOn, claim.expected.deadlineWorkingDays);
    const expected = [
      claim.status,
      claim.status === 'rejected' ? null : (claim.amount?.toFixed(2) ?? null),
      claim.acceptedOn,
      claim.paidOn,
      ['approved', 'paid'].includes(claim.status) ? due : null,
    ];
    const actual = [
      service.status,
      service.status === 'rejected' ? null : service.amount,
      service.acceptedOn,
      service.paidOn,
      ['approved', 'paid'].includes(service.status) ? service.paymentDueOn : null,
    ];
    const names = ['status', 'amount', 'accepted', 'paid', 'due'];
    const differing = names.filter((_, index) => String(expected[index] ?? null) !== String(actual[index] ?? null));
    if (differing.length > 0)
      sim.report(
        'claim_state',
        claim.label,
        differing.map((name) => `${name} ${String(expected[names.indexOf(name)])}`).join(', '),
        differing.map((name) => `${name} ${String(actual[names.indexOf(name)])}`).join(', '),
        `claim_state|${claim.label}|${differing.join(',')}`,
      );
    const wanted = expectedEntries(claim.status, claim.paidOn !== null);
    const got = entries.get(claim.serviceId) ?? 0;
    if (got !== wanted)
      sim.report(
        got > wanted ? 'booked_twice' : 'entry_missing',
        `${claim.label} entries`,
        `${wanted} ledger entries`,
        `${got}`,
        `entries|${claim.label}|${got}`,
      );
  }
  for (const id of shown.keys())
    if (!sim.oracle.claims.has(id)) sim.report('claim_unexpected', `claim ${id}`, 'not filed by anyone', 'listed');
}

// Its reserve once accepted, its payment once paid, and the mirror of each when reversed.
function expectedEntries(status: string, paid: boolean): number {
  switch (status) {
    case 'approved':
      return 1;
    case 'paid':
      return 2;
    case 'reversed':
      return paid ? 4 : 2;
    default:
      return 0;
  }
}

async function compareBooks(sim: Sim, booked: Booked, shown: ReadonlyMap<string, readonly ShownDue[]>): Promise<void> {
  const trial = await trialBalanceShown(sim);
  if (trial === null) {
    sim.report('ledger_http', 'trial balance', '200', 'not answered');
    return;
  }
  if (trial.debits !== trial.credits)
    sim.report(
      'trial_balance',
      'debits and credits',
      'equal',
      `debits ${trial.debits}, credits ${trial.credits}`,
      `trial|${trial.debits}|${trial.credits}`,
    );
  const balance = (code: string) => new Money(trial.balances.get(code) ?? '0');
  const claims = [...sim.oracle.claims.values()];
  const sum = (statuses: readonly string[]) =>
    claims.filter((claim) => statuses.includes(claim.status)).reduce((total, claim) => total.plus(claim.amount ?? 0), zero());
  const oracle = sim.oracle;
  const expect = (kind: string, what: string, expected: Money, actual: Money) => {
    if (!expected.equals(actual))
      sim.report(
        kind,
        what,
        expected.toFixed(2),
        `${actual.toFixed(2)} (off by ${actual.minus(expected).toFixed(2)})`,
        `${kind}|${what}|${actual.minus(expected).toFixed(2)}`,
      );
  };
  for (const code of ['1200', '1400'])
    if (balance(code).lt(0))
      sim.report('receivable_negative', `account ${code}`, '≥ 0', balance(code).toFixed(2), `negative|${code}`);
  // Assistance received for dues cancelled since (months after a death learnt late) is owed back: 2600.
  expect(
    'receivable_1200',
    'subsidy receivable 1200 less assistance to return 2600: subsidy shares owed less receipts',
    booked.subsidy.minus(oracle.receipts),
    balance('1200').plus(balance('2600')),
  );
  expect(
    'receivable_1400',
    'contributions receivable 1400: own shares owed less paid',
    booked.own.minus(oracle.contributions),
    balance('1400'),
  );
  expect('cash_1100', 'cash 1100', oracle.cash(), balance('1100'));
  expect('case_reserve_2100', 'claims payable 2100: accepted, unpaid', sum(['approved']).negated(), balance('2100'));
  expect(
    'premium_booked',
    'unearned 2300 + income 4100: every premium booked',
    booked.premium.negated(),
    balance('2300').plus(balance('4100')),
  );
  expect(
    'claims_expense',
    'claims expense 5100 + IBNR 2200: claims accepted',
    sum(['approved', 'paid']),
    balance('5100').plus(balance('2200')),
  );
  const earned = balance('4100').negated();
  if (earned.lt(booked.earnedLow) || earned.gt(booked.earnedHigh))
    sim.report(
      'premium_earned',
      'premium income 4100',
      `${booked.earnedLow.toFixed(2)} to ${booked.earnedHigh.toFixed(2)}`,
      earned.toFixed(2),
      `earned|${earned.minus(booked.earnedLow).toFixed(2)}`,
    );
  // The service's books against its own dues, whatever the oracle thinks they should be.
  let subsidyShown = zero();
  let ownShown = zero();
  for (const dues of shown.values())
    for (const due of dues) {
      subsidyShown = subsidyShown.plus(due.subsidyShare);
      ownShown = ownShown.plus(due.ownShare);
    }
  expect(
    'ledger_vs_dues',
    '1200 less 2600 against the dues the service holds, less receipts it took',
    subsidyShown.minus(sim.serviceReceipts),
    balance('1200').plus(balance('2600')),
  );
  expect(
    'ledger_vs_dues',
    '1400 against the dues the service holds, less contributions it took',
    ownShown.minus(sim.serviceContributions),
    balance('1400'),
  );
  const reserves = await reservesShown(sim);
  if (reserves === null) sim.report('reserves_http', 'reserves report', '200', 'not answered');
  else {
    expect('reserves_report', 'reserves report: case reserves', sum(['approved']), new Money(reserves.caseReserves));
    expect('reserves_report', 'reserves report: referred', sum(['referred']), new Money(reserves.referred));
  }
}
