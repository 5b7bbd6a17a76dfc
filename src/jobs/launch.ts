import type { Actor } from '../access/principal.ts';
import type { Logger } from '../log.ts';
import type { JobListing } from './model.ts';
import type { RunHooks, RunOutcome } from './runs.ts';

// A job of the registry in src/app, as the HTTP edge starts it: the edge
// cannot import the registry (features never import the app), so the app
// hands its jobs over in this shape.
export interface LaunchableJob {
  readonly listing: Omit<JobListing, 'lastDone'>;
  // What is wrong with a period given by hand, or null when it is one.
  periodProblem(text: string): string | null;
  // The registry's run: refuses a period not begun, takes the job's lock.
  run(period: string, actor: Actor, hooks: RunHooks): Promise<RunOutcome<object>>;
}

export type StartOutcome = { started: true } | { started: false; why: 'done' | 'running' };

// Starts a run that works on in this process after the request is answered,
// as an impact run does. Settles once the period is claimed, or with why it
// was not run; rejects when the job refuses the period before claiming it.
// A run cut off by the service stopping stays running until the next
// trigger or start takes its period over, finishing what it began.
export function startInBackground(job: LaunchableJob, period: string, actor: Actor, log: Logger): Promise<StartOutcome> {
  return new Promise<StartOutcome>((resolve, reject) => {
    let started = false;
    const name = job.listing.name;
    job
      .run(period, actor, {
        onStarted: () => {
          started = true;
          resolve({ started: true });
        },
      })
      .then(
        (outcome) => {
          if (!outcome.ran) resolve({ started: false, why: outcome.why });
        },
        (error: unknown) => {
          // After the 202 nobody waits for the error: the run is recorded
          // failed, with its message, where GET /v1/jobs/runs/{id} shows it.
          if (started) log.error({ err: error, job: name, period }, 'job run started over HTTP failed');
          else reject(error);
        },
      );
  });
}
