// Writes a synthetic participant extract in the import's CSV shape: about
// `badShare` of the rows carry one of the faults the study met in real data
// (names of digits, NIKs that disagree with the birth date, unknown
// occupations). Deterministic for a seed. Usage:
//   tsx scripts/synthetic-extract.ts out.csv 1000000 [badShare]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { importColumns } from '../src/registry/import-row.ts';

const regencies = ['6201', '6202', '6203', '6210', '6211', '6271', '3171', '3404'];
const occupations = [
  'motorbike-taxi-driver',
  'street-vendor',
  'construction-labourer',
  'fisher',
  'farm-labourer',
  'domestic-worker',
  'teacher',
];
const welfare = ['poor', 'poor', 'near-poor', 'near-poor', 'vulnerable', 'not-poor'];
const givenNames = ['Yohanes', 'Siti', 'Agus', 'Maria', 'Dewi', 'Budi', 'Rini', 'Petrus', 'Nurhayati', 'Fransiska'];
const familyNames = ['Dingu', 'Aminah', 'Santoso', 'Ambun', 'Lestari', 'Saputra', 'Tingang', 'Rahayu', 'Binti Usman', 'Kurnia'];

export function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeSyntheticExtract(
  path: string,
  rows: number,
  options: { badShare: number; seed: number },
): Promise<void> {
  const random = mulberry32(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${importColumns.join(',')}\n`);
  for (let index = 0; index < rows; index += 1) {
    const regency = pick(regencies);
    const sex = random() < 0.5 ? 'male' : 'female';
    const year = 1966 + Math.floor(random() * 40);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const serial = String((index % 9999) + 1).padStart(4, '0');
    const district = String(Math.floor(index / 9999) % 100).padStart(2, '0');
    let nik = `${regency}${district}${String(day + (sex === 'female' ? 40 : 0)).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).slice(2)}${serial}`;
    let name = `${pick(givenNames)} ${pick(familyNames)}`;
    let occupation = pick(occupations);
    if (random() < options.badShare) {
      const fault = Math.floor(random() * 3);
      if (fault === 0) name = String(3_200_000 + index);
      else if (fault === 1) nik = `${nik.slice(0, 8)}${String((month % 12) + 1).padStart(2, '0')}${nik.slice(10)}`;
      else occupation = 'gold-trader';
    }
    const fields = [
      nik,
      `${regency}${district}0101${String(index % 100).padStart(2, '0')}${serial}`,
      name,
      birthDate,
      sex,
      pick(['married', 'married', 'single', 'widowed', 'divorced']),
      random() < 0.8 ? 'yes' : 'no',
      occupation,
      pick(welfare),
      String(1 + Math.floor(random() * 10)),
      `"Jl. Sungai ${1 + (index % 50)}, RT ${1 + (index % 9)}"`,
      random() < 0.6 ? `08${String(1_000_000_000 + index).slice(0, 10)}` : '',
    ];
    await write(`${fields.join(',')}\n`);
  }
  out.end();
  await once(out, 'finish');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, rows = '1000', badShare = '0.05'] = process.argv.slice(2);
  if (path === undefined) {
    process.stderr.write('usage: tsx scripts/synthetic-extract.ts out.csv [rows] [badShare]\n');
    process.exit(2);
  }
  await writeSyntheticExtract(path, Number(rows), { badShare: Number(badShare), seed: 2026 });
}
