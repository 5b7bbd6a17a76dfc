import type { Knex } from 'knex';

// The double-entry ledger. The code checks every rule below before it writes;
// the database checks them again, so that not even SQL typed by hand can
// store an entry that does not balance, rewrite a posted entry, move a balance
// without a posting, overdraw an account flagged non-negative, or post into a
// closed month.
//
// Amounts are signed: a debit is positive, a credit negative, and the postings
// of an entry sum to zero.
export async function up(knex: Knex): Promise<void> {
  // The chart of accounts: which kinds of account exist, of which type, and
  // who may own one (the fund, an LPA, a participant).
  await knex.raw(`
    create table ledger_chart (
      code text primary key check (code ~ '^[1-5][0-9]{3}$'),
      name text not null,
      name_id text not null,
      type text not null check (type in ('asset', 'liability', 'equity', 'income', 'expense')),
      owner_kinds text[] not null check (owner_kinds <@ array['fund', 'lpa', 'participant'] and cardinality(owner_kinds) > 0),
      must_not_go_negative boolean not null,
      unique (code, type)
    )
  `);
  await knex('ledger_chart').insert(
    startingChart.map(([code, name, nameId, type, ownerKinds, mustNotGoNegative]) => ({
      code,
      name,
      name_id: nameId,
      type,
      owner_kinds: ownerKinds,
      must_not_go_negative: mustNotGoNegative,
    })),
  );

  // Totals posted rather than one balance, as TigerBeetle keeps them: a trial
  // balance needs both sides, and "must not go negative" compares them.
  await knex.raw(`
    create table ledger_accounts (
      id uuid primary key default gen_random_uuid(),
      code text not null,
      type text not null,
      owner_kind text not null check (owner_kind in ('fund', 'lpa', 'participant')),
      lpa_id uuid references lpas (id),
      participant_id uuid references participants (id),
      name text not null check (length(name) between 1 and 200),
      must_not_go_negative boolean not null,
      debits_posted numeric(20, 2) not null default 0 check (debits_posted >= 0),
      credits_posted numeric(20, 2) not null default 0 check (credits_posted >= 0),
      postings_count bigint not null default 0,
      opened_at timestamptz not null default now(),
      opened_by text not null,
      foreign key (code, type) references ledger_chart (code, type),
      check ((owner_kind = 'fund') = (lpa_id is null)),
      check ((owner_kind = 'participant') = (participant_id is not null)),
      constraint ledger_accounts_must_not_go_negative check (
        not must_not_go_negative
        or case when type in ('asset', 'expense') then credits_posted <= debits_posted else debits_posted <= credits_posted end
      )
    )
  `);
  await knex.raw(`
    create unique index ledger_accounts_one_per_owner on ledger_accounts
      (code, owner_kind, coalesce(lpa_id, '00000000-0000-0000-0000-000000000000'),
       coalesce(participant_id, '00000000-0000-0000-0000-000000000000'))
  `);
  await knex.raw('create index ledger_accounts_lpa on ledger_accounts (lpa_id, code)');
  await knex.raw(`
    insert into ledger_accounts (code, type, owner_kind, name, must_not_go_negative, opened_by)
    select code, type, 'fund', name, must_not_go_negative, 'migration'
    from ledger_chart where 'fund' = any (owner_kinds)
  `);

  // One row per close: the ledger is closed through the last day of the
  // latest month closed here. Months are never reopened.
  await knex.raw(`
    create table ledger_period_closes (
      -- The last day of a month: the day after it is a first.
      closed_through date primary key check (extract(day from closed_through + 1) = 1),
      closed_at timestamptz not null default now(),
      closed_by text not null,
      request_id text
    )
  `);

  await knex.raw(`
    create table journal_entries (
      id uuid primary key default gen_random_uuid(),
      sequence bigint generated always as identity unique,
      entry_date date not null,
      description text not null check (length(description) between 1 and 500),
      reference_type text not null check (length(reference_type) between 1 and 50),
      reference_id text not null check (length(reference_id) between 1 and 200),
      rule_scheme text,
      rule_version text,
      rule_hash text,
      idempotency_key text not null unique check (length(idempotency_key) between 1 and 300),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      -- Declared with the entry and checked at commit: a posting added later,
      -- even a balanced pair, no longer matches it.
      postings_count integer not null check (postings_count between 2 and 50),
      reverses_entry_id uuid unique references journal_entries (id),
      posted_at timestamptz not null default now(),
      posted_by text not null,
      request_id text,
      foreign key (rule_scheme, rule_version) references rule_versions (scheme, version),
      check ((rule_scheme is null) = (rule_version is null) and (rule_version is null) = (rule_hash is null))
    )
  `);
  await knex.raw('create index journal_entries_reference on journal_entries (reference_type, reference_id)');
  await knex.raw('create index journal_entries_date on journal_entries (entry_date, sequence)');
  await knex.raw(`
    create table journal_postings (
      id bigint generated always as identity primary key,
      entry_id uuid not null references journal_entries (id),
      account_id uuid not null references ledger_accounts (id),
      entry_date date not null,
      amount numeric(17, 2) not null check (amount <> 0)
    )
  `);
  await knex.raw('create index journal_postings_entry on journal_postings (entry_id)');
  await knex.raw('create index journal_postings_account on journal_postings (account_id, entry_date, id)');

  // Posted is posted: a correction is a reversing entry, never an edit.
  await knex.raw(`
    create function ledger_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op;
    end
    $$
  `);
  for (const table of ['journal_entries', 'journal_postings', 'ledger_period_closes']) {
    await knex.raw(`
      create trigger ${table}_append_only before update or delete on ${table}
      for each row execute function ledger_refuse_change()
    `);
    await knex.raw(`create trigger ${table}_no_truncate before truncate on ${table} execute function ledger_refuse_change()`);
  }

  // Balances move only through postings: an account opens at zero, and the
  // posting trigger below is the one writer of the totals (trigger depth 2); an
  // UPDATE typed by hand is depth 1.
  await knex.raw(`
    create function ledger_accounts_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'ledger accounts are never deleted';
      end if;
      if tg_op = 'INSERT' then
        if (new.debits_posted, new.credits_posted, new.postings_count) <> (0, 0, 0) then
          raise exception 'an account opens with nothing posted';
        end if;
        return new;
      end if;
      if (new.debits_posted, new.credits_posted, new.postings_count) is distinct from (old.debits_posted, old.credits_posted, old.postings_count)
         and pg_trigger_depth() < 2 then
        raise exception 'account totals change only by posting a journal entry';
      end if;
      if (new.id, new.code, new.type, new.owner_kind, new.lpa_id, new.participant_id)
         is distinct from (old.id, old.code, old.type, old.owner_kind, old.lpa_id, old.participant_id) then
        raise exception 'an account''s code, type and owner never change';
      end if;
      return new;
    end
    $$
  `);
  await knex.raw(`
    create trigger ledger_accounts_guard before insert or update or delete on ledger_accounts
    for each row execute function ledger_accounts_guard()
  `);

  // The row lock this UPDATE takes is what keeps concurrent postings to one
  // account from losing each other, and the check constraint on the new row is
  // what stops an overdraft however the writers interleave.
  await knex.raw(`
    create function journal_postings_apply() returns trigger language plpgsql as $$
    begin
      update ledger_accounts
      set debits_posted = debits_posted + greatest(new.amount, 0),
          credits_posted = credits_posted + greatest(-new.amount, 0),
          postings_count = postings_count + 1
      where id = new.account_id;
      return null;
    end
    $$
  `);
  await knex.raw(`
    create trigger journal_postings_apply after insert on journal_postings
    for each row execute function journal_postings_apply()
  `);

  // Checked at commit, once all of an entry's postings are in: at least two,
  // summing to zero, all on the entry's date. It fires for a posting added to
  // an old entry too, so a balanced entry cannot be unbalanced later.
  await knex.raw(`
    create function journal_entry_check(entry uuid) returns void language plpgsql as $$
    declare
      postings integer;
      declared integer;
      total numeric;
      dates_match boolean;
    begin
      select postings_count into declared from journal_entries where id = entry;
      select count(*), coalesce(sum(p.amount), 0), coalesce(bool_and(p.entry_date = e.entry_date), true)
      into postings, total, dates_match
      from journal_postings p join journal_entries e on e.id = p.entry_id
      where p.entry_id = entry;
      if postings < 2 then
        raise exception using errcode = 'check_violation', constraint = 'journal_entries_two_postings',
          message = format('journal entry %s has %s posting(s); an entry needs at least two', entry, postings);
      end if;
      if postings <> declared then
        raise exception using errcode = 'check_violation', constraint = 'journal_entries_postings_count',
          message = format('journal entry %s declares %s postings but has %s; a posted entry takes no more', entry, declared, postings);
      end if;
      if total <> 0 then
        raise exception using errcode = 'check_violation', constraint = 'journal_entries_balanced',
          message = format('journal entry %s does not balance: its postings sum to %s', entry, total);
      end if;
      if not dates_match then
        raise exception using errcode = 'check_violation', constraint = 'journal_entries_one_date',
          message = format('journal entry %s has postings dated apart from the entry', entry);
      end if;
    end
    $$
  `);
  await knex.raw(`
    create function journal_entries_check_balance() returns trigger language plpgsql as $$
    begin
      perform journal_entry_check(new.id);
      return null;
    end
    $$
  `);
  await knex.raw(`
    create function journal_postings_check_balance() returns trigger language plpgsql as $$
    begin
      perform journal_entry_check(new.entry_id);
      return null;
    end
    $$
  `);
  await knex.raw(`
    create constraint trigger journal_entries_balance after insert on journal_entries
    deferrable initially deferred for each row execute function journal_entries_check_balance()
  `);
  await knex.raw(`
    create constraint trigger journal_postings_balance after insert on journal_postings
    deferrable initially deferred for each row execute function journal_postings_check_balance()
  `);

  // A posting takes the period lock shared and a close takes it exclusive, so
  // a close waits for entries in flight and no entry slips into a month just
  // closed. Each statement in the function sees closes committed before it.
  await knex.raw(`
    create function journal_entries_period_open() returns trigger language plpgsql as $$
    declare
      closed date;
    begin
      perform pg_advisory_xact_lock_shared(${periodLockKey});
      select max(closed_through) into closed from ledger_period_closes;
      if closed is not null and new.entry_date <= closed then
        raise exception using errcode = 'check_violation', constraint = 'journal_entries_period_open',
          message = format('the ledger is closed through %s; entry dated %s refused', closed, new.entry_date);
      end if;
      return new;
    end
    $$
  `);
  await knex.raw(`
    create trigger journal_entries_period_open before insert on journal_entries
    for each row execute function journal_entries_period_open()
  `);
}

