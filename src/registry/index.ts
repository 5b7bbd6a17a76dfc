// What other features may use of registry: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export {
  coverageYear,
  coverageYearOfMonth,
  coverageYearOfMonthSql,
  monthOfCoverOnSql,
  monthOfCoverStartingIn,
  monthOfCoverStartingInSql,
} from './coverage.ts';
export { visibleLpa } from './lpas.ts';
export { heirInputSchema } from './model.ts';
export { findLpa, findParticipant, lockMemberOfLpa } from './store.ts';
export { searchParticipants, visibleParticipant } from './participants.ts';
export { decideEligibility } from './eligibility.ts';
export type { EligibilityPerson } from './eligibility.ts';
export { ageOn } from './identity.ts';
export { dataQuality, dataQualityQuerySchema, dataQualityTable } from './quality.ts';
