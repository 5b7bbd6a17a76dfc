import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginImport, ImportFileError, type ImportRequest, importParticipants } from '../../src/registry/import.ts';
import { importErrorLines } from '../../src/registry/import-store.ts';
import { writeSyntheticExtract } from '../../scripts/synthetic-extract.ts';
import { countRows, publishShippedRules, shippedRules, testActor, testToday } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';

describe('bulk import of participants', () => {
  let database: TestDatabase;
  let lpaId: string;
  const dir = mkdtempSync(join(tmpdir(), 'askesos-import-'));
  const extract = join(dir, 'extract.csv');
  const rowsTotal = 600;

  const request = (filePath: string, changes: Partial<ImportRequest> = {}): ImportRequest => ({
    lpaId,
    filePath,
    fileName: filePath,
    enrolledOn: '2026-11-01',
    today: testToday,
    scheme: 'standalone',
    chunkRowsMax: 100,
    ...changes,
  });
  const registry = async () => [
    await countRows(database.db, 'participants'),
    await countRows(database.db, 'enrolments'),
    await countRows(database.db, 'import_errors'),
  ];

  beforeAll(async () => {
    database = await openTestDatabase();
    await publishShippedRules(database.db);
    lpaId = await approvedLpa(database.db);
    await writeSyntheticExtract(extract, rowsTotal, { badShare: 0.1, seed: 7 });
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols good rows through the rules and reports each bad row by line and column', async () => {
    const summary = await importParticipants(database.db, shippedRules, request(extract), testActor);
    expect(summary).toMatchObject({ status: 'done', reused: false, linesCommitted: rowsTotal + 1 });
    expect(summary.rowsEnrolled + summary.rowsRejected + summary.rowsInvalid + summary.rowsSkipped).toBe(rowsTotal);
    expect(summary.rowsInvalid).toBeGreaterThan(30);
    expect(summary.rowsRejected).toBeGreaterThan(50);

    const lines = readFileSync(extract, 'utf8').split('\n');
    const digitsLine = lines.findIndex((line, index) => index > 0 && /^\d{16},\d{16},\d+,/.test(line)) + 1;
    const errors: string[] = [];
    for await (const line of importErrorLines(database.db, summary.importId)) errors.push(line);
    expect(errors[0]).toBe('line,column,reason\n');
    expect(errors).toContain(`${digitsLine},name,must not contain digits\n`);
    expect(errors.some((line) => line.includes(',nik,digits 7 to 12 must be the birth date'))).toBe(true);
    expect(await countRows(database.db, 'participants')).toBe(rowsTotal - summary.rowsInvalid);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await registry();
    const again = await importParticipants(database.db, shippedRules, request(extract), testActor);
    expect(again.reused).toBe(true);
    expect(await registry()).toEqual(before);
  });

  it('skips rows already decided when the same rows come in another file', async () => {
    const copy = join(dir, 'copy.csv');
    writeFileSync(copy, `${readFileSync(extract, 'utf8')}\n`);
    const before = await registry();
    const summary = await importParticipants(database.db, shippedRules, request(copy), testActor);
    expect(summary.reused).toBe(false);
    expect(summary.rowsEnrolled + summary.rowsRejected).toBe(0);
    expect((await registry()).slice(0, 2)).toEqual(before.slice(0, 2));
  });

  it('resumes after a crash without enrolling anyone twice', async () => {
    const file = join(dir, 'crash.csv');
    await writeSyntheticExtract(file, 300, { badShare: 0.05, seed: 99 });
    const crashing = request(file, {
      onProgress: () => {
        throw new Error('power cut');
      },
    });
    await expect(importParticipants(database.db, shippedRules, crashing, testActor)).rejects.toThrow('power cut');
    const halfway = await database.db('imports').where({ file_name: file }).first();
    expect(halfway).toMatchObject({ status: 'failed', lines_committed: 101, failure: 'power cut' });
    const resumed = await importParticipants(database.db, shippedRules, request(file), testActor);
    expect(resumed).toMatchObject({ importId: halfway.id, status: 'done', linesCommitted: 301 });
    expect(resumed.rowsEnrolled + resumed.rowsRejected + resumed.rowsInvalid + resumed.rowsSkipped).toBe(300);
    const enrolments = await database
      .db('enrolments')
      .where({ import_id: halfway.id })
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(enrolments[0]?.count)).toBe(resumed.rowsEnrolled + resumed.rowsRejected);
  });

  it.each([
    ['wrong columns', 'nik,nama,tanggal_lahir\n1,2,3\n', 'line 1: missing column(s): kk, name, birth_date'],
    [
      'a file that is not UTF-8',
      Buffer.concat([Buffer.from('nik,kk,name\n'), Buffer.from([0x4a, 0xe9, 0x72, 0x0a])]),
      'the file is not UTF-8 text',
    ],
    [
      'a quote left open on a huge line',
      `${'nik,kk,name,birth_date,sex,marital_status,is_head_of_family,occupation,welfare_status,welfare_decile,address,phone'}\n"${'x'.repeat(70_000)}\n`,
      'a row is longer than 65536 bytes',
    ],
    ['an empty file', '', 'the file is empty'],
  ])('refuses %s with a reason, writing nothing', async (_case, content, reason) => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, content);
    const before = [...(await registry()), await countRows(database.db, 'imports')];
    await expect(importParticipants(database.db, shippedRules, request(file), testActor)).rejects.toThrow(ImportFileError);
    await expect(importParticipants(database.db, shippedRules, request(file), testActor)).rejects.toThrow(reason);
    expect([...(await registry()), await countRows(database.db, 'imports')]).toEqual(before);
  });

  it('lets one runner at a time import a file, and the next one in as soon as it is done', async () => {
    const other = join(dir, 'other.csv');
    await writeSyntheticExtract(other, 150, { badShare: 0, seed: 11 });
    const first = await beginImport(database.db, shippedRules, request(other), testActor);
    await expect(beginImport(database.db, shippedRules, request(other), testActor)).rejects.toMatchObject({
      code: 'import-running',
    });
    expect((await first.finish()).status).toBe('done');
    expect((await importParticipants(database.db, shippedRules, request(other), testActor)).reused).toBe(true);
  });

  it('reads quoted newlines inside a field and counts lines as an editor does', async () => {
    const file = join(dir, 'quoted.csv');
    const header =
      'nik,kk,name,birth_date,sex,marital_status,is_head_of_family,occupation,welfare_status,welfare_decile,address,phone';
    writeFileSync(
      file,
      `${header}\n6210010101900001,6210010101200001,Agus Tingang,1990-01-01,male,married,yes,fisher,poor,1,"Jl. Sungai 1\nRT 2",\n6210010101900002,6210010101200001,Budi 2,1990-01-01,male,married,yes,fisher,poor,1,Jl. Sungai 1,\n`,
    );
    const summary = await importParticipants(database.db, shippedRules, request(file), testActor);
    expect(summary).toMatchObject({ rowsEnrolled: 1, rowsInvalid: 1 });
    const stored = await database
      .db('participants')
      .where({ nik: '6210010101900001' })
      .first('address', 'willing_to_save', 'attends_monthly_meeting');
    // A file without the declaration columns declares nothing.
    expect(stored).toEqual({ address: 'Jl. Sungai 1\nRT 2', willing_to_save: null, attends_monthly_meeting: null });
    const errors: string[] = [];
    for await (const line of importErrorLines(database.db, summary.importId)) errors.push(line);
    expect(errors).toEqual(['line,column,reason\n', '4,name,must not contain digits\n']);
  });

  it('reads the optional declaration columns (yes, no, or empty for not declared), which the New Initiative rules check', async () => {
    const file = join(dir, 'declarations.csv');
    const row = (serial: string, willing: string, meeting: string) =>
      `62100101019${serial},6210010101200001,Agus Tingang,1990-01-01,male,married,ya,fisher,poor,1,Jl. Sungai 1,,${willing},${meeting}`;
    writeFileSync(
      file,
      [
        'nik,kk,name,birth_date,sex,marital_status,is_head_of_family,occupation,welfare_status,welfare_decile,address,phone,willing_to_save,attends_monthly_meeting',
        row('00011', 'yes', 'Ya'),
        row('00012', 'no', 'yes'),
        row('00013', '', ''),
        row('00014', 'maybe', 'tidak'),
      ].join('\n'),
    );
    const summary = await importParticipants(
      database.db,
      shippedRules,
      request(file, { scheme: 'askesos-ni-2012', enrolledOn: '2013-03-01' }),
      testActor,
    );
    expect(summary).toMatchObject({ status: 'done', rowsEnrolled: 1, rowsRejected: 2, rowsInvalid: 1 });
    const decided = await database
      .db('participants as p')
      .join('enrolments as e', 'e.participant_id', 'p.id')
      .whereIn('p.nik', ['6210010101900011', '6210010101900012', '6210010101900013'])
      .orderBy('p.nik')
      .select('p.willing_to_save', 'p.attends_monthly_meeting', 'e.status', 'e.reasons');
    expect(
      decided.map((entry) => [
        entry.willing_to_save,
        entry.attends_monthly_meeting,
        entry.status,
        entry.reasons.map((reason: { reason: string }) => reason.reason),
      ]),
    ).toEqual([
      [true, true, 'active', []],
      [false, true, 'rejected', ['not_willing_to_save']],
      [null, null, 'rejected', ['not_willing_to_save', 'not_attending_monthly_meeting']],
    ]);
    const errors: string[] = [];
    for await (const line of importErrorLines(database.db, summary.importId)) errors.push(line);
    expect(errors).toEqual(['line,column,reason\n', '5,willing_to_save,"must be yes, no, or empty when not declared"\n']);
  });
});
