import { z } from 'zod';
import { reviewQueue, reviewQueueMax, type ReviewQueueQuery, reviewQueueQuerySchema } from '../../../claims/review-queue.ts';
import { type SampleReason, unusualDefaults } from '../../../claims/review-sample.ts';
import type { QueuedClaim } from '../../../claims/review-store.ts';
import { claimTypes } from '../../../rules/catalogue.ts';
import { listLpas } from '../../../registry/store.ts';
import { Notice } from '../../components.tsx';
import type { MessageKey, Words } from '../../i18n/index.ts';
import { type ConsoleOptions, definePage, type Viewer } from '../../page.ts';
import { claimLabels, Input, Problems, Section, Select } from './labels.tsx';

// The directorate's review queue: referred claims filtered and sampled as
// GET /v1/claims/review-queue does (claims/review-queue.ts), each row saying
// why it is listed. The filters are a GET form, so a queue is an address
// one can keep, send, and open again to the same claims.

const lpasListedMax = 500;

const fieldKeys: Readonly<Record<string, MessageKey>> = {
  lpaId: 'claims.queue.lpa',
  claimType: 'claims.field.claimType',
  incidentMonth: 'claims.queue.incidentMonth',
  amountMin: 'claims.queue.amountMin',
  amountMax: 'claims.queue.amountMax',
  randomPercent: 'claims.queue.randomPercent',
  seed: 'claims.queue.seed',
  above: 'claims.queue.above',
  unusual: 'claims.queue.unusual',
};

export function reviewQueuePage({ db }: ConsoleOptions) {
  return definePage({
    path: '/klaim/tinjau',
    roles: ['directorate'],
    nav: 'nav.claimsReview',
    // Read field by field below, so a bad filter is named on the page rather than refused whole.
    query: z.record(z.string(), z.string().max(200)),
    render: async ({ viewer, query }) => {
      const { t } = viewer.words;
      const { reviewed, claim, ...fields } = query;
      const parsed = reviewQueueQuerySchema.safeParse(fields);
      const lpas = await listLpas(db, { limit: lpasListedMax });
      const queue = parsed.success ? await reviewQueue(db, viewer.principal, parsed.data) : null;
      const problems = parsed.success
        ? []
        : parsed.error.issues.map((issue) =>
            t('claims.queue.fieldInvalid', { field: t(fieldKeys[String(issue.path[0])] ?? 'claims.queue.filters') }),
          );
      return {
        kind: 'page',
        status: parsed.success ? 200 : 400,
        title: t('claims.queue.title'),
        body: (
          <>
            {reviewed !== undefined && claim !== undefined && (
              <Notice kind="info">
                {t(reviewed === 'approved' ? 'claims.queue.approved' : 'claims.queue.rejected')}{' '}
                <a href={`/klaim/${encodeURIComponent(claim)}`}>{t('claims.queue.openDecided')}</a>
              </Notice>
            )}
            <Problems title={t('claims.queue.problems')} problems={problems} />
            <Filters viewer={viewer} values={fields} lpas={lpas.map((lpa) => [lpa.id, lpa.name] as const)} />
            {queue !== null && (
              <Listed
                words={viewer.words}
                considered={queue.considered}
                claims={queue.claims}
                from={new URLSearchParams(fields).toString()}
                sampled={parsed.success && isSampled(parsed.data)}
              />
            )}
          </>
        ),
      };
    },
  });
}

function isSampled(query: ReviewQueueQuery): boolean {
  return query.randomPercent !== undefined || query.above !== undefined || query.unusual !== undefined;
}

