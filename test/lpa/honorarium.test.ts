import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/app/jobs.ts';
import { shareHonorarium } from '../../src/lpa/honorarium.ts';
import { payableChunks } from '../../src/lpa/payable.ts';
import { findAccountByOwner, findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { as, makeKey, publishShippedRules, shippedRules, testActor, testApp, workbookOf } from '../support/api.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';

// The New Initiative paid LPAs 12.5 % of the premium assistance they
// channelled, then 7.5 % from its second version (1 January 2013).
let database: TestDatabase;
const lpas: string[] = [];
const deps = () => ({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta' });

beforeAll(async () => {
  database = await openTestDatabase();
  await publishShippedRules(database.db);
  // Three LPAs channelling for 1, 2 and 4 members, enrolled in 2012.
  let serial = 300;
  for (const [index, members] of [1, 2, 4].entries()) {
    const lpaId = await approvedLpa(database.db, { name: `Yayasan ${index + 1}` });
    lpas.push(lpaId);
    for (let member = 0; member < members; member += 1)
      await enrolmentSince(database.db, { lpaId, scheme: 'askesos-ni-2012', enrolledOn: '2012-06-10', serial: (serial += 1) });
  }
  const cycle = jobDefinitions(deps())['premium-cycle']!;
  for (const period of ['2012-12', '2013-01']) expect(await cycle.run(period, testActor)).toMatchObject({ ran: true });
});

afterAll(async () => {
  await database.close();
});

describe('sharing an honorarium', () => {
  it('rounds the total once and splits it by what each LPA channelled, to the rupiah', () => {
    const channelled = ['3333.00', '3333.00', '3334.00'].map((subsidy, index) => ({
      lpaId: `lpa-${index}`,
      participants: 1,
      subsidy: amount(subsidy),
    }));
    const { total, parts } = shareHonorarium(amount('0.075'), channelled, { mode: 'half-even', decimalPlaces: 0 });
    expect(total.toFixed(2)).toBe('750.00');
    expect(parts.map((part) => part.toFixed(2))).toEqual(['250.00', '250.00', '250.00']);
    const odd = shareHonorarium(amount('0.125'), channelled.slice(0, 2), { mode: 'half-even', decimalPlaces: 0 });
    expect(odd.total.toFixed(2)).toBe('833.00');
    expect(odd.parts.map((part) => part.toFixed(2))).toEqual(['417.00', '416.00']);
  });
});

describe('honorarium entries', () => {
  it('take LPAs in chunks an entry can hold, each chunk with its own total, leaving out shares of nothing', () => {
    const perLpa = Array.from({ length: 120 }, (_, index) => [`lpa-${index}`, amount(index === 7 ? '0' : '100.00')] as const);
    const chunks = payableChunks(perLpa, 49);
    expect(chunks.map((chunk) => chunk.lpas.length)).toEqual([49, 49, 21]);
    expect(chunks.map((chunk) => chunk.total.toFixed(2))).toEqual(['4900.00', '4900.00', '2100.00']);
    expect(chunks.flatMap((chunk) => chunk.lpas.map(([lpaId]) => lpaId))).not.toContain('lpa-7');
  });
});

describe('the LPA honorarium of a month', () => {
  const honoraria = (period: string) =>
    database
      .db('lpa_honoraria')
      .where({ period: `${period}-01` })
      .orderBy('subsidy')
      .select('lpa_id', 'participants', 'subsidy', 'rate', 'honorarium', 'rule_version');

  it('is 12.5 % of the assistance channelled before the second version and 7.5 % from its date, booked per LPA', async () => {
    const job = jobDefinitions(deps())['lpa-honorarium']!;
    expect(await job.missed('2013-01-15')).toEqual(['2012-12', '2013-01']);
    expect(await job.run('2012-12', testActor)).toMatchObject({
      ran: true,
      detail: { period: '2012-12', lpas: 3, subsidy: '72800.00', honorarium: '9100.00' },
    });
    expect(await honoraria('2012-12')).toEqual([
      { lpa_id: lpas[0], participants: 1, subsidy: '10400.00', rate: '0.125000', honorarium: '1300.00', rule_version: '2012.1' },
      { lpa_id: lpas[1], participants: 2, subsidy: '20800.00', rate: '0.125000', honorarium: '2600.00', rule_version: '2012.1' },
      { lpa_id: lpas[2], participants: 4, subsidy: '41600.00', rate: '0.125000', honorarium: '5200.00', rule_version: '2012.1' },
    ]);
    expect(await job.run('2013-01', testActor)).toMatchObject({ ran: true, detail: { honorarium: '5460.00' } });
    expect((await honoraria('2013-01')).map((row) => [row.rate, row.honorarium, row.rule_version])).toEqual([
      ['0.075000', '780.00', '2013.1'],
      ['0.075000', '1560.00', '2013.1'],
      ['0.075000', '3120.00', '2013.1'],
    ]);
    expect(await job.run('2013-01', testActor)).toEqual({ ran: false, why: 'done' });
    expect(await job.missed('2013-02-15')).toEqual([]);

    // Honorarium expense against each LPA's honorarium payable, to the rupiah.
    expect((await findFundAccount(database.db, '5200')).balance).toBe('14560.00');
    const payable = await Promise.all(
      lpas.map(
        async (lpaId) =>
          (await findAccountByOwner(database.db, '2400', { kind: 'lpa', lpaId, participantId: null }))?.normalBalance,
      ),
    );
    expect(payable).toEqual(['2080.00', '4160.00', '8320.00']);
  });

  it('waits for the month’s premium cycle', async () => {
    await expect(jobDefinitions(deps())['lpa-honorarium']!.run('2013-02', testActor)).rejects.toThrow(
      'lpa-honorarium 2013-02 needs premium-cycle 2013-02 done first',
    );
  });

  it('is paid by finance up to what the LPA is owed, once per key', async () => {
    const app = testApp(database.db);
    const finance = await makeKey(database.db, { role: 'finance' });
    const pay = (lpaId: string | undefined, amountPaid: string, key: string) =>
      as(app, finance)
        .post(`/v1/lpas/${lpaId}/honorarium-payments`)
        .set('Idempotency-Key', key)
        .send({ amount: amountPaid, paidOn: '2013-02-10', reference: `SP2D-${key}` });
    // The fund pays out of cash: December's premium assistance has arrived.
    const receipt = await as(app, finance)
      .post('/v1/subsidy-receipts')
      .set('Idempotency-Key', 'apbn-2012-12')
      .send({ amount: '72800.00', receivedOn: '2013-01-20', reference: 'SP2D-2012-12', period: '2012-12' });
    expect(receipt.status).toBe(201);
    const paid = await pay(lpas[2], '8000.00', 'honor-1');
    expect(paid.status).toBe(201);
    expect(paid.body.postings).toEqual(
      expect.arrayContaining([expect.objectContaining({ accountCode: '2400', amount: '8000.00' })]),
    );
    expect((await pay(lpas[2], '8000.00', 'honor-1')).headers['idempotent-replayed']).toBe('true');
    const tooMuch = await pay(lpas[2], '320.01', 'honor-2');
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.detail).toBe('The LPA is owed Rp 320 of honorarium; a payment of Rp 320,01 is more than that.');
    expect((await pay(lpas[2], '320.00', 'honor-3')).status).toBe(201);
    const payable = await findAccountByOwner(database.db, '2400', { kind: 'lpa', lpaId: lpas[2] ?? '', participantId: null });
    expect(payable?.normalBalance).toBe('0.00');
    expect((await pay('00000000-0000-4000-8000-000000000000', '1.00', 'honor-4')).status).toBe(404);
    const lpaKey = await makeKey(database.db, { role: 'lpa', lpaId: lpas[0] ?? '' });
    expect(
      (await as(app, lpaKey).post(`/v1/lpas/${lpas[0]}/honorarium-payments`).set('Idempotency-Key', 'x').send({})).status,
    ).toBe(403);
  });

  it('is reported LPA by LPA in JSON, CSV and XLSX with the same figures, and names its rules and entries', async () => {
    const app = testApp(database.db);
    const auditor = await makeKey(database.db, { role: 'auditor' });
    const report = (format: string) => as(app, auditor).get(`/v1/reports/honorarium?period=2013-01&format=${format}`);
    const json = await report('json');
    expect(json.status).toBe(200);
    expect(json.body.about).toMatchObject({ period: '2013-01', 'rule versions': 'askesos-ni-2012@2013.1' });
    expect(json.body.about['ledger entries (sequence)']).toMatch(/^\d+ to \d+$/);
    expect(
      json.body.rows.map((row: Record<string, unknown>) => [
        row.participants,
        row.subsidy,
        row.rate,
        row.honorarium,
        row.outstanding,
      ]),
    ).toEqual([
      [1, '10400.00', '0.075', '780.00', '2080.00'],
      [2, '20800.00', '0.075', '1560.00', '4160.00'],
      [4, '41600.00', '0.075', '3120.00', '8320.00'],
    ]);
    const headers = json.body.columns.map((column: { header: string }) => column.header);
    const keys = json.body.columns.map((column: { key: string }) => column.key);
    expect(json.body.totals).toEqual([
      expect.objectContaining({
        lpa: 'Total',
        participants: 7,
        subsidy: '72800.00',
        honorarium: '5460.00',
        outstanding: '14560.00',
      }),
    ]);
    const asText = [...json.body.rows, ...json.body.totals].map((row: Record<string, unknown>) =>
      keys.map((key: string) => (row[key] === null ? '' : String(row[key]))),
    );

    const csv = await report('csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="honorarium-2013-01.csv"');
    expect(parse(csv.text)).toEqual([headers, ...asText]);

    const workbook = await workbookOf(report('xlsx'));
    const sheet = workbook.worksheets[0];
    const cells: string[][] = [];
    sheet?.eachRow((row) => cells.push(keys.map((_key: string, index: number) => String(row.getCell(index + 1).value ?? ''))));
    // Amounts are spreadsheet numbers there: 2080 reads back as the decimal 2080.00.
    const normalise = (text: string) => (/^\d+(\.\d+)?$/.test(text) ? amount(text).toFixed(2) : text);
    expect(cells.map((row) => row.map(normalise))).toEqual([headers, ...asText].map((row) => row.map(normalise)));
    expect(workbook.getWorksheet('About')?.getRow(3).values).toEqual([undefined, 'rule versions', 'askesos-ni-2012@2013.1']);

    const otherDinsos = await makeKey(database.db, { role: 'dinsos', regencyCode: '3171' });
    expect((await as(app, otherDinsos).get('/v1/reports/honorarium?period=2013-01')).body.rows).toEqual([]);
    expect((await as(app, auditor).get('/v1/reports/honorarium?period=2013-01&format=pdf')).status).toBe(400);
  });

  it('are kept each month by the monthly-reports job and download again exactly as they were', async () => {
    const job = jobDefinitions(deps())['monthly-reports']!;
    expect(await job.missed('2013-02-10')).toEqual(['2012-12', '2013-01']);
    expect(await job.missed('2013-01-10')).toEqual(['2012-12']);
    for (const period of await job.missed('2013-02-10')) expect(await job.run(period, testActor)).toMatchObject({ ran: true });
    const app = testApp(database.db);
    const auditor = await makeKey(database.db, { role: 'auditor' });
    const runs = (await as(app, auditor).get('/v1/reports/runs?kind=honorarium')).body.runs;
    expect(runs.map((run: { parameters: Record<string, string> }) => run.parameters)).toEqual(
      expect.arrayContaining([{ period: '2012-12' }, { period: '2013-01' }]),
    );
    expect((await as(app, auditor).get('/v1/reports/runs')).body.runs).toHaveLength(14);
    const january = runs.find((run: { parameters: { period: string } }) => run.parameters.period === '2013-01');
    const kept = await as(app, auditor).get(`/v1/reports/runs/${january.id}?format=csv`);
    expect(kept.text).toBe((await as(app, auditor).get('/v1/reports/honorarium?period=2013-01&format=csv')).text);

    // A payment dated in January changes the live report, not the kept one.
    const finance = await makeKey(database.db, { role: 'finance' });
    expect(
      (
        await as(app, finance)
          .post(`/v1/lpas/${lpas[0]}/honorarium-payments`)
          .set('Idempotency-Key', 'late-january')
          .send({ amount: '100.00', paidOn: '2013-01-31', reference: 'SP2D-JAN' })
      ).status,
    ).toBe(201);
    expect((await as(app, auditor).get('/v1/reports/honorarium?period=2013-01&format=csv')).text).not.toBe(kept.text);
    expect((await as(app, auditor).get(`/v1/reports/runs/${january.id}?format=csv`)).text).toBe(kept.text);
    expect(await job.run('2013-01', testActor)).toEqual({ ran: false, why: 'done' });
    expect((await as(app, auditor).get('/v1/reports/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
