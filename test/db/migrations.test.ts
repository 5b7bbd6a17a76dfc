import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/knex.ts';
import { DataDirBusyError } from '../../src/db/lock.ts';
import { migrateLatest, migrationStatus } from '../../src/db/migrate.ts';
import { type TestDatabase, openTestDatabase } from '../support/db.ts';
import * as idempotentRequestsUsers from '../../migrations/20261210000200_idempotent_requests_users.ts';

// Any scrypt-shaped text will do where a test needs a users row, not a password.
const scryptShaped = 'scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('are all applied, and applying again does nothing', async () => {
    const status = await migrationStatus(database.db);
    expect(status.pending).toEqual([]);
    expect(status.completed).toEqual([
      '20261125000100_api_keys.ts',
      '20261125000200_audit_log.ts',
      '20261125000300_rule_versions.ts',
      '20261125000400_regions.ts',
      '20261125000500_lpas.ts',
      '20261125000600_participants.ts',
      '20261125000700_imports.ts',
      '20261125000800_eligibility_checks.ts',
      '20261125000900_ledger.ts',
      '20261125001000_claims.ts',
      '20261125001100_claim_review.ts',
      '20261125001200_premium_dues.ts',
      '20261125001300_cover_lapses.ts',
      '20261125001400_lpa_honoraria.ts',
      '20261125001500_report_runs.ts',
      '20261125001600_lpa_strengthening.ts',
      '20261125001700_ibnr_estimates.ts',
      '20261125001800_ibnr_allocations.ts',
      '20261125001900_enrolment_years.ts',
      '20261125002000_savings_and_loans.ts',
      '20261203000100_dues_known_late.ts',
      '20261203000200_savings_dues_running.ts',
      '20261204000100_notices.ts',
      '20261205000100_participant_declarations.ts',
      '20261205000200_arrears_reminders.ts',
      '20261206000100_idempotent_requests.ts',
      '20261207000100_impact_runs.ts',
      '20261208000100_claim_document_scans.ts',
      '20261209000100_regency_target_populations.ts',
      '20261209000200_report_runs_indicators.ts',
      '20261209000300_ibnr_triangle_methods.ts',
      '20261209000400_premium_dues_past_assistance.ts',
      '20261210000100_users.ts',
      '20261210000200_idempotent_requests_users.ts',
    ]);
    expect(await migrateLatest(database.db)).toEqual([]);
  });

  it('seed the reference regions, each regency inside its province', async () => {
    expect(await database.db('regencies').where({ code: '6210' }).first('name', 'province_code')).toEqual({
      name: 'Kabupaten Gunung Mas',
      province_code: '62',
    });
    await expect(database.db('regencies').insert({ code: '3199', province_code: '62', name: 'x' })).rejects.toThrow(
      /check constraint/,
    );
  });

  it('keep a regency’s target population only for a known regency, and only above zero', async () => {
    const declared = { as_of: '2027-01-01', source: 'BPS Sakernas 2026', declared_by: 'test' };
    await database.db('regency_target_populations').insert({ ...declared, regency_code: '6210', target_population: 24_000 });
    await expect(
      database.db('regency_target_populations').insert({ ...declared, regency_code: '6299', target_population: 1 }),
    ).rejects.toThrow(/foreign key/);
    await expect(
      database.db('regency_target_populations').insert({ ...declared, regency_code: '6271', target_population: 0 }),
    ).rejects.toThrow(/check constraint/);
    await database.db('regency_target_populations').where({ regency_code: '6210' }).delete();
  });

  it('make the database refuse a dinsos key without a regency and an lpa key without an LPA', async () => {
    const row = { name: 'x', created_by: 'test', secret_prefix: 'ask_', secret_sha256: 'a'.repeat(64) };
    await expect(database.db('api_keys').insert({ ...row, role: 'dinsos' })).rejects.toThrow(/api_keys_dinsos_scope/);
    await expect(database.db('api_keys').insert({ ...row, role: 'lpa' })).rejects.toThrow(/api_keys_lpa_scope/);
    await expect(database.db('api_keys').insert({ ...row, role: 'finance', regency_code: '6210' })).rejects.toThrow(
      /api_keys_dinsos_scope/,
    );
  });

  it('make the database hold a user to an API key’s scope rules and keep only a scrypt hash of the password', async () => {
    const row = { display_name: 'X', created_by: 'test', password_changed_at: new Date(), password_hash: scryptShaped };
    await expect(database.db('users').insert({ ...row, username: 'dinsos.x', role: 'dinsos' })).rejects.toThrow(
      /users_dinsos_scope/,
    );
    await expect(database.db('users').insert({ ...row, username: 'lpa.x', role: 'lpa' })).rejects.toThrow(/users_lpa_scope/);
    await expect(
      database.db('users').insert({ ...row, username: 'plain.x', role: 'finance', password_hash: 'hunter2hunter2' }),
    ).rejects.toThrow(/check constraint/);
    await expect(database.db('users').insert({ ...row, username: 'Has Space', role: 'finance' })).rejects.toThrow(
      /check constraint/,
    );
    expect(await database.db('users').count({ count: '*' })).toEqual([{ count: '0' }]);
  });

  it('let an Idempotency-Key belong to an API key or a user, never both or neither, and undo that keeping the keys’ rows', async () => {
    const [key] = await database
      .db('api_keys')
      .insert({ name: 'k', role: 'finance', created_by: 'test', secret_prefix: 'ask_', secret_sha256: 'b'.repeat(64) })
      .returning('id');
    const [user] = await database
      .db('users')
      .insert({
        username: 'fin.x',
        display_name: 'X',
        role: 'finance',
        created_by: 'test',
        password_changed_at: new Date(),
        password_hash: scryptShaped,
      })
      .returning('id');
    const request = { fingerprint: 'c'.repeat(64), state: 'in-flight', held_until: new Date() };
    const rolledBack = new Error('rolled back on purpose');
    await expect(
      database.db.transaction(async (trx) => {
        await trx('idempotent_requests').insert({ ...request, api_key_id: key.id, idempotency_key: 'same' });
        await trx('idempotent_requests').insert({ ...request, user_id: user.id, idempotency_key: 'same' });
        await expect(
          trx.transaction((inner) => inner('idempotent_requests').insert({ ...request, idempotency_key: 'none' })),
        ).rejects.toThrow(/idempotent_requests_one_caller/);
        await expect(
          trx.transaction((inner) =>
            inner('idempotent_requests').insert({ ...request, api_key_id: key.id, user_id: user.id, idempotency_key: 'both' }),
          ),
        ).rejects.toThrow(/idempotent_requests_one_caller/);
        await expect(
          trx.transaction((inner) =>
            inner('idempotent_requests').insert({ ...request, user_id: user.id, idempotency_key: 'same' }),
          ),
        ).rejects.toThrow(/idempotent_requests_user_unique/);
        await idempotentRequestsUsers.down(trx);
        expect(await trx('idempotent_requests').select('api_key_id', 'idempotency_key')).toEqual([
          { api_key_id: key.id, idempotency_key: 'same' },
        ]);
        await idempotentRequestsUsers.up(trx);
        expect(await trx('idempotent_requests').select('api_key_id', 'user_id')).toEqual([{ api_key_id: key.id, user_id: null }]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    await database.db('users').where({ id: user.id }).delete();
    await database.db('api_keys').where({ id: key.id }).delete();
  });

  it('seed the starting chart of accounts and one account of the fund per code the fund holds', async () => {
    const chart = await database.db('ledger_chart').orderBy('code').select('code', 'books');
    const inBooks = (books: string) => chart.filter((line) => line.books === books).map((line) => line.code);
    expect(inBooks('fund')).toEqual([
      '1100',
      '1200',
      '1400',
      '2100',
      '2200',
      '2300',
      '2400',
      '2600',
      '3100',
      '4100',
      '5100',
      '5200',
      '5300',
    ]);
    // The LPAs' savings-and-loans pools: each LPA's books inside the one ledger.
    expect(inBooks('lpa')).toEqual(['1300', '1500', '2500', '2510', '3200', '3300', '4200', '4300', '5400']);
    const fundAccounts = await database.db('ledger_accounts').where({ owner_kind: 'fund' }).orderBy('code').pluck('code');
    expect(fundAccounts).toEqual([
      '1100',
      '1200',
      '1400',
      '2100',
      '2200',
      '2300',
      '2600',
      '3100',
      '4100',
      '5100',
      '5200',
      '5300',
    ]);
    await expect(
      database
        .db('ledger_accounts')
        .insert({ code: '1300', type: 'liability', owner_kind: 'fund', name: 'x', must_not_go_negative: false, opened_by: 't' }),
    ).rejects.toThrow(/foreign key/);
    await expect(
      database
        .db('ledger_accounts')
        .insert({ code: '1100', type: 'asset', owner_kind: 'fund', name: 'x', must_not_go_negative: true, opened_by: 't' }),
    ).rejects.toThrow(/ledger_accounts_one_per_owner/);
  });

  it('make the audit log append-only in the database itself', async () => {
    await database.db('audit_log').insert({ actor: 't', actor_role: 'operator', action: 'x', entity_type: 'y', entity_id: '1' });
    await expect(database.db('audit_log').update({ action: 'rewritten' })).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(database.db('audit_log').delete()).rejects.toThrow(/append-only: DELETE refused/);
    expect(await database.db('audit_log').pluck('action')).toEqual(['x']);
  });
});

describe('the embedded database directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'askesos-lock-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is opened by one process at a time, and a stale lock is taken over', async () => {
    const first = await openDatabase({ backend: 'pglite', dataDir });
    try {
      await expect(openDatabase({ backend: 'pglite', dataDir })).rejects.toBeInstanceOf(DataDirBusyError);
      await expect(openDatabase({ backend: 'pglite', dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    } finally {
      await first.close();
    }
    // A process that died holding the lock leaves its pid behind.
    writeFileSync(join(dataDir, 'askesos.pid'), '999999999');
    const second = await openDatabase({ backend: 'pglite', dataDir });
    await migrateLatest(second.db);
    await second.close();
  });
});
