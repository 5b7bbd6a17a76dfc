import { addDays, addWorkingDays, maxDate } from '../calendar.ts';
import type { Sim } from '../context.ts';
import { coverReasons, type ExpectedDecision, type FiledClaim, paymentDueOn } from '../oracle/claims.ts';
import type { ClaimStatus } from '../oracle/fund.ts';
import { Money } from '../oracle/policy.ts';
import { documentsFor, type IncidentPlan, incident } from '../world/plan.ts';
import { addCapital } from './setup.ts';
import { problemOf } from './money.ts';

// Claims as LPAs file them, the directorate reviews them and finance pays
// them. Each decision is held against the oracle's the moment it is made;
// what follows (a payment, a review, a claim filed after a death) follows
// the service's decision, so that one wrong answer is reported once.

interface ServiceClaim {
  readonly id: string;
  readonly status: ClaimStatus;
  readonly amount: string | null;
  readonly reasons: readonly { readonly reason: string }[];
  readonly coverageYear: number | null;
  readonly acceptedOn: string | null;
  readonly paymentDueOn: string | null;
}

// The spec leaves the code of the refusal after a death open; these are the names it may go by.
const afterDeathCodes = new Set([
  'after_death',
  'death_benefit_already_approved',
  'incident_after_death',
  'participant_deceased',
  'participant_died',
]);

export function canonicalReason(reason: string): string {
  return afterDeathCodes.has(reason) ? 'after_death' : reason;
}

export async function fileClaim(sim: Sim, person: number, planned: IncidentPlan, why: string): Promise<void> {
  const participantId = sim.participants.get(person);
  if (participantId === undefined) return;
  // While a death is under review, the LPA waits for the directorate before filing more.
  if (sim.oracle.deathUnderReview(participantId)) {
    sim.agenda.add(addDays(sim.today, 3), { kind: 'file', person, incident: planned, why });
    return;
  }
  const plan = sim.person(person);
  const filed: FiledClaim = {
    claimType: planned.claimType,
    incidentDate: planned.incidentDate,
    reportDate: sim.today,
    sicknessDays: planned.sicknessDays,
    deathCause: planned.deathCause,
    costClaimed: planned.costClaimed === null ? null : new Money(planned.costClaimed),
    monthlyWage: planned.monthlyWage === null ? null : new Money(planned.monthlyWage),
    documentKinds: planned.documents,
  };
  const expected = sim.oracle.expectClaim(participantId, filed);
  const key = sim.nextKey('claim');
  const body = claimBody(participantId, planned, plan.identity.heir, key, sim.today);
  const reply = await sim.api.post(sim.keys.lpa.get(plan.lpa) ?? '', '/v1/claims', body, key);
  const label = `${key.replace(/^sim-\d+-/, '')} ${plan.label} ${planned.claimType} on ${planned.incidentDate}${why === 'planned' ? '' : ` (${why})`}`;
  sim.stats.claims += 1;
  if (reply.status !== 201) {
    sim.report('claim_http', label, `201 ${describe(expected)}`, `${reply.status} ${problemOf(reply.body)}`);
    return;
  }
  const claim = reply.body as ServiceClaim;
  if (sim.traced(plan.label))
    sim.trace(
      `${label}: expected ${describe(expected)}, got ${claim.status} ${claim.amount} [${claim.reasons.map((r) => r.reason).join(', ')}]`,
    );
  if (sim.prng.actions.chance(0.03)) await retry(sim, plan.lpa, body, key, claim, label);
  compareDecision(sim, label, expected, claim);
  const status: ClaimStatus = ['approved', 'rejected', 'referred'].includes(claim.status) ? claim.status : expected.status;
  const record = sim.oracle.recordClaim({
    label,
    serviceId: claim.id,
    participantId,
    filed,
    filedOn: sim.today,
    expected,
    status,
    amount: claim.amount === null ? expected.amount : new Money(claim.amount),
  });
  if (record.status === 'approved') afterAcceptance(sim, person, claim.id);
  if (record.status === 'referred')
    sim.agenda.add(addDays(sim.today, sim.prng.actions.int(1, 14)), { kind: 'review', claimId: claim.id });
  if (
    record.status === 'rejected' &&
    onlyDocumentsMissing(claim) &&
    (planned.claimType === 'death' || sim.prng.actions.chance(0.7))
  ) {
    const complete = { ...planned, documents: documentsFor(planned.claimType, planned.deathCause) };
    sim.agenda.add(addDays(sim.today, sim.prng.actions.int(2, 15)), {
      kind: 'file',
      person,
      incident: complete,
      why: 'filed again with the documents',
    });
  }
}