function Filters(props: {
  readonly viewer: Viewer;
  readonly values: Readonly<Record<string, string>>;
  readonly lpas: readonly (readonly [string, string])[];
}) {
  const { viewer, values, lpas } = props;
  const { t } = viewer.words;
  const labels = claimLabels(viewer.words);
  return (
    <form method="get" action="/klaim/tinjau" class="queue-filters">
      <fieldset>
        <legend>{t('claims.queue.filters')}</legend>
        <div class="queue-fields">
          <div>
            <Select
              id="filter-lpa"
              name="lpaId"
              label={t('claims.queue.lpa')}
              value={values.lpaId}
              options={[['', t('claims.queue.all')], ...lpas]}
            />
          </div>
          <div>
            <Select
              id="filter-type"
              name="claimType"
              label={t('claims.field.claimType')}
              value={values.claimType}
              options={[['', t('claims.queue.all')], ...claimTypes.map((type) => [type, labels.claimType(type)] as const)]}
            />
          </div>
          <div>
            <Input
              id="filter-month"
              name="incidentMonth"
              type="month"
              label={t('claims.queue.incidentMonth')}
              value={values.incidentMonth}
              hint={t('claims.queue.monthHint')}
            />
          </div>
          <div>
            <Input
              id="filter-min"
              name="amountMin"
              type="text"
              inputMode="decimal"
              label={t('claims.queue.amountMin')}
              value={values.amountMin}
            />
          </div>
          <div>
            <Input
              id="filter-max"
              name="amountMax"
              type="text"
              inputMode="decimal"
              label={t('claims.queue.amountMax')}
              value={values.amountMax}
            />
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('claims.queue.sampling')}</legend>
        <p class="hint">{t('claims.queue.samplingLead')}</p>
        <div class="queue-fields">
          <div>
            <Input
              id="sample-percent"
              name="randomPercent"
              type="number"
              min={1}
              max={100}
              label={t('claims.queue.randomPercent')}
              value={values.randomPercent}
            />
          </div>
          <div>
            <Input
              id="sample-seed"
              name="seed"
              type="text"
              label={t('claims.queue.seed')}
              value={values.seed}
              hint={t('claims.queue.seedHint')}
            />
          </div>
          <div>
            <Input
              id="sample-above"
              name="above"
              type="text"
              inputMode="decimal"
              label={t('claims.queue.above')}
              value={values.above}
            />
          </div>
          <div class="queue-check">
            <input
              id="sample-unusual"
              name="unusual"
              type="checkbox"
              value="1"
              checked={values.unusual === '1'}
              aria-describedby="sample-unusual-hint"
            />
            <label for="sample-unusual">{t('claims.queue.unusual')}</label>
            <p id="sample-unusual-hint" class="hint">
              {t('claims.queue.unusualHint', unusualDefaults)}
            </p>
          </div>
        </div>
      </fieldset>
      <button type="submit">{t('claims.queue.submit')}</button>
    </form>
  );
}

function Listed(props: {
  readonly words: Words;
  readonly considered: number;
  readonly claims: readonly { readonly claim: QueuedClaim; readonly reasons: readonly SampleReason[] }[];
  readonly from: string;
  readonly sampled: boolean;
}) {
  const { words, considered, claims, from, sampled } = props;
  const { t } = words;
  const labels = claimLabels(words);
  return (
    <Section id="queue" title={t('claims.queue.listed')}>
      <p>
        {sampled
          ? t('claims.queue.countSampled', { listed: words.count(claims.length), considered: words.count(considered) })
          : t('claims.queue.count', { considered: words.count(considered) })}
        {considered === reviewQueueMax && ` ${t('claims.queue.more', { max: words.count(reviewQueueMax) })}`}
      </p>
      {claims.length === 0 ? (
        <p class="empty">{t('claims.queue.none')}</p>
      ) : (
        <div class="figure-table" tabIndex={0}>
          <table>
            <caption class="visually-hidden">{t('claims.queue.listed')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('claims.column.participant')}</th>
                <th scope="col">{t('claims.queue.lpa')}</th>
                <th scope="col">{t('claims.field.claimType')}</th>
                <th scope="col">{t('claims.field.incidentDate')}</th>
                <th scope="col" class="num">
                  {t('claims.column.amount')}
                </th>
                <th scope="col">{t('claims.claim.referredFor')}</th>
                <th scope="col">{t('claims.queue.why')}</th>
              </tr>
            </thead>
            <tbody>
              {claims.map(({ claim, reasons }) => (
                <tr>
                  <td>
                    <a href={`/klaim/${claim.id}?${new URLSearchParams({ from }).toString()}`}>{claim.participantName}</a>
                  </td>
                  <td>{claim.lpaName}</td>
                  <td>{labels.claimType(claim.claimType)}</td>
                  <td>{words.date(claim.incidentDate)}</td>
                  <td class="num">{words.rupiah(claim.amount)}</td>
                  <td>{claim.reasons.map((reason) => labels.reason(reason)).join('; ')}</td>
                  <td>
                    <ul class="why">
                      {reasons.map((reason) => (
                        <li>{whyListed(words, reason)}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function whyListed(words: Words, reason: SampleReason): string {
  const { t } = words;
  switch (reason.kind) {
    case 'referred':
      return t('claims.why.referred');
    case 'random':
      return t('claims.why.random', {
        seed: reason.seed,
        bucket: words.count(reason.bucket),
        limit: words.count(reason.basisPoints),
        percent: reason.basisPoints / 100,
      });
    case 'above':
      return t('claims.why.above', { threshold: words.rupiah(reason.threshold) });
    case 'unusual':
      return t('claims.why.unusual', {
        percentile: reason.percentile,
        past: words.rupiah(reason.pastPercentile),
        count: words.count(reason.pastCount),
      });
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown sample reason ${JSON.stringify(unreachable)}`);
    }
  }
}
