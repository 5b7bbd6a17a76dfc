import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/principal.ts';
import { isInScope, mayWrite } from '../../src/access/scope.ts';

const lpaA = '11111111-1111-4111-8111-111111111111';
const lpaB = '22222222-2222-4222-8222-222222222222';
const base = { via: 'api-key' as const, keyId: '33333333-3333-4333-8333-333333333333', name: 'k' };

const principals: Record<string, Principal> = {
  directorate: { ...base, role: 'directorate' },
  finance: { ...base, role: 'finance' },
  auditor: { ...base, role: 'auditor' },
  dinsosGunungMas: { ...base, role: 'dinsos', regencyCode: '6210' },
  lpaA: { ...base, role: 'lpa', lpaId: lpaA },
};

describe('isInScope', () => {
  const participantOfLpaAInGunungMas = { regencyCode: '6210', lpaId: lpaA };
  const participantOfLpaBInKapuas = { regencyCode: '6203', lpaId: lpaB };

  it.each([
    ['directorate', participantOfLpaBInKapuas, true],
    ['finance', participantOfLpaBInKapuas, true],
    ['auditor', participantOfLpaBInKapuas, true],
    ['dinsosGunungMas', participantOfLpaAInGunungMas, true],
    ['dinsosGunungMas', participantOfLpaBInKapuas, false],
    ['lpaA', participantOfLpaAInGunungMas, true],
    ['lpaA', participantOfLpaBInKapuas, false],
    ['lpaA', { regencyCode: '6210', lpaId: lpaB }, false],
    ['dinsosGunungMas', { regencyCode: null, lpaId: null }, false],
    ['lpaA', { regencyCode: null, lpaId: null }, false],
  ] as const)('%s sees %j: %s', (who, scope, expected) => {
    expect(isInScope(principals[who] as Principal, scope)).toBe(expected);
  });
});

describe('mayWrite', () => {
  it('lets every role but the auditor write', () => {
    expect(mayWrite('auditor')).toBe(false);
    for (const role of ['directorate', 'dinsos', 'lpa', 'finance'] as const) expect(mayWrite(role)).toBe(true);
  });
});
