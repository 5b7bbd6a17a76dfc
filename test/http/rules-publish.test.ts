import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentRuleBook } from '../../src/app/rule-book.ts';
import { createDraft, recordCases } from '../../src/rules/drafts.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { publishVersion } from '../../src/rules/store.ts';
import { as, countRows, makeKey, type TestKey, testActor, testToday } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { openRulesService, type RulesService } from '../support/rules-service.ts';
import { at, type ScratchRules } from '../rules/support.ts';

// The policy officer's journey over HTTP, with the directorate's key: a
// draft raising the accident-medical ceiling from 2028, its diff, a dry run,
// the act, and the running service deciding by it without a restart.
describe('publishing a draft over HTTP', { timeout: 120_000 }, () => {
  let service: RulesService;
  let database: TestDatabase;
  let rules: ScratchRules;
  let current: CurrentRuleBook;
  let app: Express;
  let directorate: TestKey;
  let finance: TestKey;

  beforeAll(async () => {
    service = await openRulesService(testToday);
    ({ database, rules, current, app, directorate } = service);
    finance = await makeKey(database.db, { role: 'finance' });
    // One member, and one claim for medical bills above the ceiling in force.
    const lpaId = await approvedLpa(database.db);
    const lpa = await makeKey(database.db, { role: 'lpa', lpaId });
    const { participantId } = await enrolmentSince(database.db, {
      lpaId,
      scheme: 'standalone',
      enrolledOn: '2026-03-01',
      serial: 1,
    });
    const filed = await as(app, lpa)
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

    createDraft(rules.dir, loadRuleBook(rules.dir), { scheme: 'standalone', from: '2027.3', effectiveFrom: '2028-01-01' });
    rules.edit(join('standalone', '2028.1', 'manifest.json'), (json) => {
      at(json, 'parameters', 'ceiling.accident-medical').amount = '6000000.00';
    });
    recordCases(rules.dir, loadRuleBook(rules.dir, { scheme: 'standalone', version: '2028.1' }), 'standalone', '2028.1');
  });
  afterAll(async () => {
    await service.close();
  });

  const medicalBills = (date: string) => ({
    scheme: 'standalone',
    area: 'benefits',
    date,
    facts: {
      claimType: 'accident-medical',
      coverageYear: 1,
      sicknessDays: null,
      priorPaidClaims: 0,
      deathCause: null,
      costClaimed: '5800000.00',
      monthlyWage: null,
      reportDelayDays: 0,
    },
  });

  it('lists the draft as a draft, and decides nothing by it', async () => {
    const listed = await as(app, finance).get('/v1/rules');
    const standalone = listed.body.schemes.find((scheme: { scheme: string }) => scheme.scheme === 'standalone');
    expect(standalone.drafts).toEqual([
      { version: '2028.1', effectiveFrom: '2028-01-01', hash: expect.stringMatching(/^[0-9a-f]{64}$/), problems: [] },
    ]);
    expect(standalone.versions.map((version: { version: string }) => version.version)).not.toContain('2028.1');
    const decided = await as(app, directorate).post('/v1/rules/evaluate').send(medicalBills('2028-02-01'));
    expect(decided.body.version).toBe('2027.3');
    const explained = await as(app, directorate)
      .post('/v1/rules/evaluate')
      .send({ ...medicalBills('2028-02-01'), draft: '2028.1' });
    expect(explained.body.version).toBe('2028.1');
    const referral = explained.body.trace.find((rule: { ruleId: string }) => rule.ruleId === 'near-ceiling-review');
    expect(referral).toMatchObject({
      fired: true,
      conditions: { all: [{}, { fact: 'costClaimed', value: '5400000', factValue: '5800000.00' }] },
    });
  });

  it('shows the diff: old → new for the ceiling and for the threshold that follows it', async () => {
    const diff = await as(app, finance).get('/v1/rules/standalone/2028.1/diff');
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: '2027.3', to: '2028.1' });
    expect(diff.body.lines).toContain('  parameter ceiling.accident-medical: Rp 5.000.000 → Rp 6.000.000');
    expect(diff.body.lines).toContain(
      '  benefits: rule near-ceiling-review: condition costClaimed ≥ Rp 4.500.000 → Rp 5.400.000 (review.accident-medical-from)',
    );
    expect((await as(app, finance).get('/v1/rules/standalone/2099.1/diff')).status).toBe(404);
  });

  it('shows the impact before publishing: the claim that would pay more, and the budget by month', async () => {
    const started = await as(app, directorate).post('/v1/rules/standalone/2028.1/impact').send({});
    expect(started.status).toBe(202);
    let run = started.body as { id: string; status: string; result: { rows: Record<string, unknown>[] } | null };
    for (let attempt = 0; attempt < 600 && run.status === 'running'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      run = (await as(app, finance).get(`/v1/rules/impact-runs/${run.id}`)).body;
    }
    expect(run.status).toBe('succeeded');
    const rows = run.result?.rows ?? [];
    expect(rows.find((row) => row.section === 'claims' && row.by === 'all')).toMatchObject({
      count: 1,
      changed: 1,
      inForce: '5000000.00',
      proposed: '5800000.00',
      delta: '800000.00',
    });
    expect(rows.filter((row) => row.measure === 'expectedClaims')).toHaveLength(12);
  });

  it('lets only the directorate publish', async () => {
    const refused = await as(app, finance).post('/v1/rules/standalone/2028.1/publish').send({ dryRun: true });
    expect(refused.status).toBe(403);
  });

  it('shows everything on a dry run and writes nothing', async () => {
    const audits = await countRows(database.db, 'audit_log');
    const dry = await as(app, directorate).post('/v1/rules/standalone/2028.1/publish').send({ dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      published: false,
      effectiveFrom: '2028-01-01',
      ended: [{ version: '2027.3', effectiveTo: '2027-12-31', wasEffectiveTo: null }],
      cases: { failed: [] },
    });
    expect(dry.body.diff).toContain('  parameter ceiling.accident-medical: Rp 5.000.000 → Rp 6.000.000');
    expect(existsSync(join(rules.dir, 'standalone', '2028.1', 'publication.json'))).toBe(false);
    expect(await countRows(database.db, 'audit_log')).toBe(audits);
  });

  it('publishes as an act in the audit log, and the service decides by it at once', async () => {
    const published = await as(app, directorate).post('/v1/rules/standalone/2028.1/publish').send({});
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ published: true, version: '2028.1' });
    const audit = await database.db('audit_log').where({ action: 'rule-version.published' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_key_id: directorate.id, entity_id: 'standalone@2028.1' });
    expect(audit[0].detail).toMatchObject({ hash: published.body.hash, effectiveFrom: '2028-01-01' });

    const listed = await as(app, finance).get('/v1/rules');
    const standalone = listed.body.schemes.find((scheme: { scheme: string }) => scheme.scheme === 'standalone');
    expect(standalone.drafts).toEqual([]);
    expect(standalone.versions.at(-1)).toMatchObject({ version: '2028.1', publishedAt: expect.any(String) });
    expect(standalone.versions.at(-2)).toMatchObject({ version: '2027.3', effectiveTo: '2027-12-31' });

    const decided = await as(app, directorate).post('/v1/rules/evaluate').send(medicalBills('2028-02-01'));
    expect(decided.body.version).toBe('2028.1');
    expect(decided.body.events.map((event: { type: string }) => event.type).sort()).toEqual([
      'benefit',
      'claim-referred',
      'documents-required',
    ]);
    expect(decided.body.events.find((event: { type: string }) => event.type === 'benefit').params.amountMax).toBe('6000000.00');

    const again = await as(app, directorate).post('/v1/rules/standalone/2028.1/publish').send({});
    expect(again.status).toBe(422);
    expect(again.body.detail).toContain('a version is published once');
  });

  it('takes up a version published by another process (the CLI, another replica) when the database records it', async () => {
    expect(await current.reloadIfPublished()).toBe(false);
    createDraft(rules.dir, loadRuleBook(rules.dir), { scheme: 'standalone', from: '2028.1', effectiveFrom: '2029-01-01' });
    recordCases(rules.dir, loadRuleBook(rules.dir, { scheme: 'standalone', version: '2029.1' }), 'standalone', '2029.1');
    const draft = loadRuleBook(rules.dir, { scheme: 'standalone', version: '2029.1' }).schemes.get('standalone')?.at(-1);
    if (draft === undefined) throw new Error('the draft did not load');
    await publishVersion(
      database.db,
      draft,
      {
        scheme: 'standalone',
        version: '2029.1',
        hash: draft.hash,
        publishedAt: new Date().toISOString(),
        publishedBy: 'cli:officer',
        effectiveFrom: '2029-01-01',
        ended: [{ version: '2028.1', effectiveTo: '2028-12-31', wasEffectiveTo: null }],
      },
      join(rules.dir, 'standalone', '2029.1'),
      testActor,
    );
    expect(current.book.schemes.get('standalone')?.at(-1)?.version).toBe('2028.1');
    expect(await current.reloadIfPublished()).toBe(true);
    expect(current.book.schemes.get('standalone')?.at(-1)?.version).toBe('2029.1');
  });

  it('withdraws a version not yet in force, with the reason, and refuses one in force', async () => {
    const dry = await as(app, directorate)
      .post('/v1/rules/standalone/2029.1/withdraw')
      .send({ reason: 'The budget law was not passed', dryRun: true });
    expect(dry.body).toMatchObject({ withdrawn: false });
    expect(current.book.schemes.get('standalone')?.at(-1)?.version).toBe('2029.1');
    const withdrawn = await as(app, directorate)
      .post('/v1/rules/standalone/2029.1/withdraw')
      .send({ reason: 'The budget law was not passed' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({
      scheme: 'standalone',
      version: '2029.1',
      withdrawn: true,
      restored: [{ version: '2028.1', effectiveTo: null, wasEffectiveTo: '2028-12-31' }],
    });
    expect(current.book.schemes.get('standalone')?.at(-1)).toMatchObject({ version: '2028.1', effectiveTo: null });
    const audit = await database.db('audit_log').where({ action: 'rule-version.withdrawn' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_key_id: directorate.id, entity_id: 'standalone@2029.1' });
    expect(audit[0].detail.withdrawn).toMatchObject({ reason: 'The budget law was not passed' });

    const inForce = await as(app, directorate).post('/v1/rules/standalone/2026.1/withdraw').send({ reason: 'Too late' });
    expect(inForce.status).toBe(422);
    expect(inForce.body.detail).toContain('has been in force since 2026-01-01: a version in force cannot be withdrawn');
    expect((await as(app, finance).post('/v1/rules/standalone/2028.1/withdraw').send({ reason: 'No' })).status).toBe(403);
  });

  it('refuses a backdated version, naming why, and an unknown one with a 404', async () => {
    createDraft(rules.dir, loadRuleBook(rules.dir), {
      scheme: 'standalone',
      from: '2026.2',
      effectiveFrom: '2026-11-01',
      version: 'backdated',
    });
    const refused = await as(app, directorate).post('/v1/rules/standalone/backdated/publish').send({ dryRun: true });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toContain('it takes effect on 2026-11-01, before today (2026-11-25)');
    expect((await as(app, directorate).post('/v1/rules/standalone/2099.1/publish').send({})).status).toBe(404);
  });
});
