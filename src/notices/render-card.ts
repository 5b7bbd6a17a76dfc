import QRCode from 'qrcode';
import { formatPercent, formatRupiah } from '../money/index.ts';
import { type BenefitOffer, benefitsOffered } from '../rules/benefits.ts';
import type { RuleVersion } from '../rules/load.ts';
import { benefitLabels, labelOf, schemeNames } from './catalogue.ts';
import { longDate } from './render-notice.ts';
import { millimetres, renderPdf } from './pdf.ts';

// Pure: the membership card a participant keeps, front and back, in Bahasa
// Indonesia. The study found cards that showed a name and a number and
// stayed in LPA offices, so heirs never knew the deceased was insured: this
// one says what the cover pays (from the rules in force on the card's
// date), how to claim, whom to call, and carries a QR code for the heirs.

export interface CardFacts {
  readonly name: string;
  readonly nik: string;
  readonly cardNumber: string;
  readonly issuedOn: string;
  readonly enrolledOn: string;
  readonly lpa: { readonly name: string; readonly phone: string };
  // Where the QR code leads: the heir lookup for this card.
  readonly heirLookupUrl: string;
}

export interface CardDocument {
  readonly scheme: string;
  readonly name: string;
  readonly nikMasked: string;
  readonly cardNumber: string;
  readonly enrolledOn: string;
  readonly issuedOn: string;
  // The card's date, YYYY-MM-DD: the rules in force on it set the benefits.
  readonly dated: string;
  readonly benefits: readonly { readonly label: string; readonly amount: string }[];
  readonly steps: readonly string[];
  readonly lpa: { readonly name: string; readonly phone: string };
  readonly heirLookupUrl: string;
  readonly rule: string;
}

// The last four digits are enough to tell a card from another; the whole
// NIK on a card that travels would be an identity to steal.
export function maskNik(nik: string): string {
  return `**** **** **** ${nik.slice(-4)}`;
}

export function cardDocument(facts: CardFacts, version: RuleVersion): CardDocument {
  return {
    scheme: labelOf(schemeNames, version.scheme, 'id'),
    name: facts.name,
    nikMasked: maskNik(facts.nik),
    cardNumber: facts.cardNumber,
    enrolledOn: longDate(facts.enrolledOn, 'id'),
    issuedOn: longDate(facts.issuedOn, 'id'),
    dated: facts.issuedOn,
    benefits: benefitsOffered(version).map((offer) => ({
      label: labelOf(benefitLabels, offer.benefit, 'id'),
      amount: offerAmountText(offer),
    })),
    steps: [
      'Laporkan kejadian (sakit, kecelakaan, meninggal dunia) ke LPA secepatnya.',
      'Bawa kartu ini, KTP dan KK, serta surat dokter, kuitansi atau surat kematian.',
      'LPA mengajukan klaim. Keputusan dan alasannya diberikan tertulis kepada Anda atau ahli waris.',
      'Ahli waris: pindai kode QR di depan kartu, atau hubungi LPA.',
    ],
    lpa: facts.lpa,
    heirLookupUrl: facts.heirLookupUrl,
    rule: `Manfaat menurut aturan ${version.scheme} versi ${version.version} (sidik ${version.hash.slice(0, 12)}) yang berlaku pada ${longDate(facts.issuedOn, 'id')}.`,
  };
}

// What a benefit pays, as the card and the heir page say it.
export function offerAmountText(offer: BenefitOffer): string {
  switch (offer.method) {
    case 'fixed':
      return offer.amountMin.equals(offer.amountMax)
        ? formatRupiah(offer.amountMax)
        : `${formatRupiah(offer.amountMin)} – ${formatRupiah(offer.amountMax)}`;
    case 'reimbursement':
      return `sampai ${formatRupiah(offer.amountMax)}`;
    case 'wage-multiple':
      return `${formatPercent(offer.wageRate)} × ${offer.wageMonths} bulan upah (maks. ${formatRupiah(offer.insuredWage)}) + ${formatRupiah(offer.allowance)} × ${offer.allowanceMonths} bulan`;
    default: {
      const unreachable: never = offer;
      throw new Error(`unknown benefit offer ${JSON.stringify(unreachable)}`);
    }
  }
}

// ID-1, the size of a bank card or a KTP: it fits the wallet the KTP is in.
const cardWidth = millimetres(85.6);
const cardHeight = millimetres(54);
const margin = millimetres(3.5);
const green = '#1b5e20';

export function renderCardPdf(card: CardDocument): Promise<Buffer> {
  return renderPdf(
    { size: [cardWidth, cardHeight], margin: 0, title: `Kartu peserta Askesos ${card.cardNumber}`, createdOn: card.dated },
    (doc) => {
      front(doc, card);
      doc.addPage({ size: [cardWidth, cardHeight], margin: 0 });
      back(doc, card);
    },
  );
}

