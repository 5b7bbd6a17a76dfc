import { z } from 'zod';

export const storedReportKinds = ['honorarium', 'reserves', 'fund-statement', 'indicators'] as const;
export type StoredReportKind = (typeof storedReportKinds)[number];

export const reportRunSchema = z.object({
  id: z.uuid(),
  kind: z.enum(storedReportKinds),
  parameters: z.record(z.string(), z.string()),
  title: z.string(),
  producedBy: z.string(),
  producedAt: z.iso.datetime(),
});
export type ReportRun = z.infer<typeof reportRunSchema>;
