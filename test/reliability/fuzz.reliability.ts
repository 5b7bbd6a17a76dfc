import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/store.ts';
import { type TestKey, makeKey, testActor } from '../support/api.ts';
import { accidentClaim } from '../support/claims.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';
import { approvedLpa } from '../support/lpa.ts';

// Every operation the OpenAPI document lists, called with what fast-check
// makes of its parameters and body: wrong types, missing fields, huge
// strings, odd unicode, numbers for money, another LPA's ids, and values
// close enough to valid to reach the code behind the checks. Nothing may
// answer 5xx, and an answer of 4xx must leave every table as it was.

interface Operation {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly parameters: readonly { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  readonly body: JsonSchema | null;
  readonly roles: readonly string[];
}
interface JsonSchema {
  readonly type?: string | string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly items?: JsonSchema;
  readonly enum?: unknown[];
  readonly format?: string;
  readonly examples?: unknown[];
  readonly anyOf?: JsonSchema[];
  readonly oneOf?: JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
}

let database: TestDatabase;
let app: Express;
const today = '2027-08-20';
let operations: Operation[];
let keys: TestKey[];
let ids: { own: string[]; foreign: string[] };

beforeAll(async () => {
  let lpaId: string;
  let lpaKey: TestKey;
  ({ database, app, lpaId, lpaKey } = await openLpaFixture(() => today));
  const otherLpa = await approvedLpa(database.db, { name: 'Yayasan Seberang' });
  const own = await enrolmentSince(database.db, { lpaId, scheme: 'standalone', enrolledOn: '2026-06-10', serial: 31 });
  const foreign = await enrolmentSince(database.db, {
    lpaId: otherLpa,
    scheme: 'standalone',
    enrolledOn: '2026-06-10',
    serial: 32,
  });
  const claim = await request(app)
    .post('/v1/claims')
    .set('Authorization', `Bearer ${lpaKey.secret}`)
    .set('Idempotency-Key', 'fuzz-seed-claim')
    .send({ participantId: own.participantId, ...accidentClaim('2027-08-01', 'fuzz') });
  keys = [
    lpaKey,
    await makeKey(database.db, { role: 'lpa', lpaId: otherLpa }),
    await makeKey(database.db, { role: 'directorate' }),
    await makeKey(database.db, { role: 'finance' }),
    await makeKey(database.db, { role: 'auditor' }),
    await makeKey(database.db, { role: 'dinsos', regencyCode: '6210' }),
  ];
  ids = {
    own: [lpaId, own.participantId, own.enrolmentId, claim.body.id ?? lpaId, keys[0]?.id ?? lpaId],
    foreign: [otherLpa, foreign.participantId, foreign.enrolmentId],
  };
  const document = (await request(app).get('/openapi.json')).body as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Operation['parameters'];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          'x-roles'?: string[];
        }
      >
    >;
  };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method as Operation['method'],
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema ?? null,
      roles: operation['x-roles'] ?? [],
    })),
  );
});
afterAll(async () => database.close());

// Every table's rows, hashed: a 4xx must not change one. API keys are left
// out: authenticating stamps when a key was last used.
async function snapshot(): Promise<Map<string, string>> {
  const tables = await database.db.raw<{ rows: { table_name: string }[] }>(
    `select table_name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not in ('api_keys')
     order by table_name`,
  );
  const hashes = await database.db.raw<{ rows: { table_name: string; hash: string }[] }>(
    tables.rows
      .map(
        ({ table_name: table }) =>
          `select '${table}' as table_name, md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as hash from "${table}" t`,
      )
      .join(' union all '),
  );
  return new Map(hashes.rows.map((row) => [row.table_name, row.hash]));
}

const oddText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '../../etc/passwd',
      "' or 1=1 --",
      'NaN',
      '-0',
      '1e308',
      '９９',
      '\u202e',
      '🙂'.repeat(50),
    ),
  },
  { weight: 1, arbitrary: fc.constant('x'.repeat(70_000)) },
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

function idValue(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids.own) },
    { weight: 2, arbitrary: fc.constantFrom(...ids.foreign) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: oddText },
  );
}

// What the schema asks for; with `corrupt`, now and then anything at all
// in a field's place, so one field at a time is wrong.
function valueFor(schema: JsonSchema | undefined, depth = 0, corrupt = true): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 3) return anyValue;
  const fitting = fittingValue(schema, depth, corrupt);
  return corrupt ? fc.oneof({ weight: 6, arbitrary: fitting }, { weight: 1, arbitrary: anyValue }) : fitting;
}

