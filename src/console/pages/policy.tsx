import { type ConsoleOptions, type ConsoleSection } from '../page.ts';

// Policy: versions, drafts, diff, impact, publish.
export function policySection(_options: ConsoleOptions): ConsoleSection {
  return { pages: [], forms: [] };
}
