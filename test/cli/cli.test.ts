import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitClaim } from '../../src/claims/submit.ts';
import { newClaimSchema } from '../../src/claims/model.ts';
import { type Db, openDatabase } from '../../src/db/knex.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { postEntry } from '../../src/ledger/post.ts';
import { findFundAccount } from '../../src/ledger/store.ts';
import { amount } from '../../src/money/index.ts';
import { enrolParticipant } from '../../src/registry/enrol.ts';
import { participantInputSchema } from '../../src/registry/model.ts';
import { publishShippedRules, shippedRules, testActor, testToday } from '../support/api.ts';
import { type ServiceDatabase, openServiceDatabase } from '../support/db.ts';
import { approvedLpa } from '../support/lpa.ts';
import { motorbikeTaxiDriver } from '../support/people.ts';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../scripts/askesos.mjs');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI as an operator runs it: a separate process, on the embedded
// database in a fresh DATA_DIR, or on this file's PostgreSQL schema. Each
// command starts Node and opens the database (about 3 s), and a test runs
// several, so the budget is per process started, not per assertion: a test
// of a dozen commands on a loaded two-core machine has been seen past two
// minutes.
describe('askesos CLI', { timeout: 300_000 }, () => {
  let database: ServiceDatabase;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    database = await openServiceDatabase();
    Object.assign(env, database.env);
  });
  afterAll(async () => {
    await database.close();
  });

  async function askesos(...args: string[]): Promise<Outcome> {
    const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env };
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env: childEnv });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('migrates, then says the database is up to date', async () => {
    const count = readdirSync(join(import.meta.dirname, '../../migrations')).filter((file) => file.endsWith('.ts')).length;
    const first = await askesos('migrate');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Applied ${count} migrations|up to date \\(${count} migrations`));
    const second = await askesos('migrate');
    expect(second.stdout).toMatch(new RegExp(`^Database is up to date \\(${count} migrations, (pglite|postgres)\\)\\.$`, 'm'));
  });

  it('creates, lists and revokes a key', async () => {
    const created = await askesos(
      'keys',
      'create',
      '--role',
      'dinsos',
      '--name',
      'Dinsos Gunung Mas',
      '--regency',
      '6210',
      '--json',
    );
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout) as { key: { id: string; regencyCode: string }; secret: string };
    expect(secret).toMatch(/^ask_/);
    expect(key.regencyCode).toBe('6210');

    const listed = await askesos('keys', 'list');
    expect(listed.stdout).toMatch(new RegExp(`${key.id}\\s+dinsos\\s+Dinsos Gunung Mas\\s+6210`));
    expect(listed.stdout).not.toContain(secret);

    const revoked = await askesos('keys', 'revoke', key.id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked dinsos key "Dinsos Gunung Mas" (id ${key.id}).\n`);
    expect((await askesos('keys', 'list')).stdout).not.toContain(key.id);
    expect((await askesos('keys', 'list', '--all')).stdout).toContain(key.id);
  });

  it('refuses bad input with exit 2, naming the option, and creates nothing', async () => {
    const outcome = await askesos('keys', 'create', '--role', 'lpa', '--name', 'LPA Tunas Harapan');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--lpa: is required for an lpa key');
    expect((await askesos('keys', 'list')).stdout).not.toContain('LPA Tunas Harapan');
    const badId = await askesos('keys', 'revoke', 'nonsense');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('id: must be a key id (a UUID)');
  });

  it('imports regions from a CSV, and refuses a wrong header naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askesos-regions-'));
    try {
      writeFileSync(join(dir, 'regions.csv'), 'code,name\n99,Provinsi Uji\n9901,Kabupaten Uji\n');
      const imported = await askesos('regions', 'import', join(dir, 'regions.csv'));
      expect(imported.stdout).toBe('Imported 1 provinces and 1 regencies.\n');
      writeFileSync(join(dir, 'bad.csv'), 'kode,nama\n99,Provinsi Uji\n');
      const refused = await askesos('regions', 'import', join(dir, 'bad.csv'));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('line 1: the header must be exactly: code,name');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('declares a regency’s target population, and names the option that is wrong', async () => {
    const declared = await askesos(
      'regions',
      'target-population',
      '6210',
      '--population',
      '24000',
      '--source',
      'BPS Sakernas 2026',
      '--as-of',
      '2026-01-01',
    );
    expect(declared.stdout).toBe('Regency 6210: target population 24000 as of 2026-01-01 (BPS Sakernas 2026).\n');
    const refused = await askesos(
      'regions',
      'target-population',
      '6210',
      '--population',
      'many',
      '--source',
      'BPS',
      '--as-of',
      '2026-02-30',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--population: must be a whole number');
    expect(refused.stderr).toContain('--as-of: is not a calendar date');
  });

  it('prints the indicators of a month and its year to date as CSV, and asks for a month or a period', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'askesos-indicators-'));
    try {
      const file = join(directory, 'indicators.csv');
      const csv = await askesos('reports', 'indicators', '--month', '2026-10', '--by', 'province', '--csv', file);
      expect(csv.code, csv.stderr).toBe(0);
      expect(readFileSync(file, 'utf8').split('\r\n')[0]).toMatch(/^Period,From,To,Grouping,Code,Name,Incurred claims ratio,/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    const neither = await askesos('reports', 'indicators', '--by', 'lpa');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--month: give month (YYYY-MM), or from and to');
  });

  // The database the CLI opens, migrated and with the rules published, for
  // putting things in place as the service would have.
  async function inCliDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const database =
      env.DATABASE_URL === undefined
        ? await openDatabase({ backend: 'pglite', dataDir: env.DATA_DIR ?? '' })
        : await openDatabase({ backend: 'postgres', url: env.DATABASE_URL, poolMax: 2 });
    try {
      await migrateLatest(database.db);
      await publishShippedRules(database.db);
      return await work(database.db);
    } finally {
      await database.close();
    }
  }

  // An approved claim and cash to pay it, put in place as the service would
  // have, in the database the CLI then opens.
  async function approvedClaimWithCash(): Promise<string> {
    return inCliDatabase(async (db) => {
      const lpaId = await approvedLpa(db);
      const input = participantInputSchema.parse(motorbikeTaxiDriver(7, { enrolledOn: '2026-02-01' }));
      const { participantId } = await enrolParticipant(
        db,
        shippedRules,
        { scheme: 'standalone', lpaId, input, today: testToday, fieldPrefix: '' },
        testActor,
      );
      const [cash, capital] = [await findFundAccount(db, '1100'), await findFundAccount(db, '3100')];
      await postEntry(
        db,
        {
          entryDate: '2026-11-02',
          description: 'Opening cash',
          reference: { type: 'opening-balance', id: '2026' },
          rule: null,
          idempotencyKey: 'cli-test-opening',
          postings: [
            { accountId: cash?.id ?? '', amount: amount('1000000.00') },
            { accountId: capital?.id ?? '', amount: amount('-1000000.00') },
          ],
        },
        { postedBy: 'test', requestId: null },
      );
      const claim = newClaimSchema.parse({
        participantId,
        claimType: 'accident',
        incidentDate: '2026-11-01',
        reportDate: '2026-11-01',
        payout: { method: 'cash', receivedBy: 'Yohanes Dingu' },
      });
      const { claim: filed } = await submitClaim(
        db,
        shippedRules,
        { lpaId, claim, idempotencyKey: 'cli-test-claim', today: testToday, defaultScheme: 'standalone', fieldPrefix: '' },
        testActor,
      );
      return filed.id;
    });
  }

  it('shows a claim with its reasons, pays it once, and the ledger shows the payment', async () => {
    const id = await approvedClaimWithCash();
    const shown = await askesos('claims', 'show', id);
    expect(shown.stdout).toContain('Approved: Rp 500.000 (accident-allowance).');
    expect(shown.stdout).toMatch(/Decided by standalone version 2026\.1 \(rules hash [0-9a-f]{12}\)/);
    const future = await askesos('claims', 'pay', id, '--reference', 'KAS-0042', '--paid-on', '2099-01-01');
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('--paid-on');
    const early = await askesos('claims', 'pay', id, '--reference', 'KAS-0042', '--paid-on', '2026-11-24');
    expect(early.stderr).toContain('must not be before the day the claim was accepted (2026-11-25)');
    // Paid the day after it was accepted, entered since.
    const paid = await askesos('claims', 'pay', id, '--reference', 'KAS-0042', '--paid-on', '2026-11-26');
    expect(paid.stdout).toMatch(/^Paid: claim .*, Rp 500\.000, reference KAS-0042, on 2026-11-26\.\n$/);
    expect((await askesos('claims', 'pay', id, '--reference', 'KAS-0042')).stdout).toMatch(/^Already paid: /);
    const other = await askesos('claims', 'pay', id, '--reference', 'KAS-0043');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('was paid on');
    const statement = await askesos('ledger', 'statement', '1100');
    expect(statement.stdout).toMatch(/Payment of claim .* reference KAS-0042 .*Rp 500\.000\s+Rp 500\.000\n$/);
    expect((await askesos('ledger', 'check')).stdout).toBe(
      'The ledger balances: every account matches its postings, and the postings sum to zero.\n',
    );
    const trial = await askesos('ledger', 'trial-balance', '--json');
    expect(JSON.parse(trial.stdout).totals).toEqual({ debits: '2000000.00', credits: '2000000.00', balance: '0.00' });
  });

  it('prints a participant’s card as a PDF, lists the outbox and renders a notice in either language', async () => {
    const { participantId, lpaId } = await inCliDatabase(async (db) => {
      const lpa = await approvedLpa(db, { name: 'Yayasan Kartu' });
      const input = participantInputSchema.parse(motorbikeTaxiDriver(31, { enrolledOn: '2026-02-01' }));
      const enrolled = await enrolParticipant(
        db,
        shippedRules,
        { scheme: 'standalone', lpaId: lpa, input, today: testToday, fieldPrefix: '' },
        testActor,
      );
      await db('participants')
        .where({ id: enrolled.participantId })
        .update({ card_number: 'GM-CLI-0008', card_issued_on: '2026-11-01' });
      return { participantId: enrolled.participantId, lpaId: lpa };
    });
    const dir = mkdtempSync(join(tmpdir(), 'askesos-card-'));
    try {
      const card = await askesos('participants', 'card', participantId, '--out', join(dir, 'card.pdf'));
      expect(card.stdout).toBe(`Wrote card GM-CLI-0008 to ${join(dir, 'card.pdf')}.\n`);
      expect(readFileSync(join(dir, 'card.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      const listed = await askesos('notices', 'list', '--lpa', lpaId, '--json');
      const [notice] = JSON.parse(listed.stdout).notices as { id: string; kind: string }[];
      expect(notice?.kind).toBe('enrolment-accepted');
      expect((await askesos('notices', 'render', notice?.id ?? '')).stdout).toContain('PENDAFTARAN ANDA DITERIMA');
      expect((await askesos('notices', 'render', notice?.id ?? '', '--lang', 'en')).stdout).toContain(
        'YOUR ENROLMENT IS ACCEPTED',
      );
      const badLang = await askesos('notices', 'render', notice?.id ?? '', '--lang', 'fr');
      expect(badLang.code).toBe(2);
      expect(badLang.stderr).toContain('--lang: must be one of: id, en');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A claim the rules referred, and a death benefit accepted on Friday 12 March 2027.
  async function referredAndDeathClaims(): Promise<{ referred: string; death: string }> {
    return inCliDatabase(async (db) => {
      const lpaId = await approvedLpa(db, { name: 'Yayasan Tinjau' });
      const filed: string[] = [];
      for (const [serial, body] of [
        [
          8,
          {
            claimType: 'accident-medical',
            costClaimed: '4800000.00',
            documents: ['medical-certificate', 'receipt'],
          },
        ],
        [
          9,
          {
            claimType: 'death',
            deathCause: 'natural',
            heir: { name: 'Maria Dingu', relation: 'spouse' },
            documents: ['death-certificate', 'family-card', 'heir-identity-card'],
          },
        ],
      ] as const) {
        const input = participantInputSchema.parse(motorbikeTaxiDriver(serial, { enrolledOn: '2026-06-01' }));
        const { participantId } = await enrolParticipant(
          db,
          shippedRules,
          { scheme: 'standalone', lpaId, input, today: '2026-06-01', fieldPrefix: '' },
          testActor,
        );
        const claim = newClaimSchema.parse({
          ...body,
          participantId,
          incidentDate: '2027-03-01',
          reportDate: '2027-03-02',
          documents: body.documents.map((kind) => ({ kind, number: `${kind}-1`, date: '2027-03-02' })),
          payout: { method: 'cash', receivedBy: 'Maria Dingu' },
        });
        const { claim: decided } = await submitClaim(
          db,
          shippedRules,
          {
            lpaId,
            claim,
            idempotencyKey: `cli-review-${serial}`,
            today: '2027-03-12',
            defaultScheme: 'standalone',
            fieldPrefix: '',
          },
          testActor,
        );
        filed.push(decided.id);
      }
      const [referred = '', death = ''] = filed;
      return { referred, death };
    });
  }

  it('reviews a referred claim once, and lists a death benefit unpaid past its deadline', async () => {
    const { referred, death } = await referredAndDeathClaims();
    expect((await askesos('claims', 'show', referred)).stdout).toContain('Referred to the directorate for review: ');
    const both = await askesos('claims', 'review', referred, '--approve', '--reject', '--reason', 'Checked');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--approve');
    const reviewed = await askesos('claims', 'review', referred, '--approve', '--reason', 'Receipts checked with the clinic');
    expect(reviewed.stdout).toBe(`Reviewed: claim ${referred} approved for Rp 4.800.000.\n`);
    const again = await askesos('claims', 'review', referred, '--approve', '--reason', 'Receipts checked with the clinic');
    expect(again.stdout).toMatch(/^Already reviewed: /);
    const otherwise = await askesos('claims', 'review', referred, '--reject', '--reason', 'Second thoughts');
    expect(otherwise.code).toBe(1);
    expect(otherwise.stderr).toContain('was approved on review');

    expect((await askesos('claims', 'past-deadline', '--date', '2027-03-17')).stdout).toBe(
      'No approved claim is past its payment deadline on 2027-03-17.\n',
    );
    const late = await askesos('claims', 'past-deadline', '--date', '2027-03-19');
    expect(late.stdout).toMatch(
      new RegExp(
        `^1 approved claim\\(s\\) past their payment deadline on 2027-03-19:\\n  ${death}  death  Rp 5\\.000\\.000  due 2027-03-17  2 day\\(s\\) late`,
      ),
    );
    expect((await askesos('claims', 'past-deadline', '--date', '19-03-2027')).stderr).toContain('--date');
  });

  it('runs a job for a period, again only to book what became known, lists the jobs and their runs, and refuses a bad or future period', async () => {
    const ran = await askesos('jobs', 'run', 'premium-cycle', '--period', '2026-11');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^premium-cycle 2026-11: done \{"period":"2026-11","booked":\d+,/);
    expect((await askesos('jobs', 'run', 'premium-cycle', '--period', '2026-11')).stdout).toMatch(
      /^premium-cycle 2026-11: done \{"period":"2026-11","booked":0,/,
    );
    expect((await askesos('jobs', 'run', 'eligibility-recheck', '--period', '2026-11-30')).code).toBe(0);
    expect((await askesos('jobs', 'run', 'eligibility-recheck', '--period', '2026-11-30')).stdout).toBe(
      'eligibility-recheck 2026-11-30: not run, it is already done\n',
    );
    const future = await askesos('jobs', 'run', 'premium-cycle', '--period', '2099-01');
    expect(future.code).not.toBe(0);
    expect(future.stderr).toContain('premium-cycle 2099-01 has not begun');
    const badMonth = await askesos('jobs', 'run', 'premium-cycle', '--period', '2026-11-01');
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toBe('--period: must be a month as YYYY-MM, e.g. 2027-01, got "2026-11-01"\n');
    expect((await askesos('jobs', 'run', 'premium-cycles')).stderr).toContain(
      'no job "premium-cycles"; jobs: eligibility-recheck, premium-cycle, savings-dues, loan-arrears, lpa-honorarium, monthly-reports',
    );
    const listed = await askesos('jobs', 'list');
    expect(listed.stdout).toMatch(
      /^premium-cycle\s+0 2 \* \* \* \(Asia\/Jakarta\)\s+month\s+2026-11\s+Book every premium due owed/m,
    );
    const runs = JSON.parse((await askesos('jobs', 'status', '--job', 'premium-cycle', '--json')).stdout) as unknown[];
    expect(runs).toEqual([expect.objectContaining({ job: 'premium-cycle', period: '2026-11', status: 'done', failure: null })]);
  });

  it('prints a report as a table or JSON, writes it as CSV in either locale and as a spreadsheet, and names a bad option', async () => {
    const table = await askesos('reports', 'honorarium', '--period', '2026-11');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^LPA honorarium 2026-11\n {2}period: 2026-11\n/);
    expect(table.stdout).toMatch(/^LPA id\s+LPA\s+Regency\s+Participants\s+Premium assistance channelled/m);
    expect(table.stdout).toMatch(/^-\s+Total\s+-\s+\d+\s+Rp [\d.]+/m);
    const json = JSON.parse((await askesos('reports', 'honorarium', '--period', '2026-11', '--json')).stdout) as {
      title: string;
      columns: { key: string }[];
      totals: Record<string, unknown>[];
    };
    expect(json.title).toBe('LPA honorarium 2026-11');
    expect(json.totals).toEqual([expect.objectContaining({ lpa: 'Total' })]);

    const directory = mkdtempSync(join(tmpdir(), 'askesos-report-'));
    try {
      const [en, id, xlsx] = ['h.csv', 'h-id.csv', 'h.xlsx'].map((name) => join(directory, name));
      const written = await askesos('reports', 'honorarium', '--period', '2026-11', '--csv', en!, '--xlsx', xlsx!);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe('');
      expect(written.stderr).toContain(`LPA honorarium 2026-11: `);
      expect(written.stderr).toContain(` written to ${xlsx}\n`);
      expect(readFileSync(en!, 'utf8').split('\r\n')[0]).toBe(
        'LPA id,LPA,Regency,Participants,Premium assistance channelled,Rate,Honorarium,Strengthening grants,Paid in the month,Outstanding at month end',
      );
      expect(readFileSync(xlsx!).subarray(0, 2).toString()).toBe('PK');
      const withJson = await askesos(
        'reports',
        'subsidy-cost',
        '--from',
        '2026-11',
        '--to',
        '2026-11',
        '--csv',
        id!,
        '--locale',
        'id',
        '--json',
      );
      const subsidy = JSON.parse(withJson.stdout) as { rows: unknown[]; totals: { premium: string }[] };
      const lines = readFileSync(id!, 'utf8').split('\r\n');
      expect(lines[0]).toBe(
        '\uFEFFMonth;Province;Name;Enrolments with a due;Premium;Premium assistance;Own share;Own share paid',
      );
      expect(lines).toHaveLength(subsidy.rows.length + 3);
      expect(lines.at(-2)).toContain(`;${subsidy.totals[0]!.premium.replace('.', ',')};`);

      const badLocale = await askesos('reports', 'retention', '--csv', en!, '--locale', 'fr');
      expect(badLocale.code).toBe(2);
      expect(badLocale.stderr).toContain('--locale: ');
      const badFile = await askesos('reports', 'retention', '--csv', join(directory, 'missing', 'r.csv'));
      expect(badFile.code).toBe(2);
      expect(badFile.stderr).toContain(`--csv: no directory ${join(directory, 'missing')}`);
      const badValue = await askesos('reports', 'subsidy-cost', '--from', '2026-11', '--to', '2026-10');
      expect(badValue.stderr).toContain('--to: must not be before from');

      const quality = JSON.parse((await askesos('reports', 'data-quality', '--json')).stdout) as { rows: { section: string }[] };
      expect(quality.rows.map((row) => row.section)).toContain('participants');

      expect((await askesos('jobs', 'run', 'monthly-reports', '--period', '2026-11')).code).toBe(0);
      const runs = JSON.parse((await askesos('reports', 'runs', '--kind', 'honorarium', '--json')).stdout) as { id: string }[];
      const kept = join(directory, 'kept.csv');
      const downloaded = await askesos('reports', 'download', runs[0]!.id, '--csv', kept, '--locale', 'id');
      expect(downloaded.code).toBe(0);
      expect(readFileSync(kept, 'utf8').startsWith('\uFEFFLPA id;LPA;Regency;')).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reads savings and loans: the pool of an LPA with none, the portfolio as CSV, and a bad id named', async () => {
    const pool = await askesos('savings', 'pool', '00000000-0000-4000-8000-000000000000', '--json');
    expect(JSON.parse(pool.stdout)).toMatchObject({ available: '0.00' });
    const portfolio = await askesos('loans', 'portfolio');
    expect(portfolio.stdout).toMatch(
      /^Regency\s+LPA\s+Loans out\s+Principal outstanding\s+Loans in arrears\s+At risk 1\+ days\s+PAR1\s+Loans 30\+ days in arrears\s+At risk 30\+ days\s+PAR30$/m,
    );
    const bad = await askesos('loans', 'show', 'L-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('loan: must be a UUID');
  });

  it('says so when the key to revoke does not exist', async () => {
    const outcome = await askesos('keys', 'revoke', '00000000-0000-4000-8000-000000000000');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('No active API key with id "00000000-0000-4000-8000-000000000000"');
  });

  it('stops at start-up on a bad environment value, naming the variable', async () => {
    const outcome: Outcome = await run(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Outcome) => error,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('PORT: must be a whole number (got "eighty")');
  });
});
