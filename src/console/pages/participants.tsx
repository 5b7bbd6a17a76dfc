import { z } from 'zod';
import { roles } from '../../access/principal.ts';
import type { Db } from '../../db/knex.ts';
import { NotFoundError } from '../../errors.ts';
import { uuidSchema } from '../../ids.ts';
import { searchParticipants, visibleParticipant } from '../../registry/index.ts';
import { DataTable, Notice } from '../components.tsx';
import { catalogues, type MessageKey, type Words } from '../i18n/index.ts';
import { definePage } from '../page.ts';

const matchesPerPageMax = 50;

// Peserta: a search by name, NIK or card number within the person's scope,
// and a participant's page. Both read what GET /v1/participants/{id} reads,
// so another LPA's member is as absent here (404) as there.
export function participantPages({ db, today }: { readonly db: Db; readonly today: () => string }) {
  return {
    search: definePage({
      path: '/peserta',
      roles,
      nav: 'nav.participants',
      query: z.strictObject({ q: z.string().trim().max(100).optional() }),
      render: async ({ viewer: { principal, words }, query }) => {
        const text = query.q ?? '';
        const matches = text.length >= 2 ? await searchParticipants(db, principal, text, matchesPerPageMax) : null;
        return {
          kind: 'page',
          title: words.t('participants.title'),
          body: <Search words={words} text={text} matches={matches} />,
        };
      },
    }),
    detail: definePage({
      path: '/peserta/:id',
      roles,
      query: z.strictObject({}),
      render: async ({ viewer: { principal, words }, params }) => {
        const id = uuidSchema.safeParse(params.id);
        if (!id.success) throw new NotFoundError('participant', String(params.id));
        const participant = await visibleParticipant(db, principal, id.data, today());
        return {
          kind: 'page',
          title: participant.name,
          body: <Participant words={words} participant={participant} mayFileClaim={principal.role === 'lpa'} />,
        };
      },
    }),
  };
}

type Matches = Awaited<ReturnType<typeof searchParticipants>>;

function Search({ words, text, matches }: { words: Words; text: string; matches: Matches | null }) {
  const { t } = words;
  return (
    <>
      <form method="get" action="/peserta" class="search" role="search">
        <label for="q">{t('participants.search')}</label>
        <input id="q" name="q" type="search" value={text} maxLength={100} />
        <button type="submit">{t('participants.submit')}</button>
      </form>
      {text !== '' && matches === null && <Notice kind="error">{t('participants.tooShort')}</Notice>}
      {matches !== null && matches.length === 0 && <p class="empty">{t('participants.none')}</p>}
      {matches !== null && matches.length > 0 && (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t('participants.results')}</h2>
          {matches.length === matchesPerPageMax && <p>{t('participants.more', { count: matchesPerPageMax })}</p>}
          <table>
            <thead>
              <tr>
                <th scope="col">{t('column.name')}</th>
                <th scope="col">{t('column.nik')}</th>
                <th scope="col">{t('column.birthDate')}</th>
                <th scope="col">{t('column.card')}</th>
              </tr>
            </thead>
            <tbody>
              {matches.map((match) => (
                <tr>
                  <td>
                    <a href={`/peserta/${match.id}`}>{match.name}</a>
                  </td>
                  <td>{match.nik}</td>
                  <td>{words.date(match.birthDate)}</td>
                  <td>{match.cardNumber ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

type ParticipantView = Awaited<ReturnType<typeof visibleParticipant>>;

function Participant(props: { words: Words; participant: ParticipantView; mayFileClaim: boolean }) {
  const { words, participant, mayFileClaim } = props;
  const { t } = words;
  const label = (key: string, fallback: string) => (key in catalogues.id ? t(key as MessageKey) : fallback);
  return (
    <>
      <p>
        <a href="/peserta">{t('participant.back')}</a>
        {mayFileClaim && (
          <>
            {' · '}
            <a href={`/klaim/baru?participant=${participant.id}`}>{t('claims.file.link')}</a>
          </>
        )}
      </p>
      <section aria-labelledby="details-title">
        <h2 id="details-title">{t('participant.details')}</h2>
        <dl class="details">
          <dt>{t('column.nik')}</dt>
          <dd>{participant.nik}</dd>
          <dt>{t('column.birthDate')}</dt>
          <dd>{words.date(participant.birthDate)}</dd>
          <dt>{t('participant.sex')}</dt>
          <dd>{t(`sex.${participant.sex}`)}</dd>
          <dt>{t('participant.address')}</dt>
          <dd>{participant.address}</dd>
          <dt>{t('participant.phone')}</dt>
          <dd>{participant.phone ?? '—'}</dd>
          <dt>{t('participant.card')}</dt>
          <dd>
            {participant.card === null
              ? t('participant.noCard')
              : t('participant.cardIssued', { number: participant.card.number, date: words.date(participant.card.issuedOn) })}
          </dd>
          <dt>{t('participant.coverageYear')}</dt>
          <dd>{participant.coverageYear === null ? t('participant.notCovered') : words.count(participant.coverageYear)}</dd>
        </dl>
      </section>
      <section aria-labelledby="enrolments-title">
        <h2 id="enrolments-title">{t('participant.enrolments')}</h2>
        <DataTable
          caption={t('participant.enrolments')}
          columns={[
            { header: t('column.status') },
            { header: t('column.enrolledOn') },
            { header: t('column.rules') },
            { header: t('column.reasons') },
          ]}
          rows={participant.enrolments.map((enrolment) => [
            label(`status.enrolment.${enrolment.status}`, enrolment.status),
            words.date(enrolment.enrolledOn),
            `${enrolment.rule.scheme} ${enrolment.rule.version}`,
            enrolment.reasons.map((reason) => reason.explanation).join('; ') || '—',
          ])}
          empty={t('table.empty')}
        />
      </section>
      <section aria-labelledby="heirs-title">
        <h2 id="heirs-title">{t('participant.heirs')}</h2>
        <DataTable
          caption={t('participant.heirs')}
          columns={[{ header: t('column.name') }, { header: t('column.relation') }, { header: t('column.nik') }]}
          rows={participant.heirs.map((heir) => [heir.name, t(`relation.${heir.relation}`), heir.nik ?? '—'])}
          empty={t('table.empty')}
        />
      </section>
    </>
  );
}
