// What other features may use of the reserves: the shape of the IBNR
// figures each month-end estimate keeps, and the premium earned over
// windows of months that the IBNR and the indicators both rest on.
export type { KeptMethods } from './model.ts';
export { earnedPremiumByWindow } from './store.ts';
