import { z } from 'zod';

// A job's run for one period, as operators see it.
export const jobRunSchema = z.object({
  job: z.string(),
  period: z.string().meta({ description: 'YYYY-MM-DD for a daily job, YYYY-MM for a monthly one.' }),
  status: z.enum(['running', 'done', 'failed']),
  startedAt: z.iso.datetime(),
  heartbeatAt: z.iso.datetime().meta({ description: 'Last sign of life: a running run reports after every chunk.' }),
  finishedAt: z.iso.datetime().nullable(),
  detail: z
    .record(z.string(), z.unknown())
    .meta({ description: 'While running, {"progress": {"done", "total"}}; when done, the job’s summary.' }),
  failure: z.string().nullable(),
});
export type JobRun = z.infer<typeof jobRunSchema>;
