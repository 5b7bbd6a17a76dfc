// What other features may use of claims: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export { adjudicateClaim } from './adjudicate.ts';
export type { Adjudication, ClaimHistory, Cover } from './adjudicate.ts';
export { allowanceClaimTypes, newClaimSchema } from './model.ts';
export type { NewClaim } from './model.ts';
