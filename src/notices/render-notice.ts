import { formatRupiah, fromNumeric } from '../money/index.ts';
import {
  benefitLabels,
  claimTypeLabels,
  coverEndingSentences,
  labelOf,
  type Language,
  reasonSentence,
  schemeNames,
} from './catalogue.ts';
import type { Decision, Notice } from './model.ts';
import { millimetres, renderPdf } from './pdf.ts';
import type { Letterhead } from './store.ts';

// Pure: a notice and its letterhead in, the letter a participant reads out:
// first as a document (title, paragraphs, reasons), then as plain text for a
// phone or as a PDF to print and hand over. Short sentences, the amount in
// rupiah as Indonesians write it, every reason the decision stored.

export interface NoticeDocument {
  readonly title: string;
  readonly to: string;
  readonly date: string;
  readonly paragraphs: readonly string[];
  readonly reasonsHeading: string | null;
  readonly reasons: readonly string[];
  readonly closing: readonly string[];
  readonly footer: string;
}

const months: Record<Language, readonly string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

export function longDate(isoDate: string, language: Language): string {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return `${Number(day)} ${months[language][Number(month) - 1] ?? month} ${year}`;
}

const rupiah = (text: string) => formatRupiah(fromNumeric(text));

export function composeNotice(notice: Notice, letterhead: Letterhead, language: Language): NoticeDocument {
  const { decision } = notice;
  const words = body(decision, language, notice.participantName);
  const en = language === 'en';
  // A death is told to the heirs: the study found they were the ones never told.
  const heirs =
    (decision.kind === 'cover-ended' && decision.cause === 'death') ||
    ('claimType' in decision && decision.claimType === 'death');
  const rule =
    notice.rule === null
      ? ''
      : en
        ? ` Decided under the rules ${labelOf(schemeNames, notice.rule.scheme, 'en')} (${notice.rule.scheme}) version ${notice.rule.version}, fingerprint ${notice.rule.hash.slice(0, 12)}.`
        : ` Diputuskan menurut aturan ${labelOf(schemeNames, notice.rule.scheme, 'id')} (${notice.rule.scheme}) versi ${notice.rule.version}, sidik ${notice.rule.hash.slice(0, 12)}.`;
  return {
    title: words.title,
    to: heirs
      ? en
        ? `To the heirs of ${notice.participantName}`
        : `Kepada ahli waris dari ${notice.participantName}`
      : en
        ? `To ${notice.participantName}`
        : `Kepada Yth. ${notice.participantName}`,
    date: en ? `Date: ${longDate(notice.decidedOn, 'en')}` : `Tanggal: ${longDate(notice.decidedOn, 'id')}`,
    paragraphs: words.paragraphs,
    reasonsHeading: words.reasons.length === 0 ? null : en ? 'The reasons:' : 'Alasannya:',
    reasons: words.reasons,
    closing: [
      en
        ? `Questions? Contact your LPA, ${letterhead.lpaName}, phone ${letterhead.lpaPhone}.`
        : `Ada pertanyaan? Hubungi LPA Anda, ${letterhead.lpaName}, telepon ${letterhead.lpaPhone}.`,
    ],
    footer: `${en ? 'Notice' : 'Nomor pemberitahuan'} ${notice.id}.${rule}`,
  };
}

interface Body {
  readonly title: string;
  readonly paragraphs: string[];
  readonly reasons: string[];
}

