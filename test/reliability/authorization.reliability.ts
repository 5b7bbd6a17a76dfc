import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKey, makeKey } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';

// Who may call what, written out here as the specification: every
// operation of the OpenAPI document must be in this table and every row
// must be an operation. A key whose role the row leaves out gets 403,
// no key gets 401, and for reads of one object an LPA key sees only its
// own and a dinsos key only its regency's: anything else is a 404.
// D directorate, S dinsos (social office), L lpa, F finance, A auditor.
const matrix: Readonly<Record<string, string>> = {
  'get /healthz': 'public',
  'get /readyz': 'public',
  'post /v1/membership-lookups': 'public',
  'get /v1/whoami': 'DSLFA',
  // A session's own routes are for the person signed in: every API key is
  // refused, whatever its role (people are tested in test/auth/accounts.test.ts).
  'post /v1/session': 'public',
  'get /v1/session': '-----',
  'delete /v1/session': '-----',
  'post /v1/session/password': '-----',
  'post /v1/users': 'D----',
  'get /v1/users': 'D---A',
  'get /v1/users/{id}': 'D---A',
  'post /v1/users/{id}/disable': 'D----',
  'post /v1/users/{id}/enable': 'D----',
  'post /v1/users/{id}/password': 'D----',
  'get /v1/keys': 'D---A',
  'post /v1/keys': 'D----',
  'get /v1/keys/{id}': 'DSLFA',
  'post /v1/keys/{id}/revoke': 'D----',
  'get /v1/audit-log': 'D---A',
  'get /v1/rules': 'DSLFA',
  'get /v1/rules/{scheme}/{version}': 'DSLFA',
  'get /v1/rules/{scheme}/{version}/diff': 'DSLFA',
  'post /v1/rules/{scheme}/drafts': 'D----',
  'post /v1/rules/{scheme}/{version}/publish': 'D----',
  'post /v1/rules/{scheme}/{version}/withdraw': 'D----',
  'post /v1/rules/evaluate': 'D---A',
  'post /v1/rules/{scheme}/{version}/impact': 'D--F-',
  'get /v1/rules/impact-runs': 'D--F-',
  'get /v1/rules/impact-runs/{id}': 'D--F-',
  'get /v1/regions': 'DSLFA',
  'post /v1/regions': 'D----',
  'put /v1/regions/regencies/{code}/target-population': 'DS---',
  'get /v1/regions/regencies/{code}/target-population': 'DSLFA',
  'post /v1/lpas': 'DS---',
  'get /v1/lpas': 'DSLFA',
  'get /v1/lpas/{id}': 'DSLFA',
  'post /v1/lpas/{id}/approve': 'D----',
  'post /v1/lpas/{id}/suspend': 'D----',
  'post /v1/lpas/{id}/close': 'D----',
  'post /v1/participants': '--L--',
  'get /v1/participants': 'DSLFA',
  'post /v1/participants/search': 'DSLFA',
  'get /v1/participants/{id}': 'DSLFA',
  'post /v1/participants/{id}/card': '--L--',
  'put /v1/participants/{id}/heirs': '--L--',
  'post /v1/imports': '--L--',
  'get /v1/imports/{id}': 'DSLFA',
  'get /v1/imports/{id}/errors': 'DSLFA',
  'get /v1/reports/data-quality': 'DSLFA',
  'post /v1/claims': '--L--',
  'get /v1/claims': 'DSLFA',
  'get /v1/claims/past-deadline': 'DSLFA',
  'get /v1/claims/review-queue': 'D----',
  'get /v1/claims/checklist': 'DSLFA',
  'get /v1/claims/{id}': 'DSLFA',
  'post /v1/claims/{id}/review': 'D----',
  'post /v1/claims/{id}/payment': '---F-',
  'post /v1/claims/{id}/reversal': 'D--F-',
  'get /v1/claims/{id}/explanation': 'DSLFA',
  'post /v1/claims/{id}/documents/{kind}/scan': '--L--',
  'get /v1/claims/{id}/documents/{kind}/scan': 'DSLFA',
  'get /v1/ledger/chart': 'D-LFA',
  'get /v1/ledger/accounts': 'D-LFA',
  'post /v1/ledger/accounts': 'D--F-',
  'get /v1/ledger/accounts/{id}': 'D-LFA',
  'get /v1/ledger/accounts/{id}/statement': 'D-LFA',
  'get /v1/ledger/trial-balance': 'D--FA',
  'post /v1/ledger/entries': '---F-',
  'get /v1/ledger/entries': 'D-LFA',
  'get /v1/ledger/entries/{id}': 'D-LFA',
  'post /v1/ledger/entries/{id}/reversal': '---F-',
  'get /v1/ledger/periods': 'D-LFA',
  'post /v1/ledger/periods/{month}/close': 'D--F-',
  'get /v1/participants/{id}/dues': 'DSLFA',
  'get /v1/participants/{id}/lapses': 'DSLFA',
  'post /v1/participants/{id}/contributions': '--L--',
  'post /v1/subsidy-receipts': '---F-',
  'get /v1/jobs': 'D--FA',
  'post /v1/jobs/{name}/runs': 'D--F-',
  'get /v1/jobs/runs': 'D--FA',
  'get /v1/jobs/runs/{id}': 'D--FA',
  'post /v1/lpas/{id}/honorarium-payments': '---F-',
  'post /v1/lpas/{id}/strengthening-payments': '---F-',
  'post /v1/lpas/{id}/progress-reports': '--L--',
  'get /v1/lpas/{id}/progress-reports': 'DSLFA',
  'get /v1/lpas/{id}/strengthening': 'DSLFA',
  'get /v1/participants/{id}/savings': 'DSLFA',
  'get /v1/participants/{id}/savings/statement': 'DSLFA',
  'post /v1/participants/{id}/savings/deposits': '--L--',
  'post /v1/participants/{id}/savings/withdrawals': '--L--',
  'post /v1/lpas/{id}/claim-reserve': '--L--',
  'get /v1/lpas/{id}/pool': 'DSLFA',
  'post /v1/participants/{id}/loans': '--L--',
  'get /v1/participants/{id}/loans': 'DSLFA',
  'get /v1/loans/{id}': 'DSLFA',
  'post /v1/loans/{id}/disbursement': '--L--',
  'post /v1/loans/{id}/repayments': '--L--',
  'post /v1/loans/{id}/reschedule': '--L--',
  'post /v1/loans/{id}/write-off': 'D----',
  'get /v1/reports/loan-portfolio': 'DSLFA',
  'get /v1/reports/subsidy-cost': 'DSLFA',
  'get /v1/reports/retention': 'DSLFA',
  'get /v1/reports/arrears': 'DSLFA',
  'get /v1/reports/honorarium': 'DSLFA',
  'get /v1/reports/reserves': 'DSLFA',
  'get /v1/reports/fund-statement': 'D--FA',
  'get /v1/reports/indicators': 'DSLFA',
  'get /v1/summary': 'DSLFA',
  'get /v1/reports/lpa-progress': 'DSLFA',
  'get /v1/reports/runs': 'D--FA',
  'get /v1/reports/runs/{id}': 'D--FA',
  'get /v1/participants/{id}/card.pdf': 'D-L--',
  'get /v1/notices': 'DSL-A',
  'get /v1/notices/{id}': 'DSL-A',
  'get /v1/notices/{id}/notice.txt': 'DSL-A',
  'get /v1/notices/{id}/notice.pdf': 'DSL-A',
  'post /v1/notices/{id}/sent': '--L--',
  'post /v1/notices/{id}/handed-over': '--L--',
};
const roleLetters = { directorate: 'D', dinsos: 'S', lpa: 'L', finance: 'F', auditor: 'A' } as const;

