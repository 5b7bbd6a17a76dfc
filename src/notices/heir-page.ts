import type { Request, Response } from 'express';
import { isoDateSchema } from '../dates.ts';
import { benefitsOffered } from '../rules/benefits.ts';
import { decide, RuleNotInForceError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import type { Db } from '../db/knex.ts';
import { TooManyRequestsError } from '../errors.ts';
import { createRateLimiter } from '../shared/http/rate-limit.ts';
import { benefitLabels, documentLabels, labelOf, schemeNames } from './catalogue.ts';
import { offerAmountText } from './render-card.ts';
import { longDate } from './render-notice.ts';
import { type CardHolder, deathClaimStatus, findCardHolderByCard } from './store.ts';

// The page a membership card's QR code opens (GET /heirs?participant=<card
// number>): the study found heirs who never knew the deceased was insured.
// Whoever holds the card gives the participant's birth date as well (as the
// membership lookup asks NIK and birth date); the page then says whether the
// card's holder is covered, what a death pays under the rules in force
// today, what to bring, and which LPA to go to. Nothing else of the person.
// In Bahasa Indonesia, plain HTML with no script, so it opens on any phone.

export interface HeirAnswer {
  readonly holder: CardHolder;
  readonly scheme: string | null;
  readonly deathBenefits: readonly { readonly label: string; readonly amount: string }[];
  readonly documents: readonly string[];
  readonly deathClaim: 'referred' | 'approved' | 'paid' | null;
}

export type HeirPageView =
  | { readonly kind: 'form'; readonly cardNumber: string; readonly problem: string | null }
  | { readonly kind: 'not-found'; readonly cardNumber: string }
  | { readonly kind: 'found'; readonly cardNumber: string; readonly answer: HeirAnswer; readonly today: string }
  | { readonly kind: 'too-many'; readonly retryAfterSeconds: number };

const cardNumberMax = 40;

export function heirLookupPage(options: { readonly db: Db; readonly book: RuleBook; readonly today: () => string }) {
  const limit = createRateLimiter({ requestsMax: 10, windowSeconds: 60, clientsTrackedMax: 100_000 });
  return async (request: Request, response: Response): Promise<void> => {
    const text = (name: string) => (typeof request.query[name] === 'string' ? (request.query[name] as string).trim() : '');
    const cardNumber = text('participant').slice(0, cardNumberMax);
    const birthDate = text('birthDate');
    const send = (status: number, view: HeirPageView) => {
      response.status(status).type('html').set('Cache-Control', 'no-store').send(renderHeirPage(view));
    };
    if (birthDate === '') return send(200, { kind: 'form', cardNumber, problem: null });
    if (cardNumber === '') return send(400, { kind: 'form', cardNumber, problem: 'Isi nomor kartu peserta.' });
    if (!isoDateSchema.safeParse(birthDate).success)
      return send(400, { kind: 'form', cardNumber, problem: 'Tanggal lahir tidak dikenali; pilih tanggal pada kolom isian.' });
    try {
      limit(request.ip ?? 'unknown');
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        response.set('Retry-After', String(error.retryAfterSeconds));
        return send(429, { kind: 'too-many', retryAfterSeconds: error.retryAfterSeconds });
      }
      throw error;
    }
    const holder = await findCardHolderByCard(options.db, cardNumber, birthDate);
    if (holder === null) return send(200, { kind: 'not-found', cardNumber });
    const today = options.today();
    const deathClaim = await deathClaimStatus(options.db, holder.participantId);
    send(200, { kind: 'found', cardNumber, answer: heirAnswer(options.book, holder, today, deathClaim), today });
  };
}

