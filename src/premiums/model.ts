import { z } from 'zod';

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