let database: TestDatabase;
let app: Express;
const today = '2026-11-25';
let keys: Record<keyof typeof roleLetters, TestKey>;
let operations: { method: 'get' | 'post' | 'delete'; path: string }[];
// The objects an LPA key in Gunung Mas owns, and those of an LPA in Kapuas.
let own: Record<string, string>;
let foreign: Record<string, string>;

beforeAll(async () => {
  let lpaId: string;
  let lpaKey: TestKey;
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  const kapuas = await approvedLpa(database.db, { name: 'Perkumpulan Nelayan Kapuas', regencyCode: '6203' });
  const kapuasKey = await makeKey(database.db, { role: 'lpa', lpaId: kapuas });
  keys = {
    directorate: await makeKey(database.db, { role: 'directorate' }),
    dinsos: await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' }),
    lpa: lpaKey,
    finance: await makeKey(database.db, { role: 'finance' }),
    auditor: await makeKey(database.db, { role: 'auditor' }),
  };
  const objects = async (lpa: string, key: TestKey, serial: number) => {
    const { participantId } = await enrolmentSince(database.db, {
      lpaId: lpa,
      scheme: 'standalone',
      enrolledOn: '2026-02-01',
      serial,
    });
    const claim = await request(app)
      .post('/v1/claims')
      .set('Authorization', `Bearer ${key.secret}`)
      .set('Idempotency-Key', `matrix-claim-${serial}`)
      .send({ participantId, ...accidentClaim('2026-11-20', `m${serial}`) });
    const loan = await request(app)
      .post(`/v1/participants/${participantId}/loans`)
      .set('Authorization', `Bearer ${key.secret}`)
      .set('Idempotency-Key', `matrix-loan-${serial}`)
      .send({ product: 'loan', amount: '500000.00', termMonths: 6, purpose: 'Nets', appliedOn: today });
    const scan = await request(app)
      .post(`/v1/claims/${claim.body.id}/documents/medical-certificate/scan`)
      .set('Authorization', `Bearer ${key.secret}`)
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.4\n%%EOF\n'));
    expect([claim.status, loan.status, scan.status]).toEqual([201, 201, 201]);
    const notice = await database.db('notices').where({ participant_id: participantId }).first<{ id: string }>('id');
    return {
      participants: participantId,
      lpas: lpa,
      claims: claim.body.id as string,
      loans: loan.body.id as string,
      notices: notice.id,
    };
  };
  own = await objects(lpaId, lpaKey, 61);
  foreign = await objects(kapuas, kapuasKey, 62);
  const document = (await request(app).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method: method as 'get' | 'post' | 'delete', path })),
  );
});
afterAll(async () => database.close());

