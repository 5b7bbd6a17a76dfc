import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { addDays } from '../../src/dates.ts';
import { openConfiguredDatabase } from '../../src/database.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { recordPublishedVersions } from '../../src/rules/store.ts';
import { as, makeKey, testApp } from '../support/api.ts';
import { type ServiceDatabase, openServiceDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { at, type ScratchRules, scratchRules } from './support.ts';

const run = promisify(execFile);
// The CLI decides "today" by the clock: the draft takes effect on the first
// day of a year to come, after the last shipped version.
const today = todayIn(loadConfig({}).TIMEZONE);
const year = String(Math.max(2028, Number(today.slice(0, 4)) + 1));
const effective = `${year}-01-01`;
const draft = `${year}.1`;
const cli = join(import.meta.dirname, '../../scripts/askesos.mjs');

// The policy officer's journey as the policy guide tells it, over the CLI:
// a draft raising the accident-medical ceiling from a future date, its cases
// recorded, the diff read, a dry run, the act, and the act in the audit log.
describe('a policy officer publishes a raised ceiling', { timeout: 300_000 }, () => {
  let database: ServiceDatabase;
  let rules: ScratchRules;
  beforeAll(async () => {
    database = await openServiceDatabase();
    rules = scratchRules(['askesos-2003', 'askesos-ni-2012', 'standalone']);
    // The portfolio the impact replays: one member, and one claim for
    // medical bills above the ceiling in force, filed as an LPA files it.
    const opened = await openConfiguredDatabase(loadConfig({ ...database.env, RULES_DIR: rules.dir }));
    try {
      await recordPublishedVersions(opened.db, loadRuleBook(rules.dir), rules.dir);
      const lpaId = await approvedLpa(opened.db);
      const lpa = await makeKey(opened.db, { role: 'lpa', lpaId });
      const { participantId } = await enrolmentSince(opened.db, {
        lpaId,
        scheme: 'standalone',
        enrolledOn: '2026-03-01',
        serial: 1,
      });
      const filed = await as(testApp(opened.db), lpa)
        .post('/v1/claims')
        .set('Idempotency-Key', 'medical-bills-1')
        .send({
          participantId,
          claimType: 'accident-medical',
          costClaimed: '5800000.00',
          incidentDate: '2026-11-01',
          reportDate: '2026-11-01',
          documents: ['medical-certificate', 'receipt'].map((kind) => ({ kind, number: `${kind}-1`, date: '2026-11-01' })),
          payout: { method: 'cash', receivedBy: 'Yohanes' },
        });
      expect(filed.body).toMatchObject({ status: 'approved', amount: '5000000.00' });
    } finally {
      await opened.close();
    }
  });
  afterAll(async () => {
    rules.dispose();
    await database.close();
  });

  async function askesos(...args: string[]) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', RULES_DIR: rules.dir, ...database.env };
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const draftDir = () => join(rules.dir, 'standalone', draft);

  it('starts a draft that nothing decides by', async () => {
    const made = await askesos('rules', 'new', 'standalone', '--from', '2027.3', '--effective', effective);
    expect(made).toMatchObject({ code: 0 });
    expect(made.stdout).toContain(`Draft standalone/${draft}`);
    rules.edit(join('standalone', draft, 'manifest.json'), (json) => {
      at(json, 'parameters', 'ceiling.accident-medical').amount = '6000000.00';
    });
    expect(
      loadRuleBook(rules.dir)
        .schemes.get('standalone')
        ?.map((version) => version.version),
    ).not.toContain(draft);
    expect((await askesos('rules', 'list')).stdout).toMatch(new RegExp(`standalone\\s+${year}\\.1\\s+draft\\s+${effective}`));
  });

  it('refuses to publish before the cases are recorded, and writes nothing', async () => {
    const refused = await askesos('rules', 'publish', `standalone/${draft}`, '--dry-run');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('case(s) fail with the draft in the book');
    expect(existsSync(join(draftDir(), 'publication.json'))).toBe(false);
  });

  it('records the cases, shows old → new for the ceiling and the threshold that follows it', async () => {
    expect((await askesos('rules', 'cases', 'record', `standalone/${draft}`)).code).toBe(0);
    const recorded = JSON.parse(readFileSync(join(draftDir(), 'cases', 'benefits.json'), 'utf8')) as { expect: unknown }[];
    expect(recorded.every((ruleCase) => JSON.stringify(ruleCase.expect).includes(`"version":"${draft}"`))).toBe(true);
    const diff = await askesos('rules', 'diff', 'standalone@2027.3', `standalone@${draft}`);
    expect(diff.stdout).toContain('parameter ceiling.accident-medical: Rp 5.000.000 → Rp 6.000.000');
    expect(diff.stdout).toContain(
      'benefits: rule near-ceiling-review: condition costClaimed ≥ Rp 4.500.000 → Rp 5.400.000 (review.accident-medical-from)',
    );
  });

  it('runs the impact of the draft on the portfolio: the claim that would pay more, and the budget by month', async () => {
    const impact = await askesos('rules', 'impact', `standalone/${draft}`, '--json');
    expect(impact).toMatchObject({ code: 0 });
    const table = JSON.parse(impact.stdout) as { title: string; rows: Record<string, unknown>[] };
    expect(table.title).toBe(`Impact of standalone ${draft}`);
    expect(table.rows.find((row) => row.section === 'claims' && row.by === 'all')).toMatchObject({
      count: 1,
      changed: 1,
      inForce: '5000000.00',
      proposed: '5800000.00',
      delta: '800000.00',
    });
    expect(table.rows.filter((row) => row.section === 'money' && row.measure === 'stateBudget')).toHaveLength(12);
  });

  it('shows everything on a dry run and writes nothing, then publishes as an act in the audit log', async () => {
    const dry = await askesos('rules', 'publish', `standalone/${draft}`, '--dry-run');
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toContain(`Ends standalone@2027.3 on ${addDays(effective, -1)} (it was open-ended)`);
    expect(dry.stdout).toContain('nothing was written');
    expect(existsSync(join(draftDir(), 'publication.json'))).toBe(false);

    const published = await askesos('rules', 'publish', `standalone/${draft}`);
    expect(published).toMatchObject({ code: 0 });
    const record = JSON.parse(readFileSync(join(draftDir(), 'publication.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ version: draft, publishedBy: `cli:${userInfo().username}`, effectiveFrom: effective });
    const book = loadRuleBook(rules.dir);
    expect(book.schemes.get('standalone')?.at(-1)).toMatchObject({ version: draft, hash: record.hash });
    expect(book.schemes.get('standalone')?.at(-2)?.effectiveTo).toBe(addDays(effective, -1));

    const opened = await openConfiguredDatabase(loadConfig({ ...database.env, RULES_DIR: rules.dir }));
    try {
      const rows = await opened.db('audit_log').where({ action: 'rule-version.published' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: `cli:${userInfo().username}`, entity_id: `standalone@${draft}` });
      expect(rows[0].detail).toMatchObject({
        hash: record.hash,
        ended: [{ version: '2027.3', effectiveTo: addDays(effective, -1) }],
      });
    } finally {
      await opened.close();
    }
    expect((await askesos('rules', 'publish', `standalone/${draft}`)).stderr).toContain('a version is published once');
  });

  it('withdraws the version before it comes into force, and refuses to withdraw one in force', async () => {
    const withdrawn = await askesos('rules', 'withdraw', `standalone/${draft}`, '--reason', 'The decree was annulled');
    expect(withdrawn).toMatchObject({ code: 0 });
    expect(withdrawn.stdout).toContain('standalone@2027.3 runs on open-ended');
    expect(loadRuleBook(rules.dir).schemes.get('standalone')?.at(-1)).toMatchObject({ version: '2027.3', effectiveTo: null });
    const inForce = await askesos('rules', 'withdraw', 'standalone/2026.1', '--reason', 'Too late');
    expect(inForce.code).toBe(1);
    expect(inForce.stderr).toContain('a version in force cannot be withdrawn');
  });

  it('runs a job beside a draft that does not even load: drafts are never read by what decides', async () => {
    expect(
      (await askesos('rules', 'new', 'standalone', '--from', '2026.2', '--effective', effective, '--name', 'broken')).code,
    ).toBe(0);
    rules.write(join('standalone', 'broken', 'manifest.json'), '{ "scheme": ');
    const validated = await askesos('rules', 'validate');
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain(join('standalone', 'broken', 'manifest.json'));
    const ran = await askesos('jobs', 'run', 'premium-cycle', '--period', today.slice(0, 7));
    expect(ran).toMatchObject({ code: 0 });
    rules.remove(join('standalone', 'broken'));
  });

  it('refuses a backdated version: time only moves forward', async () => {
    const yesterday = addDays(today, -1);
    const made = await askesos('rules', 'new', 'standalone', '--from', '2026.2', '--effective', yesterday, '--name', 'backdated');
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining('Draft standalone/backdated') });
    await askesos('rules', 'cases', 'record', 'standalone/backdated');
    const refused = await askesos('rules', 'publish', 'standalone/backdated', '--dry-run');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`it takes effect on ${yesterday}, before today`);
  });
});
