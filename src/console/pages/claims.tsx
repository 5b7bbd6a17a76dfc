import { type ConsoleOptions, type ConsoleSection } from '../page.ts';
import { claimDetail } from './claims/detail.tsx';
import { claimFiling } from './claims/file.tsx';
import { claimListPage } from './claims/list.tsx';
import { reviewQueuePage } from './claims/queue.tsx';

// Claims: an LPA files one with its scans, anyone in scope reads its
// decision and why, and the directorate reviews the referred ones from a
// filtered, sampled queue. The fixed paths come before /klaim/:id.
// Everyone finds the claims in their scope on the list.
export function claimsSection(options: ConsoleOptions): ConsoleSection {
  const filing = claimFiling(options);
  const detail = claimDetail(options);
  return {
    pages: [claimListPage(options), filing.page, reviewQueuePage(options), detail.page],
    forms: [filing.form, detail.review],
  };
}
