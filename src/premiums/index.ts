// What other features may use of premiums: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export { boundsSql, inCoverSql } from './cover.ts';
export type { Bounds } from './cover.ts';
export { cancelDuesAfterDeath } from './death.ts';
export { premiumTariff } from './tariff.ts';
