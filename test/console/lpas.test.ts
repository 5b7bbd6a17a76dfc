import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyForLoan } from '../../src/loans/apply.ts';
import { bookHonoraria } from '../../src/lpa/honorarium.ts';
import { payHonorarium } from '../../src/lpa/payments.ts';
import { disburseLoan } from '../../src/loans/lending.ts';
import { amount } from '../../src/money/index.ts';
import { depositSavings } from '../../src/savings/transactions.ts';
import { shippedRules, testActor, testApp, testToday } from '../support/api.ts';
import { type ConsoleFund, type ConsoleSession, consoleSession, seedConsoleFund } from '../support/console.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import { runPremiumCycles } from '../support/enrolment.ts';

// The LPAs section over HTTP: the list and an LPA's page within the
// person's scope, a proposal and the directorate's decision on it, and a
// member's savings and loans at their LPA, each form through the API's own
// function. On 25 November 2026 the standalone rules 2026.1 lend up to
// Rp 2,000,000 at 1 % a month flat.

let database: TestDatabase;
let app: Express;
let fund: ConsoleFund;
// A second member of LPA A, who borrowed Rp 500,000 over 5 months on 1 October 2026.
let borrower: string;
let loanId: string;

// A member's pool cash to lend, then a loan applied for and disbursed as
// the API's routes would: the console records its repayments.
async function lentTo(lpaId: string, participantId: string): Promise<string> {
  const keyed = (key: string) => ({ idempotencyKey: `lpas-console-${key}`, today: testToday, fieldPrefix: 'body.' });
  const saved = { kind: 'voluntary' as const, amount: amount('600000.00'), date: '2026-09-30', reference: 'SS-0930' };
  await depositSavings(database.db, { lpaId, participantId, input: saved, ...keyed('save') }, testActor);
  const application = {
    product: 'loan',
    amount: amount('500000.00'),
    termMonths: 5,
    graceMonths: 0,
    purpose: 'Stok warung',
    appliedOn: '2026-10-01',
  };
  const { loan } = await applyForLoan(
    database.db,
    shippedRules,
    { lpaId, participantId, input: application, ...keyed('apply') },
    testActor,
  );
  expect(loan.status).toBe('approved');
  const disbursement = { disbursedOn: '2026-10-01', reference: 'BK-1001' };
  await disburseLoan(database.db, shippedRules, { lpaId, loanId: loan.id, input: disbursement, ...keyed('disburse') }, testActor);
  return loan.id;
}

beforeAll(async () => {
  database = await openTestDatabase();
  fund = await seedConsoleFund(database.db);
  app = testApp(database.db);
  const members = await database
    .db('participants')
    .where({ lpa_id: fund.lpaA })
    .orderBy('nik', 'asc')
    .select<{ id: string }[]>('id');
  borrower = members.map((member) => member.id).find((id) => id !== fund.participantOfA) ?? '';
  loanId = await lentTo(fund.lpaA, borrower);
  // October's honorarium booked as the monthly job does, and part of it paid by finance.
  await runPremiumCycles(database.db, '2026-10', '2026-10');
  await bookHonoraria(database.db, shippedRules, '2026-10', testActor);
  const payment = { amount: amount('1000.00'), paidOn: '2026-10-31', reference: 'TRF-1031' };
  await payHonorarium(
    database.db,
    { lpaId: fund.lpaA, payment, idempotencyKey: 'lpas-console-honorarium', today: testToday, fieldPrefix: 'body.' },
    testActor,
  );
});
afterAll(async () => {
  await database.close();
});

const signIn = (user: keyof ConsoleFund['users']) => consoleSession(app, fund.users[user]);
const get = (session: ConsoleSession, path: string) => request(app).get(path).set('Cookie', session.cookie);
const post = (session: ConsoleSession, path: string, body: Record<string, string>) =>
  request(app)
    .post(path)
    .set('Cookie', session.cookie)
    .type('form')
    .send({ _csrf: session.csrf, ...body });
