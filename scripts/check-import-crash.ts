// An import under SIGKILL, run by CI on PostgreSQL: `askesos import
// participants` enrols a generated extract of CHECK_IMPORT_ROWS (default
// 60,000, about 5 % bad) and is killed with SIGKILL a third of the way in;
// the same command again must resume and finish, and a third run must
// change nothing. The outcome must equal that of the same file imported
// without a crash into a database of its own: the same participants and
// enrolments, none twice, none lost. Exits 1 when not.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleBook } from '../src/rules/load.ts';
import { recordPublishedVersions } from '../src/rules/store.ts';
import { insertApprovedLpas, withScratchDatabase } from './bench-service.ts';
import { writeSyntheticExtract } from './synthetic-extract.ts';

const rows = Number(process.env.CHECK_IMPORT_ROWS ?? 60_000);
const dir = mkdtempSync(join(tmpdir(), 'askesos-import-crash-'));
const file = join(dir, 'extract.csv');
await writeSyntheticExtract(file, rows, { badShare: 0.05, seed: 2611 });

const importCommand = (url: string, lpaId: string): ChildProcess =>
  spawn(
    process.execPath,
    ['--import', 'tsx', 'src/app/cli.ts', 'import', 'participants', file, '--lpa', lpaId, '--date', '2026-11-01'],
    { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'ignore'] },
  );
const finished = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What an import leaves, in terms that do not depend on generated ids.
async function outcome(db: Parameters<Parameters<typeof withScratchDatabase>[1]>[0]['db']) {
  const result = await db.raw<{ rows: { participants: string; niks: string; enrolments: string; by_status: string }[] }>(
    `select (select count(*) from participants) as participants,
       (select count(distinct nik) from participants) as niks,
       (select count(*) from enrolments) as enrolments,
       (select string_agg(status || ' ' || n, ', ' order by status) from
         (select status, count(*) as n from enrolments group by status) s) as by_status`,
  );
  return result.rows[0];
}

async function prepared(db: Parameters<Parameters<typeof withScratchDatabase>[1]>[0]['db']): Promise<string> {
  const rulesDir = process.env.RULES_DIR ?? 'rules';
  await recordPublishedVersions(db, loadRuleBook(rulesDir), rulesDir);
  const [lpaId = ''] = await insertApprovedLpas(db, 1);
  return lpaId;
}

const reference = await withScratchDatabase('import_reference', async ({ db }, url) => {
  const lpaId = await prepared(db);
  const code = await finished(importCommand(url, lpaId));
  if (code !== 0) throw new Error(`the uninterrupted import exited ${code}`);
  return outcome(db);
});

const failures = await withScratchDatabase('import_crash', async ({ db }, url) => {
  const problems: string[] = [];
  const lpaId = await prepared(db);
  const first = importCommand(url, lpaId);
  const firstExit = finished(first);
  let committedAtKill = 0;
  for (;;) {
    const row = await db('imports').first<{ lines: number } | undefined>(db.raw('max(lines_committed) as lines'));
    committedAtKill = Number(row?.lines ?? 0);
    if (committedAtKill >= rows / 3 || first.exitCode !== null) break;
    await sleep(20);
  }
  first.kill('SIGKILL');
  await firstExit;
  process.stdout.write(
    `import killed (SIGKILL) with ${committedAtKill.toLocaleString('en')} of ${rows.toLocaleString('en')} lines committed\n`,
  );
  if (committedAtKill >= rows) problems.push('the kill came after the import had finished: nothing was cut off');

  const resumed = await finished(importCommand(url, lpaId));
  const afterResume = await outcome(db);
  const again = await finished(importCommand(url, lpaId));
  const afterAgain = await outcome(db);
  if (resumed !== 0 || again !== 0) problems.push(`the resumed import exited ${resumed}, the repeated one ${again}`);
  const imports = await db('imports').select('status', 'lines_committed');
  if (imports.length !== 1 || imports[0]?.status !== 'done') problems.push(`imports: ${JSON.stringify(imports)}`);
  if (JSON.stringify(afterResume) !== JSON.stringify(reference))
    problems.push(`after the resume ${JSON.stringify(afterResume)}, without a crash ${JSON.stringify(reference)}`);
  if (JSON.stringify(afterAgain) !== JSON.stringify(afterResume))
    problems.push(`the same file again changed ${JSON.stringify(afterResume)} into ${JSON.stringify(afterAgain)}`);
  if (afterResume?.participants !== afterResume?.niks)
    problems.push(`participants ${afterResume?.participants}, NIKs ${afterResume?.niks}`);
  process.stdout.write(`after the resume: ${JSON.stringify(afterResume)}; without a crash: ${JSON.stringify(reference)}\n`);
  return problems;
});
rmSync(dir, { recursive: true, force: true });

if (failures.length > 0) {
  process.stderr.write(`IMPORT CRASH CHECK FAILED:\n${failures.map((problem) => `  ${problem}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  'import crash check passed: resumed to the same outcome as an import never cut off, nothing twice, nothing lost\n',
);
