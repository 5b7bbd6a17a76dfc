import type { policyId } from '../id/policy.ts';

// The same words in English, key for key.
export const policyEn: Readonly<Record<keyof typeof policyId, string>> = {};
