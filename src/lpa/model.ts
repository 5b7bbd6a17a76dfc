import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { monthSchema } from '../ledger/model.ts';
import { amountSchema } from '../money/index.ts';

// The shapes of the LPA's dealings with the fund: what routes take in and
// answer. Types come from the schemas.

export const honorariumPaymentSchema = z.strictObject({
  amount: amountSchema({ allowZero: false }),
  paidOn: isoDateSchema.meta({ description: 'The day the transfer left the fund.' }),
  reference: z.string().trim().min(1).max(100).meta({ description: 'The transfer’s reference.' }),
});
export type HonorariumPayment = z.output<typeof honorariumPaymentSchema>;

export const progressReportInputSchema = z.strictObject({
  period: monthSchema.meta({ description: 'The finished month reported on, YYYY-MM.' }),
  notes: z.string().trim().min(1).max(4000).meta({ description: 'What the LPA did in the month, in its own words.' }),
});
export type ProgressReportInput = z.infer<typeof progressReportInputSchema>;

export const progressReportSchema = z.object({
  lpaId: z.uuid(),
  period: monthSchema,
  submittedOn: isoDateSchema,
  notes: z.string(),
  submittedBy: z.string(),
});
export type ProgressReport = z.infer<typeof progressReportSchema>;

// A reason the lpa rules held a strengthening grant back, as they word it.
export const strengtheningReasonSchema = z.object({ reason: z.string(), explanation: z.string() });
export type StrengtheningReason = z.infer<typeof strengtheningReasonSchema>;

export const strengtheningDecisionSchema = z.object({
  period: monthSchema,
  scheme: z.string(),
  coverageYear: z.int(),
  participants: z.int().meta({ description: 'Members of the LPA whose coverage year began in the month.' }),
  granted: z.boolean(),
  amount: z.string().meta({ description: 'Rupiah as a decimal string; 0.00 when held back.' }),
  reasons: z.array(strengtheningReasonSchema).meta({
    description: 'Every reason the grant was held back; empty when granted.',
  }),
  facts: z.record(z.string(), z.unknown()).meta({ description: 'What the rules were given about the LPA.' }),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  entryId: z.uuid().nullable(),
});
export type StrengtheningDecisionRecord = z.infer<typeof strengtheningDecisionSchema>;