function body(decision: Decision, language: Language, name: string): Body {
  const en = language === 'en';
  const date = (iso: string) => longDate(iso, language);
  const reasons = (list: readonly { reason: string; explanation: string }[]) =>
    list.map((reason) => reasonSentence(reason, language));
  switch (decision.kind) {
    case 'enrolment-accepted':
      return {
        title: en ? 'Your enrolment is accepted' : 'Pendaftaran Anda diterima',
        paragraphs: en
          ? [
              `You are now an Askesos participant. Your cover runs from ${date(decision.enrolledOn)}.`,
              'Your LPA will give you your membership card. Keep it at home and tell your family (your heirs) that you are insured.',
            ]
          : [
              `Anda sekarang peserta Askesos. Perlindungan Anda berlaku sejak ${date(decision.enrolledOn)}.`,
              'LPA akan memberikan kartu peserta kepada Anda. Simpan kartu di rumah dan beri tahu keluarga (ahli waris) bahwa Anda terdaftar.',
            ],
        reasons: [],
      };
    case 'enrolment-refused':
      return {
        title: en ? 'Your enrolment is not accepted' : 'Pendaftaran Anda tidak diterima',
        paragraphs: [
          en
            ? `Your enrolment as an Askesos participant on ${date(decision.enrolledOn)} cannot be accepted, for the reasons below.`
            : `Pendaftaran Anda sebagai peserta Askesos pada ${date(decision.enrolledOn)} tidak dapat diterima, dengan alasan di bawah ini.`,
          en
            ? 'If your situation changes or your data is wrong, ask your LPA to correct it and enrol you again.'
            : 'Bila keadaan Anda berubah atau data Anda keliru, minta LPA memperbaikinya dan mendaftarkan Anda kembali.',
        ],
        reasons: reasons(decision.reasons),
      };
    case 'card-issued':
      return {
        title: en ? 'Your membership card is issued' : 'Kartu peserta Anda sudah terbit',
        paragraphs: en
          ? [
              `Your membership card number ${decision.cardNumber} was issued on ${date(decision.issuedOn)}. The card is yours: ask your LPA for it if you do not have it yet.`,
              'Show the card to your family. Your heirs can scan the QR code on the card to find out that you are insured and whom to contact.',
            ]
          : [
              `Kartu peserta Anda bernomor ${decision.cardNumber} terbit pada ${date(decision.issuedOn)}. Kartu ini milik Anda: mintalah kepada LPA bila belum Anda terima.`,
              'Tunjukkan kartu kepada keluarga Anda. Ahli waris dapat memindai kode QR pada kartu untuk mengetahui bahwa Anda terdaftar dan ke mana harus menghubungi.',
            ],
        reasons: [],
      };
    case 'claim-approved': {
      const what = labelOf(claimTypeLabels, decision.claimType, language);
      const benefit = labelOf(benefitLabels, decision.benefit, language);
      return {
        title: en ? 'Claim approved' : 'Klaim disetujui',
        paragraphs: [
          en
            ? `The claim for ${what} for ${name} (incident on ${date(decision.incidentDate)}) is approved.`
            : `Klaim ${what} atas nama ${name} (kejadian tanggal ${date(decision.incidentDate)}) disetujui.`,
          `${benefit}: ${rupiah(decision.amount)}.`,
          ...(decision.paymentDueOn === null
            ? []
            : [
                en
                  ? `It will be paid by ${date(decision.paymentDueOn)} at the latest.`
                  : `Santunan dibayar paling lambat ${date(decision.paymentDueOn)}.`,
              ]),
          ...(decision.review === null
            ? []
            : [en ? `The directorate's review: ${decision.review}` : `Catatan peninjauan Direktorat: ${decision.review}`]),
          en
            ? 'You will receive another notice when it is paid.'
            : 'Anda akan menerima pemberitahuan lagi saat santunan dibayarkan.',
        ],
        reasons: [],
      };
    }
    case 'claim-referred': {
      const what = labelOf(claimTypeLabels, decision.claimType, language);
      return {
        title: en ? 'Claim being checked' : 'Klaim sedang diperiksa',
        paragraphs: en
          ? [
              `The claim for ${what} for ${name} (incident on ${date(decision.incidentDate)}) goes to the Directorate of Social Security to be checked before it is decided.`,
              `If it is approved, the fund pays ${rupiah(decision.amount)}. You will receive another notice with the decision.`,
            ]
          : [
              `Klaim ${what} atas nama ${name} (kejadian tanggal ${date(decision.incidentDate)}) diperiksa dulu oleh Direktorat Jaminan Sosial sebelum diputuskan.`,
              `Bila disetujui, santunan yang dibayar ${rupiah(decision.amount)}. Anda akan menerima pemberitahuan lagi berisi keputusannya.`,
            ],
        reasons: reasons(decision.reasons),
      };
    }
    case 'claim-rejected': {
      const what = labelOf(claimTypeLabels, decision.claimType, language);
      return {
        title: en ? 'Claim rejected' : 'Klaim ditolak',
        paragraphs: [
          en
            ? `The claim for ${what} for ${name} (incident on ${date(decision.incidentDate)}) is rejected.`
            : `Klaim ${what} atas nama ${name} (kejadian tanggal ${date(decision.incidentDate)}) ditolak.`,
          en
            ? 'If a document was missing or some data was wrong, your LPA can help you file the claim again.'
            : 'Bila ada dokumen yang kurang atau data yang keliru, LPA dapat membantu Anda mengajukan klaim kembali.',
        ],
        reasons: [
          ...reasons(decision.reasons),
          ...(decision.review === null
            ? []
            : [en ? `The directorate's review: ${decision.review}` : `Keputusan peninjauan Direktorat: ${decision.review}`]),
        ],
      };
    }
    case 'claim-paid': {
      const what = labelOf(claimTypeLabels, decision.claimType, language);
      return {
        title: en ? 'Benefit paid' : 'Santunan sudah dibayar',
        paragraphs: en
          ? [
              `The benefit for the claim for ${what} for ${name} (incident on ${date(decision.incidentDate)}), ${rupiah(decision.amount)}, was paid on ${date(decision.paidOn)}.`,
              `Payment reference: ${decision.reference}.`,
            ]
          : [
              `Santunan klaim ${what} atas nama ${name} (kejadian tanggal ${date(decision.incidentDate)}) sebesar ${rupiah(decision.amount)} telah dibayarkan pada ${date(decision.paidOn)}.`,
              `Nomor bukti pembayaran: ${decision.reference}.`,
            ],
        reasons: [],
      };
    }
    case 'cover-ended':
      return {
        title: en ? 'Cover has ended' : 'Perlindungan berakhir',
        paragraphs: [
          en
            ? `Askesos cover for ${name} ended on ${date(decision.endedOn)}.`
            : `Perlindungan Askesos atas nama ${name} berakhir pada ${date(decision.endedOn)}.`,
          coverEndingSentences[decision.cause][language],
          ...(decision.arrears === null
            ? []
            : [
                en
                  ? `Own share unpaid: ${rupiah(decision.arrears)}. Paying everything owed soon may bring the cover back; ask your LPA how long you have.`
                  : `Tunggakan iuran: ${rupiah(decision.arrears)}. Membayar seluruh tunggakan dapat memulihkan perlindungan; tanyakan kepada LPA batas waktunya.`,
              ]),
          ...(decision.cause === 'death'
            ? [
                en
                  ? 'If a benefit is still owed to the heirs, the LPA will tell you; contact it with the family card.'
                  : 'Bila masih ada santunan yang menjadi hak ahli waris, LPA akan memberi tahu; hubungi LPA dengan membawa kartu keluarga.',
              ]
            : []),
        ],
        reasons: reasons(decision.reasons),
      };
    case 'arrears-reminder': {
      const [year = '', month = ''] = decision.arrearsSince.split('-');
      const since = longDate(`${year}-${month}-01`, language).replace(/^1 /, '');
      return {
        title: en ? 'Reminder: own share unpaid' : 'Pengingat: iuran bagian Anda belum dibayar',
        paragraphs: en
          ? [
              `The own share of the Askesos premium for ${name} has been unpaid since ${since}: ${rupiah(decision.arrears)} in all.`,
              'Your cover goes on as long as you meet the conditions. Please pay what you owe at your LPA; if you cannot pay, talk to the LPA.',
            ]
          : [
              `Iuran Askesos bagian Anda atas nama ${name} belum dibayar sejak ${since}, seluruhnya ${rupiah(decision.arrears)}.`,
              'Perlindungan Anda tetap berjalan selama Anda memenuhi syarat. Mohon bayar tunggakan di LPA Anda; bila tidak mampu membayar, bicarakan dengan LPA.',
            ],
        reasons: [],
      };
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown notice ${JSON.stringify(unreachable)}`);
    }
  }
}

export function renderNoticeText(document: NoticeDocument): string {
  return [
    document.title.toUpperCase(),
    document.to,
    document.date,
    '',
    ...document.paragraphs,
    ...(document.reasonsHeading === null ? [] : ['', document.reasonsHeading, ...document.reasons.map((line) => `- ${line}`)]),
    '',
    ...document.closing,
    '',
    document.footer,
    '',
  ].join('\n');
}

// A letter on A5, which an LPA prints two to a sheet.
export function renderNoticePdf(document: NoticeDocument, decidedOn: string): Promise<Buffer> {
  const margin = millimetres(15);
  return renderPdf({ size: 'A5', margin, title: document.title, createdOn: decidedOn }, (doc) => {
    const width = doc.page.width - 2 * margin;
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#555555').text('ASKESOS — Asuransi Kesejahteraan Sosial', { width });
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(15).fillColor('black').text(document.title, { width });
    doc.moveDown(0.6);
    doc.font('Helvetica').fontSize(10).text(document.to, { width }).text(document.date, { width });
    doc.moveDown(0.8);
    for (const paragraph of document.paragraphs) doc.text(paragraph, { width, align: 'left' }).moveDown(0.5);
    if (document.reasonsHeading !== null) {
      doc.moveDown(0.3).font('Helvetica-Bold').text(document.reasonsHeading, { width }).font('Helvetica');
      doc.list([...document.reasons], { width, bulletRadius: 1.5, textIndent: 10 });
      doc.moveDown(0.5);
    }
    doc.moveDown(0.5);
    for (const line of document.closing) doc.font('Helvetica-Bold').text(line, { width });
    doc.moveDown(1.5);
    doc.font('Helvetica').fontSize(7).fillColor('#555555').text(document.footer, { width });
  });
}
