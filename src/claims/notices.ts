import type { NoticeDraft } from '../notices/index.ts';
import type { Claim } from './model.ts';

// Pure: the notices a decision owes, built from the decision as stored.
// Each is keyed by the decision it tells of, so writing it twice is
// writing it once.

// A claim as just decided, at filing or on review: its decision, and for a
// death benefit granted, the end of the cover it tells the heirs of.
export function claimDecisionNotices(claim: Claim, decidedOn: string): NoticeDraft[] {
  const base = {
    lpaId: claim.lpaId,
    participantId: claim.participantId,
    decidedOn,
    rule: claim.rule,
  };
  const about = { claimId: claim.id, claimType: claim.claimType, incidentDate: claim.incidentDate };
  const review = claim.review?.reason ?? null;
  switch (claim.status) {
    case 'approved': {
      if (claim.amount === null || claim.benefit === null) throw new Error(`approved claim ${claim.id} has no amount`);
      const approved: NoticeDraft = {
        ...base,
        decisionKey: `claim:${claim.id}:approved`,
        decision: {
          kind: 'claim-approved',
          ...about,
          benefit: claim.benefit,
          amount: claim.amount,
          paymentDueOn: claim.paymentDueOn,
          review,
        },
      };
      if (claim.claimType !== 'death') return [approved];
      return [
        approved,
        {
          ...base,
          decisionKey: `death:${claim.id}`,
          decision: { kind: 'cover-ended', cause: 'death', endedOn: claim.incidentDate, arrears: null, reasons: [] },
        },
      ];
    }
    case 'referred':
      if (claim.amount === null) throw new Error(`referred claim ${claim.id} has no amount`);
      return [
        {
          ...base,
          decisionKey: `claim:${claim.id}:referred`,
          decision: { kind: 'claim-referred', ...about, amount: claim.amount, reasons: claim.reasons },
        },
      ];
    case 'rejected':
      return [
        {
          ...base,
          decisionKey: `claim:${claim.id}:rejected`,
          decision: { kind: 'claim-rejected', ...about, reasons: claim.reasons, review },
        },
      ];
    case 'paid':
    case 'reversed':
      throw new Error(`claim ${claim.id} is ${claim.status}: not a decision on filing or review`);
    default: {
      const unreachable: never = claim.status;
      throw new Error(`unknown claim status ${String(unreachable)}`);
    }
  }
}

export function paymentNotice(claim: Claim): NoticeDraft {
  if (claim.status !== 'paid' || claim.amount === null || claim.paidOn === null)
    throw new Error(`claim ${claim.id} is ${claim.status}, not paid`);
  return {
    lpaId: claim.lpaId,
    participantId: claim.participantId,
    decisionKey: `payment:${claim.id}`,
    decidedOn: claim.paidOn,
    decision: {
      kind: 'claim-paid',
      claimId: claim.id,
      claimType: claim.claimType,
      incidentDate: claim.incidentDate,
      amount: claim.amount,
      paidOn: claim.paidOn,
      reference: claim.payoutReference ?? '',
    },
    rule: claim.rule,
  };
}
