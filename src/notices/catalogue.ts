// What a participant reads, in plain words: one entry per reason code a
// decision can carry, per claim type, benefit, way cover ends and scheme.
// The stored explanations are the rule writers' English; these are the
// sentences a participant or an heir in a village is told. A code missing
// here falls back to the stored explanation, and a test keeps every code
// the code base and the shipped rules can emit in both languages.
// No amount, rate or day count of policy is written here: those come from
// the rules and the decision.

export const languages = ['id', 'en'] as const;
export type Language = (typeof languages)[number];

interface Sentence {
  readonly id: string;
  readonly en: string;
}

export const reasonSentences: Readonly<Record<string, Sentence>> = {
  // Enrolment: the eligibility rules.
  age_outside_working_age: {
    id: 'Umur Anda di luar usia kerja yang dapat ikut program ini.',
    en: 'Your age is outside the working age the programme covers.',
  },
  age_outside_18_55_and_unmarried: {
    id: 'Umur Anda di luar batas umur peserta dan Anda belum menikah.',
    en: 'Your age is outside the participants’ age limits and you are not married.',
  },
  not_head_of_family: {
    id: 'Peserta harus kepala keluarga.',
    en: 'A participant must be the head of the family.',
  },
  not_main_breadwinner: {
    id: 'Peserta harus pencari nafkah utama keluarga.',
    en: 'A participant must be the family’s main breadwinner.',
  },
  not_informal_worker: {
    id: 'Pekerjaan Anda tercatat di sektor formal; program ini untuk pekerja sektor informal.',
    en: 'Your work is recorded as formal-sector work; the programme is for informal-sector workers.',
  },
  not_poor: {
    id: 'Menurut data kesejahteraan sosial, Anda tidak termasuk fakir miskin atau orang tidak mampu.',
    en: 'By the social welfare data, you are not among the poor or those unable to pay.',
  },
  not_poor_or_vulnerable: {
    id: 'Menurut data kesejahteraan sosial (DTKS), Anda tidak termasuk miskin atau rentan miskin.',
    en: 'By the social welfare data (DTKS), you are neither poor nor vulnerable to poverty.',
  },
  welfare_status_unverified: {
    id: 'Status kesejahteraan Anda belum dicocokkan dengan DTKS. Minta LPA mencocokkannya, lalu daftar kembali.',
    en: 'Your welfare status has not been checked against DTKS yet. Ask the LPA to check it, then enrol again.',
  },
  // A declaration not taken is refused like a no, so each sentence says how to put it right.
  not_willing_to_save: {
    id: 'Peserta harus bersedia menabung di lembaga keuangan resmi (bank atau koperasi). Jika Anda bersedia, sampaikan kepada LPA, lalu daftar kembali.',
    en: 'A participant must be willing to save at a legal financial institution (a bank or a cooperative). If you are, tell the LPA, then enrol again.',
  },
  not_attending_monthly_meeting: {
    id: 'Peserta harus bersedia mengikuti pertemuan peningkatan kapasitas paling sedikit sebulan sekali. Jika Anda bersedia, sampaikan kepada LPA, lalu daftar kembali.',
    en: 'A participant must attend a capacity-building meeting at least once a month. If you will, tell the LPA, then enrol again.',
  },
  // Claims: refusals before any benefit rule.
  not_enrolled: {
    id: 'Orang ini tidak pernah terdaftar sebagai peserta.',
    en: 'This person was never enrolled as a participant.',
  },
  incident_before_enrolment: {
    id: 'Kejadian terjadi sebelum tanggal kepesertaan dimulai.',
    en: 'The incident happened before membership began.',
  },
  coverage_lapsed: {
    id: 'Kejadian terjadi setelah perlindungan berhenti.',
    en: 'The incident happened after cover had ended.',
  },
  scheme_ended: {
    id: 'Program sudah berakhir sebelum kejadian.',
    en: 'The scheme had ended before the incident.',
  },
  incident_after_death: {
    id: 'Kejadian terjadi setelah peserta meninggal dunia; perlindungan berakhir saat meninggal.',
    en: 'The incident happened after the participant died; cover ended with the death.',
  },
  death_benefit_already_approved: {
    id: 'Santunan kematian untuk peserta ini sudah disetujui atau sedang ditinjau.',
    en: 'A death benefit for this participant has already been approved or is under review.',
  },
  no_benefit_applies: {
    id: 'Tidak ada manfaat program yang menanggung klaim ini.',
    en: 'No benefit of the scheme covers this claim.',
  },
  documents_missing: {
    id: 'Dokumen yang diperlukan belum lengkap. Ajukan lagi bersama dokumen yang kurang.',
    en: 'Documents the claim needs are missing. File it again with them.',
  },
  // Claims: the benefit rules.
  sickness_days_outside_5_10: {
    id: 'Lama sakit di luar jumlah hari yang ditanggung santunan sakit.',
    en: 'The days of sickness are outside those the sickness allowance covers.',
  },
  claim_limit_reached: {
    id: 'Jumlah klaim sakit atau kecelakaan sudah mencapai batas.',
    en: 'The number of sickness or accident claims has reached the limit.',
  },
  benefit_not_in_scheme: {
    id: 'Manfaat ini tidak ditanggung oleh program Anda.',
    en: 'Your scheme does not cover this benefit.',
  },
  coverage_ended: {
    id: 'Masa perlindungan dari bantuan iuran sudah habis.',
    en: 'The cover the premium assistance paid for has run out.',
  },
  late_report: {
    id: 'Kejadian dilaporkan terlambat, sehingga klaim diperiksa dulu oleh Direktorat.',
    en: 'The incident was reported late, so the directorate checks the claim first.',
  },
  cost_near_ceiling: {
    id: 'Biaya pengobatan mendekati batas tertinggi, sehingga kuitansi diperiksa dulu oleh Direktorat.',
    en: 'The medical costs are close to the ceiling, so the directorate checks the receipts first.',
  },
};

