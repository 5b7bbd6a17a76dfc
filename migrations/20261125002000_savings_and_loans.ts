import type { Knex } from 'knex';

// Savings and loans at each LPA (simpan pinjam). The LPA's pool has books
// of its own inside the one ledger: its cash, what its members saved, what
// they borrowed, its claim reserve and strengthening capital, and the
// interest and penalties its loans earn. Every pool entry balances within
// the pool, so the fund's statements leave the pool's accounts out and
// still balance; ledger_chart.books says which accounts are whose.
//
// A member's savings are two accounts: mandatory (simpanan wajib: an amount
// a month the savings rules set, locked until the member leaves) and
// voluntary (simpanan sukarela). The savings-dues job books each month's
// mandatory due and marks who is behind. A loan keeps its terms and the
// decision that allowed it (facts, reasons, rule version), its schedule
// instalment by instalment with what has been paid, and every transaction,
// each naming the ledger entry that booked it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table ledger_chart add column books text not null default 'fund' check (books in ('fund', 'lpa'))`);
  await knex.raw(`update ledger_chart set books = 'lpa' where code in ('1300', '2500', '4200')`);
  await knex.raw(`update ledger_chart set name = 'Mandatory savings', name_id = 'Simpanan wajib' where code = '2500'`);
  await knex('ledger_chart').insert(
    poolChart.map(([code, name, nameId, type, ownerKinds, mustNotGoNegative]) => ({
      code,
      name,
      name_id: nameId,
      type,
      owner_kinds: ownerKinds,
      must_not_go_negative: mustNotGoNegative,
      books: 'lpa',
    })),
  );

  await knex.raw(`
    create table savings_accounts (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references participants (id),
      kind text not null check (kind in ('mandatory', 'voluntary')),
      ledger_account_id uuid not null unique references ledger_accounts (id),
      opened_on date not null,
      -- Kept by the savings-dues job: mandatory dues before its month not
      -- covered by deposits.
      months_behind integer not null default 0 check (months_behind >= 0),
      amount_behind numeric(17, 2) not null default 0 check (amount_behind >= 0),
      unique (participant_id, kind)
    )
  `);
  await knex.raw(`
    create table savings_dues (
      account_id uuid not null references savings_accounts (id),
      period date not null check (extract(day from period) = 1),
      amount numeric(17, 2) not null check (amount > 0),
      coverage_year integer not null check (coverage_year >= 1),
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      primary key (account_id, period),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version)
    )
  `);
  await knex.raw('create index savings_dues_period on savings_dues (period)');

  await knex.raw(`
    create table loans (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references participants (id),
      lpa_id uuid not null references lpas (id),
      status text not null check (status in ('refused', 'approved', 'active', 'repaid', 'written-off')),
      product text not null,
      amount numeric(17, 2) not null check (amount > 0),
      term_months integer not null check (term_months between 1 and 120),
      grace_months integer not null check (grace_months >= 0 and grace_months < term_months),
      method text not null check (method in ('flat', 'declining-balance')),
      repayment text not null check (repayment in ('monthly', 'weekly')),
      monthly_rate numeric(9, 6) not null check (monthly_rate >= 0),
      penalty_rate numeric(9, 6) not null check (penalty_rate >= 0),
      purpose text not null check (char_length(purpose) between 1 and 500),
      applied_on date not null,
      facts jsonb not null,
      reasons jsonb not null,
      rule_scheme text not null,
      rule_version text not null,
      rule_hash text not null,
      disbursed_on date,
      closed_on date,
      idempotency_key text not null,
      fingerprint text not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      unique (lpa_id, idempotency_key),
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      check ((status = 'refused') = (jsonb_array_length(reasons) > 0)),
      check ((status in ('refused', 'approved')) = (disbursed_on is null)),
      check ((status in ('repaid', 'written-off')) = (closed_on is not null))
    )
  `);
  await knex.raw('create index loans_participant on loans (participant_id, status)');
  await knex.raw('create index loans_lpa on loans (lpa_id, status)');
  await knex.raw(`
    create table loan_instalments (
      loan_id uuid not null references loans (id),
      number integer not null check (number >= 1),
      due_on date not null,
      principal numeric(17, 2) not null check (principal >= 0),
      interest numeric(17, 2) not null check (interest >= 0),
      penalty numeric(17, 2) not null default 0 check (penalty >= 0),
      principal_paid numeric(17, 2) not null default 0 check (principal_paid between 0 and principal),
      interest_paid numeric(17, 2) not null default 0 check (interest_paid >= 0),
      interest_waived numeric(17, 2) not null default 0 check (interest_waived >= 0),
      penalty_paid numeric(17, 2) not null default 0 check (penalty_paid between 0 and penalty),
      -- Whole months in arrears a penalty has been charged for.
      penalty_months integer not null default 0 check (penalty_months >= 0),
      -- Set when a rescheduling replaced what was left of it with new
      -- instalments; what was paid of it stays here as history.
      replaced_on date,
      primary key (loan_id, number),
      check (interest_paid + interest_waived <= interest)
    )
  `);
  await knex.raw(`
    create table loan_transactions (
      id uuid primary key default gen_random_uuid(),
      loan_id uuid not null references loans (id),
      kind text not null check (kind in ('disbursement', 'repayment', 'reschedule', 'write-off')),
      transaction_date date not null,
      amount numeric(17, 2) not null check (amount >= 0),
      principal numeric(17, 2) not null default 0,
      interest numeric(17, 2) not null default 0,
      penalty numeric(17, 2) not null default 0,
      interest_waived numeric(17, 2) not null default 0,
      reference text,
      reason text,
      entry_id uuid references journal_entries (id) deferrable initially deferred,
      idempotency_key text,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      unique (loan_id, idempotency_key)
    )
  `);
  await knex.raw('create index loan_transactions_loan on loan_transactions (loan_id, transaction_date)');
}

type ChartRow = readonly [string, string, string, string, readonly string[], boolean];

const poolChart: readonly ChartRow[] = [
  ['1500', 'LPA cash (savings and loans)', 'Kas simpan pinjam LPA', 'asset', ['lpa'], true],
  ['2510', 'Voluntary savings', 'Simpanan sukarela', 'liability', ['participant'], true],
  ['3200', 'LPA claim reserve', 'Cadangan klaim LPA', 'equity', ['lpa'], true],
  ['3300', 'LPA strengthening capital', 'Modal penguatan LPA', 'equity', ['lpa'], true],
  ['4300', 'Loan penalty income', 'Pendapatan denda pinjaman', 'income', ['lpa'], false],
  ['5400', 'Loans written off', 'Beban penghapusan pinjaman', 'expense', ['lpa'], false],
];

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table loan_transactions');
  await knex.raw('drop table loan_instalments');
  await knex.raw('drop table loans');
  await knex.raw('drop table savings_dues');
  await knex.raw('drop table savings_accounts');
  await knex('ledger_chart')
    .whereIn(
      'code',
      poolChart.map(([code]) => code),
    )
    .delete();
  await knex.raw(`update ledger_chart set name = 'Members'' savings', name_id = 'Simpanan anggota' where code = '2500'`);
  await knex.raw('alter table ledger_chart drop column books');
}
