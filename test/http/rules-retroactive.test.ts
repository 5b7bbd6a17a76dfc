import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraft, recordCases } from '../../src/rules/drafts.ts';
import { loadRuleBook } from '../../src/rules/load.ts';
import { as, makeKey, type TestKey } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { openRulesService, type RulesService } from '../support/rules-service.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { approvedLpa } from '../support/lpa.ts';
import { at, type ScratchRules } from '../rules/support.ts';

// A version backdated on purpose: on 20 February 2027 the directorate raises
// the accident allowance from 1 February. One accident claim was already
// decided in between; the publish must name it and be refused until the
// officer says how it is handled.
describe('publishing a version retroactively', { timeout: 120_000 }, () => {
  const today = '2027-02-20';
  const draft = '2027.1.1';
  let service: RulesService;
  let database: TestDatabase;
  let rules: ScratchRules;
  let app: Express;
  let directorate: TestKey;
  let claimId: string;

  beforeAll(async () => {
    service = await openRulesService(today);
    ({ database, rules, app, directorate } = service);
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
      .set('Idempotency-Key', 'retroactive-claim-1')
      .send({ participantId, ...accidentClaim('2027-02-10', 'r1') });
    expect(filed.body).toMatchObject({ status: 'approved', amount: '500000.00' });
    claimId = filed.body.id;

    createDraft(rules.dir, loadRuleBook(rules.dir), {
      scheme: 'standalone',
      from: '2027.1',
      effectiveFrom: '2027-02-01',
      version: draft,
    });
    rules.edit(join('standalone', draft, 'manifest.json'), (json) => {
      at(json, 'parameters', 'ceiling.accident-allowance').amount = '600000.00';
    });
    recordCases(rules.dir, loadRuleBook(rules.dir, { scheme: 'standalone', version: draft }), 'standalone', draft);
  });
  afterAll(async () => {
    await service.close();
  });

  const publish = (body: object) => as(app, directorate).post(`/v1/rules/standalone/${draft}/publish`).send(body);

  it('refuses the date without a reason', async () => {
    const refused = await publish({ dryRun: true });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('it takes effect on 2027-02-01, before today (2027-02-20)');
  });

  it('lists the claim already decided that it would have paid otherwise, and is refused until told how it is handled', async () => {
    const refused = await publish({ dryRun: true, retroactive: { reason: 'The decree was signed on 1 February' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('1 decision(s) already made since 2027-02-01 would have been made otherwise');
    expect(refused.body.detail).toContain(`claim ${claimId} on 2027-02-10: approved 500000.00 → approved 600000.00`);
  });

  it('publishes with the decisions kept, recording the reason and each kept decision in the audit log', async () => {
    const retroactive = { reason: 'The decree was signed on 1 February', keepDecisions: true };
    const dry = await publish({ dryRun: true, retroactive });
    expect(dry.status).toBe(200);
    expect(dry.body.decisionsChanged).toEqual([
      {
        kind: 'claim',
        id: claimId,
        date: '2027-02-10',
        before: 'approved 500000.00',
        after: 'approved 600000.00',
        who: expect.any(String),
      },
    ]);
    expect(dry.body.ended).toEqual([{ version: '2027.1', effectiveTo: '2027-01-31', wasEffectiveTo: '2027-03-31' }]);

    const published = await publish({ retroactive });
    expect(published.status).toBe(201);
    const record = JSON.parse(readFileSync(join(rules.dir, 'standalone', draft, 'publication.json'), 'utf8'));
    expect(record.retroactive).toEqual({ reason: 'The decree was signed on 1 February', decisionsKept: 1 });
    const [audit] = await database.db('audit_log').where({ action: 'rule-version.published' });
    expect(audit.detail.retroactive).toEqual(record.retroactive);
    expect(audit.detail.decisionsKept).toEqual([expect.objectContaining({ id: claimId, before: 'approved 500000.00' })]);
    const claim = await database.db('claims').where({ id: claimId }).first();
    expect(claim.amount).toBe('500000.00');
  });
});