function front(doc: PDFKit.PDFDocument, card: CardDocument): void {
  const band = millimetres(11);
  doc.rect(0, 0, cardWidth, band).fill(green);
  doc
    .fillColor('white')
    .font('Helvetica-Bold')
    .fontSize(9)
    .text('KARTU PESERTA ASKESOS', margin, margin - 1, { lineBreak: false });
  doc
    .font('Helvetica')
    .fontSize(5.5)
    .text(`Asuransi Kesejahteraan Sosial · ${card.scheme}`, margin, margin + 10, { lineBreak: false });

  const qrSize = millimetres(22);
  const qrX = cardWidth - margin - qrSize;
  const qrY = band + millimetres(2);
  const textWidth = qrX - margin - millimetres(2);
  let y = band + millimetres(2.5);
  doc.fillColor('black');
  const field = (label: string, value: string, size: number) => {
    doc.font('Helvetica').fontSize(5).fillColor('#555555').text(label, margin, y, { width: textWidth, lineBreak: false });
    y += 5.5;
    doc
      .font('Helvetica-Bold')
      .fontSize(size)
      .fillColor('black')
      .text(value, margin, y, { width: textWidth, height: size * 1.3, ellipsis: true });
    y += size * 1.3 + 1.5;
  };
  field('Nama', card.name, 8.5);
  field('NIK', card.nikMasked, 7);
  field('No. peserta', card.cardNumber, 7.5);
  field('Peserta sejak', card.enrolledOn, 6.5);

  drawQr(doc, card.heirLookupUrl, qrX, qrY, qrSize);
  doc
    .font('Helvetica')
    .fontSize(4.5)
    .fillColor('#333333')
    .text('Ahli waris: pindai untuk cek kepesertaan', qrX - 4, qrY + qrSize + 1.5, { width: qrSize + 8, align: 'center' });

  const footY = cardHeight - margin - 12;
  doc
    .moveTo(margin, footY - 2)
    .lineTo(cardWidth - margin, footY - 2)
    .lineWidth(0.3)
    .strokeColor(green)
    .stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(5.5)
    .fillColor('black')
    .text(`LPA: ${card.lpa.name}`, margin, footY, { width: cardWidth - 2 * margin, lineBreak: false, ellipsis: true });
  doc
    .font('Helvetica')
    .fontSize(5.5)
    .text(`Telepon LPA: ${card.lpa.phone}   ·   Kartu terbit ${card.issuedOn}`, margin, footY + 6.5, { lineBreak: false });
}

function back(doc: PDFKit.PDFDocument, card: CardDocument): void {
  const width = cardWidth - 2 * margin;
  doc.font('Helvetica-Bold').fontSize(6.5).fillColor(green).text('MANFAAT YANG DITANGGUNG', margin, margin, { width });
  let y = margin + 9;
  for (const benefit of card.benefits) {
    doc.font('Helvetica').fontSize(5.8).fillColor('black');
    doc.text(benefit.label, margin, y, { width: width * 0.45, lineBreak: false, ellipsis: true });
    // A long formula (a wage multiple) is set smaller rather than cut or wrapped over the next line.
    const room = width * 0.55;
    doc.font('Helvetica-Bold');
    const size = Math.min(5.8, (5.8 * room) / doc.widthOfString(benefit.amount));
    doc
      .fontSize(size)
      .text(benefit.amount, margin + width - room, y + (5.8 - size) / 2, { width: room, align: 'right', lineBreak: false });
    y += 7.5;
  }
  y += 2;
  doc.font('Helvetica-Bold').fontSize(6.5).fillColor(green).text('CARA MENGAJUKAN KLAIM', margin, y, { width });
  y += 8.5;
  card.steps.forEach((step, index) => {
    doc
      .font('Helvetica')
      .fontSize(5.3)
      .fillColor('black')
      .text(`${index + 1}. ${step}`, margin, y, { width });
    y = doc.y + 1;
  });
  doc
    .font('Helvetica')
    .fontSize(3.8)
    .fillColor('#555555')
    .text(card.rule, margin, cardHeight - margin - 9, { width });
}

// Drawn as vector squares, so the code stays sharp at any print size.
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cell = size / modules.size;
  doc.save().fillColor('black');
  for (let row = 0; row < modules.size; row += 1)
    for (let col = 0; col < modules.size; col += 1)
      if (modules.get(row, col) === 1) doc.rect(x + col * cell, y + row * cell, cell, cell);
  doc.fill().restore();
}
