import { type ConsoleOptions, type ConsoleSection } from '../page.ts';

// Claims and the review queue.
export function claimsSection(_options: ConsoleOptions): ConsoleSection {
  return { pages: [], forms: [] };
}
