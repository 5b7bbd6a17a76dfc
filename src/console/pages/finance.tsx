import { type ConsoleOptions, type ConsoleSection } from '../page.ts';
import { jobPages } from './finance/jobs.tsx';
import { paymentPages } from './finance/payments.tsx';
import { reportPages } from './finance/reports.tsx';

// Finance: reports and downloads, payments, jobs.
export function financeSection(options: ConsoleOptions): ConsoleSection {
  const payments = paymentPages(options);
  const jobs = jobPages(options);
  return { pages: [...reportPages(options), ...payments.pages, ...jobs.pages], forms: [...payments.forms, ...jobs.forms] };
}
