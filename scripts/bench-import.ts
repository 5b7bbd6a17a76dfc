// The import benchmark: enrol BENCH_IMPORT_ROWS (default 1,000,000) generated
// rows, about 5 % bad, on PostgreSQL through `importParticipants`, beside a
// bare COPY of the same file into a plain table, with the peak memory of this
// process. Run by `npm run bench` after the eligibility benchmark.
import { recordFigures } from './bench-results.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knex from 'knex';
import { openDatabase } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { importParticipants } from '../src/registry/import.ts';
import { changeLpaStatus, proposeLpa } from '../src/registry/lpas.ts';
import { importColumns } from '../src/registry/import-row.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { peakResidentMb } from './bench-service.ts';
import { writeSyntheticExtract } from './synthetic-extract.ts';

async function benchImport(rows: number, serverUrl: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'askesos-bench-'));
  const file = join(dir, 'extract.csv');
  const databaseName = `askesos_bench_${Date.now()}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${databaseName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const database = await openDatabase({ backend: 'postgres', url: url.toString(), poolMax: 4 });
  try {
    await writeSyntheticExtract(file, rows, { badShare: 0.05, seed: 2026 });
    await migrateLatest(database.db);
    const book = loadRuleBook(process.env.RULES_DIR ?? 'rules');
    await recordPublishedVersions(database.db, book, process.env.RULES_DIR ?? 'rules');
    const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
    const lpa = await proposeLpa(
      database.db,
      { via: 'api-key', keyId: '00000000-0000-4000-8000-000000000000', name: 'bench', role: 'directorate' },
      {
        name: 'Bench LPA',
        type: 'association',
        regencyCode: '6210',
        contactName: 'Bench',
        contactPhone: '0812000000',
        bankName: 'Bank',
        bankAccountNumber: '00000',
        accreditation: 'none',
      },
      actor,
    );
    await changeLpaStatus(database.db, lpa.id, 'approve', 'bench', actor);

    let started = performance.now();
    const summary = await importParticipants(
      database.db,
      book,
      { lpaId: lpa.id, filePath: file, fileName: file, enrolledOn: '2026-11-01', today: '2026-11-25', scheme: 'standalone' },
      actor,
    );
    const importSeconds = (performance.now() - started) / 1000;

    await database.db.raw(`create table bare_copy (${importColumns.map((column) => `${column} text`).join(', ')})`);
    started = performance.now();
    execFileSync('psql', [url.toString(), '-qc', `\\copy bare_copy from '${file}' with (format csv, header true)`]);
    const copySeconds = (performance.now() - started) / 1000;

    const megabytes = (statSync(file).size / 1024 / 1024).toFixed(0);
    recordFigures([
      {
        bench: 'import',
        name: 'importParticipants',
        value: importSeconds,
        unit: 's',
        limit: copySeconds,
        limitName: 'bare COPY',
        target: '≤ 120 s at 1,000,000 rows',
        met: importSeconds <= 120,
        scale: rows,
      },
      {
        bench: 'import',
        name: 'peak resident memory',
        value: peakResidentMb(),
        unit: 'MB',
        target: '< 400 MB',
        met: peakResidentMb() < 400,
      },
    ]);
    return [
      `Import of ${rows.toLocaleString('en')} generated rows (${megabytes} MB, about 5 % bad) on PostgreSQL:`,
      `  importParticipants     ${importSeconds.toFixed(1).padStart(7)} s   ${Math.round(rows / importSeconds)
        .toLocaleString('en')
        .padStart(9)} rows/s   ` +
        `enrolled ${summary.rowsEnrolled}, rejected ${summary.rowsRejected}, invalid ${summary.rowsInvalid}`,
      `  bare COPY (psql \\copy) ${copySeconds.toFixed(1).padStart(7)} s   ${Math.round(rows / copySeconds)
        .toLocaleString('en')
        .padStart(9)} rows/s   ` + `(the limit: same rows, no checks, one text table)`,
      `  import / COPY: ${(importSeconds / copySeconds).toFixed(1)} ×; target ≤ 120 s: ${importSeconds <= 120 ? 'met' : 'NOT met'}`,
      `  peak resident memory of this process: ${peakResidentMb()} MB (target < 400 MB)`,
      '',
    ];
  } finally {
    await database.close();
    await admin.raw(`drop database if exists ${databaseName} with (force)`);
    await admin.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

// PostgreSQL from DATABASE_URL, or the machine's own; a scratch database is
// made and dropped again.
const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
process.stdout.write((await benchImport(rows, serverUrl)).join('\n'));
