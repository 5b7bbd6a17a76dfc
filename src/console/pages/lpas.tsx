import { type ConsoleOptions, type ConsoleSection } from '../page.ts';
import { agencyPages } from './lpas/agencies.tsx';
import { loanPages } from './lpas/loans.tsx';
import { savingsPages } from './lpas/savings.tsx';

// LPAs: proposals, progress, honorarium, strengthening, savings and loans.
export function lpasSection(options: ConsoleOptions): ConsoleSection {
  const deps = { ...options, book: options.rules.book };
  const parts = [agencyPages(deps), savingsPages(deps), loanPages(deps)];
  return { pages: parts.flatMap((part) => part.pages), forms: parts.flatMap((part) => part.forms) };
}