const send = (operation: { method: 'get' | 'post' | 'delete'; path: string }, path: string, key: TestKey | null) => {
  let call = request(app)[operation.method](path).set('Idempotency-Key', `matrix-${Math.random()}`);
  if (key !== null) call = call.set('Authorization', `Bearer ${key.secret}`);
  return operation.method === 'post' ? call.send({}) : call;
};
// A path with its ids: the object of its kind, else any id (the role check comes first).
const pathWith = (path: string, objectsOf: Record<string, string>) =>
  path
    .replace(/\/v1\/(\w[\w-]*)\/\{id\}/, (whole, kind: string) => (kind in objectsOf ? `/v1/${kind}/${objectsOf[kind]}` : whole))
    .replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'month'
        ? '2026-10'
        : name === 'kind'
          ? 'medical-certificate'
          : name === 'scheme'
            ? 'standalone'
            : name === 'version'
              ? '2026.1'
              : '00000000-0000-4000-8000-000000000000',
    );

describe('the authorization matrix', () => {
  it('names every operation the service has, and nothing else', () => {
    expect(operations.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(Object.keys(matrix).sort());
  });

  it('admits each role exactly where the table says, and no key nowhere but the public routes', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const allowed = matrix[`${operation.method} ${operation.path}`] ?? '';
      const path = pathWith(operation.path, own);
      const anonymous = await send(operation, path, null);
      if ((allowed === 'public') !== (anonymous.status !== 401))
        wrong.push(`${operation.method} ${path} without a key → ${anonymous.status}`);
      if (allowed === 'public') continue;
      for (const [role, key] of Object.entries(keys)) {
        const response = await send(operation, path, key);
        const admitted = allowed.includes(roleLetters[role as keyof typeof roleLetters]);
        if (admitted === (response.status === 403))
          wrong.push(`${operation.method} ${operation.path} as ${role} → ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('shows an LPA key only its own objects and a dinsos key only its regency’s: the others are 404', async () => {
    const wrong: string[] = [];
    const reads = operations.filter(
      (operation) => operation.method === 'get' && /^\/v1\/(participants|lpas|claims|loans|notices)\/\{id\}/.test(operation.path),
    );
    expect(reads.length).toBe(18);
    for (const operation of reads)
      for (const role of ['lpa', 'dinsos'] as const) {
        if (!(matrix[`get ${operation.path}`] ?? '').includes(roleLetters[role])) continue;
        // Reads with a required query get it, so the scope is what answers.
        const query = operation.path.endsWith('/savings/statement') ? '?kind=mandatory' : '';
        const mine = await send(operation, pathWith(operation.path, own) + query, keys[role]);
        const theirs = await send(operation, pathWith(operation.path, foreign) + query, keys[role]);
        if ([401, 403, 404].includes(mine.status)) wrong.push(`${operation.path} own as ${role} → ${mine.status}`);
        if (theirs.status !== 404) wrong.push(`${operation.path} foreign as ${role} → ${theirs.status}`);
        const everyone = await send(operation, pathWith(operation.path, foreign) + query, keys.directorate);
        if (everyone.status === 404) wrong.push(`${operation.path} foreign as directorate → 404`);
      }
    expect(wrong).toEqual([]);
  });
});
