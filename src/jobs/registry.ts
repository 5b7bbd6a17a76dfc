import type { Db } from '../db/knex.ts';
import type { ScheduledJob } from './scheduler.ts';

// The jobs this service schedules. Premium cycles and reports register here
// as their features land; the list is a function of the database they use.
export function scheduledJobs(_db: Db): ScheduledJob[] {
  return [];
}
