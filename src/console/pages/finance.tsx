import { type ConsoleOptions, type ConsoleSection } from '../page.ts';

// Finance: reports and downloads, payments, jobs.
export function financeSection(_options: ConsoleOptions): ConsoleSection {
  return { pages: [], forms: [] };
}
