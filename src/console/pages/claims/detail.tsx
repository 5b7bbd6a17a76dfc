import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf, roles } from '../../../access/principal.ts';
import { listAudit } from '../../../audit/store.ts';
import { explainClaim } from '../../../claims/explain.ts';
import { type Claim, claimReviewSchema } from '../../../claims/model.ts';
import { reviewClaim } from '../../../claims/review.ts';
import { type Scan, scansOfClaim } from '../../../claims/scans.ts';
import { findDecision } from '../../../claims/store.ts';
import { visibleClaim } from '../../../claims/visible.ts';
import { ConflictError, IdempotencyKeyReusedError, InputError, NotFoundError } from '../../../errors.ts';
import { uuidSchema } from '../../../ids.ts';
import { visibleParticipant } from '../../../registry/index.ts';
import { idempotencyHeaderSchema } from '../../../shared/idempotency/model.ts';
import { DataTable, Notice } from '../../components.tsx';
import type { Words } from '../../i18n/index.ts';
import { type ConsoleOptions, defineForm, definePage, type PageResult, type Viewer } from '../../page.ts';
import { claimLabels, Problems, Section } from './labels.tsx';

// A claim's page: its decision and why, the papers and their scans, what
// happened to it since; and for the directorate, a referred claim's review.
// Read through what GET /v1/claims/{id} and its explanation read, so
// another LPA's claim is a 404 here as there.

const historyMax = 50;
const detailQuery = z.strictObject({
  filed: z.enum(['new', 'again']).optional().catch(undefined),
  // The review queue the claim was opened from, to go back to once it is decided.
  from: z.string().max(1000).optional().catch(undefined),
});

