import { type ConsoleOptions, type ConsoleSection } from '../page.ts';

// LPAs: proposals, progress, honorarium, strengthening, savings and loans.
export function lpasSection(_options: ConsoleOptions): ConsoleSection {
  return { pages: [], forms: [] };
}