function fittingValue(schema: JsonSchema, depth: number, corrupt: boolean): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined && variants.length > 0)
    return fc.oneof(...variants.map((variant) => valueFor(variant, depth + 1, corrupt)));
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.examples !== undefined && schema.examples.length > 0)
    return fc.oneof(
      fc.constantFrom(...schema.examples),
      fc.integer({ min: 0, max: 10_000_000 }).map((n) => `${n}.00`),
    );
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valueFor(property, depth + 1, corrupt)]),
        ),
        corrupt ? { requiredKeys: [] } : {},
      );
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1, corrupt), { minLength: corrupt ? 0 : 1, maxLength: 4 });
    case 'integer':
      return fc.integer({ min: (schema.minimum ?? -5) - 2, max: Math.min(schema.maximum ?? 100, 10_000) + 2 });
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.format === 'uuid') return idValue();
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      return corrupt
        ? fc.oneof(fc.constantFrom('2027-08', '2027-08-15', 'standalone', 'mandatory', '6210', 'KW-1'), oddText)
        : fc.constantFrom(
            '2027-08',
            '2027-08-15',
            'standalone',
            'mandatory',
            '6210',
            'KW-1',
            'Yohanes Dingu',
            'verified on site',
          );
    default:
      return anyValue;
  }
}

function requestFor(operation: Operation) {
  const param = (where: string) => operation.parameters.filter((parameter) => parameter.in === where);
  const admitted = keys.filter((key) => operation.roles.includes(key.role));
  const pathValues = fc.record(Object.fromEntries(param('path').map((parameter) => [parameter.name, idValue()])));
  const queryValues = fc.record(
    Object.fromEntries(
      param('query').map((parameter) => [
        parameter.name,
        // fast-check's objects may have no prototype, which String() cannot print.
        valueFor(parameter.schema).map((value) =>
          typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
        ),
      ]),
    ),
    { requiredKeys: [] },
  );
  return fc.record({
    // Mostly a key the route admits, so requests get past the door.
    key: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(admitted.length > 0 ? admitted : keys)) },
      { weight: 1, arbitrary: fc.option(fc.constantFrom(...keys)) },
    ) as fc.Arbitrary<TestKey | null>,
    pathValues,
    queryValues,
    // What an HTTP client can put in a header at all: Latin-1 without control characters.
    idempotencyKey: fc.option(
      fc
        .oneof(fc.uuid(), fc.string({ maxLength: 400 }), fc.constant('k'.repeat(2000)))
        .filter((text) => /^[\x20-\x7e\xa0-\xff]*$/.test(text)),
      { freq: 6 },
    ),
    body:
      operation.body === null
        ? fc.constant(undefined)
        : fc.oneof(valueFor(operation.body, 0, false), valueFor(operation.body), anyValue),
  });
}

// Runs per operation; FUZZ_RUNS raises it for a longer hunt.
const runsPerOperation = Number(process.env.FUZZ_RUNS ?? 20);

describe('every operation, fuzzed', () => {
  it('sees a write to any table (what the check below relies on)', async () => {
    const before = await snapshot();
    await database.db.transaction((trx) =>
      recordAudit(trx, testActor, { action: 'fuzz.self-check', entityType: 'test', entityId: 'snapshot' }),
    );
    const after = await snapshot();
    expect([...after].filter(([table, hash]) => before.get(table) !== hash).map(([table]) => table)).toEqual(['audit_log']);
  });

  it('never answers 5xx, and leaves every table as it was on a 4xx', async () => {
    let before = await snapshot();
    let requests = 0;
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async ({ key, pathValues, queryValues, idempotencyKey, body }) => {
          const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(pathValues[name])));
          let call = request(app)[operation.method](path).query(queryValues);
          if (key !== null) call = call.set('Authorization', `Bearer ${key.secret}`);
          if (idempotencyKey !== null) call = call.set('Idempotency-Key', idempotencyKey);
          // Sent as JSON text, so a bare number or string reaches the server as such.
          const response =
            operation.method === 'post' && body !== undefined
              ? await call.set('Content-Type', 'application/json').send(JSON.stringify(body))
              : await call;
          requests += 1;
          const what = `${operation.method.toUpperCase()} ${path.slice(0, 200)} as ${key?.role ?? 'nobody'} → ${response.status}`;
          expect(response.status, `${what}: ${JSON.stringify(response.body).slice(0, 500)}`).toBeLessThan(500);
          const after = await snapshot();
          if (response.status >= 400) {
            const changed = [...after].filter(([table, hash]) => before.get(table) !== hash).map(([table]) => table);
            // A refused sign-in is recorded on purpose: the audit row, and the
            // count of failures that locks an account.
            const refusedSignIn = operation.method === 'post' && operation.path === '/v1/session' && response.status === 401;
            const allowed = refusedSignIn ? ['audit_log', 'users'] : [];
            expect(
              changed.filter((table) => !allowed.includes(table)),
              `${what} changed tables`,
            ).toEqual([]);
          }
          before = after;
        }),
        { numRuns: runsPerOperation },
      );
    }
    expect(requests).toBe(operations.length * runsPerOperation);
  });
});