// A form sent twice at once, as a double click does: both answered with the same redirect.
const sentTwice = async (session: ConsoleSession, path: string, body: Record<string, string>) => {
  const [first, second] = await Promise.all([post(session, path, body), post(session, path, body)]);
  expect([first.status, second.status]).toEqual([303, 303]);
  expect(second.headers.location).toBe(first.headers.location);
  return first;
};
// The hidden key a form was rendered with.
const formKey = (html: string, action: string) =>
  new RegExp(`action="${action}"[\\s\\S]*?name="key" value="([^"]+)"`).exec(html)?.[1] ?? '';
const count = async (table: string, where: Record<string, string>) =>
  Number((await database.db(table).where(where).count<{ count: string }[]>({ count: '*' }))[0]?.count);

describe('the LPAs within a person’s scope', () => {
  it('lists every LPA of the regency to its dinsos office, and an LPA only itself', async () => {
    const dinsos = await get(await signIn('dinsos'), '/lpa');
    expect(dinsos.status).toBe(200);
    expect(dinsos.text).toContain('Yayasan Betang Tumbang');
    expect(dinsos.text).toContain('Koperasi Sumber Rejeki');
    expect(dinsos.text).toMatch(/<td>Disetujui<\/td>/);
    const lpa = await get(await signIn('lpaB'), '/lpa');
    expect(lpa.text).toContain('Koperasi Sumber Rejeki');
    expect(lpa.text).not.toContain('Yayasan Betang Tumbang');
  });

  it('shows an LPA its own page with its pool, and another LPA’s page, members’ savings and loans as not found', async () => {
    const own = await get(await signIn('lpaA'), `/lpa/${fund.lpaA}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Dana simpan pinjam LPA');
    // Rp 600,000 saved, Rp 500,000 of it lent out.
    expect(own.text).toContain('Kas yang dapat dipinjamkan atau dibayarkan sekarang: Rp 100.000.');
    expect(own.text).toMatch(/<td>Piutang pinjaman<\/td><td class="num">Rp 500\.000<\/td>/);
    expect(own.text).toContain('Kirim laporan perkembangan');
    const other = await signIn('lpaB');
    for (const path of [`/lpa/${fund.lpaA}`, `/peserta/${fund.participantOfA}/tabungan`, `/peserta/${borrower}/pinjaman`]) {
      const response = await get(other, path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain('Yayasan Betang Tumbang');
    }
    expect((await get(other, '/lpa/not-an-id')).status).toBe(404);
  });

  it('shows an LPA’s honorarium for a month: what was booked, paid in the month and still owed', async () => {
    const session = await signIn('finance');
    const page = await get(session, `/lpa/${fund.lpaA}?month=2026-10`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Honor dan penguatan LPA, Oktober 2026');
    const figures = /<section aria-labelledby="honorarium-title">[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(figures).toContain('<dt>Peserta yang dilayani</dt><dd>3</dd>');
    expect(figures).toContain('<dt>Tarif honor</dt><dd>10,0%</dd>');
    expect(figures).toContain('<dt>Honor terutang</dt><dd>Rp 1.800</dd>');
    expect(figures).toContain('<dt>Dibayar pada bulan itu</dt><dd>Rp 1.000</dd>');
    expect(figures).toContain('<dt>Belum dibayar pada akhir bulan</dt><dd>Rp 800</dd>');
    const september = await get(session, `/lpa/${fund.lpaA}?month=2026-09`);
    expect(september.text).toContain('Belum ada honor yang dibukukan');
    expect((await get(session, `/lpa/${fund.lpaA}?month=2026-13`)).status).toBe(400);
  });

  it('lets an LPA file its progress report for a finished month, once', async () => {
    const session = await signIn('lpaA');
    const filed = await post(session, '/lpa/progress-report', {
      lpaId: fund.lpaA,
      period: '2026-10',
      notes: 'Kartu dibagikan kepada 3 peserta.',
    });
    expect(filed.status).toBe(303);
    expect(filed.headers.location).toBe(`/lpa/${fund.lpaA}?done=progress-report`);
    const page = await get(session, filed.headers.location ?? '');
    expect(page.text).toContain('Kartu dibagikan kepada 3 peserta.');
    expect(page.text).toContain('Oktober 2026');
    const again = await post(session, '/lpa/progress-report', { lpaId: fund.lpaA, period: '2026-10', notes: 'Lagi.' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('laporan bulan itu sudah dikirim');
    const early = await post(session, '/lpa/progress-report', { lpaId: fund.lpaA, period: '2026-11', notes: 'Belum.' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('bulan itu belum selesai');
    expect(await count('lpa_progress_reports', { lpa_id: fund.lpaA })).toBe(1);
  });
});

describe('a proposal and the directorate’s decision', () => {
  const proposal = {
    name: 'Perkumpulan Tani Kahayan',
    type: 'association',
    regencyCode: '6210',
    contactName: 'Pak Usup',
    contactPhone: '081250002222',
    bankName: 'Bank Kalteng',
    bankAccountNumber: '5550001112',
    accreditation: 'none',
    accreditedOn: '',
  };

  it('is proposed by dinsos, approved by the directorate, and audited at each step', async () => {
    const dinsos = await signIn('dinsos');
    const form = await get(dinsos, '/lpa/usulan');
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="6210"');
    const proposed = await post(dinsos, '/lpa', proposal);
    expect(proposed.status).toBe(303);
    const id = /^\/lpa\/([0-9a-f-]{36})\?done=propose$/.exec(proposed.headers.location ?? '')?.[1] ?? '';
    expect((await database.db('lpas').where({ id }).first()).status).toBe('proposed');
    const page = await get(dinsos, `/lpa/${id}`);
    expect(page.text).toContain('Diusulkan sejak');
    expect(page.text).not.toContain('action="/lpa/approve"');

    const directorate = await signIn('directorate');
    const decisions = await get(directorate, `/lpa/${id}`);
    expect(decisions.text).toContain('action="/lpa/approve"');
    expect(decisions.text).not.toContain('action="/lpa/suspend"');
    const approved = await post(directorate, '/lpa/approve', { lpaId: id, reason: 'Diverifikasi di lapangan' });
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`/lpa/${id}?done=approve`);
    const after = await get(directorate, approved.headers.location ?? '');
    expect(after.text).toContain('LPA sudah disetujui.');
    expect(after.text).toContain('Disetujui sejak');
    expect(after.text).toContain('Diverifikasi di lapangan');
    expect(after.text).toContain('action="/lpa/suspend"');
    const audit = await database.db('audit_log').where({ entity_type: 'lpa', entity_id: id }).orderBy('id', 'asc');
    expect(audit.map((row) => [row.action, row.actor])).toEqual([
      ['lpa.propose', 'user:dinsos.gm'],
      ['lpa.approve', 'user:kepala.dit'],
    ]);
    expect(audit[1]?.detail).toMatchObject({ from: 'proposed', to: 'approved', reason: 'Diverifikasi di lapangan' });
  });

  it('names the field a proposal gets wrong, and keeps nothing', async () => {
    const dinsos = await signIn('dinsos');
    const before = await count('lpas', {});
    const refused = await post(dinsos, '/lpa', { ...proposal, name: 'Yayasan Lain', bankAccountNumber: '12-34' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Nomor rekening: isi 5 sampai 20 angka.');
    expect(refused.text).toContain('value="Yayasan Lain"');
    const accredited = await post(dinsos, '/lpa', { ...proposal, accreditation: 'accredited' });
    expect(accredited.status).toBe(400);
    expect(accredited.text).toContain('Tanggal akreditasi: wajib diisi');
    // Another regency's LPA is not the office's to propose, as the API answers.
    expect((await post(dinsos, '/lpa', { ...proposal, regencyCode: '6211' })).status).toBe(403);
    expect(await count('lpas', {})).toBe(before);
  });

  it('refuses an LPA and the auditor the directorate’s forms, and an LPA the proposal form, with 403', async () => {
    const lpa = await signIn('lpaA');
    for (const action of ['approve', 'suspend', 'close']) {
      const response = await post(lpa, `/lpa/${action}`, { lpaId: fund.lpaA, reason: 'Tidak berwenang' });
      expect(response.status, action).toBe(403);
    }
    expect((await get(lpa, '/lpa/usulan')).status).toBe(403);
    // The auditor reads everything and writes nothing.
    const auditor = await signIn('auditor');
    expect((await get(auditor, `/lpa/${fund.lpaA}`)).status).toBe(200);
    expect((await post(auditor, '/lpa/suspend', { lpaId: fund.lpaA, reason: 'Tidak berwenang' })).status).toBe(403);
    expect((await post(lpa, '/lpa', proposal)).status).toBe(403);
    expect((await database.db('lpas').where({ id: fund.lpaA }).first()).status).toBe('approved');
  });

  it('suspends an approved LPA with a reason, and refuses one without', async () => {
    const directorate = await signIn('directorate');
    const short = await post(directorate, '/lpa/suspend', { lpaId: fund.lpaB, reason: 'x' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Alasan: isi 3 sampai 500 huruf.');
    const suspended = await post(directorate, '/lpa/suspend', { lpaId: fund.lpaB, reason: 'Laporan terlambat tiga bulan' });
    expect(suspended.status).toBe(303);
    expect((await database.db('lpas').where({ id: fund.lpaB }).first()).status).toBe('suspended');
    const twice = await post(directorate, '/lpa/suspend', { lpaId: fund.lpaB, reason: 'Laporan terlambat tiga bulan' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('keputusan ini tidak berlaku lagi');
    expect((await post(directorate, '/lpa/approve', { lpaId: fund.lpaB, reason: 'Laporan sudah masuk' })).status).toBe(303);
  });
});

describe('a member’s savings at their LPA', () => {
  it('books a deposit once when the form is sent twice, and shows the balance and statement', async () => {
    const session = await signIn('lpaA');
    const page = await get(session, `/peserta/${fund.participantOfA}/tabungan`);
    expect(page.status).toBe(200);
    const key = formKey(page.text, '/peserta/tabungan/setor');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const deposit = {
      participantId: fund.participantOfA,
      key,
      kind: 'mandatory',
      amount: '50000',
      date: '2026-11-24',
      reference: 'SW-1124',
    };
    const first = await sentTwice(session, '/peserta/tabungan/setor', deposit);
    expect(first.headers.location).toBe(`/peserta/${fund.participantOfA}/tabungan?done=deposit`);
    expect(await count('audit_log', { action: 'savings.deposit', entity_id: fund.participantOfA })).toBe(1);
    const after = await get(session, first.headers.location ?? '');
    expect(after.text).toContain('Setoran sudah dicatat.');
    expect(after.text).toMatch(/<td>Simpanan wajib<\/td><td>24 November 2026<\/td><td class="num">Rp 50\.000<\/td>/);
    expect(after.text).toMatch(
      /<td>SW-1124<\/td><td class="num">Rp 50\.000<\/td><td class="num"><\/td><td class="num">Rp 50\.000<\/td>/,
    );
    // A new rendering carries a new key: the next deposit is a new one.
    expect(formKey(after.text, '/peserta/tabungan/setor')).not.toBe(key);
  });

  it('refuses a withdrawal above the balance, naming the amount, and writes nothing', async () => {
    const session = await signIn('lpaA');
    const page = await get(session, `/peserta/${fund.participantOfA}/tabungan`);
    const saved = {
      participantId: fund.participantOfA,
      key: formKey(page.text, '/peserta/tabungan/setor'),
      kind: 'voluntary',
      amount: '20000',
      date: '2026-11-24',
      reference: 'SS-1124',
    };
    expect((await post(session, '/peserta/tabungan/setor', saved)).status).toBe(303);
    const entries = await count('journal_entries', {});
    const audits = await count('audit_log', {});
    const fresh = await get(session, `/peserta/${fund.participantOfA}/tabungan`);
    const withdrawal = {
      participantId: fund.participantOfA,
      key: formKey(fresh.text, '/peserta/tabungan/tarik'),
      kind: 'voluntary',
      amount: '25000',
      date: '2026-11-25',
      reference: 'TS-1125',
    };
    const refused = await post(session, '/peserta/tabungan/tarik', withdrawal);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Jumlah: penarikan melebihi saldo simpanan peserta.');
    expect(refused.text).toContain('value="25000"');
    const dotted = await post(session, '/peserta/tabungan/tarik', { ...withdrawal, amount: '10.000' });
    expect(dotted.status).toBe(400);
    expect(dotted.text).toContain('Jumlah: isi rupiah utuh');
    expect(await count('journal_entries', {})).toBe(entries);
    expect(await count('audit_log', {})).toBe(audits);
    expect((await get(session, `/peserta/${fund.participantOfA}/tabungan`)).text).toMatch(
      /<td>Simpanan sukarela<\/td><td>24 November 2026<\/td><td class="num">Rp 20\.000<\/td>/,
    );
  });

  it('speaks English to whoever chose it, with the rupiah and dates written the same way', async () => {
    const session = await signIn('auditor');
    expect((await post(session, '/language', { locale: 'en', back: '/lpa' })).status).toBe(303);
    const savings = await get(session, `/peserta/${fund.participantOfA}/tabungan`);
    expect(savings.text).toContain('<html lang="en">');
    expect(savings.text).toMatch(/<td>Mandatory savings<\/td><td>24 November 2026<\/td><td class="num">Rp 50\.000<\/td>/);
    expect(savings.text).toContain('Balance carried forward');
    const lpa = await get(session, `/lpa/${fund.lpaA}`);
    expect(lpa.text).toContain('Savings-and-loans pool');
    expect(lpa.text).toContain('Approved since');
    expect((await post(session, '/language', { locale: 'id', back: '/lpa' })).status).toBe(303);
  });

  it('shows a national role the savings without the forms, and refuses them its posts', async () => {
    const directorate = await signIn('directorate');
    const page = await get(directorate, `/peserta/${fund.participantOfA}/tabungan`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('action="/peserta/tabungan/setor"');
    const deposit = {
      participantId: fund.participantOfA,
      key: crypto.randomUUID(),
      kind: 'voluntary',
      amount: '1000',
      date: '2026-11-24',
      reference: 'X',
    };
    expect((await post(directorate, '/peserta/tabungan/setor', deposit)).status).toBe(403);
  });
});

describe('a member’s loans at their LPA', () => {
  it('shows the schedule, books a repayment once under a double submit, and shows it paid', async () => {
    const session = await signIn('lpaA');
    const page = await get(session, `/peserta/${borrower}/pinjaman`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Pinjaman Rp 500.000, diajukan 1 Oktober 2026: Berjalan');
    expect(page.text).toMatch(
      /<td class="num">1<\/td><td>1 November 2026<\/td><td class="num">Rp 100\.000<\/td><td class="num">Rp 5\.000<\/td>/,
    );
    const key = formKey(page.text, '/peserta/pinjaman/angsuran');
    const repayment = { participantId: borrower, loanId, key, amount: '105000', paidOn: '2026-11-25', reference: 'KW-1125' };
    const first = await sentTwice(session, '/peserta/pinjaman/angsuran', repayment);
    expect(first.headers.location).toBe(`/peserta/${borrower}/pinjaman?done=repay`);
    expect(await count('loan_transactions', { loan_id: loanId, kind: 'repayment' })).toBe(1);
    const after = await get(session, first.headers.location ?? '');
    expect(after.text).toContain('Angsuran sudah dicatat.');
    expect(after.text).toMatch(
      /<td>1 November 2026<\/td><td class="num">Rp 100\.000<\/td><td class="num">Rp 5\.000<\/td><td class="num">Rp 0<\/td><td class="num">Rp 105\.000<\/td><td>Lunas<\/td>/,
    );
    expect(after.text).toMatch(/<td>25 November 2026<\/td><td>Angsuran<\/td><td class="num">Rp 105\.000<\/td><td>KW-1125<\/td>/);
    expect(after.text).toContain('Rp 400.000');
  });

  it('applies for a loan, decided by the rules at once, and disburses it from the pool, each once', async () => {
    const session = await signIn('lpaA');
    const members = await database
      .db('participants')
      .where({ lpa_id: fund.lpaA })
      .whereNotIn('id', [fund.participantOfA, borrower])
      .orderBy('nik', 'asc')
      .select<{ id: string }[]>('id');
    const applicant = members[0]?.id ?? '';
    const page = await get(session, `/peserta/${applicant}/pinjaman`);
    expect(page.text).toContain('Peserta ini belum pernah meminjam.');
    const application = {
      participantId: applicant,
      key: formKey(page.text, '/peserta/pinjaman/ajukan'),
      product: 'loan',
      amount: '200000',
      termMonths: '4',
      graceMonths: '0',
      purpose: 'Bibit sayur',
      appliedOn: '2026-11-24',
    };
    const tooLong = await post(session, '/peserta/pinjaman/ajukan', { ...application, termMonths: '36' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Jangka waktu: isi jumlah bulan dalam batas produk.');
    const first = await sentTwice(session, '/peserta/pinjaman/ajukan', application);
    expect(await count('loans', { participant_id: applicant })).toBe(1);
    const approved = await get(session, first.headers.location ?? '');
    expect(approved.text).toContain('Pinjaman Rp 200.000, diajukan 24 November 2026: Disetujui, belum dicairkan');
    const disbursement = {
      participantId: applicant,
      loanId: (await database.db('loans').where({ participant_id: applicant }).first()).id,
      key: formKey(approved.text, '/peserta/pinjaman/cairkan'),
      disbursedOn: '2026-11-25',
      reference: 'BK-1125',
    };
    const disbursed = await post(session, '/peserta/pinjaman/cairkan', disbursement);
    expect(disbursed.status).toBe(303);
    expect((await post(session, '/peserta/pinjaman/cairkan', disbursement)).status).toBe(303);
    expect(await count('loan_transactions', { loan_id: disbursement.loanId, kind: 'disbursement' })).toBe(1);
    const running = await get(session, disbursed.headers.location ?? '');
    expect(running.text).toContain('Pinjaman sudah dicairkan');
    expect(running.text).toMatch(
      /<td class="num">4<\/td><td>25 Maret 2027<\/td><td class="num">Rp 50\.000<\/td><td class="num">Rp 2\.000<\/td>/,
    );
  });

  it('refuses a repayment above the payoff, naming the amount, and another LPA’s loan as not found', async () => {
    const session = await signIn('lpaA');
    const page = await get(session, `/peserta/${borrower}/pinjaman`);
    const repayment = {
      participantId: borrower,
      loanId,
      key: formKey(page.text, '/peserta/pinjaman/angsuran'),
      amount: '9000000',
      paidOn: '2026-11-25',
      reference: 'KW-X',
    };
    const refused = await post(session, '/peserta/pinjaman/angsuran', repayment);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Jumlah: melebihi seluruh utang pinjaman');
    const other = await signIn('lpaB');
    expect((await post(other, '/peserta/pinjaman/angsuran', { ...repayment, amount: '1000' })).status).toBe(404);
    expect(await count('loan_transactions', { loan_id: loanId, kind: 'repayment' })).toBe(1);
  });

  it('grows the claim reserve out of loan income once under a double submit, and never beyond what the loans earned', async () => {
    const session = await signIn('lpaA');
    const page = await get(session, `/lpa/${fund.lpaA}`);
    const reserve = {
      lpaId: fund.lpaA,
      key: formKey(page.text, '/lpa/claim-reserve'),
      from: 'loan-income',
      amount: '5000',
      date: '2026-11-25',
      reference: 'CR-1125',
    };
    const first = await sentTwice(session, '/lpa/claim-reserve', reserve);
    expect(await count('audit_log', { action: 'lpa.claim-reserve.grow', entity_id: fund.lpaA })).toBe(1);
    const after = await get(session, first.headers.location ?? '');
    expect(after.text).toContain('Cadangan klaim LPA sudah ditambah.');
    expect(after.text).toMatch(/<td>Cadangan klaim LPA<\/td><td class="num">Rp 5\.000<\/td>/);
    const beyond = await post(session, '/lpa/claim-reserve', {
      ...reserve,
      key: formKey(after.text, '/lpa/claim-reserve'),
      amount: '100000',
    });
    expect(beyond.status).toBe(422);
    expect(beyond.text).toContain('Jumlah: melebihi pendapatan pinjaman yang belum disisihkan.');
    expect(await count('audit_log', { action: 'lpa.claim-reserve.grow', entity_id: fund.lpaA })).toBe(1);
  });
});
