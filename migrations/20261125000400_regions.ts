import type { Knex } from 'knex';

// Provinces and regencies by their official codes, seeded with the shipped
// reference list. A regency's code starts with its province's.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table provinces (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null check (char_length(name) between 1 and 100)
    )
  `);
  await knex.raw(`
    create table regencies (
      code text primary key check (code ~ '^[0-9]{4}$'),
      province_code text not null references provinces (code),
      name text not null check (char_length(name) between 1 and 100),
      check (left(code, 2) = province_code)
    )
  `);
  await knex('provinces').insert(referenceProvinces.map(([code, name]) => ({ code, name })));
  await knex('regencies').insert(referenceRegencies.map(([code, name]) => ({ code, province_code: code.slice(0, 2), name })));
}

// The shipped reference list, frozen here as this migration seeded it:
// official BPS/Kemendagri codes, province 2 digits, regency 4 (the first four
// digits of a NIK). More regencies arrive through `askesos regions import`.
const referenceProvinces: readonly (readonly [code: string, name: string])[] = [
  ['11', 'Aceh'],
  ['12', 'Sumatera Utara'],
  ['13', 'Sumatera Barat'],
  ['14', 'Riau'],
  ['15', 'Jambi'],
  ['16', 'Sumatera Selatan'],
  ['17', 'Bengkulu'],
  ['18', 'Lampung'],
  ['19', 'Kepulauan Bangka Belitung'],
  ['21', 'Kepulauan Riau'],
  ['31', 'DKI Jakarta'],
  ['32', 'Jawa Barat'],
  ['33', 'Jawa Tengah'],
  ['34', 'DI Yogyakarta'],
  ['35', 'Jawa Timur'],
  ['36', 'Banten'],
  ['51', 'Bali'],
  ['52', 'Nusa Tenggara Barat'],
  ['53', 'Nusa Tenggara Timur'],
  ['61', 'Kalimantan Barat'],
  ['62', 'Kalimantan Tengah'],
  ['63', 'Kalimantan Selatan'],
  ['64', 'Kalimantan Timur'],
  ['65', 'Kalimantan Utara'],
  ['71', 'Sulawesi Utara'],
  ['72', 'Sulawesi Tengah'],
  ['73', 'Sulawesi Selatan'],
  ['74', 'Sulawesi Tenggara'],
  ['75', 'Gorontalo'],
  ['76', 'Sulawesi Barat'],
  ['81', 'Maluku'],
  ['82', 'Maluku Utara'],
  ['91', 'Papua'],
  ['92', 'Papua Barat'],
];

// Kalimantan Tengah in full (the study's field work was in Gunung Mas), with
// DKI Jakarta and DI Yogyakarta.
const referenceRegencies: readonly (readonly [code: string, name: string])[] = [
  ['3101', 'Kabupaten Kepulauan Seribu'],
  ['3171', 'Kota Jakarta Selatan'],
  ['3172', 'Kota Jakarta Timur'],
  ['3173', 'Kota Jakarta Pusat'],
  ['3174', 'Kota Jakarta Barat'],
  ['3175', 'Kota Jakarta Utara'],
  ['3401', 'Kabupaten Kulon Progo'],
  ['3402', 'Kabupaten Bantul'],
  ['3403', 'Kabupaten Gunungkidul'],
  ['3404', 'Kabupaten Sleman'],
  ['3471', 'Kota Yogyakarta'],
  ['6201', 'Kabupaten Kotawaringin Barat'],
  ['6202', 'Kabupaten Kotawaringin Timur'],
  ['6203', 'Kabupaten Kapuas'],
  ['6204', 'Kabupaten Barito Selatan'],
  ['6205', 'Kabupaten Barito Utara'],
  ['6206', 'Kabupaten Katingan'],
  ['6207', 'Kabupaten Seruyan'],
  ['6208', 'Kabupaten Sukamara'],
  ['6209', 'Kabupaten Lamandau'],
  ['6210', 'Kabupaten Gunung Mas'],
  ['6211', 'Kabupaten Pulang Pisau'],
  ['6212', 'Kabupaten Murung Raya'],
  ['6213', 'Kabupaten Barito Timur'],
  ['6271', 'Kota Palangka Raya'],
];

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table regencies');
  await knex.raw('drop table provinces');
}
