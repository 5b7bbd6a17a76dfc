import { type ConsoleOptions, type ConsoleSection } from '../page.ts';
import { draftPages } from './policy/draft.tsx';
import { impactPages } from './policy/impact.tsx';
import { publishPages } from './policy/publish.tsx';
import { versionPage, versionsPage } from './policy/version-pages.tsx';

// Policy: the versions of each scheme in force, to come, withdrawn and in
// draft; a version's values and what it changes; the directorate's drafts,
// their impact, and publishing.
export function policySection(options: ConsoleOptions): ConsoleSection {
  const draft = draftPages(options);
  const impact = impactPages(options);
  const publish = publishPages(options);
  return {
    pages: [versionsPage(options), versionPage(options), draft.page, impact.page, publish.page],
    forms: [draft.form, impact.form, publish.form, publish.withdraw],
  };
}