export const claimTypeLabels: Readonly<Record<string, Sentence>> = {
  sickness: { id: 'sakit', en: 'sickness' },
  accident: { id: 'kecelakaan', en: 'accident' },
  'accident-medical': { id: 'biaya pengobatan karena kecelakaan', en: 'medical care after an accident' },
  dentures: { id: 'gigi palsu', en: 'dentures' },
  disability: { id: 'cacat sebagian', en: 'partial disability' },
  death: { id: 'meninggal dunia', en: 'death' },
};

export const benefitLabels: Readonly<Record<string, Sentence>> = {
  'sickness-allowance': { id: 'Santunan sakit', en: 'Sickness allowance' },
  'accident-allowance': { id: 'Santunan kecelakaan', en: 'Accident allowance' },
  'accident-medical': { id: 'Biaya pengobatan kecelakaan', en: 'Medical care after an accident' },
  dentures: { id: 'Gigi palsu', en: 'Dentures' },
  disability: { id: 'Cacat sebagian', en: 'Partial disability' },
  death: { id: 'Santunan kematian', en: 'Death benefit' },
  'work-accident-death': { id: 'Kematian karena kecelakaan kerja', en: 'Death from a work accident' },
};

// The documents a claim may need, as a participant or an heir gathers them.
export const documentLabels: Readonly<Record<string, Sentence>> = {
  'death-certificate': { id: 'Surat keterangan kematian', en: 'Death certificate' },
  'family-card': { id: 'Kartu Keluarga (KK)', en: 'Family card (KK)' },
  'heir-identity-card': { id: 'KTP ahli waris', en: 'The heir’s identity card (KTP)' },
  'medical-certificate': { id: 'Surat keterangan dokter', en: 'Doctor’s certificate' },
  'accident-statement': { id: 'Surat keterangan kecelakaan', en: 'Accident statement' },
  receipt: { id: 'Kuitansi biaya pengobatan', en: 'Receipts for the medical costs' },
};

export const coverEndings = ['arrears', 'not-eligible', 'scheme-ended', 'death'] as const;
type CoverEnding = (typeof coverEndings)[number];

export const coverEndingSentences: Readonly<Record<CoverEnding, Sentence>> = {
  arrears: {
    id: 'Iuran bagian Anda belum dibayar melewati masa tenggang.',
    en: 'Your own share of the premium stayed unpaid past the grace period.',
  },
  'not-eligible': {
    id: 'Pemeriksaan ulang tahunan menemukan Anda tidak lagi memenuhi syarat.',
    en: 'The yearly re-check found you no longer meet the conditions.',
  },
  'scheme-ended': {
    id: 'Program Anda sudah berakhir.',
    en: 'Your scheme has ended.',
  },
  death: {
    id: 'Peserta telah meninggal dunia. Turut berduka cita.',
    en: 'The participant has died. Our condolences.',
  },
};

export const schemeNames: Readonly<Record<string, Sentence>> = {
  standalone: { id: 'Askesos Mandiri', en: 'Standalone Askesos' },
  'askesos-2003': { id: 'Askesos 2003–2011', en: 'Askesos 2003–2011' },
  'askesos-ni-2012': { id: 'Askesos Inisiatif Baru 2012', en: 'Askesos New Initiative 2012' },
};

// A reason in the reader's language; a code with no sentence yet (a rule
// version newer than this catalogue) keeps the explanation its rule gives.
export function reasonSentence(reason: { reason: string; explanation: string }, language: Language): string {
  return reasonSentences[reason.reason]?.[language] ?? reason.explanation;
}

export function labelOf(labels: Readonly<Record<string, Sentence>>, key: string, language: Language): string {
  return labels[key]?.[language] ?? key;
}
