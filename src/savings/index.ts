// What other features may use of savings: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export { poolCashAccountId } from './accounts.ts';
export { savingsFacts } from './mandatory.ts';
export type { LoanApplicationFacts } from './mandatory.ts';
export { assertPoolCashCovers } from './transactions.ts';