export function claimDetail({ db, rules: { book }, today }: ConsoleOptions) {
  const claimPage = async (
    viewer: Viewer,
    id: string,
    options: { filed?: 'new' | 'again'; from?: string; problems?: readonly string[]; reason?: string; status?: number },
  ): Promise<PageResult> => {
    const { principal, words } = viewer;
    const parsed = uuidSchema.safeParse(id);
    if (!parsed.success) throw new NotFoundError('claim', id);
    const claim = await visibleClaim(db, principal, parsed.data);
    const [decision, scans, history, participant] = await Promise.all([
      findDecision(db, claim.id),
      scansOfClaim(db, claim),
      listAudit(db, { entityType: 'claim', entityId: claim.id, limit: historyMax }),
      visibleParticipant(db, principal, claim.participantId, today()),
    ]);
    if (decision === null) throw new Error(`claim ${claim.id} has no decision`);
    const explanation = explainClaim(claim, decision);
    const labels = claimLabels(words);
    const { t } = words;
    const mayReview = principal.role === 'directorate' && claim.status === 'referred';
    return {
      kind: 'page',
      status: options.status ?? 200,
      title: t('claims.claim.title', { type: labels.claimType(claim.claimType), name: participant.name }),
      body: (
        <>
          <p>
            <a href={`/peserta/${claim.participantId}`}>{t('claims.claim.toParticipant', { name: participant.name })}</a>
            {principal.role === 'directorate' && (
              <>
                {' · '}
                <a href={queuePath(options.from)}>{t('claims.claim.toQueue')}</a>
              </>
            )}
          </p>
          {options.filed !== undefined && (
            <Notice kind="info">{t(options.filed === 'new' ? 'claims.claim.filed' : 'claims.claim.filedAgain')}</Notice>
          )}
          <ClaimFacts words={words} claim={claim} />
          <Section id="decision" title={t('claims.claim.decision')}>
            <p class="decision-summary">
              <strong>{labels.status(claim.status)}</strong>
              {claim.amount !== null && ` · ${words.rupiah(claim.amount)}`}
            </p>
            {claim.reasons.length > 0 && (
              <>
                <h3>{t(claim.status === 'referred' ? 'claims.claim.referredFor' : 'claims.claim.reasons')}</h3>
                <ul>
                  {claim.reasons.map((reason) => (
                    <li>{labels.reason(reason)}</li>
                  ))}
                </ul>
              </>
            )}
            <h3>{t('claims.claim.explanation')}</h3>
            <p class="hint">{t('claims.claim.explanationHint')}</p>
            {/* The explanation is the rules' own words, written in English. */}
            <div lang="en" class="explanation">
              <p>{explanation.summary}</p>
              <ul>
                {explanation.lines.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            </div>
          </Section>
          <Documents words={words} claim={claim} scans={scans} />
          <Section id="history" title={t('claims.claim.history')}>
            <DataTable
              caption={t('claims.claim.history')}
              columns={[
                { header: t('claims.column.when') },
                { header: t('claims.column.what') },
                { header: t('claims.column.who') },
                { header: t('claims.column.note') },
              ]}
              rows={history
                .toReversed()
                .map((entry) => [
                  words.moment(entry.occurredAt),
                  labels.action(entry.action),
                  entry.actor,
                  noteOf(words, entry.detail),
                ])}
              empty={t('table.empty')}
            />
          </Section>
          {mayReview && (
            <ReviewForm
              words={words}
              csrfToken={principal.csrfToken}
              claimId={claim.id}
              from={options.from ?? ''}
              problems={options.problems ?? []}
              reason={options.reason ?? ''}
              reviewKey={randomUUID()}
            />
          )}
        </>
      ),
    };
  };

  return {
    page: definePage({
      path: '/klaim/:id',
      roles,
      query: detailQuery,
      render: async ({ viewer, params, query }) =>
        claimPage(viewer, String(params.id), {
          ...(query.filed === undefined ? {} : { filed: query.filed }),
          ...(query.from === undefined ? {} : { from: query.from }),
        }),
    }),
    // Approve or reject a referred claim, with the reason, as POST /v1/claims/{id}/review does.
    review: defineForm({
      path: '/klaim/tinjau/putuskan',
      roles: ['directorate'],
      // Read field by field below, so a refusal draws the claim's page again with its problem.
      body: z.record(z.string(), z.string().max(1000)),
      handle: async ({ viewer, body, requestId }) => {
        const { t } = viewer.words;
        const claimId = uuidSchema.safeParse(body.claimId);
        const key = idempotencyHeaderSchema.shape['idempotency-key'].safeParse(body.key);
        if (!claimId.success || !key.success) throw new InputError([]);
        const from = body.from ?? '';
        const review = claimReviewSchema.safeParse({ outcome: body.outcome, reason: body.reason ?? '' });
        if (!review.success) {
          const problems = review.error.issues.map((issue) =>
            issue.path[0] === 'outcome'
              ? t('claims.review.outcomeMissing')
              : t('claims.review.reasonMissing', { min: 3, max: 500 }),
          );
          return claimPage(viewer, claimId.data, { from, problems, reason: body.reason ?? '', status: 400 });
        }
        try {
          const { claim } = await reviewClaim(
            db,
            book,
            { claimId: claimId.data, ...review.data, idempotencyKey: key.data, today: today() },
            actorOf(viewer.principal, requestId),
          );
          return {
            kind: 'redirect',
            to: queuePath(from, { reviewed: claim.review?.outcome ?? review.data.outcome, claim: claim.id }),
          };
        } catch (error) {
          if (!(error instanceof ConflictError || error instanceof IdempotencyKeyReusedError)) throw error;
          return claimPage(viewer, claimId.data, { from, problems: [t('claims.review.already')], status: 409 });
        }
      },
      refused: () => ({ kind: 'redirect', to: queuePath(undefined) }),
    }),
  };
}

// The queue's address with its filters as they were, and a notice's fields;
// only a query string is taken from the page, never another address.
export function queuePath(from: string | undefined, notice: Readonly<Record<string, string>> = {}): string {
  const query = new URLSearchParams(from ?? '');
  for (const name of ['reviewed', 'claim']) query.delete(name);
  for (const [name, value] of Object.entries(notice)) query.set(name, value);
  const text = query.toString();
  return text === '' ? '/klaim/tinjau' : `/klaim/tinjau?${text}`;
}

function noteOf(words: Words, detail: Readonly<Record<string, unknown>>): string {
  const labels = claimLabels(words);
  if (typeof detail.reason === 'string') return detail.reason;
  if (typeof detail.kind === 'string') return labels.document(detail.kind);
  if (Array.isArray(detail.reasons) && detail.reasons.length > 0)
    return detail.reasons.map((reason) => labels.reason({ reason: String(reason), explanation: String(reason) })).join('; ');
  if (typeof detail.amount === 'string') return words.rupiah(detail.amount);
  return '';
}

function ClaimFacts({ words, claim }: { readonly words: Words; readonly claim: Claim }) {
  const { t } = words;
  const labels = claimLabels(words);
  const date = (value: string | null) => (value === null ? '—' : words.date(value));
  return (
    <Section id="claim" title={t('claims.claim.details')}>
      <dl class="details">
        <dt>{t('claims.column.status')}</dt>
        <dd>{labels.status(claim.status)}</dd>
        <dt>{t('claims.field.claimType')}</dt>
        <dd>{labels.claimType(claim.claimType)}</dd>
        <dt>{t('claims.column.benefit')}</dt>
        <dd>{labels.benefit(claim.benefit)}</dd>
        <dt>{t('claims.column.amount')}</dt>
        <dd>{claim.amount === null ? '—' : words.rupiah(claim.amount)}</dd>
        <dt>{t('claims.field.incidentDate')}</dt>
        <dd>{words.date(claim.incidentDate)}</dd>
        <dt>{t('claims.field.reportDate')}</dt>
        <dd>{words.date(claim.reportDate)}</dd>
        <dt>{t('claims.column.coverageYear')}</dt>
        <dd>{claim.coverageYear === null ? '—' : words.count(claim.coverageYear)}</dd>
        <dt>{t('claims.field.rules')}</dt>
        <dd>
          {t('claims.claim.rule', { scheme: claim.rule.scheme, version: claim.rule.version, hash: claim.rule.hash.slice(0, 12) })}
        </dd>
        <dt>{t('claims.column.submitted')}</dt>
        <dd>{t('claims.claim.submitted', { date: words.day(claim.submittedAt), by: claim.submittedBy })}</dd>
        <dt>{t('claims.column.acceptedOn')}</dt>
        <dd>{date(claim.acceptedOn)}</dd>
        <dt>{t('claims.column.paymentDueOn')}</dt>
        <dd>{date(claim.paymentDueOn)}</dd>
        <dt>{t('claims.column.paidOn')}</dt>
        <dd>{claim.paidOn === null ? '—' : `${words.date(claim.paidOn)} (${claim.payoutReference ?? ''})`}</dd>
        {claim.review !== null && (
          <>
            <dt>{t('claims.column.review')}</dt>
            <dd>
              {t('claims.claim.reviewed', {
                outcome: labels.status(claim.review.outcome),
                by: claim.review.reviewedBy,
                date: words.day(claim.review.reviewedAt),
                reason: claim.review.reason,
              })}
            </dd>
          </>
        )}
        {claim.reversedOn !== null && (
          <>
            <dt>{t('claims.column.reversedOn')}</dt>
            <dd>{`${words.date(claim.reversedOn)}: ${claim.reversalReason ?? ''}`}</dd>
          </>
        )}
      </dl>
    </Section>
  );
}

function Documents({ words, claim, scans }: { readonly words: Words; readonly claim: Claim; readonly scans: readonly Scan[] }) {
  const { t } = words;
  const labels = claimLabels(words);
  const documents = Array.isArray(claim.details.documents)
    ? (claim.details.documents as { kind: string; number: string; date: string }[])
    : [];
  const scanOf = new Map(scans.map((scan) => [scan.kind, scan]));
  return (
    <Section id="documents" title={t('claims.claim.documents')}>
      {documents.length === 0 ? (
        <p class="empty">{t('claims.claim.noDocuments')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('claims.claim.documents')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('claims.column.document')}</th>
              <th scope="col">{t('claims.field.documentNumber')}</th>
              <th scope="col">{t('claims.field.documentDate')}</th>
              <th scope="col">{t('claims.field.scan')}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((document) => {
              const scan = scanOf.get(document.kind);
              return (
                <tr>
                  <td>{labels.document(document.kind)}</td>
                  <td>{document.number}</td>
                  <td>{words.date(document.date)}</td>
                  <td>
                    {scan === undefined ? (
                      t('claims.claim.noScan')
                    ) : (
                      <a href={`/v1/claims/${claim.id}/documents/${scan.kind}/scan`}>
                        {t('claims.claim.scanLink', {
                          document: labels.document(scan.kind),
                          type: scan.mediaType.split('/')[1]?.toUpperCase() ?? scan.mediaType,
                          size: words.count(Math.ceil(scan.size / 1024)),
                        })}
                      </a>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function ReviewForm(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly claimId: string;
  readonly from: string;
  readonly problems: readonly string[];
  readonly reason: string;
  readonly reviewKey: string;
}) {
  const { words, csrfToken, claimId, from, problems, reason, reviewKey } = props;
  const { t } = words;
  return (
    <Section id="review" title={t('claims.review.title')}>
      <Problems title={t('claims.review.problems')} problems={problems} />
      <p class="hint">{t('claims.review.lead')}</p>
      <form method="post" action="/klaim/tinjau/putuskan" class="stacked">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="claimId" value={claimId} />
        <input type="hidden" name="key" value={reviewKey} />
        <input type="hidden" name="from" value={from} />
        <fieldset>
          <legend>{t('claims.review.outcome')}</legend>
          <label class="choice">
            <input type="radio" name="outcome" value="approved" required /> {t('claims.review.approve')}
          </label>
          <label class="choice">
            <input type="radio" name="outcome" value="rejected" required /> {t('claims.review.reject')}
          </label>
        </fieldset>
        <label for="review-reason">{t('claims.review.reason')}</label>
        <textarea
          id="review-reason"
          name="reason"
          rows={4}
          minLength={3}
          maxLength={500}
          required
          aria-describedby="review-reason-hint"
        >
          {reason}
        </textarea>
        <p id="review-reason-hint" class="hint">
          {t('claims.review.reasonHint')}
        </p>
        <button type="submit">{t('claims.review.submit')}</button>
      </form>
    </Section>
  );
}
