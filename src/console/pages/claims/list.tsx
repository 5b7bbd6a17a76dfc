import { z } from 'zod';
import { roles } from '../../../access/principal.ts';
import { scopeFilter } from '../../../access/scope.ts';
import { claimStatuses } from '../../../claims/model.ts';
import { emptyAsAbsent } from '../../../claims/review-queue.ts';
import { listClaims } from '../../../claims/store.ts';
import { uuidSchema } from '../../../ids.ts';
import { claimTypes } from '../../../rules/catalogue.ts';
import { LinkedTable } from '../../components.tsx';
import { type ConsoleOptions, definePage } from '../../page.ts';
import { claimLabels, Section, Select } from './labels.tsx';

// Klaim: the claims a person may see, as GET /v1/claims lists them (an LPA
// its own, a dinsos officer their regency's), by status, type and member, a page at
// a time in the API's order, each leading to its page.

const claimsPerPage = 50;

export function claimListPage({ db }: ConsoleOptions) {
  return definePage({
    path: '/klaim',
    roles,
    nav: 'nav.claims',
    query: z.strictObject({
      status: z.preprocess(emptyAsAbsent, z.enum(claimStatuses).optional()),
      claimType: z.preprocess(emptyAsAbsent, z.enum(claimTypes).optional()),
      participantId: uuidSchema.optional(),
      after: uuidSchema.optional(),
    }),
    render: async ({ viewer: { principal, words }, query }) => {
      const { t } = words;
      const labels = claimLabels(words);
      const found = await listClaims(db, { ...query, ...scopeFilter(principal), limit: claimsPerPage + 1 });
      const claims = found.slice(0, claimsPerPage);
      const last = claims.at(-1);
      const next =
        found.length > claimsPerPage && last !== undefined
          ? `/klaim?${new URLSearchParams(
              Object.entries({ ...query, after: last.id }).filter((entry): entry is [string, string] => entry[1] !== undefined),
            ).toString()}`
          : null;
      return {
        kind: 'page',
        title: t('claims.list.title'),
        body: (
          <>
            <form method="get" action="/klaim" class="search" role="search">
              <Select
                id="status"
                name="status"
                label={t('claims.column.status')}
                value={query.status}
                options={[['', t('claims.list.any')], ...claimStatuses.map((status) => [status, labels.status(status)] as const)]}
              />
              <Select
                id="claimType"
                name="claimType"
                label={t('claims.field.claimType')}
                value={query.claimType}
                options={[['', t('claims.list.any')], ...claimTypes.map((type) => [type, labels.claimType(type)] as const)]}
              />
              {query.participantId !== undefined && <input type="hidden" name="participantId" value={query.participantId} />}
              <button type="submit">{t('claims.queue.submit')}</button>
            </form>
            <Section id="claims" title={t('claims.list.found')}>
              <LinkedTable
                caption={t('claims.list.found')}
                columns={[
                  { header: t('claims.list.claim') },
                  { header: t('claims.field.claimType') },
                  { header: t('claims.field.incidentDate') },
                  { header: t('claims.column.status') },
                  { header: t('claims.column.amount'), numeric: true },
                  { header: t('claims.column.participant') },
                ]}
                rows={claims.map((claim) => [
                  <a href={`/klaim/${claim.id}`}>{t('claims.list.open', { id: claim.id.slice(0, 8) })}</a>,
                  labels.claimType(claim.claimType),
                  words.date(claim.incidentDate),
                  labels.status(claim.status),
                  claim.amount === null ? '—' : words.rupiah(claim.amount),
                  <a href={`/peserta/${claim.participantId}`}>{t('claims.list.participant')}</a>,
                ])}
                empty={t('claims.list.none')}
              />
              {next !== null && (
                <p>
                  <a href={next}>{t('claims.list.next')}</a>
                </p>
              )}
            </Section>
          </>
        ),
      };
    },
  });
}