function claimBody(
  participantId: string,
  planned: IncidentPlan,
  heir: { name: string; relation: string },
  key: string,
  reportDate: string,
): Record<string, unknown> {
  return {
    participantId,
    claimType: planned.claimType,
    incidentDate: planned.incidentDate,
    reportDate,
    documents: planned.documents.map((kind) => ({ kind, number: `${kind}-${key}`, date: planned.incidentDate })),
    payout: { method: 'cash', receivedBy: heir.name },
    ...(planned.sicknessDays === null ? {} : { sicknessDays: planned.sicknessDays }),
    ...(planned.costClaimed === null ? {} : { costClaimed: planned.costClaimed }),
    ...(planned.monthlyWage === null ? {} : { monthlyWage: planned.monthlyWage, disabilityPercent: planned.disabilityPercent }),
    ...(planned.deathCause === null ? {} : { deathCause: planned.deathCause, heir }),
  };
}

// The same request under the same key answers the first claim, and files nothing more.
async function retry(
  sim: Sim,
  lpa: number,
  body: Record<string, unknown>,
  key: string,
  first: ServiceClaim,
  label: string,
): Promise<void> {
  const again = await sim.api.post(sim.keys.lpa.get(lpa) ?? '', '/v1/claims', body, key);
  const claim = again.body as Partial<ServiceClaim>;
  if (again.status !== 201 || claim.id !== first.id || !again.replayed)
    sim.report(
      'idempotency',
      label,
      `201 replaying claim ${first.id}`,
      `${again.status} ${String(claim.id)} replayed=${again.replayed}`,
    );
}

export function compareDecision(sim: Sim, label: string, expected: ExpectedDecision, claim: ServiceClaim): void {
  const actual = claim.reasons.map((reason) => canonicalReason(reason.reason));
  if (claim.status !== expected.status) {
    sim.report('claim_status', label, describe(expected), `${claim.status} [${actual.join(', ')}]`);
    return;
  }
  const missing = expected.reasons.filter((reason) => !actual.includes(reason));
  const extra = actual.filter((reason) => !expected.reasons.includes(reason) && !expected.mayAlsoGive.includes(reason));
  if (missing.length > 0 || extra.length > 0)
    sim.report(
      'claim_reasons',
      label,
      `${expected.status} [${expected.reasons.join(', ')}]`,
      `${claim.status} [${actual.join(', ')}]`,
    );
  const amount = expected.amount?.toFixed(2) ?? null;
  if (claim.amount !== amount) sim.report('claim_amount', label, String(amount), String(claim.amount));
  const refused = expected.reasons.some((reason) => (coverReasons as readonly string[]).includes(reason));
  if (
    !refused &&
    missing.length === 0 &&
    extra.length === 0 &&
    expected.coverageYear !== null &&
    claim.coverageYear !== expected.coverageYear
  )
    sim.report('claim_coverage_year', label, String(expected.coverageYear), String(claim.coverageYear));
  if (expected.status === 'approved') {
    const due = paymentDueOn(sim.today, expected.deadlineWorkingDays);
    if (claim.paymentDueOn !== due) sim.report('claim_deadline', label, String(due), String(claim.paymentDueOn));
  }
}

export function describe(expected: ExpectedDecision): string {
  const amount = expected.amount === null ? '' : ` Rp ${expected.amount.toFixed(0)}`;
  return `${expected.status}${amount} [${expected.reasons.join(', ')}]`;
}

function onlyDocumentsMissing(claim: ServiceClaim): boolean {
  return claim.reasons.length > 0 && claim.reasons.every((reason) => reason.reason === 'documents_missing');
}

