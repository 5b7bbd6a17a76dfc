// Occupations an LPA may record, each with its sector. The list holds formal
// occupations too, so that a teacher or a civil servant can be submitted and
// refused by the eligibility rules with a reason, rather than vanish at the
// form (the study found such people enrolled because nobody checked).
export const occupations = {
  'motorbike-taxi-driver': 'informal', // ojek
  'pedicab-driver': 'informal', // becak
  'construction-labourer': 'informal', // buruh bangunan
  'street-vendor': 'informal', // pedagang kaki lima
  'market-porter': 'informal', // kuli pasar
  'domestic-worker': 'informal', // pekerja rumah tangga
  fisher: 'informal', // nelayan
  'farm-labourer': 'informal', // buruh tani
  'smallholder-farmer': 'informal', // petani gurem
  'small-scale-miner': 'informal', // penambang rakyat
  scavenger: 'informal', // pemulung
  'home-industry-worker': 'informal', // pekerja industri rumahan
  craftsperson: 'informal', // pengrajin
  'religious-teacher': 'informal', // guru ngaji, penceramah
  'other-informal': 'informal',
  teacher: 'formal', // guru
  'civil-servant': 'formal', // PNS
  'private-employee': 'formal', // karyawan swasta
  'military-or-police': 'formal',
  'other-formal': 'formal',
} as const satisfies Record<string, 'informal' | 'formal'>;

export type Occupation = keyof typeof occupations;
export const occupationNames = Object.keys(occupations) as [Occupation, ...Occupation[]];
