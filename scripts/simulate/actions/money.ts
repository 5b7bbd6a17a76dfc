import { addDays, lastDay, minDate, monthOf } from '../calendar.ts';
import type { Sim } from '../context.ts';
import { Money } from '../oracle/policy.ts';
import type { Reply } from '../service/client.ts';

// Money coming in: what participants pay of their own share through their
// LPA, and the premium assistance finance receives from the state budget.
// Amounts come from the oracle's receivables as they stood at the last
// check, so that a refusal is the service's doing; now and then someone
// pays more than could be owed, which must be refused and write nothing.

export async function contribute(sim: Sim, person: number, how: 'owed' | 'over'): Promise<void> {
  const participantId = sim.participants.get(person);
  if (participantId === undefined) return;
  const amount =
    how === 'owed'
      ? sim.oracle.safePayment(participantId)
      : Money.max(0, sim.oracle.contributionCeiling(participantId, sim.today)).plus(sim.prng.actions.int(1, 50) * 1000);
  if (amount.lte(0)) return;
  const expectation = sim.oracle.contributionExpectation(participantId, amount, sim.today);
  const plan = sim.person(person);
  const reference = sim.nextKey('receipt');
  const send = () =>
    sim.api.post(
      sim.keys.lpa.get(plan.lpa) ?? '',
      `/v1/participants/${participantId}/contributions`,
      { amount: amount.toFixed(2), paidOn: sim.today, reference },
      reference,
    );
  const reply = await send();
  const subject = `${plan.label} pays Rp ${amount.toFixed(0)}`;
  if (sim.traced(plan.label))
    sim.trace(`${subject} (${how}, the oracle says ${expectation}): ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
  if (reply.status === 201) {
    if (expectation === 'refuse') sim.report('contribution_over_accepted', subject, '422: more than is owed', '201');
    if (sim.prng.actions.chance(0.03)) await expectReplay(sim, subject, reply, await send());
    sim.serviceContributions = sim.serviceContributions.plus(amount);
    sim.stats.contributions += 1;
    const reinstates = sim.oracle.recordContribution(participantId, amount, sim.today);
    const reinstated = ((reply.body as { reinstated?: unknown[] }).reinstated ?? []).length > 0;
    if (reinstates !== reinstated)
      sim.report(
        'reinstatement',
        subject,
        reinstates ? 'cover reinstated' : 'no reinstatement',
        reinstated ? 'reinstated' : 'not reinstated',
      );
    if (reinstates) sim.resumed.add(person);
  } else if (reply.status === 422) {
    if (expectation === 'accept') sim.report('contribution_refused', subject, '201', `422 ${problemOf(reply.body)}`);
    else await expectNothingWritten(sim, 'contribution', subject, reference);
  } else
    sim.report(
      'contribution_http',
      subject,
      expectation === 'refuse' ? '422' : '201',
      `${reply.status} ${problemOf(reply.body)}`,
    );
}

export async function receiveSubsidy(sim: Sim): Promise<void> {
  const safe = sim.oracle.safeReceipt();
  const roll = sim.prng.actions.float();
  const over = roll < 0.1;
  const amount = over
    ? Money.max(0, sim.oracle.subsidyCeiling(sim.today)).plus(sim.prng.actions.int(1, 500) * 1000)
    : roll < 0.65
      ? safe
      : safe.times(sim.prng.actions.int(30, 90)).dividedBy(100).toDecimalPlaces(0, Money.ROUND_FLOOR);
  if (amount.lte(0)) return;
  const expectation = sim.oracle.receiptExpectation(amount, sim.today);
  const reference = sim.nextKey('SP2D');
  const send = () =>
    sim.api.post(
      sim.keys.finance,
      '/v1/subsidy-receipts',
      { amount: amount.toFixed(2), receivedOn: sim.today, reference, period: monthOf(addDays(sim.today, -1)) },
      reference,
    );
  const reply = await send();
  const subject = `subsidy receipt ${reference} of Rp ${amount.toFixed(0)}`;
  if (reply.status === 201) {
    if (expectation === 'refuse') sim.report('receipt_over_accepted', subject, '422: more than the subsidy receivable', '201');
    if (sim.prng.actions.chance(0.1)) await expectReplay(sim, subject, reply, await send());
    sim.serviceReceipts = sim.serviceReceipts.plus(amount);
    sim.oracle.recordReceipt(amount);
    sim.stats.receipts += 1;
  } else if (reply.status === 422) {
    if (expectation === 'accept') sim.report('receipt_refused', subject, '201', `422 ${problemOf(reply.body)}`);
    else await expectNothingWritten(sim, 'subsidy-receipt', subject, reference);
  } else
    sim.report('receipt_http', subject, expectation === 'refuse' ? '422' : '201', `${reply.status} ${problemOf(reply.body)}`);
}

// Sent again under its key (a clerk's retry), a payment answers the first and books nothing more.
async function expectReplay(sim: Sim, subject: string, first: Reply, again: Reply): Promise<void> {
  const id = (reply: Reply) => (reply.body as { id?: string }).id;
  if (again.status !== first.status || id(again) !== id(first) || !again.replayed)
    sim.report(
      'idempotency',
      `${subject}, sent again`,
      `${first.status} replaying ${id(first)}`,
      `${again.status} ${id(again)} replayed=${again.replayed}`,
    );
}

// A refusal writes nothing: no entry under the payment's reference.
async function expectNothingWritten(sim: Sim, referenceType: string, subject: string, reference: string): Promise<void> {
  if (referenceType === 'contribution') return;
  const reply = await sim.api.get(sim.keys.finance, `/v1/ledger/entries?referenceType=${referenceType}&referenceId=${reference}`);
  const entries = (reply.body as { entries?: unknown[] }).entries ?? [];
  if (entries.length > 0) sim.report('refused_but_written', subject, 'no ledger entry', `${entries.length} entries`);
}

// Who pays this month, and when: prompt payers within the month, late ones
// every few months, resumers once after their cover lapsed and promptly
// after, the rest never. Now and then a payment is more than could be owed.
export function planContributions(sim: Sim): void {
  const monthEnd = minDate(lastDay(monthOf(sim.today)), sim.scenario.end);
  for (const [person, participantId] of sim.participants) {
    if (sim.oracle.safePayment(participantId).lte(0)) continue;
    const plan = sim.person(person);
    const payer = plan.payer === 'resumer' && sim.resumed.has(person) ? 'prompt' : plan.payer;
    const prng = sim.prng.actions;
    const payOn = addDays(sim.today, prng.int(1, 24));
    if (payOn > monthEnd) continue;
    if (payer === 'prompt' || (payer === 'late' && prng.chance(0.35)))
      sim.agenda.add(payOn, { kind: 'contribute', person, how: 'owed' });
    if (prng.chance(0.02)) sim.agenda.add(payOn, { kind: 'contribute', person, how: 'over' });
  }
}

export function problemOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return String(body).slice(0, 160);
  const problem = body as { code?: string; detail?: string; title?: string };
  return `${problem.code ?? problem.title ?? ''} ${problem.detail ?? ''}`.trim().slice(0, 160);
}