// An accepted claim is paid by finance within days (a death benefit within
// its deadline, mostly); a few are found wrong and reversed. After a death,
// the LPA may still file for something that happened before it, and now and
// then someone files for an incident after it.
function afterAcceptance(sim: Sim, person: number, claimId: string): void {
  const prng = sim.prng.actions;
  const claim = sim.oracle.claim(claimId);
  const isDeath = claim.filed.claimType === 'death';
  const payOn = isDeath
    ? addWorkingDays(
        sim.today,
        prng.weighted([
          [85, prng.int(0, 3)],
          [15, prng.int(4, 10)],
        ]),
      )
    : addDays(sim.today, prng.int(1, 25));
  sim.agenda.add(payOn, { kind: 'pay', claimId });
  if (!isDeath && prng.chance(0.02)) sim.agenda.add(addDays(sim.today, prng.int(1, 40)), { kind: 'reverse', claimId });
  if (!isDeath) return;
  const died = claim.filed.incidentDate;
  const enrolledOn = sim.person(person).enrolledOn;
  if (prng.chance(0.35)) {
    const before = maxDate(addDays(died, -prng.int(5, 40)), enrolledOn);
    if (before < died) {
      const earlier = incident(prng, sim.scenario, { entryOn: sim.today }, prng.chance(0.7) ? 'sickness' : 'accident', before);
      const fileOn = addDays(sim.today, prng.int(1, 20));
      if (fileOn <= sim.scenario.end)
        sim.agenda.add(fileOn, {
          kind: 'file',
          person,
          incident: { ...earlier, fileOn },
          why: 'incident before the death, filed after it',
        });
    }
  }
  if (prng.chance(0.1)) {
    const fileOn = addDays(sim.today, prng.int(1, 20));
    const after = addDays(died, prng.int(1, 20));
    if (after < fileOn && fileOn <= sim.scenario.end)
      sim.agenda.add(fileOn, {
        kind: 'file',
        person,
        incident: { ...incident(prng, sim.scenario, { entryOn: sim.today }, 'accident', after), fileOn },
        why: 'incident after the death',
      });
  }
}

export async function reviewClaim(sim: Sim, claimId: string): Promise<void> {
  const claim = sim.oracle.claim(claimId);
  if (claim.status !== 'referred') return;
  const outcome = claim.filed.claimType === 'death' || sim.prng.actions.chance(0.75) ? 'approved' : 'rejected';
  const key = sim.nextKey('review');
  const reply = await sim.api.post(
    sim.keys.directorate,
    `/v1/claims/${claimId}/review`,
    { outcome, reason: 'checked by the directorate' },
    key,
  );
  if (reply.status !== 200) {
    sim.report('review_http', claim.label, `200 ${outcome}`, `${reply.status} ${problemOf(reply.body)}`);
    return;
  }
  const reviewed = reply.body as ServiceClaim;
  sim.oracle.recordReview(claimId, outcome, sim.today);
  if (reviewed.status !== outcome) sim.report('claim_review', claim.label, outcome, reviewed.status);
  if (outcome === 'approved') {
    const due = paymentDueOn(sim.today, claim.expected.deadlineWorkingDays);
    if (reviewed.paymentDueOn !== due) sim.report('claim_deadline', claim.label, String(due), String(reviewed.paymentDueOn));
    const person = sim.personOf.get(claim.participantId);
    if (person !== undefined) afterAcceptance(sim, person, claimId);
  }
}

export async function payClaim(sim: Sim, claimId: string): Promise<void> {
  const claim = sim.oracle.claim(claimId);
  if (claim.status !== 'approved' || claim.amount === null) return;
  if (sim.oracle.cash().lt(claim.amount)) await addCapital(sim, Money.max(claim.amount.times(2), 50_000_000));
  const key = sim.nextKey('payout');
  const reply = await sim.api.post(sim.keys.finance, `/v1/claims/${claimId}/payment`, { reference: key }, key);
  if (reply.status !== 200) {
    sim.report('payment_refused', claim.label, '200 paid', `${reply.status} ${problemOf(reply.body)}`);
    return;
  }
  sim.oracle.recordPayment(claimId, sim.today);
}

export async function reverseClaim(sim: Sim, claimId: string): Promise<void> {
  const claim = sim.oracle.claim(claimId);
  if (claim.status !== 'approved' && claim.status !== 'paid') return;
  const key = sim.nextKey('reversal');
  const reply = await sim.api.post(
    sim.keys.directorate,
    `/v1/claims/${claimId}/reversal`,
    { reason: 'filed twice by the LPA' },
    key,
  );
  if (reply.status !== 200) {
    sim.report('reversal_http', claim.label, '200 reversed', `${reply.status} ${problemOf(reply.body)}`);
    return;
  }
  sim.oracle.recordReversal(claimId);
}
