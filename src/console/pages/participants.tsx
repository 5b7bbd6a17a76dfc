import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { roles } from '../../access/principal.ts';
import type { Db } from '../../db/knex.ts';
import { NotFoundError } from '../../errors.ts';
import { uuidSchema } from '../../ids.ts';
import { searchParticipants, visibleParticipant } from '../../registry/index.ts';
import { DataTable, Notice } from '../components.tsx';
import { type Words } from '../i18n/index.ts';
import { definePage } from '../page.ts';
import { CardActions } from './enrolment/card.tsx';
import { HeirsEditor } from './enrolment/heirs.tsx';
import { reasonText, schemeName } from './enrolment/refusal.tsx';

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
      // Where a form of the enrolment section landed: a person enrolled, a card recorded, heirs saved.
      query: z.strictObject({
        enrolled: z.literal('1').optional(),
        card: z.literal('1').optional(),
        heirs: z.literal('1').optional(),
      }),
      render: async ({ viewer: { principal, words }, params, query }) => {
        const id = uuidSchema.safeParse(params.id);
        if (!id.success) throw new NotFoundError('participant', String(params.id));
        const participant = await visibleParticipant(db, principal, id.data, today());
        return {
          kind: 'page',
          title: participant.name,
          body: (
            <>
              <Done words={words} participant={participant} query={query} />
              <Participant words={words} participant={participant} mayFileClaim={principal.role === 'lpa'}>
                {principal.role === 'lpa' && (
                  <HeirsEditor
                    words={words}
                    csrfToken={principal.csrfToken}
                    participantId={participant.id}
                    heirs={participant.heirs}
                  />
                )}
              </Participant>
              <CardActions
                words={words}
                role={principal.role}
                csrfToken={principal.csrfToken}
                participant={participant}
                today={today()}
              />
            </>
          ),
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

// Children go with the heirs: what an LPA may do about them.
function Participant(props: { words: Words; participant: ParticipantView; mayFileClaim: boolean; children?: ComponentChildren }) {
  const { words, participant, mayFileClaim } = props;
  const { t } = words;
  const label = (key: string, fallback: string) => words.named(key, fallback);
  return (
    <>
      <p>
        <a href="/peserta">{t('participant.back')}</a>
        {' · '}
        <a href={`/klaim?participantId=${participant.id}`}>{t('claims.list.ofParticipant')}</a>
        {mayFileClaim && (
          <>
            {' · '}
            <a href={`/klaim/baru?participant=${participant.id}`}>{t('claims.file.link')}</a>
          </>
        )}
      </p>
      <SavingsAndLoansLinks words={words} participantId={participant.id} />
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
            `${schemeName(words, enrolment.rule.scheme)} ${enrolment.rule.version}`,
            enrolment.reasons.map((reason) => reasonText(words, reason)).join('; ') || '—',
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
        <p class="hint">{t('enrolment.heirs.atEnrolment')}</p>
        {props.children}
      </section>
    </>
  );
}

function Done(props: { words: Words; participant: ParticipantView; query: { enrolled?: '1'; card?: '1'; heirs?: '1' } }) {
  const { t } = props.words;
  const active = props.participant.enrolments.find((enrolment) => enrolment.status === 'active');
  return (
    <>
      {props.query.enrolled === '1' && active !== undefined && (
        <Notice kind="info">
          {t('enrolment.enrolled', { scheme: schemeName(props.words, active.rule.scheme), version: active.rule.version })}
        </Notice>
      )}
      {props.query.card === '1' && <Notice kind="info">{t('enrolment.card.recorded')}</Notice>}
      {props.query.heirs === '1' && <Notice kind="info">{t('enrolment.heirs.saved')}</Notice>}
    </>
  );
}

// The member's savings and loans, kept by their LPA (the LPAs section's pages).
function SavingsAndLoansLinks({ words, participantId }: { words: Words; participantId: string }) {
  return (
    <nav aria-label={words.t('lpas.participant.savingsAndLoans')}>
      <ul class="lpas-links">
        <li>
          <a href={`/peserta/${participantId}/tabungan`}>{words.t('lpas.participant.savings')}</a>
        </li>
        <li>
          <a href={`/peserta/${participantId}/pinjaman`}>{words.t('lpas.participant.loans')}</a>
        </li>
      </ul>
    </nav>
  );
}
