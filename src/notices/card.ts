import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.ts';
import { RuleNotInForceError, versionInForce } from '../rules/evaluate.ts';
import type { RuleBook, RuleVersion } from '../rules/load.ts';
import { cardDocument, renderCardPdf } from './render-card.ts';
import { cardNotice } from './drafts.ts';
import { type CardHolder, findCardHolder, insertNotices } from './store.ts';

// The heir lookup a card's QR code leads to, for this card's number.
export function heirLookupUrlFor(template: string, cardNumber: string): string {
  return template.replaceAll('{number}', encodeURIComponent(cardNumber));
}

// The rules whose benefits a card shows: those of the participant's scheme
// in force on the card's date. Null when nothing is (no cover in force).
function cardRules(book: RuleBook, holder: CardHolder): RuleVersion | null {
  if (holder.card === null || holder.cover === null) return null;
  try {
    return versionInForce(book, holder.cover.scheme, holder.card.issuedOn);
  } catch (error) {
    if (error instanceof RuleNotInForceError) return null;
    throw error;
  }
}

// Inside the transaction that records a card: the participant is told of
// it, naming the rules whose benefits the card shows.
export async function noticeCardIssued(
  trx: Knex.Transaction,
  book: RuleBook,
  request: { participantId: string; decidedOn: string },
): Promise<void> {
  const holder = await findCardHolder(trx, request.participantId);
  if (holder === null || holder.card === null) throw new Error(`participant ${request.participantId} has no card to tell of`);
  const version = cardRules(book, holder);
  await insertNotices(trx, [
    cardNotice(
      holder,
      holder.card,
      version === null ? null : { scheme: version.scheme, version: version.version, hash: version.hash },
      request.decidedOn,
    ),
  ]);
}

// The card of a participant the caller may see (`visible` says so): a card
// number must be recorded and cover in force, since the card tells what it pays.
export async function membershipCardPdf(
  db: Db,
  book: RuleBook,
  request: { participantId: string; heirLookupUrl: string; visible: (holder: CardHolder) => boolean },
): Promise<{ pdf: Buffer; cardNumber: string }> {
  const holder = await findCardHolder(db, request.participantId);
  if (holder === null || !request.visible(holder)) throw new NotFoundError('participant', request.participantId);
  if (holder.card === null)
    throw new ConflictError(
      'card-not-issued',
      `Participant ${holder.participantId} has no card number yet: record it with POST /v1/participants/{id}/card first.`,
    );
  if (holder.cover === null)
    throw new ConflictError(
      'not-in-cover',
      `Participant ${holder.participantId} has no active enrolment; a card tells what cover pays.`,
    );
  const version = cardRules(book, holder);
  if (version === null)
    throw new UnprocessableError(
      'rule-not-in-force',
      `No version of scheme "${holder.cover.scheme}" is in force on the card's date, ${holder.card.issuedOn}.`,
    );
  const document = cardDocument(
    {
      name: holder.name,
      nik: holder.nik,
      cardNumber: holder.card.number,
      issuedOn: holder.card.issuedOn,
      enrolledOn: holder.cover.enrolledOn,
      lpa: holder.lpa,
      heirLookupUrl: heirLookupUrlFor(request.heirLookupUrl, holder.card.number),
    },
    version,
  );
  return { pdf: await renderCardPdf(document), cardNumber: holder.card.number };
}
