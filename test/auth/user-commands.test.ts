import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/password.ts';
import { openDatabase } from '../../src/db/knex.ts';
import { type ServiceDatabase, openServiceDatabase } from '../support/db.ts';

const cli = join(import.meta.dirname, '../../scripts/askesos.mjs');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

// `askesos users` as an operator runs it on a fresh install: a process of
// its own on the database, a password piped in or generated and printed
// once. Each command starts Node and opens the database, a few seconds each.
describe('askesos users', { timeout: 300_000 }, () => {
  let database: ServiceDatabase;

  beforeAll(async () => {
    database = await openServiceDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  function askesos(args: string[], stdin = ''): Promise<Outcome> {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...database.env };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  async function storedHash(username: string): Promise<string> {
    const url = database.env.DATABASE_URL;
    const opened = await openDatabase(
      url === undefined ? { backend: 'pglite', dataDir: database.env.DATA_DIR ?? '' } : { backend: 'postgres', url, poolMax: 1 },
    );
    try {
      return (await opened.db('users').where({ username }).first('password_hash')).password_hash;
    } finally {
      await opened.close();
    }
  }

  it('makes the first directorate user on a fresh install, printing a generated password once', async () => {
    const created = await askesos([
      'users',
      'create',
      '--username',
      'kepala.dit',
      '--name',
      'Kepala Direktorat',
      '--role',
      'directorate',
    ]);
    expect(created.code).toBe(0);
    const password = /\n\n {4}(\S+)\n\n$/.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toMatch(/^Created directorate user kepala\.dit \("Kepala Direktorat"\)\./);
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await verifyPassword(password, await storedHash('kepala.dit'))).toBe(true);
    const listed = await askesos(['users', 'list']);
    expect(listed.stdout).toMatch(/kepala\.dit\s+Kepala Direktorat\s+directorate\s+-\s+-\s+id\s+active/);
    expect(listed.stdout).not.toContain(password);
  });

  it('takes a password from standard input, disables, enables and resets', async () => {
    const created = await askesos(
      [
        'users',
        'create',
        '--username',
        'rini',
        '--name',
        'Ibu Rini',
        '--role',
        'dinsos',
        '--regency',
        '6210',
        '--locale',
        'en',
        '--password-stdin',
      ],
      'sandi rahasia panjang\n',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created dinsos user rini ("Ibu Rini", 6210).\n');
    expect(await verifyPassword('sandi rahasia panjang', await storedHash('rini'))).toBe(true);

    expect((await askesos(['users', 'disable', 'rini'])).stdout).toBe('Disabled dinsos user rini ("Ibu Rini", 6210).\n');
    expect((await askesos(['users', 'list'])).stdout).not.toContain('rini');
    expect((await askesos(['users', 'list', '--all'])).stdout).toMatch(/rini\s+Ibu Rini\s+dinsos\s+6210\s+-\s+en\s+disabled/);
    expect((await askesos(['users', 'enable', 'rini'])).code).toBe(0);

    const reset = await askesos(['users', 'reset-password', 'rini', '--password-stdin'], 'kata sandi yang baru\n');
    expect(reset.stdout).toBe('Reset the password of dinsos user rini ("Ibu Rini", 6210).\n');
    expect(await verifyPassword('kata sandi yang baru', await storedHash('rini'))).toBe(true);
  });

  it('refuses bad input with exit 2 naming the option, and an unknown or taken name', async () => {
    const noRegency = await askesos(['users', 'create', '--username', 'dinsos.x', '--name', 'X', '--role', 'dinsos']);
    expect(noRegency.code).toBe(2);
    expect(noRegency.stderr).toContain('--regency: is required for a dinsos user');
    const short = await askesos(
      ['users', 'create', '--username', 'pendek', '--name', 'X', '--role', 'finance', '--password-stdin'],
      'pendek\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password (standard input): must be at least 12 characters');
    const unknown = await askesos(['users', 'disable', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('username: no user is named "nobody"');
    const taken = await askesos(['users', 'create', '--username', 'rini', '--name', 'Other', '--role', 'finance']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('The username "rini" is taken');
    expect((await askesos(['users', 'list', '--all'])).stdout).not.toMatch(/dinsos\.x|pendek/);
  });
});
