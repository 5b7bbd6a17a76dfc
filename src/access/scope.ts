import type { Principal, Role } from './principal.ts';

// Where an object belongs. A participant or a claim belongs to one LPA in one
// regency; national objects (a rule version, a report) belong to neither.
export interface ObjectScope {
  readonly regencyCode: string | null;
  readonly lpaId: string | null;
}

export function isInScope(principal: Principal, scope: ObjectScope): boolean {
  switch (principal.role) {
    case 'directorate':
    case 'finance':
    case 'auditor':
      return true;
    case 'dinsos':
      return scope.regencyCode === principal.regencyCode;
    case 'lpa':
      return scope.lpaId === principal.lpaId;
    default:
      return assertNever(principal);
  }
}

// The same rule as a filter on lists: which regency's or LPA's rows a key sees.
export function scopeFilter(principal: Principal): { regencyCode?: string; lpaId?: string } {
  if (principal.role === 'dinsos') return { regencyCode: principal.regencyCode };
  if (principal.role === 'lpa') return { lpaId: principal.lpaId };
  return {};
}

// The auditor reads everything and writes nothing, whatever a route allows.
export function mayWrite(role: Role): boolean {
  return role !== 'auditor';
}

function assertNever(value: never): never {
  throw new Error(`unexpected principal ${JSON.stringify(value)}`);
}
