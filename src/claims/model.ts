import { z } from 'zod';
import { uuidSchema } from '../ids.ts';
import { amountSchema } from '../money/index.ts';
import { deathCauses } from '../rules/catalogue.ts';
import { isoDateSchema } from '../dates.ts';
import { heirInputSchema } from '../registry/index.ts';

// A claim as an LPA files it, one shape per claim type; what the rules read
// of it (days, cost, wage, cause of death) is named as the rules name it.

export const documentsPerClaimMax = 20;
export const claimStatuses = ['approved', 'rejected', 'referred', 'paid', 'reversed'] as const;
// The claims the per-enrolment limit counts (the rules' priorPaidClaims).
export const allowanceClaimTypes: readonly string[] = ['sickness', 'accident'];

export const documentKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,49}$/, 'must be a kebab-case kind such as "medical-certificate"')
  .meta({ description: 'medical-certificate, death-certificate, police-report, receipt, family-card…' });

const documentSchema = z.strictObject({
  kind: documentKindSchema,
  number: z.string().trim().min(1).max(100),
  date: isoDateSchema,
});

const payoutSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('bank'),
    bankName: z.string().trim().min(2).max(100),
    accountNumber: z.string().regex(/^[0-9]{5,20}$/, 'must be 5 to 20 digits'),
    accountHolder: z.string().trim().min(2).max(100),
  }),
  z.strictObject({ method: z.literal('cash'), receivedBy: z.string().trim().min(2).max(100) }),
]);

const common = {
  participantId: uuidSchema,
  incidentDate: isoDateSchema.meta({ description: 'The benefit rules in force on this date decide.' }),
  reportDate: isoDateSchema.meta({ description: 'When the LPA was told; on or after the incident.' }),
  documents: z.array(documentSchema).max(documentsPerClaimMax).default([]),
  payout: payoutSchema,
};
const rupiah = () => amountSchema({ allowZero: false });

export const newClaimSchema = z
  .discriminatedUnion('claimType', [
    z.strictObject({ ...common, claimType: z.literal('sickness'), sicknessDays: z.int().min(1).max(366) }),
    z.strictObject({ ...common, claimType: z.literal('accident') }),
    z.strictObject({ ...common, claimType: z.literal('accident-medical'), costClaimed: rupiah() }),
    z.strictObject({ ...common, claimType: z.literal('dentures'), costClaimed: rupiah() }),
    z.strictObject({
      ...common,
      claimType: z.literal('disability'),
      monthlyWage: rupiah(),
      disabilityPercent: z.int().min(1).max(100).meta({ description: 'Degree of the partial disability, as assessed.' }),
    }),
    z.strictObject({
      ...common,
      claimType: z.literal('death'),
      deathCause: z.enum(deathCauses),
      heir: heirInputSchema.meta({ description: 'The heir (ahli waris) the benefit is for.' }),
    }),
  ])
  .superRefine((claim, ctx) => {
    if (claim.reportDate < claim.incidentDate)
      ctx.addIssue({ code: 'custom', path: ['reportDate'], message: 'must not be before the incident date' });
  });
export type NewClaim = z.output<typeof newClaimSchema>;

const reasonSchema = z.object({ reason: z.string(), explanation: z.string() });
export type ClaimReason = z.infer<typeof reasonSchema>;

export const claimSchema = z.object({
  id: z.uuid(),
  lpaId: z.uuid(),
  participantId: z.uuid(),
  enrolmentId: z.uuid().nullable(),
  claimType: z.string(),
  incidentDate: z.string(),
  reportDate: z.string(),
  details: z
    .record(z.string(), z.unknown())
    .meta({ description: 'What was filed besides the dates: days, cost, heir, payout, documents.' }),
  status: z.enum(claimStatuses),
  amount: z.string().nullable().meta({ description: 'Rupiah approved, or proposed while referred; null when rejected.' }),
  benefit: z.string().nullable(),
  reasons: z.array(reasonSchema).meta({ description: 'Why the claim was rejected or referred.' }),
  coverageYear: z.int().nullable(),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  reserveEntryId: z.uuid().nullable(),
  acceptedOn: z.string().nullable().meta({ description: 'The day the claim was approved, at filing or on review.' }),
  paymentDueOn: z.string().nullable().meta({
    description: 'The last day to pay it, when the rules set a deadline (death benefits: working days from acceptance).',
  }),
  review: z
    .object({
      outcome: z.enum(['approved', 'rejected']),
      reason: z.string(),
      reviewedBy: z.string(),
      reviewedAt: z.iso.datetime(),
    })
    .nullable()
    .meta({ description: "The directorate's decision on a referred claim." }),
  paidOn: z.string().nullable(),
  payoutReference: z.string().nullable().meta({ description: 'The bank transfer or cash receipt reference of the payment.' }),
  paymentEntryId: z.uuid().nullable(),
  reversedOn: z.string().nullable(),
  reversalReason: z.string().nullable(),
  submittedAt: z.iso.datetime(),
  submittedBy: z.string(),
});
export type Claim = z.infer<typeof claimSchema>;

export const paymentSchema = z.strictObject({
  reference: z.string().trim().min(1).max(100).meta({ description: 'The bank transfer or cash receipt reference.' }),
  paidOn: isoDateSchema.optional().meta({
    description:
      'The day the money left the fund; today when absent. Not in the future, not before the claim was accepted; the payment entry is dated this day.',
  }),
});

export const claimReviewSchema = z.strictObject({
  outcome: z.enum(['approved', 'rejected']),
  reason: z
    .string()
    .trim()
    .min(3)
    .max(500)
    .meta({ description: 'Why: receipts checked against the clinic, late report explained by the village head…' }),
});
export type ReviewOutcome = z.output<typeof claimReviewSchema>['outcome'];

export const pastDeadlineSchema = claimSchema.extend({
  daysOverdue: z.int().meta({ description: 'Calendar days from the deadline to today.' }),
});

export const claimReversalSchema = z.strictObject({
  reason: z.string().trim().min(3).max(500).meta({ description: 'Why the claim is reversed: found fraudulent, filed twice…' }),
});

export const explanationSchema = z.object({
  claimId: z.uuid(),
  status: z.enum(claimStatuses),
  amount: z.string().nullable(),
  summary: z.string(),
  lines: z.array(z.string()),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  facts: z.record(z.string(), z.unknown()),
});
export type Explanation = z.infer<typeof explanationSchema>;