// Pure: what a death pays and needs under the rules of the holder's scheme
// in force today; nothing when no cover stands or no version is in force.
export function heirAnswer(book: RuleBook, holder: CardHolder, today: string, deathClaim: HeirAnswer['deathClaim']): HeirAnswer {
  if (holder.cover === null) return { holder, scheme: null, deathBenefits: [], documents: [], deathClaim };
  try {
    const version = versionInForce(book, holder.cover.scheme, today);
    const deathBenefits = benefitsOffered(version)
      .filter((offer) => offer.benefit === 'death' || offer.benefit === 'work-accident-death')
      .map((offer) => ({ label: labelOf(benefitLabels, offer.benefit, 'id'), amount: offerAmountText(offer) }));
    const decision = decide(book, {
      scheme: holder.cover.scheme,
      area: 'benefits',
      date: today,
      facts: {
        claimType: 'death',
        coverageYear: 1,
        sicknessDays: null,
        priorPaidClaims: 0,
        deathCause: 'natural',
        costClaimed: null,
        monthlyWage: null,
        reportDelayDays: 0,
      },
    });
    const documents = decision.events
      .filter((event) => event.type === 'documents-required')
      .flatMap((event) => event.params.kinds as string[])
      .map((kind) => labelOf(documentLabels, kind, 'id'));
    return {
      holder,
      scheme: labelOf(schemeNames, holder.cover.scheme, 'id'),
      deathBenefits,
      documents: [...new Set(documents)],
      deathClaim,
    };
  } catch (error) {
    if (error instanceof RuleNotInForceError) return { holder, scheme: null, deathBenefits: [], documents: [], deathClaim };
    throw error;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => escapes[character] ?? character);

function form(cardNumber: string, problem: string | null): string {
  return `<form method="get" action="/heirs">
  <label>Nomor kartu peserta<input name="participant" value="${escapeHtml(cardNumber)}" maxlength="${cardNumberMax}" required></label>
  <label>Tanggal lahir peserta<input name="birthDate" type="date" required></label>
  ${problem === null ? '' : `<p class="problem" role="alert">${escapeHtml(problem)}</p>`}
  <button type="submit">Periksa</button>
</form>`;
}

function found(answer: HeirAnswer, today: string): string {
  const { holder } = answer;
  const lpa = `<strong>${escapeHtml(holder.lpa.name)}</strong>, telepon <a href="tel:${escapeHtml(holder.lpa.phone)}">${escapeHtml(holder.lpa.phone)}</a>`;
  const covered = holder.cover !== null;
  const claimWords = { referred: 'sedang ditinjau Direktorat', approved: 'sudah disetujui', paid: 'sudah dibayarkan' };
  if (answer.deathClaim !== null)
    return `<h2>${escapeHtml(holder.name)} terdaftar sebagai peserta Askesos</h2>
<p>Santunan kematian untuk peserta ini ${claimWords[answer.deathClaim]}. Turut berduka cita.</p>
<h3>Hubungi LPA</h3>
<p>Untuk keterangan, hubungi LPA peserta: ${lpa}.</p>`;
  return `<h2>${escapeHtml(holder.name)} terdaftar sebagai peserta Askesos</h2>
<p>${
    covered
      ? `Perlindungan masih berjalan (${escapeHtml(answer.scheme ?? holder.cover?.scheme ?? '')}), per ${escapeHtml(longDate(today, 'id'))}.`
      : 'Perlindungan peserta ini sudah berakhir. Bila peserta meninggal dunia sebelum perlindungan berakhir, santunan masih dapat diajukan.'
  }</p>
${
  answer.deathBenefits.length === 0
    ? ''
    : `<h3>Bila peserta meninggal dunia</h3>
<ul>${answer.deathBenefits.map((benefit) => `<li>${escapeHtml(benefit.label)}: <strong>${escapeHtml(benefit.amount)}</strong></li>`).join('')}</ul>`
}
${
  answer.documents.length === 0
    ? ''
    : `<h3>Yang perlu dibawa ke LPA</h3>
<ul>${answer.documents.map((document) => `<li>${escapeHtml(document)}</li>`).join('')}<li>Kartu peserta ini</li></ul>`
}
<h3>Hubungi LPA</h3>
<p>Ajukan klaim melalui LPA peserta: ${lpa}. Keputusan dan alasannya diberikan tertulis.</p>`;
}

export function renderHeirPage(view: HeirPageView): string {
  const body = (() => {
    switch (view.kind) {
      case 'form':
        return `<p>Untuk keluarga dan ahli waris: periksa apakah pemegang kartu ini peserta Askesos, apa yang dibayarkan bila ia meninggal dunia, dan ke mana mengajukan klaim.</p>
${form(view.cardNumber, view.problem)}`;
      case 'not-found':
        return `<p class="problem" role="alert">Nomor kartu dan tanggal lahir ini tidak cocok dengan peserta mana pun. Periksa kembali, atau tanyakan ke Dinas Sosial kabupaten/kota.</p>
${form(view.cardNumber, null)}`;
      case 'found':
        return found(view.answer, view.today);
      case 'too-many':
        return `<p class="problem" role="alert">Terlalu banyak pemeriksaan dari perangkat ini. Coba lagi dalam ${view.retryAfterSeconds} detik.</p>`;
      default: {
        const unreachable: never = view;
        throw new Error(`unknown heir page ${JSON.stringify(unreachable)}`);
      }
    }
  })();
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cek kepesertaan Askesos</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 0 auto; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
header { background: #1b5e20; color: #fff; margin: -1rem -1rem 1rem; padding: 0.75rem 1rem; }
label { display: block; margin: 0.75rem 0; font-weight: 600; }
input { display: block; width: 100%; box-sizing: border-box; font-size: 1.1rem; padding: 0.5rem; margin-top: 0.25rem; }
button { font-size: 1.1rem; padding: 0.6rem 1.2rem; background: #1b5e20; color: #fff; border: 0; border-radius: 4px; }
.problem { color: #b71c1c; font-weight: 600; }
li strong { white-space: nowrap; }
</style>
</head>
<body>
<header><strong>ASKESOS</strong> · Asuransi Kesejahteraan Sosial</header>
<h1>Cek kepesertaan</h1>
${body}
</body>
</html>
`;
}
