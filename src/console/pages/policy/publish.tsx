import { z } from 'zod';
import { actorOf } from '../../../access/principal.ts';
import { ConflictError, UnprocessableError } from '../../../errors.ts';
import { decisionsChangedSince } from '../../../impact/retroactive.ts';
import {
  type PublicationReview,
  publishReviewed,
  reviewPublication,
  reviewWithdrawal,
  type RuleActOptions,
  withdrawReviewed,
} from '../../../rules/acts.ts';
import type { RuleVersion } from '../../../rules/load.ts';
import { Notice, PostForm } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { type ConsoleOptions, defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { TextInput, VersionFields } from './draft.tsx';
import { VersionDiff } from './values.tsx';
import { versionParams, versionPath } from './versions.ts';

// Publishing a draft and withdrawing a version not yet in force: the
// directorate's acts, through the functions behind POST
// /v1/rules/{scheme}/{version}/publish and /withdraw. Publishing is shown
// first as its dry run (the day it takes effect, what it ends, what it
// changes, its cases), and done only from that page, for the hash shown.
// A version dated before today is refused here; the API and the CLI
// publish one as retroactive, with a reason.

const directorate = ['directorate'] as const;
const versionFields = { scheme: z.string().max(40), version: z.string().max(32) };

export function actOptions({ db, rules, today }: ConsoleOptions): RuleActOptions {
  return {
    db,
    dir: rules.dir,
    today,
    afterPublish: rules.afterPublish,
    decisionsChanged: (books, request) => decisionsChangedSince(db, books, request),
  };
}

export function publishPages(options: ConsoleOptions) {
  const acts = actOptions(options);
  const page = async (viewer: Viewer, scheme: string, version: string, problem: string | null): Promise<PageResult> => {
    const { t } = viewer.words;
    const title = t('policy.publish.title', { scheme, version });
    let review: PublicationReview;
    try {
      review = await reviewPublication(options.rules.book, acts, { scheme, version });
    } catch (error) {
      if (!(error instanceof UnprocessableError)) throw error;
      return { kind: 'page', status: 422, title, body: <Refusals words={viewer.words} refusals={error.message.split('\n')} /> };
    }
    const refusals = [...(problem === null ? [] : [problem]), ...review.check.refusals];
    return {
      kind: 'page',
      status: refusals.length > 0 ? 422 : 200,
      title,
      body: (
        <PublishReview viewer={viewer} review={review} refusals={refusals} book={options.rules.book.schemes.get(scheme) ?? []} />
      ),
    };
  };
  return {
    page: definePage({
      path: '/kebijakan/:scheme/:version/terbitkan',
      roles: directorate,
      query: z.strictObject({}),
      render: async ({ viewer, params }) => {
        const { scheme, version } = versionParams(params);
        return page(viewer, scheme, version, null);
      },
    }),
    form: defineForm({
      path: '/kebijakan/terbitkan',
      roles: directorate,
      body: z.strictObject({
        ...versionFields,
        hash: z.string().max(64),
        confirm: z.literal('yes', 'policy.publish.confirmMissing'),
      }),
      handle: async ({ viewer, body, requestId }) => {
        const { scheme, version } = versionParams(body);
        try {
          const review = await reviewPublication(options.rules.book, acts, { scheme, version });
          // The draft's files changed after the page was read: what was confirmed is not what would be published.
          if (review.check.draft.hash !== body.hash)
            return page(viewer, scheme, version, viewer.words.t('policy.publish.changed'));
          if (review.check.refusals.length > 0) return page(viewer, scheme, version, null);
          await publishReviewed(acts, review, actorOf(viewer.principal, requestId));
        } catch (error) {
          // A draft that no longer loads, or one a twin request published first: its page says which.
          if (error instanceof UnprocessableError || error instanceof ConflictError)
            return page(viewer, scheme, version, error.message);
          throw error;
        }
        return { kind: 'redirect', to: `${versionPath(scheme, version)}?published=1` };
      },
      refused: ({ viewer, problems }) => ({
        kind: 'page',
        status: 400,
        title: viewer.words.t('policy.publish.titleShort'),
        body: <Refusals words={viewer.words} refusals={problems.map((problem) => viewer.words.t(problem))} />,
      }),
    }),
    withdraw: defineForm({
      path: '/kebijakan/tarik',
      roles: directorate,
      body: z.strictObject({ ...versionFields, reason: z.string().trim().min(3, 'policy.withdraw.reasonMissing').max(2000) }),
      handle: async ({ viewer, body, requestId }) => {
        const { scheme, version } = versionParams(body);
        const check = reviewWithdrawal(options.rules.book, acts, { scheme, version });
        if (check.refusals.length > 0)
          return {
            kind: 'page',
            status: 422,
            title: viewer.words.t('policy.withdraw.title', { scheme, version }),
            body: <Refusals words={viewer.words} refusals={check.refusals} />,
          };
        await withdrawReviewed(acts, check, { scheme, version, reason: body.reason }, actorOf(viewer.principal, requestId));
        return { kind: 'redirect', to: `/kebijakan?withdrawn=${encodeURIComponent(version)}` };
      },
      refused: ({ viewer, problems }) => ({
        kind: 'page',
        status: 400,
        title: viewer.words.t('policy.withdraw.titleShort'),
        body: <Refusals words={viewer.words} refusals={problems.map((problem) => viewer.words.t(problem))} />,
      }),
    }),
  };
}

function Refusals({ words, refusals }: { readonly words: Words; readonly refusals: readonly string[] }) {
  return (
    <Notice kind="error">
      <p>{words.t('policy.publish.refused')}</p>
      <ul>
        {refusals.map((refusal) => (
          <li>{refusal}</li>
        ))}
      </ul>
    </Notice>
  );
}

function PublishReview(props: {
  readonly viewer: Viewer;
  readonly review: PublicationReview;
  readonly refusals: readonly string[];
  readonly book: readonly RuleVersion[];
}) {
  const { viewer, review, refusals, book } = props;
  const { words } = viewer;
  const { t } = words;
  const { draft, ended, cases } = review.check;
  const current = book.filter((entry) => entry.effectiveFrom < draft.effectiveFrom).at(-1);
  return (
    <>
      {refusals.length > 0 && <Refusals words={words} refusals={refusals} />}
      <section aria-labelledby="confirm-title" class="policy-confirm">
        <h2 id="confirm-title">{t('policy.publish.what')}</h2>
        <p>{t('policy.publish.effective', { version: draft.version, date: words.date(draft.effectiveFrom) })}</p>
        {ended.map((end) => (
          <p>{t('policy.publish.ends', { version: end.version, date: words.date(end.effectiveTo) })}</p>
        ))}
        <p>{t('policy.publish.cases', { passed: words.count(cases.passed), failed: words.count(cases.failed.length) })}</p>
        {cases.failed.length > 0 && (
          <ul>
            {cases.failed.map((failure) => (
              <li>
                {failure.scheme}@{failure.folder}: {failure.name} ({failure.file})
              </li>
            ))}
          </ul>
        )}
        <p>
          {t('policy.column.hash')}: <code class="hash">{draft.hash}</code>
        </p>
      </section>
      {current === undefined ? <p>{t('policy.diff.first')}</p> : <VersionDiff words={words} from={current} to={draft} />}
      {refusals.length === 0 && (
        <PostForm
          action="/kebijakan/terbitkan"
          csrfToken={viewer.principal.csrfToken}
          submit={t('policy.publish.submit', { version: draft.version })}
        >
          <VersionFields scheme={draft.scheme} version={draft.version} />
          <input type="hidden" name="hash" value={draft.hash} />
          <div class="policy-check">
            <input type="checkbox" id="publish-confirm" name="confirm" value="yes" required />
            <label for="publish-confirm">
              {t('policy.publish.confirm', { version: draft.version, date: words.date(draft.effectiveFrom) })}
            </label>
          </div>
        </PostForm>
      )}
      <p>
        <a href={versionPath(draft.scheme, draft.version)}>{t('policy.publish.back', { version: draft.version })}</a>
      </p>
    </>
  );
}

// Withdrawing a published version before its first day: the version before it runs on.
export function WithdrawForm({ viewer, version }: { readonly viewer: Viewer; readonly version: RuleVersion }) {
  const { words } = viewer;
  const { t } = words;
  return (
    <section aria-labelledby="withdraw-title" class="policy-confirm">
      <h2 id="withdraw-title">{t('policy.withdraw.titleShort')}</h2>
      <p>{t('policy.withdraw.lead', { version: version.version, date: words.date(version.effectiveFrom) })}</p>
      <PostForm
        action="/kebijakan/tarik"
        csrfToken={viewer.principal.csrfToken}
        submit={t('policy.withdraw.submit', { version: version.version })}
      >
        <VersionFields scheme={version.scheme} version={version.version} />
        <TextInput name="reason" wide label={t('policy.withdraw.reason')} value="" />
      </PostForm>
    </section>
  );
}
