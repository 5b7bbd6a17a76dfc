import { z } from 'zod';

const progressSchema = z.object({ done: z.number().int(), total: z.number().int().nullable() });

// A job's run for one period, as operators see it. There is one run record
// per job and period (a period run again reuses it), so its id is the pair.
export const jobRunSchema = z.object({
  id: z.string().meta({ description: 'The job and its period, as job:period, e.g. premium-cycle:2027-01.' }),
  job: z.string(),
  period: z.string().meta({ description: 'YYYY-MM-DD for a daily job, YYYY-MM for a monthly one.' }),
  status: z.enum(['running', 'done', 'failed']),
  progress: progressSchema.nullable().meta({
    description:
      'While at work (finishedAt null, a done period run again included), how far it has got ({"done": 0, "total": null} until it knows); null otherwise.',
  }),
  startedAt: z.iso.datetime(),
  heartbeatAt: z.iso.datetime().meta({ description: 'Last sign of life: a running run reports after every chunk.' }),
  finishedAt: z.iso.datetime().nullable().meta({ description: 'Null while the run is at work.' }),
  detail: z
    .record(z.string(), z.unknown())
    .meta({ description: 'While running, {"progress": {"done", "total"}}; when done, the job’s summary.' }),
  failure: z.string().nullable(),
});
export type JobRun = z.infer<typeof jobRunSchema>;

export function jobRunId(job: string, period: string): string {
  return `${job}:${period}`;
}

// A run's id parsed back into its job and period; job names are lower-case words joined by hyphens.
export const jobRunIdSchema = z
  .string()
  .max(120)
  .regex(/^[a-z][a-z0-9-]*:\d{4}-\d{2}(-\d{2})?$/, 'must be job:period, e.g. premium-cycle:2027-01')
  .transform((id) => {
    const at = id.indexOf(':');
    return { job: id.slice(0, at), period: id.slice(at + 1) };
  });

// A job as the HTTP edge lists it: what `askesos jobs list` prints.
export const jobSchema = z.object({
  name: z.string(),
  description: z.string(),
  schedule: z.string().meta({ description: 'Cron expression, in the fund’s time zone.' }),
  timezone: z.string(),
  period: z.object({
    kind: z.enum(['day', 'month']),
    format: z.enum(['YYYY-MM-DD', 'YYYY-MM']),
    example: z.string(),
  }),
  lastDone: z.string().nullable().meta({ description: 'The latest period done, or null.' }),
});
export type JobListing = z.infer<typeof jobSchema>;
