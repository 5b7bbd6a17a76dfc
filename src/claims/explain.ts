import type { FiredEvent, RuleTrace, TraceNode } from '../rules/compile.ts';
import { formatRupiah, fromNumeric } from '../money/index.ts';
import type { Claim, Explanation } from './model.ts';

// A decision in words an agency officer can read out to a family: which rules
// were in force, what applied, and for each rule about this kind of claim
// that did not apply, the condition that failed and the value it saw.

const operatorWords: Readonly<Record<string, string>> = {
  equal: 'to be',
  notEqual: 'not to be',
  in: 'to be one of',
  notIn: 'not to be one of',
  lessThan: 'to be less than',
  lessThanInclusive: 'to be at most',
  greaterThan: 'to be more than',
  greaterThanInclusive: 'to be at least',
  decimalEqual: 'to be',
  decimalLessThan: 'to be less than',
  decimalLessThanInclusive: 'to be at most',
  decimalGreaterThan: 'to be more than',
  decimalGreaterThanInclusive: 'to be at least',
  dateBefore: 'to be before',
  dateOnOrBefore: 'to be on or before',
  dateAfter: 'to be after',
  dateOnOrAfter: 'to be on or after',
};

const words = (value: unknown) => (Array.isArray(value) ? value.join(', ') : value === null ? 'not given' : String(value));

export interface StoredDecision {
  readonly facts: Readonly<Record<string, unknown>>;
  readonly events: readonly FiredEvent[];
  readonly trace: readonly RuleTrace[];
}

export function explainClaim(claim: Claim, decision: StoredDecision): Explanation {
  const { rule } = claim;
  // A claim outside cover is refused before any benefit rule is read.
  const lines = [
    decision.trace.length === 0
      ? `Refused before the benefit rules of ${rule.scheme} version ${rule.version} (in force on the incident date ${claim.incidentDate}) were applied: the claim is outside cover.`
      : `Decided by ${rule.scheme} version ${rule.version} (rules hash ${rule.hash.slice(0, 12)}), the version in force on the incident date ${claim.incidentDate}.`,
  ];
  if (claim.coverageYear !== null)
    lines.push(`The incident fell in coverage year ${claim.coverageYear} of the participant's enrolment.`);
  for (const reason of claim.reasons) if (decision.trace.length === 0) lines.push(reason.explanation);
  for (const event of decision.events) lines.push(`Rule “${event.rule}” applied${eventWords(event)}`);
  for (const trace of decision.trace) {
    if (trace.fired || !aboutThisClaimType(trace.conditions, claim.claimType)) continue;
    const failed = failedLeaves(trace.conditions);
    lines.push(`Rule “${trace.rule}” did not apply: ${failed.join('; ')}.`);
  }
  if (claim.review !== null)
    lines.push(
      `The directorate ${claim.review.outcome} it on review (${claim.review.reviewedBy}, ${claim.review.reviewedAt}): ${claim.review.reason}`,
    );
  if (claim.paymentDueOn !== null) lines.push(`Accepted on ${claim.acceptedOn ?? ''}; to be paid by ${claim.paymentDueOn}.`);
  return {
    claimId: claim.id,
    status: claim.status,
    amount: claim.amount,
    summary: summaryOf(claim),
    lines,
    rule,
    facts: { ...decision.facts },
  };
}

function summaryOf(claim: Claim): string {
  const benefit = () => `${formatRupiah(fromNumeric(claim.amount ?? '0'))} (${claim.benefit ?? claim.claimType})`;
  const reasons = claim.reasons.map((reason) => reason.explanation).join(' ');
  switch (claim.status) {
    case 'approved':
      return `Approved: ${benefit()}.`;
    case 'paid':
      return `Paid: ${benefit()} on ${claim.paidOn ?? ''}, reference ${claim.payoutReference ?? ''}.`;
    case 'referred':
      return `Referred to the directorate for review: ${reasons} The rules would pay ${benefit()}.`;
    case 'reversed':
      return `Reversed on ${claim.reversedOn ?? ''}: ${claim.reversalReason ?? ''} It had been approved for ${benefit()}.`;
    case 'rejected':
      return claim.review !== null ? `Rejected on review: ${claim.review.reason}` : `Rejected: ${reasons}`;
    default: {
      const unreachable: never = claim.status;
      throw new Error(`unknown claim status ${String(unreachable)}`);
    }
  }
}

function eventWords(event: FiredEvent): string {
  switch (event.type) {
    case 'benefit':
      return '.';
    case 'documents-required':
      return `: the claim needs ${words(event.params.kinds)}.`;
    case 'payment-deadline':
      return `: the benefit is paid within ${String(event.params.workingDays)} working days of acceptance.`;
    default:
      return `: ${String(event.params.explanation)}`;
  }
}

function aboutThisClaimType(node: TraceNode, claimType: string): boolean {
  if ('fact' in node) return node.fact === 'claimType' && node.result && node.factValue === claimType;
  if ('not' in node) return false;
  return ('all' in node ? node.all : node.any).some((child) => aboutThisClaimType(child, claimType));
}

function failedLeaves(node: TraceNode): string[] {
  if (node.result) return [];
  if ('fact' in node)
    return [
      `${node.fact} was ${words(node.factValue)}, and the rule needs it ${operatorWords[node.operator] ?? node.operator} ${words(node.value)}`,
    ];
  if ('not' in node) return ['a condition the rule excludes held'];
  return ('all' in node ? node.all : node.any).flatMap(failedLeaves);
}