// Shared with src/ledger/store.ts, which takes the same lock to close a month.
const periodLockKey = 7_310_001;

type ChartRow = readonly [string, string, string, string, readonly string[], boolean];

// The starting chart for the fund, frozen here as it was when this migration
// was written; later charts come in later migrations.
const startingChart: readonly ChartRow[] = [
  ['1100', 'Cash at bank', 'Kas di bank', 'asset', ['fund', 'lpa'], true],
  ['1200', 'Subsidy receivable', 'Piutang bantuan iuran', 'asset', ['fund'], false],
  ['1300', 'Loans receivable', 'Piutang pinjaman anggota', 'asset', ['lpa', 'participant'], true],
  ['2100', 'Claims payable (case reserve)', 'Cadangan klaim', 'liability', ['fund'], false],
  ['2200', 'IBNR reserve', 'Cadangan klaim yang terjadi tetapi belum dilaporkan', 'liability', ['fund'], false],
  ['2300', 'Unearned premium reserve', 'Cadangan premi yang belum merupakan pendapatan', 'liability', ['fund'], false],
  ['2400', 'LPA honorarium payable', 'Utang honorarium LPA', 'liability', ['lpa'], false],
  ['2500', "Members' savings", 'Simpanan anggota', 'liability', ['lpa', 'participant'], true],
  ['3100', 'Fund balance', 'Saldo dana', 'equity', ['fund'], false],
  ['4100', 'Premium income', 'Pendapatan iuran', 'income', ['fund'], false],
  ['4200', 'Loan interest income', 'Pendapatan jasa pinjaman', 'income', ['lpa'], false],
  ['5100', 'Claims expense', 'Beban klaim', 'expense', ['fund'], false],
  ['5200', 'Honorarium expense', 'Beban honorarium LPA', 'expense', ['fund'], false],
  ['5300', 'Strengthening grants', 'Beban penguatan LPA', 'expense', ['fund'], false],
];

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table journal_postings');
  await knex.raw('drop table journal_entries');
  await knex.raw('drop table ledger_period_closes');
  await knex.raw('drop table ledger_accounts');
  await knex.raw('drop table ledger_chart');
  for (const fn of [
    'journal_entries_period_open()',
    'journal_postings_check_balance()',
    'journal_entries_check_balance()',
    'journal_entry_check(uuid)',
    'journal_postings_apply()',
    'ledger_accounts_guard()',
    'ledger_refuse_change()',
  ]) {
    await knex.raw(`drop function ${fn}`);
  }
}
