import { type ConsoleOptions, type ConsoleSection } from '../page.ts';

// Enrolment (participants: enrol, heirs, card).
export function enrolmentSection(_options: ConsoleOptions): ConsoleSection {
  return { pages: [], forms: [] };
}
