import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { monthSchema } from '../ledger/model.ts';
import { type Amount, amountSchema } from '../money/index.ts';

// The premiums' schemas, and the types that come from them.

export const coverLapseSchema = z.object({
  enrolmentId: z.uuid(),
  reason: z.enum(['not-eligible', 'arrears', 'scheme-ended']),
  lapsedOn: z.string(),
  arrears: z.string().nullable().meta({ description: 'For arrears: the own share unpaid when cover lapsed.' }),
  arrearsSince: z.string().nullable().meta({ description: 'For arrears: the month of the oldest due unpaid, YYYY-MM.' }),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  reinstatedOn: z
    .string()
    .nullable()
    .meta({ description: 'The day cover resumed; the days from lapsedOn to it were not covered.' }),
  reinstatedBy: z.uuid().nullable().meta({ description: 'The contribution that paid up.' }),
  reinstateRule: z.object({ version: z.string(), hash: z.string() }).nullable(),
});
export type CoverLapse = z.infer<typeof coverLapseSchema>;

export const contributionInputSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  paidOn: isoDateSchema.meta({ description: 'The day the LPA received it.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The LPA’s receipt number.' }),
});
export type ContributionInput = z.output<typeof contributionInputSchema>;

export const contributionSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  amount: z.string(),
  paidOn: z.string(),
  reference: z.string(),
  applied: z.array(z.object({ period: z.string(), amount: z.string() })).meta({ description: 'Dues it paid, oldest first.' }),
  entryId: z.uuid(),
  recordedBy: z.string(),
  reinstated: z
    .array(z.object({ enrolmentId: z.uuid(), lapsedOn: z.string(), reinstatedOn: z.string() }))
    .meta({ description: 'Cover lapsed for arrears that this payment cleared and reinstated; the days between stay uncovered.' }),
});
export type Contribution = z.infer<typeof contributionSchema>;

export const dueSchema = z.object({
  period: z.string().meta({ description: 'The month, YYYY-MM.' }),
  coverageYear: z.int(),
  monthOfCover: z.int(),
  premium: z.string(),
  subsidyShare: z.string(),
  ownShare: z.string(),
  ownPaid: z.string(),
  outstanding: z.string().meta({ description: 'Own share not yet paid.' }),
  rule: z.object({ scheme: z.string(), version: z.string() }),
});
export type Due = z.infer<typeof dueSchema>;

export interface OpenDue {
  readonly enrolmentId: string;
  readonly period: string;
  readonly open: Amount;
}

export interface Reinstated {
  readonly enrolmentId: string;
  readonly lapsedOn: string;
  readonly reinstatedOn: string;
}

export const subsidyReceiptSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  receivedOn: isoDateSchema.meta({ description: 'The day the transfer reached the fund.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The state budget transfer’s reference (SP2D number).' }),
  period: monthSchema
    .optional()
    .meta({ description: 'The month of premium assistance it pays for, when the transfer names one.' }),
});
export type SubsidyReceipt = z.infer<typeof subsidyReceiptSchema>;
