// What other features may use of the reserves: the shape of the IBNR
// figures each month-end estimate keeps.
export type { KeptMethods } from './model.ts';
