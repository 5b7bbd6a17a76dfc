import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// SQL lives in stores and migrations only: the service functions around
// them open transactions and decide, the routes and commands parse.

const root = resolve(import.meta.dirname, '../..');

// A query: the knex builder called on a table (`trx('claims')`, `.from('claims')`) or raw SQL.
const query = /\b(?:trx|db|knex|tx)\s*(?:<[^>]*>)?\(\s*['"`]|\.raw\s*(?:<[^>]*>)?\(|\.(?:from|into|table)\(\s*['"`]/;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

// A feature's store is its store.ts, with a subject of its own in <subject>-store.ts
// when one file would grow too long (the registry's imports).
const isStore = (path: string) => /\/([a-z-]+-)?store\.ts$/.test(path) || path === 'src/db/knex.ts';

describe('SQL', () => {
  it('runs in stores only', () => {
    const runningSql = sources(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !isStore(path) && query.test(readFileSync(join(root, path), 'utf8')));
    expect(runningSql).toEqual([]);
  });

  it('is recognised where it is written', () => {
    expect(query.test("await trx('claims').where({ id })")).toBe(true);
    expect(query.test('const rows = await db.raw(`select 1`)')).toBe(true);
    expect(query.test("const reserve = await account('3200')")).toBe(false);
  });
});
