// What other features may use of lpa: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export { factsOf, lpaFactsOn } from './facts.ts';
export type { LpaFacts } from './facts.ts';
export { honorariumRate, shareHonorarium } from './honorarium.ts';
export { decideStrengthening } from './strengthening.ts';
